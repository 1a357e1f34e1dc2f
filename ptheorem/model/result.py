"""Frozen result types shared by every method: assumptions, verdicts, checks.

The status vocabulary itself (proved / refuted / supported / inconclusive) lives in
:mod:`ptheorem.model.status`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ptheorem.model.spec import NetworkSpec
from ptheorem.model.status import Basis, Evidence, Status


@dataclass(frozen=True)
class Assumption:
    """A hypothesis a conclusion needs; ``step`` says where it is used."""

    id: str
    name: str
    text: str
    step: str

    @property
    def title(self) -> str:
        """The hypothesis in words, for human text (``name`` is for JSON)."""
        from ptheorem.model.words import hypothesis_words

        return hypothesis_words(self.name)


#: The hypotheses of the paper's argument, by id.
INDEPENDENCE = Assumption(
    "A1",
    "path-functions-independent",
    "the path functions (products of σ′ along each backward path) are linearly "
    "independent, so ∂ⱼψᵢ = ∂ᵢψⱼ for all x forces the constraints path by path",
    "indexwise step (freezing σ′)",
)
MIDDLE_NONZERO = Assumption(
    "A2",
    "middle-weights-nonzero",
    "for every last/first hidden pair (n, m), the middle weights on some backward "
    "path n → m are nonzero, so the middle product can be divided out (Eq. 5 → 6)",
    "cancelling the middle product",
)
INPUT_NONZERO = Assumption(
    "A3",
    "input-rows-nonzero",
    "each input weight row θ⁽⁰⁾ₘ is nonzero (a zero row is parallel to anything "
    "and leaves its constraints empty)",
    "solving for S",
)


@dataclass(frozen=True)
class HypothesisUse:
    """One hypothesis of a verdict: whether it holds here, and how that was established.

    A hypothesis that holds (proved, checked, supported or assumed) is *used* by
    the verdict; one that fails is named as failing and never listed as used.
    """

    assumption: Assumption
    holds: bool
    basis: Basis
    detail: str

    @property
    def id(self) -> str:
        """The assumption's id (A1, A2, A3)."""
        return self.assumption.id


@dataclass(frozen=True)
class Verdict:
    """The answer for one configuration and what it rests on."""

    claim: str
    status: Status
    input_weights_forced_parallel: bool | None
    method: str
    evidence: Evidence
    summary: str
    hypotheses: tuple[HypothesisUse, ...] = ()

    @property
    def assumptions(self) -> tuple[str, ...]:
        """Ids of the hypotheses the verdict uses (those that hold)."""
        return tuple(h.id for h in self.hypotheses if h.holds)

    @property
    def failing(self) -> tuple[str, ...]:
        """Ids of the hypotheses that fail here."""
        return tuple(h.id for h in self.hypotheses if not h.holds)


def assumed(*assumptions: Assumption, detail: str = "") -> tuple[HypothesisUse, ...]:
    """Each assumption as a hypothesis taken for granted (not checked)."""
    return tuple(HypothesisUse(a, True, Basis.ASSUMED, detail) for a in assumptions)


@dataclass(frozen=True)
class CheckResult:
    """Everything ``check`` found: spec, derivation, S, rank, sufficiency, verdict.

    ``details`` holds the method's own frozen objects (e.g. the symbolic
    derivation); ``timings`` are seconds per step.
    """

    spec: NetworkSpec
    verdict: Verdict
    details: Any
    timings: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    #: The ``--mask`` source, when middle weights were fixed to zero.
    mask: str | None = None
    #: A counterexample network with its certificate (a :class:`Witness`), if one was found.
    witness: Any = None

    @property
    def assumptions(self) -> tuple[Assumption, ...]:
        """The hypotheses the verdict uses (those that hold)."""
        return tuple(h.assumption for h in self.verdict.hypotheses if h.holds)


@dataclass(frozen=True)
class Witness:
    """A concrete network that refutes the literal claim, with its certificate."""

    network: Any
    certificate: Any
    explanation: str
