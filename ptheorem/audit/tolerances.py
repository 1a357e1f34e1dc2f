"""Every threshold ``audit`` uses, with the reason for its value.

Curl-free test (√NAsym over a seeded N(0, I) sample, exact Jacobians)
--------------------------------------------------------------------
* An exactly symmetric net (parallel family, tied L = 2 net, block witnesses)
  gives √NAsym at the rounding level of J, 0 to a few 1e-16: J(x)_ij and J(x)_ji
  are the same sums of products, rounded in a different order.
* Nets that are *not* gradients can come arbitrarily close: tilting one input
  row of a parallel net by an angle δ gives √NAsym ≈ δ·O(1), so near-misses at
  1e-6, 1e-8 … are easy to build.  A threshold well above rounding would call
  them curl-free.
* Hence: **curl-free** when √NAsym ≤ :data:`CURL_FREE_ROOT` · s, **not
  curl-free** when √NAsym ≥ :data:`NOT_CURL_FREE_ROOT` · s, **inconclusive** in
  between, where s = :func:`size_factor` ≥ 1 widens both for large nets:
  every J entry sums products along all paths and inner products of length n
  with random signs round like √n·ε (ε = 2.2e-16), and L layers chain L such
  roundings, so the rounding level grows like √(L·n).  s = √(L·n_max/16),
  floored at 1, keeps the plain 1e-12 / 1e-9 for small nets (L·n_max ≤ 16) and
  gives s ≈ 10 for L = 6, n = 256; the band always spans three decades.
  Measured: the parallel family at L = 6, d = 64, widths 256 (swish) gives 2.4e-15.
* float32 weights (e.g. exported from torch) that are parallel only up to
  float32 rounding (≈ 6e-8) land in the inconclusive or the not-curl-free band:
  float32 cannot represent them closer, and the audit says so instead of
  guessing.

Zero weights
------------
A weight is *zero* when it is exactly 0.0.  Pruned or masked weights are stored
as exact zeros; a tiny nonzero weight still carries its paths (the theorem's
argument divides by it).

Parallel lines
--------------
Two weight vectors are parallel when the angle between their lines (sign
ignored) has sine ≤ :data:`PARALLEL_SIN`.  Rows that are parallel in exact
arithmetic and stored in float64 sit at ~1e-16; rows differing by a feature
sit at O(1).  1e-8 is the square root of ε: the angle computed from
2·asin(‖a ∓ b‖/2) is accurate to ~1e-16 absolute, so any value above 1e-8 is a
real tilt, and a tilt of 1e-8 already makes √NAsym ≈ 1e-8, above the
not-curl-free threshold, so a curl-free net cannot hide a larger tilt.
"""

from __future__ import annotations

import math

#: √NAsym at or below this (× :func:`size_factor`) is curl-free.
CURL_FREE_ROOT = 1e-12
#: √NAsym at or above this (× :func:`size_factor`) is not curl-free.
NOT_CURL_FREE_ROOT = 1e-9
#: L·n_max up to which :func:`size_factor` is 1.
SIZE_FACTOR_UNIT = 16
#: Sine of the largest angle between two lines still counted as parallel.
PARALLEL_SIN = 1e-8
#: Default number of sampled points of the curl-free test.
DEFAULT_POINTS = 512
#: Default number of live backward paths examined by the path-rank test.
DEFAULT_MAX_PATHS = 256


def size_factor(depth: int, sizes: tuple[int, ...]) -> float:
    """The factor s = max(1, √(L·n_max/16)) on both curl-free thresholds.

    >>> size_factor(3, (2, 4, 4, 2)), round(size_factor(6, (64, 256, 256, 64)), 2)
    (1.0, 9.8)
    """
    return max(1.0, math.sqrt(depth * max(sizes) / SIZE_FACTOR_UNIT))


def parallel_angle_deg() -> float:
    """:data:`PARALLEL_SIN` as an angle in degrees (≈ 5.7e-7°)."""
    return math.degrees(math.asin(PARALLEL_SIN))
