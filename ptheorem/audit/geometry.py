"""Angles between lines: are weight vectors parallel (sign ignored)?

The angle between the lines through unit vectors a and b is
θ = 2·asin(min(‖a − b‖, ‖a + b‖)/2) ∈ [0°, 90°], accurate to ~1e-16 rad even
for nearly parallel vectors (``arccos(|a·b|)`` would lose half the digits).
Rows are first divided by a power of two near their largest entry (exact), so
norms neither underflow (rows of norm 1e-165) nor overflow (1e200): angles are
scale-free and so is their computation.

These angles are numeric: :func:`is_parallel` applies the tolerance of
:mod:`ptheorem.tolerances`.  The exact question "are these stored rows
parallel?" is answered by :mod:`ptheorem.validated.dyadic`.
"""

from __future__ import annotations

import math

import numpy as np

from ptheorem.tolerances import PARALLEL_SIN


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
    out = np.empty((a.shape[0], b.shape[0]))
    for r, row in enumerate(a):
        minus = np.linalg.norm(b - row, axis=1)
        plus = np.linalg.norm(b + row, axis=1)
        out[r] = 2.0 * np.arcsin(np.minimum(np.minimum(minus, plus) / 2.0, 1.0))
    return out


def max_pairwise_angle_deg(vectors: np.ndarray) -> float:
    """Largest angle (degrees) between the lines of any two of the nonzero rows (0 for < 2)."""
    if vectors.shape[0] < 2:
        return 0.0
    u = unit_rows(vectors)
    return float(np.degrees(line_angles(u, u).max()))


def is_parallel(angle_deg: float) -> bool:
    """Whether an angle between lines counts as parallel: sin θ ≤ :data:`PARALLEL_SIN`."""
    return math.sin(math.radians(angle_deg)) <= PARALLEL_SIN


def direction_count(vectors: np.ndarray) -> int:
    """Number of distinct lines among the rows, grouping rows within the parallel tolerance."""
    if vectors.shape[0] == 0:
        return 0
    u = unit_rows(vectors)
    angles = line_angles(u, u)
    tol = math.asin(PARALLEL_SIN)
    seen = np.zeros(u.shape[0], dtype=bool)
    count = 0
    for r in range(u.shape[0]):
        if not seen[r]:
            count += 1
            seen |= angles[r] <= tol
    return count
