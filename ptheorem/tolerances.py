"""Every threshold that turns a float into a yes/no, with the reason for its value.

``audit``, the curl-free certificate (:mod:`ptheorem.audit.certificate`, also used by
``check`` and ``search``) and the witness search read their thresholds here, so
one net gets one answer everywhere.  A threshold only ever produces *numeric
evidence*: proofs (exact facts about the stored float64 weights, interval
enclosures) never compare against a tolerance.

Curl-free bands (√NAsym over a seeded sample, exact chain-rule Jacobians)
------------------------------------------------------------------------
* An exactly symmetric net (parallel family, tied L = 2 net, block witnesses)
  gives √NAsym at the rounding level of J, 0 to a few 1e-16: J(x)_ij and J(x)_ji
  are the same sums of products, rounded in a different order.
* Tilting one input row of a parallel net by an angle δ gives √NAsym ≈ δ·O(1),
  so non-gradients come arbitrarily close and no float threshold separates them
  from gradients.  Hence three bands: **curl-free** when √NAsym ≤
  :data:`CURL_FREE_ROOT`·s, **not curl-free** when √NAsym ≥
  :data:`NOT_CURL_FREE_ROOT`·s, **between** otherwise, with s =
  :func:`size_factor` ≥ 1 for round-off growth: an entry of J sums products
  along all paths, inner products of length n with random signs round like
  √n·ε (ε = 2.2e-16) and L layers chain L such roundings, so the rounding level
  grows like √(L·n).  s = √(L·n_max/16), floored at 1, keeps 1e-12 / 1e-9 for
  small nets and gives s ≈ 10 for L = 6, n = 256; the bands stay three decades
  apart.  Measured: the parallel family at L = 6, d = 64, widths 256 gives 2.4e-15.
* The bands are evidence only.  "curl-free" below the lower band means "at the
  resolution of float64"; a near miss at 1e-14 sits there too, so a numeric
  "curl-free" never makes a counterexample on its own (the audit then asks for
  an exact proof, or an interval certificate refutes it).

Parallel lines
--------------
Two weight vectors are parallel within tolerance when the angle θ between their
lines has sin θ ≤ :data:`PARALLEL_SIN` = :data:`CURL_FREE_ROOT`.  Angles are
scale-free and computed from rows first scaled by their largest entry (a power
of two, exact), so they are accurate to ~1e-16 for norms anywhere in float64's
range; rows parallel in exact arithmetic and rounded to float64 sit at ≤ ~1e-15.
Consistency with the curl-free bands: a pair (n, m) enters J as the rank-one
term cₙ rₘᵀ times a path factor; tilting rₘ off cₙ's line by θ adds an
antisymmetric part of size ≤ √2·sin θ times that term.  Without cancellation
between terms, "parallel within tolerance" therefore keeps √NAsym at or below
the curl-free band, so such a net cannot also be "not curl-free".  It can only
happen when large terms cancel in J (weights like 1e9 and −1e9); then the tilt
is real, the exact geometry says "not exactly parallel", the interval
certificate proves "not curl-free", and the audit reports it as a finding.
Verdicts that could refute a claim never use this tolerance: they use the exact
geometry of the stored weights (:mod:`ptheorem.validated.dyadic`).

Zero weights
------------
A weight is zero when it is exactly 0.0 (:func:`is_zero`); pruned or masked
weights are stored as exact zeros, and a tiny nonzero weight still carries its
paths (the theorem's argument divides by it).  Exact zeros are exact facts.

Rank and null-space cut-offs
----------------------------
* Path-function rank (:data:`PATH_RANK_FACTOR`): a singular value counts when
  s > max(N, P)·ε·10·s_max, numpy's ``matrix_rank`` rule with a factor 10 for
  the products of up to L − 1 rounded factors in each entry; measured margins
  are in :mod:`ptheorem.numeric.paths`.  A numeric rank is evidence; independence
  is proved by an interval determinant (:mod:`ptheorem.validated.independence`).
* Null space of the read-out map (:data:`DEFAULT_NULLSPACE_RTOL` = 1e-10, used by
  ``check``): true null directions appear at ≤ 2e-15·s_max, genuine constraints
  at ≥ 3e-8·s_max over 1500 random small nets (see :mod:`ptheorem.numeric.nullspace`).

Matrix-free estimates (large nets)
----------------------------------
Past a cost budget the audit estimates ‖J − Jᵀ‖²_F and ‖J‖²_F with
:data:`DEFAULT_PROBES` Rademacher probes per point (J·v forward, Jᵀ·v reverse,
:mod:`ptheorem.audit.probes`) and reports a confidence interval: the pooled ratio
± :data:`PROBE_Z` standard errors (delta method, within-point variance), i.e.
≈95 % (:data:`PROBE_CONFIDENCE`).  The bands then apply to the interval, not the
point estimate: "curl-free" needs its upper end at or below the curl-free band,
"not curl-free" its lower end at or above the not-curl-free band.  Random dense
nets sit near √NAsym ≈ 1 with relative half-widths of a few per cent at 512
points × 2 probes, far from either band; an exactly symmetric J gives only
round-off, 1e-16, at every probe.

Sample activity
---------------
A live unit is *off* at a point when σ′ evaluates to exactly 0.0 in float64:
ReLU below its kink, or a saturated smooth σ (tanh′ = 1 − tanh² rounds to 0
once |z| > 19).  A sample on which some live unit is off at every point cannot
see that unit's paths; a sample where J is 0.0 at more than
:data:`SATURATED_FRACTION` of the points is *saturated*.  Either moves the
sample onto the active slabs of the first-layer units (:mod:`ptheorem.audit.sampling`).
"""

