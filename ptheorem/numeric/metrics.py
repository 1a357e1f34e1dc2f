"""How far a concrete ψ is from being a gradient: the normalised asymmetry of its Jacobian.

NAsym = Σₓ ‖J(x) − J(x)ᵀ‖²_F / Σₓ ‖J(x)‖²_F over a sample of points, pooled as in
Chao et al. (2023), "On investigating the conservative property of score-based
generative models" (QCSBM).  It is 0 exactly when J is symmetric at every
sampled point, and at most 4, reached when J is antisymmetric (‖J − Jᵀ‖_F ≤ 2‖J‖_F).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ptheorem.model.errors import InputError
from ptheorem.numeric.network import ConcreteNetwork


@dataclass(frozen=True)
class AsymmetryReport:
    """Numeric asymmetry of J over a sample (float64, exact Jacobians, no tolerance applied).

    ``nasym`` is the pooled ratio, ``root`` its square root (a relative Frobenius
    norm, comparable to a relative error), ``max_pointwise`` the worst single
    point (points with J ≡ 0 count as 0), ``degenerate`` is true when J vanishes
    at every sampled point (then ``nasym`` is 0 by convention).
    """

    nasym: float
    root: float
    max_pointwise: float
    degenerate: bool
    points: int


def asymmetry(
    net: ConcreteNetwork, X: np.ndarray, chunk_size: int | None = None
) -> AsymmetryReport:
    """Return the :class:`AsymmetryReport` of ``net`` on the points X (N, d), streamed in chunks."""
    X = net.check_points(X)
    if X.shape[0] == 0:
        raise InputError("asymmetry needs at least one point")
    num = 0.0
    den = 0.0
    worst = 0.0
    for jac in net.iter_jacobians(X, chunk_size):
        skew = jac - jac.transpose(0, 2, 1)
        num_pts = np.einsum("pij,pij->p", skew, skew)
        den_pts = np.einsum("pij,pij->p", jac, jac)
        num += float(num_pts.sum())
        den += float(den_pts.sum())
        nonzero = den_pts > 0
        if np.any(nonzero):
            worst = max(worst, float(np.max(num_pts[nonzero] / den_pts[nonzero])))
    degenerate = den == 0.0
    nasym = 0.0 if degenerate else num / den
    return AsymmetryReport(
        nasym=nasym,
        root=math.sqrt(nasym),
        max_pointwise=worst,
        degenerate=degenerate,
        points=int(X.shape[0]),
    )


def sample_points(rng: np.random.Generator, n: int, d: int, scale: float = 1.0) -> np.ndarray:
    """Return n points of Rᵈ drawn i.i.d. from N(0, scale² I), shape (n, d).

    With the N(0, 1/fan_in) weights of :meth:`ConcreteNetwork.random`, scale 1 puts
    the first-layer pre-activations at unit variance.
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
        raise InputError(f"number of points must be a non-negative integer (got {n!r})")
    if isinstance(d, bool) or not isinstance(d, int | np.integer) or d < 1:
        raise InputError(f"dimension must be a positive integer (got {d!r})")
    if not math.isfinite(scale) or scale <= 0:
        raise InputError(f"scale must be a finite number > 0 (got {scale!r})")
    return rng.standard_normal((int(n), int(d))) * scale
