"""The frozen result of ``audit``: what was measured, each hypothesis, and the verdict.

Unit indices are 1-based, as in the paper and ``ptheorem check``: first-layer
unit ``m`` is row ``m − 1`` of the W₀ array, last-hidden unit ``n`` is column
``n − 1`` of W_{L−1} (the torch ``Linear.weight`` layout).  Weight layers keep
their array names W0 … W{L−1}.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from ptheorem.status import Status


def one_based(units: Iterable[int]) -> tuple[int, ...]:
    """0-based numpy indices as the 1-based unit numbers a report shows.

    >>> one_based([0, 2])
    (1, 3)
    """
    return tuple(int(u) + 1 for u in units)


class CurlStatus(StrEnum):
    """Is J(x) symmetric everywhere?"""

    CURL_FREE = "curl-free"
    NOT_CURL_FREE = "not curl-free"
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
    """A component of the first-layer ↔ last-hidden graph and its input directions.

    ``first`` / ``last`` are 1-based first-layer / last-hidden units.
    """

    first: tuple[int, ...]
    last: tuple[int, ...]
    parallel: bool
    max_angle_deg: float


@dataclass(frozen=True)
class InputWeightsFinding:
    """Input rows of the live first-layer units: parallel?, largest angle, components.

    ``live_units`` and ``zero_rows`` are 1-based first-layer units (rows of W₀).
    """

    parallel: bool
    max_angle_deg: float
    directions: int
    live_units: tuple[int, ...]
    zero_rows: tuple[int, ...]
    components: tuple[ComponentFinding, ...]


@dataclass(frozen=True)
class OutputPairsFinding:
    """Angles between output columns n of W_{L−1} and the input rows m of W₀ they reach.

    ``worst_pair`` is the 1-based (n, m) with the largest angle, None with no pair.
    """

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
    """The verdict on the literal statement for this net, and on the corrected theorem.

    ``status`` is proved (the statement holds here, on an exact certificate),
    refuted (a counterexample with an exact certificate), supported (it holds on
    numeric evidence only) or inconclusive.
    """

    status: Status
    claim: str
    explanation: str
    failed_hypotheses: tuple[str, ...]
    corrected_theorem_holds: bool | None
    corrected_detail: str


@dataclass(frozen=True)
class AuditReport:
    """Everything ``audit`` found about one network.

    Every unit index it holds, in fields and in text alike (``live_units``,
    ``zero_rows``, component ``first``/``last``, ``worst_pair``, hypothesis
    details, causes, the verdict), is 1-based as in the paper: unit m of a
    layer is row (or column) m − 1 of the numpy array.  The audit computes with
    0-based numpy indices and shifts them once, when it builds this report, so
    the rendered text and the JSON agree with ``check`` and ``explain``.  Hidden
    layers are numbered from 1 too; weight arrays keep their file names W0 … W{L−1}.
    """

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
