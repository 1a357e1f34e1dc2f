"""The frozen data of an explanation: steps made of blocks, each holding the tool's objects.

A :class:`Step` is a title and a sequence of blocks.  Blocks are prose or one of
the computed objects the symbolic check produced (sympy expressions, path pairs,
tables, witness audits).  Nothing here formats for a terminal: text is Unicode
in the paper's notation, and renderers (rich, Markdown, LaTeX) decide the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ptheorem.model.errors import InputError
from ptheorem.model.result import Verdict
from ptheorem.model.spec import NetworkSpec


@dataclass(frozen=True)
class Prose:
    """A paragraph of explanation."""

    text: str


@dataclass(frozen=True)
class Note:
    """A remark set apart from the prose: a caveat, or where a number came from."""

    text: str


@dataclass(frozen=True)
class Formula:
    """The paper-style formula of ψ for a spec (renderers draw it)."""

    spec: NetworkSpec


@dataclass(frozen=True)
class Math:
    """A displayed relation ``lhs relation rhs``; either side a sympy object or text.

    ``label`` names it (e.g. ``Eq. 6``); renderers put it in front.
    """

    lhs: Any
    rhs: Any
    relation: str = "="
    label: str = ""


@dataclass(frozen=True)
class PathSum:
    """A Jacobian entry as sympy expanded it: one term per backward path.

    ``terms`` are the summands of the expanded entry ∂ⱼψᵢ (sympy objects);
    ``depth`` lets renderers order each term's factors along its path.
    """

    label: str
    terms: tuple[Any, ...]
    depth: int
    i: int
    j: int


@dataclass(frozen=True)
class FrozenFactor:
    """One frozen σ′ symbol and what it stands for.

    ``value`` is the sympy derivative σ′(z) with the input placeholders renamed
    to x; ``point`` is z when σ is the generic function (sympy keeps σ′(z) as
    an unevaluated ``Subs``), else None.
    """

    symbol: Any
    value: Any
    point: Any | None


@dataclass(frozen=True)
class FrozenTable:
    """The frozen σ′ factors, hidden layer by hidden layer."""

    factors: tuple[FrozenFactor, ...]


@dataclass(frozen=True)
class PathPair:
    """Two backward paths (i, n, …, m, j) and (j, n, …, m, i) with their weights.

    ``sizes`` are the layer sizes in backward order (output first, input last)
    and ``labels`` their names; ``weights``/``mirror_weights`` the weight
    symbols met along each path (output side first), ``sigmas`` the frozen σ′
    symbols both paths share.
    """

    sizes: tuple[int, ...]
    labels: tuple[str, ...]
    path: tuple[int, ...]
    mirror: tuple[int, ...]
    weights: tuple[Any, ...]
    mirror_weights: tuple[Any, ...]
    sigmas: tuple[Any, ...]


@dataclass(frozen=True)
class Table:
    """Rows of cells (text or sympy objects) under headers."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class WitnessResult:
    """A tiny witness network audited live.

    ``method`` names what produced ``status`` (``ptheorem.audit.run_audit``);
    ``root`` is √NAsym on ``points`` sample points, ``angle`` the largest angle
    between nonzero input rows in degrees (None with fewer than two),
    ``hypotheses`` the hypotheses the audit found failing.
    """

    name: str
    shape: str
    hypothesis: str
    construction: str
    method: str
    status: str
    root: float
    degenerate: bool
    points: int
    angle: float | None
    conclusion: str
    hypotheses: tuple[str, ...]


@dataclass(frozen=True)
class Witnesses:
    """The witnesses of step 11 and how they were audited."""

    results: tuple[WitnessResult, ...]
    audit: str
    tolerance: float


@dataclass(frozen=True)
class SoftTableRow:
    """One row of the soft-analysis table: the smallest √NAsym found at an angle.

    ``fresh`` is the same network's √NAsym on fresh points, when measured.
    """

    angle: float
    root: float
    fresh: float | None = None