from __future__ import annotations

import math
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported where it is used: ``check`` reads BUDGET_GRACE without it
    import numpy as np

#: √NAsym at or below this (× :func:`size_factor`) is curl-free at float64 resolution.
CURL_FREE_ROOT = 1e-12
#: √NAsym at or above this (× :func:`size_factor`) is not curl-free (numeric evidence).
NOT_CURL_FREE_ROOT = 1e-9
#: L·n_max up to which :func:`size_factor` is 1.
SIZE_FACTOR_UNIT = 16
#: Sine of the largest angle between two lines still counted as parallel (numeric).
PARALLEL_SIN = CURL_FREE_ROOT
#: Fraction of sample points with J = 0.0 above which the sample counts as saturated.
SATURATED_FRACTION = 0.5
#: Default number of sampled points of the curl-free test.
DEFAULT_POINTS = 512
#: Default number of live backward paths examined by the path-rank test.
DEFAULT_MAX_PATHS = 256
#: Rademacher probes per sample point of the matrix-free estimate (≥ 2: the interval uses
#: the within-point variance).
DEFAULT_PROBES = 2
#: Confidence of the matrix-free estimate's interval …
PROBE_CONFIDENCE = 0.95
#: … and its two-sided normal quantile.
PROBE_Z = 1.959963984540054


# --- the numeric engine and ``check --method numeric`` --------------------------------

#: A random dense net must have √NAsym above this, or the constraints were vacuous: random
#: dense nets measure √NAsym of order 0.1–1 (:mod:`ptheorem.numeric.check`).
NONVACUOUS_ROOT = 1e-6
#: The solution family must have √NAsym at most this: exactly symmetric J measures a few
#: ulps of round-off, 1e-16 (:mod:`ptheorem.numeric.check`).
FAMILY_ROOT = 1e-12
#: Relative singular-value cut of the read-out null space: null directions sit at ~1e-16
#: relative, true directions at ≥ 1e-6 on the sampled points (:mod:`ptheorem.numeric.nullspace`).
DEFAULT_NULLSPACE_RTOL = 1e-10
#: Safety factor on numpy's max(N, P)·ε rank tolerance for the path functions
#: (:mod:`ptheorem.numeric.paths`).
PATH_RANK_FACTOR = 10.0

# --- certificates ----------------------------------------------------------------------

#: Relative distance under which a float and a small rational count as neighbours, for the
#: separately labelled nearby-rational analysis only (:mod:`ptheorem.audit.certificate`).
RATIONAL_RTOL = 1e-12

# --- validated numerics ----------------------------------------------------------------

#: A float row whose residual norm falls below this (relative) ends the choice of points
#: for the interval determinant: the next pivot would be round-off
#: (:mod:`ptheorem.validated.independence`).
PIVOT_FLOOR = 1e-13

# --- counterexample searches (``check`` with a named σ, ``search``, ``soft``) ------------

