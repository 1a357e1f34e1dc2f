"""Snap a numeric witness to dyadic rationals, so the certificate can be exact.

:func:`ptheorem.audit.certificate.certify_curl_free` proves J − Jᵀ ≡ 0 with sympy on
the weights exactly as stored in float64 — dyadic rationals.  A witness from
the optimiser is not exactly curl-free there: here its input weights become
integer vectors along rational unit vectors (inverse stereographic projection
of a rational point), scaled by a power of two to about unit length; its middle
weights become fractions over 16; and the read-out is rebuilt from the null
space of W ↦ J − Jᵀ in reduced row echelon form, whose entries are rational
when the null space is, then scaled to integers and by a power of two.  Every
weight is then exactly a float64.  The snapped net is kept only if it still
meets every constraint and is curl-free to round-off;
for witnesses that sit on a curved solution set (e.g. the square activation,
where a determinant must vanish) snapping breaks the identity and the
numeric certificate stays.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from ptheorem.counterexamples.search.lastlayer import RANGE_RTOL, quadratic_forms, ratio
from ptheorem.counterexamples.search.model import Problem, min_line_angle
from ptheorem.numeric.network import ConcreteNetwork
from ptheorem.tolerances import NULL_TOL, SNAP_ROOT

#: Largest denominator of a snapped number (the certificate accepts ≤ 1000).
MAX_DENOMINATOR = 1000
#: Denominators tried for the stereographic point of an input weight.
STEREO_DENOMINATORS = range(1, 32)
#: Middle weights become fractions with at most this denominator.
MIDDLE_DENOMINATOR = 16


def rational_unit(u: np.ndarray) -> np.ndarray | None:
    """A unit vector with small rational entries near the unit vector ``u`` (None if none).

    >>> rational_unit(np.array([0.6, 0.8])).tolist()
    [0.6, 0.8]
    """
    u = np.asarray(u, dtype=float)
    u = u / np.linalg.norm(u)
    sign = 1 if u[0] >= 0 else -1
    t = u[1:] / (1.0 + sign * u[0])  # stereographic point, |t| ≤ 1
    best, best_err = None, math.inf
    for q in STEREO_DENOMINATORS:
        p = [Fraction(round(float(v) * q), q) for v in t]
        s = sum((x * x for x in p), Fraction(0))
        den = 1 + s
        entries = [sign * (1 - s) / den, *(2 * x / den for x in p)]
        if max(e.denominator for e in entries) > MAX_DENOMINATOR:
            continue
        cand = np.array([float(e) for e in entries])
        err = float(np.linalg.norm(cand - u))
        if err < best_err:
            best, best_err = cand, err
    return best


def dyadic_row(u: np.ndarray) -> np.ndarray | None:
    """The line of the rational unit vector near ``u``, as an integer vector over a power of two.

    >>> dyadic_row(np.array([0.6, 0.8])).tolist()
    [0.75, 1.0]
    """
    unit = rational_unit(u)
    if unit is None:
        return None
    fracs = [Fraction(float(v)).limit_denominator(MAX_DENOMINATOR) for v in unit]
    den = math.lcm(*(f.denominator for f in fracs))
    ints = np.array([float(f * den) for f in fracs])
    return ints / 2.0 ** round(math.log2(float(np.linalg.norm(ints))))


def _fraction_array(w: np.ndarray, denominator: int) -> np.ndarray:
    return np.array(
        [float(Fraction(float(x)).limit_denominator(denominator)) for x in w.ravel()]
    ).reshape(w.shape)


def rational_readout(bt: np.ndarray) -> np.ndarray | None:
    """A read-out with small rational entries and J − Jᵀ ≡ 0 on the sample, or None."""
    _, d, n = bt.shape
    a, g = quadratic_forms(bt)
    lam, u = np.linalg.eigh(g)
    if not lam[-1] > 0:
        return None
    keep = lam > RANGE_RTOL * lam[-1]
    t = np.kron(np.eye(d), u[:, keep] / np.sqrt(lam[keep])[None, :])
    mu, v = np.linalg.eigh(t.T @ a @ t)
    null = mu <= NULL_TOL
    if not np.any(null):
        return None
    basis = np.linalg.qr(t @ v[:, null])[0].T  # k × (d n), orthonormal rows
    pivots: list[int] = []
    rest = basis.copy()
    for row in range(rest.shape[0]):
        col = int(np.argmax(np.abs(rest[row])))
        pivots.append(col)
        rest[row] /= rest[row, col]
        for other in range(rest.shape[0]):
            if other != row:
                rest[other] -= rest[other, col] * rest[row]
    snapped = []
    for x in rest.sum(axis=0):
        f = Fraction(float(x)).limit_denominator(MAX_DENOMINATOR)
        if abs(float(f) - x) > 1e-9 * max(1.0, abs(x)):
            return None
        snapped.append(f)
    den = math.lcm(*(f.denominator for f in snapped))
    w = np.array([float(f * den) for f in snapped]).reshape(d, n)  # integers: exact floats
    if not np.any(w):
        return None
    return w / 2.0 ** round(math.log2(float(np.linalg.norm(w))))


def snap_witness(problem: Problem, theta: np.ndarray, min_angle: float) -> ConcreteNetwork | None:
    """The witness at θ with small rational weights, or None when snapping breaks it."""
    ws = problem.weights(theta)
    rows = [dyadic_row(r) for r in ws[0]]
    if any(r is None for r in rows):
        return None
    w0 = np.array(rows)
    if min_line_angle(w0) < min_angle:
        return None
    middle = [_fraction_array(w, MIDDLE_DENOMINATOR) for w in ws[1:]]
    if problem.dense_min > 0:
        for k, w in enumerate(middle, start=1):
            live = np.abs(w[problem.free(k)])
            if live.min() < problem.dense_min or live.max() > problem.max_weight:
                return None
    bt, _ = problem.propagate([w0, *middle], None)
    readout = rational_readout(bt)
    if readout is None:
        return None
    nasym, _, den = ratio(readout, bt)
    if not den > 0 or math.sqrt(nasym) > SNAP_ROOT:
        return None
    weights = (w0, *middle, readout)
    return ConcreteNetwork(weights, (None,) * len(weights), problem.activation)