@dataclass(frozen=True)
class SoftTable:
    """How small √NAsym gets while the input weights keep an angle (numeric, float64).

    ``angle_label``/``value_label`` head the columns, ``method`` says what was
    minimised over and by which code, ``summary`` what the rows show.
    """

    spec: NetworkSpec
    points: int
    seed: int
    rows: tuple[SoftTableRow, ...]
    method: str
    angle_label: str
    value_label: str
    summary: str


Block = (
    Prose | Note | Formula | Math | PathSum | FrozenTable | PathPair | Table | Witnesses | SoftTable
)


@dataclass(frozen=True)
class Step:
    """One step: ``key`` is stable (``network``, ``jacobian``, …), ``number`` 1-based.

    ``summary`` is the short form used by ``--compare`` and ``demo``.
    """

    key: str
    number: int
    title: str
    blocks: tuple[Block, ...]
    summary: tuple[Block, ...] = ()


@dataclass(frozen=True)
class Explanation:
    """Every step of the argument for one network, from the tool's own objects.

    ``spec`` is None for the general proof on its own (every d and width);
    ``heading`` then names what is explained.  ``of`` is the number of steps
    of the whole explanation when this one holds a selection (:meth:`only`).
    """

    spec: NetworkSpec | None
    mask: str | None
    steps: tuple[Step, ...]
    verdict: Verdict
    heading: str = ""
    of: int = 0

    #: What one part is called in headings ("Step 4/11").
    unit = "Step"

    @property
    def total(self) -> int:
        """The number of steps of the whole explanation."""
        return self.of or len(self.steps)

    def only(self, number: int) -> Explanation:
        """This explanation with step ``number`` (1-based) alone, still numbered of the whole."""
        return replace(self, steps=(pick(self.steps, number, "step"),), of=self.total)

    @property
    def network(self) -> NetworkSpec:
        """The configuration explained (an explanation of one network always has one)."""
        if self.spec is None:
            raise ValueError(f"{self.heading}: explains no single network")
        return self.spec

    def step(self, key: str) -> Step:
        """The step with this key."""
        for s in self.steps:
            if s.key == key:
                return s
        raise KeyError(key)

    @property
    def title(self) -> str:
        """A heading for the whole explanation."""
        if self.heading or self.spec is None:
            return self.heading
        mask = f", mask {self.mask}" if self.mask else ""
        return f"ptheorem explain: {self.spec.label()}, σ {self.spec.activation}{mask}"


@dataclass(frozen=True)
class CompareRow:
    """One qualitative step for both networks."""

    title: str
    left: tuple[Block, ...]
    right: tuple[Block, ...]


@dataclass(frozen=True)
class Comparison:
    """Two explanations side by side at the qualitative steps."""

    left: Explanation
    right: Explanation
    rows: tuple[CompareRow, ...]

    @property
    def title(self) -> str:
        """A heading for the comparison."""
        return (
            f"ptheorem explain --compare: L={self.left.network.depth} vs "
            f"L={self.right.network.depth}, d={self.left.network.dim}"
        )


@dataclass(frozen=True)
class Scene:
    """One scene of the demo tour."""

    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Tour:
    """The scripted demo: scenes in order (``of`` as for :class:`Explanation`)."""

    scenes: tuple[Scene, ...]
    of: int = 0
    first: int = 1

    unit = "Scene"
    title = "ptheorem demo"

    @property
    def total(self) -> int:
        """The number of scenes of the whole tour."""
        return self.of or len(self.scenes)

    @property
    def steps(self) -> tuple[Step, ...]:
        """The scenes as numbered steps, for the exports."""
        return tuple(
            Step(f"scene{k}", k, s.title, s.blocks)
            for k, s in enumerate(self.scenes, start=self.first)
        )

    def only(self, number: int) -> Tour:
        """The tour with scene ``number`` (1-based) alone."""
        return Tour((pick(self.scenes, number, "scene"),), self.total, number)


def pick(items: tuple[Any, ...], number: int, what: str) -> Any:
    """Item ``number`` (1-based) of ``items``; an :class:`InputError` names the range."""
    if not 1 <= number <= len(items):
        raise InputError(f"--only {number}: there is no {what} {number} (1 … {len(items)})")
    return items[number - 1]
