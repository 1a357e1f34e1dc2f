"""The frozen result of ``audit``: what was measured, each hypothesis, and the verdict.

Unit indices are 0-based: first-layer unit ``m`` is row ``m`` of W₀, last-hidden
unit ``n`` is column ``n`` of W_{L−1} (the torch ``Linear.weight`` layout).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class CurlStatus(StrEnum):
    """Is J(x) symmetric everywhere?"""

    CURL_FREE = "curl-free"
    NOT_CURL_FREE = "not curl-free"
    INCONCLUSIVE = "inconclusive"


class AuditStatus(StrEnum):
    """The verdict on the paper's literal statement for one network."""

    #: The statement holds for this net (not curl-free, curl-free as claimed, or trivial).
    CONSISTENT = "consistent"
    #: Curl-free and non-trivial, yet not as the statement claims.
    COUNTEREXAMPLE = "counterexample"
    #: √NAsym sits between the tolerances.
    INCONCLUSIVE = "inconclusive"


@dataclass(frozen=True)
class NetworkSummary:
    """Shape and activation of the audited net."""

    depth: int
    dim: int
    widths: tuple[int, ...]
    activation: str
    activation_label: str
    activation_kind: str
    bias: bool


@dataclass(frozen=True)
class CurlFreeFinding:
    """Whether ψ is curl-free and what that rests on.

    ``value`` is True / False / None (inconclusive); ``evidence`` is ``"exact"``
    (sympy certificate on rationalised weights) or ``"numeric"`` (√NAsym on
    ``points`` seeded N(0, I) points against the two thresholds).
    """

    status: CurlStatus
    value: bool | None
    nasym: float
    root: float
    max_pointwise: float
    curl_free_root: float
    not_curl_free_root: float
    size_factor: float
    evidence: str
    detail: str
    points: int
    seed: int


@dataclass(frozen=True)
class Degeneracy:
    """Whether ψ is trivial (constant, or J ≡ 0 on the sample), with every reason found."""

    value: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ComponentFinding:
    """A component of the first-layer ↔ last-hidden graph and its input directions."""

    first: tuple[int, ...]
    last: tuple[int, ...]
    parallel: bool
    max_angle_deg: float


@dataclass(frozen=True)
class InputWeightsFinding:
    """Input rows of the live first-layer units: parallel?, largest angle, components."""

    parallel: bool
    max_angle_deg: float
    directions: int
    live_units: tuple[int, ...]
    zero_rows: tuple[int, ...]
    components: tuple[ComponentFinding, ...]


@dataclass(frozen=True)
class OutputPairsFinding:
    """Angles between output columns W_{L−1}[:, n] and the input rows W₀[m] they reach."""

    pairs: int
    max_angle_deg: float
    all_parallel: bool
    worst_pair: tuple[int, int] | None


@dataclass(frozen=True)
class PathFunctionsFinding:
    """Numerical rank of the live path functions (numeric, float64 SVD)."""

    rank: int
    paths: int
    live_paths: int
    total_paths: int
    sampled: bool
    sv_ratio: float | None
    tolerance: float
    points: int
    causes: tuple[str, ...]

    @property
    def independent(self) -> bool:
        """Full rank on the examined live paths (vacuously true with none)."""
        return self.rank == self.paths


@dataclass(frozen=True)
class Hypothesis:
    """One hypothesis of the theorem's proof, checked on this net.

    ``evidence`` says what the answer rests on: ``"exact"`` (exact zeros of the
    weights, or the activation's kind) or ``"numeric"`` (sampled points).
    """

    id: str
    name: str
    paper: str
    holds: bool
    detail: str
    evidence: str = "exact"


@dataclass(frozen=True)
class AuditVerdict:
    """The verdict on the literal statement and on the corrected theorem."""

    status: AuditStatus
    claim: str
    explanation: str
    failed_hypotheses: tuple[str, ...]
    corrected_theorem_holds: bool | None
    corrected_detail: str


@dataclass(frozen=True)
class AuditReport:
    """Everything ``audit`` found about one network."""

    network: NetworkSummary
    curl_free: CurlFreeFinding
    degenerate: Degeneracy
    input_weights: InputWeightsFinding
    output_pairs: OutputPairsFinding | None
    path_functions: PathFunctionsFinding | None
    hypotheses: tuple[Hypothesis, ...]
    verdict: AuditVerdict
    timings: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def hypothesis(self, hid: str) -> Hypothesis:
        """The hypothesis with id ``hid`` (``"H1"`` … ``"H5"``)."""
        for h in self.hypotheses:
            if h.id == hid:
                return h
        raise KeyError(hid)
