"""``--grid`` specifications: the configurations a sweep or a snapshot runs.

Syntax::

    KEY=VALUES[,KEY=VALUES ...]      items separated by ',' (or ';')
    VALUES = ALT[|ALT ...]           alternatives separated by '|'
    ALT    = N | A..B                a number or an inclusive range

Keys: ``depth`` (``L``), ``dim`` (``d``), ``widths`` (``w``; one width for every
hidden layer, default: the dimension), ``bias`` (``no``, ``yes`` or
``no|yes``; default ``no``) and ``activation`` (``generic`` by default, or
named ones like ``tanh|swish:1.5``).  ``depth`` and ``dim`` are required.

A ',' always starts a new ``KEY=VALUES`` item, so a list of values uses
'|': ``dim=2|3|5``, never ``dim=2,3``.  Depth 1 has no hidden layer, so its
widths are ignored and it appears once.

>>> [s.widths for s in parse_grid("depth=2..3,dim=2,widths=1|3").specs()]
[(1,), (3,), (1, 1), (3, 3)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ptheorem.model.errors import InputError
from ptheorem.model.spec import GENERIC_ACTIVATION, NetworkSpec

#: A grid larger than this is refused (a typo like ``dim=1..1000`` should not start).
MAX_CONFIGS = 10_000
#: Accepted spellings of each key.
ALIASES = {
    "depth": "depth",
    "l": "depth",
    "dim": "dim",
    "d": "dim",
    "widths": "widths",
    "width": "widths",
    "w": "widths",
    "bias": "bias",
    "activation": "activation",
    "act": "activation",
}
_TRUE = {"yes", "true", "on", "1"}
_FALSE = {"no", "false", "off", "0"}
_RANGE = re.compile(r"([0-9]+)\s*\.\.\s*([0-9]+)", re.ASCII)
HELP = (
    "Grid: KEY=VALUES items separated by ',' (or ';'); alternatives with '|', "
    "inclusive ranges with '..'. Keys: depth, dim, widths (one width per config, "
    "default: dim), bias (no|yes), activation. E.g. 'depth=2..4,dim=2|3,widths=2..4'."
)


@dataclass(frozen=True)
class Grid:
    """The values of each axis; :meth:`specs` is their product."""

    depth: tuple[int, ...]
    dim: tuple[int, ...]
    widths: tuple[int, ...] | None = None
    bias: tuple[bool, ...] = (False,)
    activation: tuple[str, ...] = (GENERIC_ACTIVATION,)

    def specs(self) -> tuple[NetworkSpec, ...]:
        """Every configuration, depth outermost, without duplicates."""
        seen: dict[NetworkSpec, None] = {}
        for depth in self.depth:
            for dim in self.dim:
                for width in self.widths or (dim,):
                    widths = (width,) * (depth - 1)
                    for bias in self.bias:
                        for act in self.activation:
                            seen.setdefault(NetworkSpec(depth, dim, widths, bias, act), None)
        return tuple(seen)


def parse_grid(text: str) -> Grid:
    """Parse a ``--grid`` string; raise a one-line :class:`InputError` on any mistake.

    >>> parse_grid("L=1..2; d=3|5")
    Grid(depth=(1, 2), dim=(3, 5), widths=None, bias=(False,), activation=('generic',))
    """
    items = [p.strip() for p in re.split(r"[,;]", text)]
    if not any(items):
        raise InputError(f"--grid is empty; {HELP}")
    axes: dict[str, str] = {}
    for item in items:
        if not item:
            raise InputError(f"--grid {text!r} has an empty item (two separators in a row?)")
        key, eq, value = item.partition("=")
        if not eq:
            raise InputError(
                f"--grid item {item!r} has no '='; write KEY=VALUES, and separate "
                f"alternatives with '|' (dim=2|3), not ','"
            )
        name = ALIASES.get(key.strip().lower())
        if name is None:
            raise InputError(
                f"--grid: unknown key {key.strip()!r}; known: depth, dim, widths, bias, activation"
            )
        if name in axes:
            raise InputError(f"--grid gives {name!r} twice")
        if not value.strip():
            raise InputError(f"--grid: {name} has no value")
        axes[name] = value
    for required in ("depth", "dim"):
        if required not in axes:
            raise InputError(f"--grid needs {required}=…; {HELP}")
    grid = Grid(
        depth=_numbers("depth", axes["depth"]),
        dim=_numbers("dim", axes["dim"]),
        widths=_numbers("widths", axes["widths"]) if "widths" in axes else None,
        bias=_bools(axes["bias"]) if "bias" in axes else (False,),
        activation=_activations(axes["activation"])
        if "activation" in axes
        else (GENERIC_ACTIVATION,),
    )
    total = (
        len(grid.depth)
        * len(grid.dim)
        * len(grid.widths or (1,))
        * len(grid.bias)
        * len(grid.activation)
    )
    if total > MAX_CONFIGS:
        raise InputError(f"--grid has {total} configurations; the limit is {MAX_CONFIGS}")
    return grid


def _numbers(name: str, value: str) -> tuple[int, ...]:
    out: dict[int, None] = {}
    for alt in (a.strip() for a in value.split("|")):
        m = _RANGE.fullmatch(alt)
        if m and max(len(m.group(1)), len(m.group(2))) <= 18:
            a, b = int(m.group(1)), int(m.group(2))
            if a > b:
                raise InputError(f"--grid: {name} range {alt!r} is empty (start > end)")
            if b - a >= MAX_CONFIGS:
                raise InputError(f"--grid: {name} range {alt!r} is too long")
            values = range(a, b + 1)
        elif alt.isascii() and alt.isdigit() and len(alt) <= 18:
            values = range(int(alt), int(alt) + 1)
        else:
            raise InputError(
                f"--grid: {name} value {alt!r} is not a number or a range A..B "
                f"(alternatives are separated by '|')"
            )
        for v in values:
            if v < 1:
                raise InputError(f"--grid: {name} values must be ≥ 1 (got {v})")
            out.setdefault(v, None)
    return tuple(out)


def _bools(value: str) -> tuple[bool, ...]:
    out: dict[bool, None] = {}
    for alt in (a.strip().lower() for a in value.split("|")):
        if alt in _TRUE:
            out.setdefault(True, None)
        elif alt in _FALSE:
            out.setdefault(False, None)
        else:
            raise InputError(f"--grid: bias takes no, yes or no|yes (got {alt!r})")
    return tuple(out)


def _activations(value: str) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for alt in (a.strip() for a in value.split("|")):
        if alt.lower() == GENERIC_ACTIVATION:
            out.setdefault(GENERIC_ACTIVATION, None)
            continue
        if not alt:
            raise InputError("--grid: empty activation")
        from ptheorem.activations import get_activation

        try:
            out.setdefault(str(get_activation(alt).spec), None)
        except InputError as exc:
            raise InputError(f"--grid: {exc}") from None
    return tuple(out)
