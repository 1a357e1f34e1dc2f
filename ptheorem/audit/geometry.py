"""Angles between lines: are weight vectors parallel (sign ignored)?

The angle between the lines through unit vectors a and b is
θ = 2·asin(min(‖a − b‖, ‖a + b‖)/2) ∈ [0°, 90°], accurate to ~1e-16 rad even
for nearly parallel vectors (``arccos(|a·b|)`` would lose half the digits).
Rows are first divided by a power of two near their largest entry (exact), so
norms neither underflow (rows of norm 1e-165) nor overflow (1e200): angles are
scale-free and so is their computation.

At real sizes (thousands of rows of length d) that pairwise formula costs
p·q·d element operations in Python-driven loops, so above
:data:`DIRECT_ELEMENTS` the angles come from the Gram matrix |A Bᵀ| (one BLAS
product): θ = arccos|a·b| is accurate to ~1e-8 relative wherever θ ≥
:data:`NEAR_RAD`, far from the parallel tolerance.  Pairs below it are
*rechecked precisely*: grouped around a representative row u, each row becomes
its deviation e = ±a − u (exact to ~ε), and ‖e_a − e_b‖ (from the small Gram
matrix of the deviations) is the chord between the two lines, so tiny angles
keep their digits (error ≲ ε·NEAR²/θ, 5 % at θ = 1e-12).

These angles are numeric: :func:`is_parallel` applies the tolerance of
:mod:`ptheorem.tolerances`.  The exact question "are these stored rows
parallel?" is answered by :mod:`ptheorem.validated.dyadic`.
"""

from __future__ import annotations

import math

import numpy as np

from ptheorem.tolerances import PARALLEL_SIN

#: Up to this many p·q·d elements the pairwise chord formula runs directly.
DIRECT_ELEMENTS = 1 << 23
#: Gram angles below this (radians) are rechecked precisely: arccos near 1 loses digits.
NEAR_RAD = 1e-5


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length, range-safe (rows must be nonzero).

    >>> unit_rows(np.array([[3e-165, 4e-165], [3e200, -4e200]])).round(12).tolist()
    [[0.6, 0.8], [0.6, -0.8]]
    """
    top = np.max(np.abs(vectors), axis=1, keepdims=True)
    _, exponent = np.frexp(top)
    scaled = np.ldexp(vectors, -exponent)
    return scaled / np.linalg.norm(scaled, axis=1, keepdims=True)


def line_angles(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Angles in radians between the lines of unit rows a (p, d) and b (q, d), shape (p, q).

    >>> e = np.eye(2)
    >>> np.degrees(line_angles(e, -e)).round(6).tolist()
    [[0.0, 90.0], [90.0, 0.0]]
    """
    if a.shape[0] * b.shape[0] * max(a.shape[1], 1) <= DIRECT_ELEMENTS:
        return _direct(a, b)
    return gram_angles(a, b)


def _direct(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.empty((a.shape[0], b.shape[0]))
    for r, row in enumerate(a):
        minus = np.linalg.norm(b - row, axis=1)
        plus = np.linalg.norm(b + row, axis=1)
        out[r] = _chord_angle(np.minimum(minus, plus))
    return out


def _chord_angle(chord: np.ndarray) -> np.ndarray:
    return np.asarray(2.0 * np.arcsin(np.minimum(chord / 2.0, 1.0)))


def gram_angles(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """:func:`line_angles` from the Gram matrix, near-parallel pairs rechecked precisely.

    >>> rng = np.random.default_rng(0)
    >>> u = unit_rows(rng.standard_normal((5, 4)))
    >>> bool(np.allclose(gram_angles(u, u), _direct(u, u), rtol=1e-8, atol=1e-12))
    True
    """
    out = np.arccos(np.minimum(np.abs(a @ b.T), 1.0))
    rows, cols = np.nonzero(out < NEAR_RAD)
    if rows.size:
        _recheck(a, b, out, rows, cols)
    return out


#: Near pairs up to this many are rechecked one by one (chord formula, chunked).
PAIRWISE_LIMIT = 1 << 18


def _recheck(
    a: np.ndarray, b: np.ndarray, out: np.ndarray, rows: np.ndarray, cols: np.ndarray
) -> None:
    """Precise angles for the near pairs (rows[k], cols[k]): pair by pair, or group by group."""
    if rows.size <= PAIRWISE_LIMIT:
        step = max(1, DIRECT_ELEMENTS // max(a.shape[1], 1))
        for s in range(0, rows.size, step):
            r, c = rows[s : s + step], cols[s : s + step]
            minus = np.linalg.norm(a[r] - b[c], axis=1)
            plus = np.linalg.norm(a[r] + b[c], axis=1)
            out[r, c] = _chord_angle(np.minimum(minus, plus))
        return
    pending = np.ones(rows.size, dtype=bool)
    while pending.any():  # a few large groups (a parallel family): one block each
        k = int(np.argmax(pending))
        u = a[rows[k]]
        rset, cset = np.unique(rows[pending]), np.unique(cols[pending])
        ea, in_a = _deviations(a[rset], u)
        eb, in_b = _deviations(b[cset], u)
        ea, eb = ea[in_a], eb[in_b]
        sq = np.einsum("ij,ij->i", ea, ea)[:, None] + np.einsum("ij,ij->i", eb, eb)[None, :]
        sq -= 2.0 * (ea @ eb.T)
        out[np.ix_(rset[in_a], cset[in_b])] = _chord_angle(np.sqrt(np.maximum(sq, 0.0)))
        row_in = np.zeros(a.shape[0], dtype=bool)
        col_in = np.zeros(b.shape[0], dtype=bool)
        row_in[rset[in_a]] = True
        col_in[cset[in_b]] = True
        resolved = pending & row_in[rows] & col_in[cols]
        if not resolved[k]:  # rounding left the pair itself outside: do it directly
            out[rows[k], cols[k]] = _direct(a[rows[k] : rows[k] + 1], b[cols[k] : cols[k] + 1])[
                0, 0
            ]
            resolved[k] = True
        pending &= ~resolved


def _deviations(rows: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(±row − u with the sign that brings it to u's line, whether it lies within 2·NEAR_RAD)."""
    sign = np.where(rows @ u < 0.0, -1.0, 1.0)
    dev = rows * sign[:, None] - u
    return dev, np.linalg.norm(dev, axis=1) <= 2.0 * NEAR_RAD


def max_pairwise_angle_deg(vectors: np.ndarray) -> float:
    """Largest angle (degrees) between the lines of any two of the nonzero rows (0 for < 2)."""
    if vectors.shape[0] < 2:
        return 0.0
    u = unit_rows(vectors)
    return float(np.degrees(line_angles(u, u).max()))


def is_parallel(angle_deg: float) -> bool:
    """Whether an angle between lines counts as parallel: sin θ ≤ :data:`PARALLEL_SIN`."""
    return math.sin(math.radians(angle_deg)) <= PARALLEL_SIN


def direction_count(vectors: np.ndarray, angles: np.ndarray | None = None) -> int:
    """Number of distinct lines among the rows, grouping rows within the parallel tolerance.

    ``angles`` (radians, :func:`line_angles` of the unit rows with themselves) may be
    passed when the caller has them.
    """
    if vectors.shape[0] == 0:
        return 0
    if angles is None:
        u = unit_rows(vectors)
        angles = line_angles(u, u)
    tol = math.asin(PARALLEL_SIN)
    seen = np.zeros(angles.shape[0], dtype=bool)
    count = 0
    for r in range(angles.shape[0]):
        if not seen[r]:
            count += 1
            seen |= angles[r] <= tol
    return count
