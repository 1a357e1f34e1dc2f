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

from ptheorem.model.status import Status


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
class CurlCertificate:
    """A proof about J − Jᵀ for the stored weights.

    ``kind`` is ``"exact"`` (exact arithmetic on the stored float64 weights:
    ``method`` one of "symmetric W0", "constant J", "no live path", "parallel
    pairs", "slope polynomial", "sympy") or ``"validated"`` (an interval
    enclosure, ``method`` "interval", with ``point``, 1-based ``entry`` (i, j),
    the float ``interval`` enclosing J_ij − J_ji, arb's ``ball`` text and the
    ``precision`` in bits).  ``holds`` says whether it proves J − Jᵀ ≡ 0 (True)
    or J − Jᵀ ≢ 0 (False).
    """

    kind: str
    holds: bool
    method: str
    detail: str
    point: tuple[float, ...] | None = None
    entry: tuple[int, int] | None = None
    interval: tuple[float, float] | None = None
    ball: str | None = None
    precision: int | None = None


@dataclass(frozen=True)
class CurlFreeFinding:
    """Whether ψ is curl-free and what that rests on.

    ``value`` is True / False / None (inconclusive); ``evidence`` is ``"exact"``
    or ``"validated"`` when ``certificate`` decides it, else ``"numeric"``
    (√NAsym on ``points`` seeded points against the two bands; ``numeric_status``
    is that band's answer, kept even when a certificate decides).  ``relocated``
    points were placed on active slabs; ``off_units`` are (hidden layer, 1-based
    units) of live units with σ′ = 0.0 at every point; ``disagreement`` names
    evidence that contradicts itself (then ``status`` is inconclusive).
    ``estimator`` names how √NAsym was measured: "exact Jacobians", or the
    matrix-free random probes (``probes`` per point) with ``interval``, the ≈95 %
    confidence interval on √NAsym (numeric evidence, like the figure itself).
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
    numeric_status: CurlStatus = CurlStatus.INCONCLUSIVE
    certificate: CurlCertificate | None = None
    relocated: int = 0
    zero_points: int = 0
    nonfinite_points: int = 0
    off_units: tuple[tuple[int, tuple[int, ...]], ...] = ()
    disagreement: str | None = None
    attempts: tuple[str, ...] = ()
    estimator: str = "exact Jacobians"
    probes: int = 0
    interval: tuple[float, float] | None = None


@dataclass(frozen=True)
class Degeneracy:
    """Whether ψ is trivial (constant, from exact zeros of the weights), with every reason found."""

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
    exact_parallel: bool = False


@dataclass(frozen=True)
class InputWeightsFinding:
    """Input rows of the live first-layer units: parallel?, largest angle, components.

    ``parallel``/``directions`` apply the numeric tolerance to the angles;
    ``exact_parallel``/``exact_directions`` are exact facts about the stored
    rows (:mod:`ptheorem.validated.dyadic`).  ``live_units`` and ``zero_rows`` are 1-based
    first-layer units (rows of W₀).
    """

    parallel: bool
    max_angle_deg: float
    directions: int
    live_units: tuple[int, ...]
    zero_rows: tuple[int, ...]
    components: tuple[ComponentFinding, ...]
    exact_parallel: bool = False
    exact_directions: int = 0


@dataclass(frozen=True)
class OutputPairsFinding:
    """Angles between output columns n of W_{L−1} and the input rows m of W₀ they reach.

    ``worst_pair`` is the 1-based (n, m) with the largest angle, None with no
    pair; ``all_parallel`` applies the tolerance, ``exact_all_parallel`` is
    exact (``exact_bad_pairs`` connected pairs are not exactly parallel).
    """

    pairs: int
    max_angle_deg: float
    all_parallel: bool
    worst_pair: tuple[int, int] | None
    exact_all_parallel: bool = False
    exact_bad_pairs: int = 0


@dataclass(frozen=True)
class PathFunctionsFinding:
    """Are the live path functions linearly independent, and what does the answer rest on?

    ``rank`` of ``paths`` examined functions (float64 SVD, relative cut
    ``tolerance``, ``points`` sample points), out of ``live_paths``; ``sampled``
    when a subset was examined.  ``basis`` is ``"exact"`` when the dependence
    scan proved a dependence (``dependences``, texts), ``"validated"`` when an
    interval determinant proved independence (``certificate``), else
    ``"numeric"``.  ``suspects`` paths through related units were always
    included; ``duplicates`` paths that repeat another live path's function
    (identical σ′) were left out of the rank test.
    """

    rank: int
    paths: int
    live_paths: int
    total_paths: int
    sampled: bool
    sv_ratio: float | None
    tolerance: float
    points: int
    causes: tuple[str, ...]
    basis: str = "numeric"
    dependences: tuple[str, ...] = ()
    dependence_proved: bool = False
    suspects: int = 0
    duplicates: int = 0
    certificate: str | None = None
    not_validated: str | None = None

    @property
    def independent(self) -> bool:
        """Full rank on the examined live paths (vacuously true with none)."""
        return self.rank == self.paths


@dataclass(frozen=True)
class Hypothesis:
    """One hypothesis of the theorem's proof, checked on this net.

    ``evidence`` says what the answer rests on, with the values of
    :class:`ptheorem.model.status.Basis`: ``"exact"`` (exact facts about the stored
    weights, or the activation's kind), ``"validated"`` (interval arithmetic)
    or ``"numeric"`` (sampled points; the detail says when paths were sampled).
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

    ``status`` is proved (the statement holds here, on an exact or interval
    certificate), refuted (a counterexample: exact curl-free certificate on the
    stored weights and exact geometry), supported (it holds on numeric evidence
    only) or inconclusive.  ``corrected_theorem_holds`` is False only when the
    contradiction is proved (exact curl-free certificate, proved independence,
    exact geometry); evidence that disagrees gives None.
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