#: √NAsym on fresh points at or below this is round-off: a candidate curl-free net, the
#: curl-free band of the audit (:mod:`ptheorem.counterexamples.soft`).
ROUND_OFF = CURL_FREE_ROOT
#: √NAsym at or below this is left out of the scaling fit: it is round-off, not the power
#: law (:mod:`ptheorem.counterexamples.soft`).
FIT_FLOOR = 1e-10
#: Relative decrease of ‖r‖² below which a Levenberg–Marquardt iteration counts as stalled
#: (:mod:`ptheorem.counterexamples.search.optimize`).
STALL_RTOL = 1e-9
#: √NAsym on the search sample at or below which a point goes to the certificate: three
#: decades above the curl-free band, so polishing can take it to round-off
#: (:mod:`ptheorem.counterexamples.search.core`).
CANDIDATE_ROOT = 1e-9
#: Best √NAsym on fresh points above which "no witness" is reported; between this and the
#: candidate bound the search says inconclusive (:mod:`ptheorem.counterexamples.search.core`).
NONE_ROOT = 1e-6
#: Relative rounding allowed when a measured angle is compared with the angle bound
#: (:mod:`ptheorem.counterexamples.search.core`).
ANGLE_RTOL = 1e-12
#: A witness weight at most this times its layer's largest counts as zero when the search
#: says which paths it cuts (:mod:`ptheorem.counterexamples.search.notes`).
ZERO_RTOL = 1e-12
#: Eigenvalues (NAsym values, in [0, 4]) of the read-out problem below this span its null
#: space when the snap rebuilds a rational read-out (:mod:`ptheorem.counterexamples.search.snap`).
NULL_TOL = 1e-12
#: A snapped net must have √NAsym at most this on the search sample before its exact
#: certificate is tried (:mod:`ptheorem.counterexamples.search.snap`).
SNAP_ROOT = 1e-13
#: Eigenvalues of the read-out Gram matrix below this fraction of the largest are zero
#: (:mod:`ptheorem.counterexamples.search.lastlayer`).
RANGE_RTOL = 1e-11
#: A null-space candidate must keep √NAsym at most this on fresh points to go on to its
#: certificate (:mod:`ptheorem.counterexamples.nullspace`).
FRESH_ROOT = 1e-10

# --- golden-file comparison ------------------------------------------------------------

#: Numbers in a golden file equal the new ones within this relative …
REL_TOL = 1e-6
#: … or absolute distance: a recomputed numeric figure may differ in its last digits across
#: machines and BLAS builds, a derivation change moves it by far more (:mod:`ptheorem.run.golden`).
ABS_TOL = 1e-9

# --- resource limits (no crash, no hang: issue 11) -------------------------------------
#
# Sizes are checked against these before anything is allocated or parsed, so a small
# hostile file (a zip bomb, a declared 200000 × 200000 array, a 100000-deep JSON, an
# expression such as (a+b)**99999) is a one-line input error, not a hang or an abort.

#: Entries of one array in a network or mask file (2²⁴: a 4096 × 4096 float64 layer,
#: 128 MiB): the largest layer the audit's interval certificate can still convert to
#: ball matrices on a machine with a few GiB (:mod:`ptheorem.io.netfile`).
MAX_ARRAY_ENTRIES = 1 << 24
#: Entries of all arrays of one network or mask file together (2²⁶, 512 MiB as float64).
MAX_FILE_ENTRIES = 1 << 26
#: Bytes of a JSON network or mask file: JSON numbers take ~20 bytes, so 64 MiB holds
#: about 3 M weights, and Python's parser needs ~10× the text in memory; larger
#: networks belong in ``.npz`` (:mod:`ptheorem.io.netfile`).
MAX_JSON_BYTES = 64 << 20
#: Bytes of a golden file: the largest configuration inside the symbolic limits
#: (3000 equations) writes ~2 MiB (:mod:`ptheorem.run.golden`).
MAX_GOLDEN_BYTES = 64 << 20
#: Characters of one expression string in a golden file that is parsed with sympy; a
#: reduced constraint or an entry of S is a few hundred characters.
MAX_EXPRESSION_CHARS = 10_000
#: Largest integer exponent accepted in such an expression: ptheorem writes degrees up to
#: the depth (≤ 16 symbolically); (a+b)**99999 would expand for ever.
MAX_EXPONENT = 64
#: Nesting of parentheses accepted in such an expression (Python's parser recurses).
MAX_EXPRESSION_NESTING = 64
#: Upper bound on the terms an expression may expand to (counted on its tree before
#: expanding: a sum adds, a product multiplies, a power raises); ptheorem's constraints
#: expand to a few hundred terms at most.
MAX_EXPANDED_TERMS = 100_000
#: Bytes of one line of a sweep row file (a row is ~300 bytes; error texts are cut to
#: :data:`MAX_ROW_ERROR_CHARS`), so ``--resume`` reads line by line in bounded memory.
MAX_ROW_BYTES = 64 << 10
#: Characters of an error message stored in a row.
MAX_ROW_ERROR_CHARS = 2000
#: Worker processes per CPU a sweep may start (``--jobs``, at least 16 in all): each is a
#: fork of a process with sympy loaded; thousands would only exhaust memory.
MAX_JOBS_PER_CPU = 4
#: Seconds past ``--timeout`` a command may take to stop, clean up and report: budgets are
#: enforced by polling every 0.05 s and killing the worker (:mod:`ptheorem.budget`).
BUDGET_GRACE = 1.0

