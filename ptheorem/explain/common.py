"""What every step builder reads: the check's objects, the chosen path, small helpers."""

from __future__ import annotations

from ptheorem.explain.model import Block, Step
from ptheorem.explain.paths import example_path, sup
from ptheorem.model.result import CheckResult
from ptheorem.model.spec import NetworkSpec
from ptheorem.symbolic.check import SymbolicDetails
from ptheorem.symbolic.derive import ConstraintGroup, Equation, PathConstraint

#: Rows of the constraint and tying tables before "… N more".
TABLE_ROWS = 6

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def sub(n: int | str) -> str:
    """Subscript digits.

    >>> sub(12)
    '₁₂'
    """
    return str(n).translate(_SUB)


def tuple_text(t: tuple[int, ...]) -> str:
    """(1, 2, 3) as text."""
    return "(" + ", ".join(map(str, t)) + ")"


class Context:
    """What every step reads: the spec, the check's objects and the example path."""

    def __init__(self, result: CheckResult, details: SymbolicDetails) -> None:
        self.result = result
        self.spec: NetworkSpec = result.spec
        self.net = details.network
        self.der = details.derivation
        self.sol = details.solution
        self.suf = details.sufficiency
        chosen = example_path(self.der)
        self.group: ConstraintGroup | None = chosen[0] if chosen else None
        self.path: PathConstraint | None = chosen[1] if chosen else None
        self.equation: Equation | None = None
        if chosen:
            g, p = chosen
            self.equation = next(e for e in g.equations if (e.i, e.j) == (p.i, p.j))
        self.constant_slopes = bool(self.der.layer_jacobians.frozen) and all(
            not v.free_symbols for v in self.der.layer_jacobians.frozen.values()
        )

    @property
    def depth(self) -> int:
        """L."""
        return self.spec.depth

    @property
    def last(self) -> str:
        """θ⁽ᴸ⁻¹⁾ as text."""
        return f"θ{sup(self.depth - 1)}"


def make_step(
    key: str, title: str, blocks: list[Block], summary: list[Block] | None = None
) -> Step:
    """A step; the builder numbers it."""
    return Step(key, 0, title, tuple(blocks), tuple(summary or ()))
