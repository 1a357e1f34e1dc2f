"""The network specification: depth, input dimension, widths, bias, activation.

Depth ``L`` follows the paper: the number of weight layers, so ``L = 2`` has
one hidden layer and ``L = 3`` has two.  Layer ``k`` (``0 <= k < L``) maps
``sizes[k]`` units to ``sizes[k + 1]`` units; its weight matrix has the torch
``Linear.weight`` shape ``(sizes[k + 1], sizes[k])``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ptheorem.model.errors import InputError

GENERIC_ACTIVATION = "generic"
#: Sanity bounds for any method (the instance route's cost model: symbolic/cost.py).
MAX_ANY_DEPTH = 1024
MAX_ANY_SIZE = 1 << 16


@dataclass(frozen=True)
class NetworkSpec:
    """A ψ network Rᵈ → Rᵈ with ``depth`` weight layers.

    >>> NetworkSpec(depth=3, dim=2, widths=(3, 4)).sizes
    (2, 3, 4, 2)
    """

    depth: int
    dim: int
    widths: tuple[int, ...]
    bias: bool = False
    activation: str = GENERIC_ACTIVATION

    def __post_init__(self) -> None:
        if not isinstance(self.depth, int) or not 1 <= self.depth <= MAX_ANY_DEPTH:
            raise InputError(
                f"depth must be an integer from 1 to {MAX_ANY_DEPTH} (got {self.depth!r})"
            )
        if not isinstance(self.dim, int) or not 1 <= self.dim <= MAX_ANY_SIZE:
            raise InputError(f"dim must be an integer from 1 to {MAX_ANY_SIZE} (got {self.dim!r})")
        if len(self.widths) != self.depth - 1:
            raise InputError(
                f"depth {self.depth} has {self.depth - 1} hidden layer(s), "
                f"but {len(self.widths)} width(s) were given"
            )
        for w in self.widths:
            if not isinstance(w, int) or not 1 <= w <= MAX_ANY_SIZE:
                raise InputError(f"widths must be integers from 1 to {MAX_ANY_SIZE} (got {w!r})")

    @property
    def hidden(self) -> int:
        """Number of hidden layers, ``L - 1``."""
        return self.depth - 1

    @property
    def sizes(self) -> tuple[int, ...]:
        """Units per layer, input first and output last."""
        return (self.dim, *self.widths, self.dim)

    @property
    def path_count(self) -> int:
        """Backward paths from one output unit to one input unit (product of widths)."""
        count = 1
        for w in self.widths:
            count *= w
        return count

    def label(self) -> str:
        """Short human label, e.g. ``L=3, d=4, widths (4, 4)``."""
        widths = ", ".join(map(str, self.widths))
        return f"L={self.depth}, d={self.dim}, widths ({widths})"


def parse_count(text: str, what: str) -> int:
    """A whole number ≥ 0 written with the ASCII digits 0-9 (at most 18 of them).

    One rule for every number ptheorem parses from text (``--widths``, ``--grid``,
    ``blocks:K``, ``--show-constraints``, ``--compare``), the same as the typed
    options: Unicode digits such as '٣' or '¹' are refused with a one-line error.

    >>> parse_count(" 12 ", "width")
    12
    """
    t = text.strip()
    if not (t.isascii() and t.isdigit()):
        raise InputError(f"{what} must be a whole number in the digits 0-9 (got {text!r})")
    if len(t) > 18:
        raise InputError(f"{what} is too large (got {t[:24]}…)")
    return int(t)


def parse_widths(text: str | None, depth: int, dim: int) -> tuple[int, ...]:
    """Parse ``--widths``: one int for every hidden layer, or one per hidden layer.

    >>> parse_widths("3", 3, 2)
    (3, 3)
    >>> parse_widths("3,5", 3, 2)
    (3, 5)
    >>> parse_widths(None, 3, 2)
    (2, 2)
    """
    if depth > MAX_ANY_DEPTH:
        raise InputError(f"depth {depth} is too large (at most {MAX_ANY_DEPTH})")
    if dim > MAX_ANY_SIZE:
        raise InputError(f"dim {dim} is too large (at most {MAX_ANY_SIZE})")
    hidden = depth - 1
    if text is None or text.strip() == "":
        return (dim,) * max(hidden, 0)
    if hidden == 0:
        raise InputError("depth 1 has no hidden layer, so --widths does not apply")
    parts = [p.strip() for p in text.split(",")]
    values: list[int] = []
    for part in parts:
        if part.startswith("-") and part[1:].strip().isdigit():
            raise InputError(f"widths must be positive (got {part})")
        try:
            value = parse_count(part, "widths")
        except InputError:
            raise InputError(f"widths must be integers in the digits 0-9 (got {part!r})") from None
        if value < 1:
            raise InputError(f"widths must be positive (got {value})")
        if value > MAX_ANY_SIZE:
            raise InputError(f"width {value} is too large (at most {MAX_ANY_SIZE})")
        values.append(value)
    if len(values) == 1:
        return (values[0],) * hidden
    if len(values) != hidden:
        raise InputError(
            f"--widths has {len(values)} entries but depth {depth} has {hidden} hidden layer(s)"
        )
    return tuple(values)
