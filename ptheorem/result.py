"""Frozen result types shared by every method: assumptions, verdicts, checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ptheorem.spec import NetworkSpec


class Status(StrEnum):
    """The verdict on the paper's claim for one configuration."""

    CONFIRMED = "confirmed"
    REFUTED = "refuted"
    INCONCLUSIVE = "inconclusive"


class Evidence(StrEnum):
    """What a verdict rests on."""

    SYMBOLIC_PROOF = "symbolic proof"
    EXACT_CERTIFICATE = "exact certificate"
    NUMERIC = "numeric evidence"


@dataclass(frozen=True)
class Assumption:
    """A hypothesis a conclusion needs; ``step`` says where it is used."""

    id: str
    name: str
    text: str
    step: str


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
class Verdict:
    """The answer for one configuration and what it rests on."""

    claim: str
    status: Status
    input_weights_forced_parallel: bool | None
    method: str
    evidence: Evidence
    summary: str
    assumptions: tuple[str, ...]


@dataclass(frozen=True)
class CheckResult:
    """Everything ``check`` found: spec, derivation, S, rank, sufficiency, verdict.

    ``details`` holds the method's own frozen objects (e.g. the symbolic
    derivation); ``timings`` are seconds per step.
    """

    spec: NetworkSpec
    assumptions: tuple[Assumption, ...]
    verdict: Verdict
    details: Any
    timings: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    #: The ``--mask`` source, when middle weights were fixed to zero.
    mask: str | None = None
    #: A counterexample network with its certificate (a :class:`Witness`), if one was found.
    witness: Any = None


@dataclass(frozen=True)
class Witness:
    """A concrete network that refutes the literal claim, with its certificate."""

    network: Any
    certificate: Any
    explanation: str