__all__ = [
    "ABS_TOL",
    "BUDGET_GRACE",
    "MAX_ARRAY_ENTRIES",
    "MAX_EXPANDED_TERMS",
    "MAX_EXPONENT",
    "MAX_EXPRESSION_CHARS",
    "MAX_EXPRESSION_NESTING",
    "MAX_FILE_ENTRIES",
    "MAX_GOLDEN_BYTES",
    "MAX_JOBS_PER_CPU",
    "MAX_JSON_BYTES",
    "MAX_ROW_BYTES",
    "MAX_ROW_ERROR_CHARS",
    "ANGLE_RTOL",
    "CANDIDATE_ROOT",
    "DEFAULT_NULLSPACE_RTOL",
    "FAMILY_ROOT",
    "FIT_FLOOR",
    "FRESH_ROOT",
    "NONE_ROOT",
    "NONVACUOUS_ROOT",
    "NULL_TOL",
    "PATH_RANK_FACTOR",
    "PIVOT_FLOOR",
    "RANGE_RTOL",
    "RATIONAL_RTOL",
    "REL_TOL",
    "ROUND_OFF",
    "SNAP_ROOT",
    "STALL_RTOL",
    "ZERO_RTOL",
    "CURL_FREE_ROOT",
    "DEFAULT_MAX_PATHS",
    "DEFAULT_POINTS",
    "NOT_CURL_FREE_ROOT",
    "PARALLEL_SIN",
    "PATH_RANK_FACTOR",
    "DEFAULT_PROBES",
    "PROBE_CONFIDENCE",
    "PROBE_Z",
    "SATURATED_FRACTION",
    "SIZE_FACTOR_UNIT",
    "curl_bands",
    "is_zero",
    "parallel_angle_deg",
    "path_rank_rtol",
    "size_factor",
]


def size_factor(depth: int, sizes: tuple[int, ...]) -> float:
    """The factor s = max(1, √(L·n_max/16)) on both curl-free bands.

    >>> size_factor(3, (2, 4, 4, 2)), round(size_factor(6, (64, 256, 256, 64)), 2)
    (1.0, 9.8)
    """
    return max(1.0, math.sqrt(depth * max(sizes) / SIZE_FACTOR_UNIT))


def curl_bands(depth: int, sizes: tuple[int, ...]) -> tuple[float, float]:
    """(curl-free bound, not-curl-free bound) on √NAsym for a net of this shape.

    >>> curl_bands(3, (2, 2, 2, 2))
    (1e-12, 1e-09)
    """
    factor = size_factor(depth, sizes)
    return CURL_FREE_ROOT * factor, NOT_CURL_FREE_ROOT * factor


def is_zero(weights: np.ndarray) -> np.ndarray:
    """Elementwise: is the stored weight exactly 0.0 (the only zero the audit knows)?

    >>> import numpy as np
    >>> is_zero(np.array([0.0, -0.0, 5e-324])).tolist()
    [True, True, False]
    """
    import numpy as np

    return np.asarray(weights) == 0.0


def path_rank_rtol(points: int, paths: int) -> float:
    """Relative singular-value cut of the path rank: max(N, P)·ε·:data:`PATH_RANK_FACTOR`."""
    return max(points, paths) * sys.float_info.epsilon * PATH_RANK_FACTOR


def parallel_angle_deg() -> float:
    """:data:`PARALLEL_SIN` as an angle in degrees (≈ 5.7e-11°)."""
    return math.degrees(math.asin(PARALLEL_SIN))
