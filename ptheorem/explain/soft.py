"""How far from a gradient is the best read-out, as two input weights turn apart (numeric).

For an L = 3, d = 2 tanh net whose two input weights are ``angle`` apart, ψ is
linear in the last weight matrix W: J(x) = W B(x).  NAsym(W) = Σₓ‖J − Jᵀ‖² / Σₓ‖J‖²
is a ratio of two quadratic forms in vec(W), so its minimum over W is the
smallest generalized eigenvalue of the pair (P, Q) — computed exactly by linear
algebra, then checked by measuring the minimiser with
:func:`ptheorem.numeric.asymmetry`.  Theorem 5 predicts 0 at angle 0 (the parallel
family) and a positive minimum otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ptheorem.explain.model import SoftRow, SoftTable
from ptheorem.numeric.activations import get_activation
from ptheorem.numeric.metrics import asymmetry, sample_points
from ptheorem.numeric.network import ConcreteNetwork
from ptheorem.spec import NetworkSpec

#: Angles (degrees) of the default table.
ANGLES = (0.0, 1.0, 5.0, 15.0, 45.0, 90.0)
#: The network of the table: L = 3, d = 2, first width 2 (the two input weights).
SPEC = NetworkSpec(3, 2, (2, 3), activation="tanh")
#: Relative cut below which an eigenvalue of Q counts as 0 (Q's null space is dropped).
Q_RTOL = 1e-12


def quadratic_forms(net: ConcreteNetwork, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P and Q with NAsym(W) = vec(W)ᵀ P vec(W) / vec(W)ᵀ Q vec(W) for the last layer W.

    vec(W) is row-major: entry (i, k) of W (shape (d, n)) is unknown i·n + k.
    """
    bt = net.last_hidden_jacobians_t(X)  # (N, d, n): B(x)ᵀ, J_ij = Σ_k W_ik B_kj
    n_points, d, n = bt.shape
    # K[p, (i, j), (i', k)] = δ_ii' B_kj: the map vec(W) ↦ vec(J(x_p)).
    eye = np.eye(d)
    K = np.einsum("ab,pjk->pajbk", eye, bt).reshape(n_points, d * d, d * n)
    Kt = np.einsum("pjkb->pkjb", K.reshape(n_points, d, d, d * n)).reshape(K.shape)
    S = K - Kt  # vec(J − Jᵀ)
    P = np.einsum("prq,prs->qs", S, S)
    Q = np.einsum("prq,prs->qs", K, K)
    return P, Q


def min_asymmetry(net: ConcreteNetwork, X: np.ndarray) -> tuple[float, np.ndarray]:
    """The smallest NAsym over the last layer and a minimising W (shape (d, n))."""
    P, Q = quadratic_forms(net, X)
    lam, V = np.linalg.eigh(Q)
    keep = lam > Q_RTOL * lam[-1]
    T = V[:, keep] / np.sqrt(lam[keep])  # Tᵀ Q T = I on Q's range
    mu, Y = np.linalg.eigh(T.T @ P @ T)
    w = T @ Y[:, 0]
    d, n = net.dim, net.weights[-1].shape[1]
    return max(float(mu[0]), 0.0), w.reshape(d, n)


def network_at(angle: float, seed: int = 0) -> ConcreteNetwork:
    """The table's net with input weights 1.5·(1, 0) and 1.5·(cos a, sin a); others seeded."""
    base = ConcreteNetwork.random(SPEC, get_activation("tanh"), np.random.default_rng(seed))
    a = math.radians(angle)
    w0 = 1.5 * np.array([[1.0, 0.0], [math.cos(a), math.sin(a)]])
    return base.replace_weights(0, w0)


def soft_table(use_search: bool = True) -> SoftTable:
    """The demo's soft-analysis table, computed now.

    With :mod:`ptheorem.search` available, its ``run_soft`` in a tiny setting
    (three angles, one restart); otherwise :func:`last_layer_table`.
    """
    if use_search:
        try:
            return search_table()
        except ImportError:
            pass
    return last_layer_table()


def search_table(angles: Sequence[float] = (45.0, 15.0, 5.0), seed: int = 0) -> SoftTable:
    """``ptheorem.search.soft.run_soft`` on an L = 3, d = 2 tanh net, one restart per angle."""
    from ptheorem.search.core import SearchConfig
    from ptheorem.search.soft import run_soft

    spec = NetworkSpec(3, 2, (2, 2), activation="tanh")
    config = SearchConfig(spec=spec, restarts=1, seed=seed, min_angle=min(angles))
    report = run_soft(config, tuple(angles))
    rows = tuple(
        SoftRow(r.angle, r.root, r.fresh_root)
        for r in report.rows
        if r.reachable and r.root is not None
    )
    fit = report.fit
    trend = (
        f"√NAsym ≈ c·α^p with p = {fit.exponent:.2f} ({report.fit_note})"
        if fit is not None
        else report.fit_note
    )
    return SoftTable(
        spec=spec,
        points=config.points,
        seed=seed,
        rows=rows,
        method="ptheorem.search.soft.run_soft, 1 restart per angle: minimised over all "
        "weights with the input weights at least α apart",
        angle_label="input weights ≥ α apart",
        value_label="min √NAsym",
        summary=f"The minimum shrinks with α but stays positive: {trend}. Only parallel input "
        "weights (α = 0) reach a gradient, as Theorem 5 says.",
    )


def last_layer_table(
    angles: Sequence[float] = ANGLES, seed: int = 0, points: int = 256
) -> SoftTable:
    """Min over the last layer of √NAsym at each exact angle, measured on the minimiser."""
    X = sample_points(np.random.default_rng(seed + 1), points, SPEC.dim)
    rows = []
    for angle in angles:
        net = network_at(angle, seed)
        _, w = min_asymmetry(net, X)
        best = net.replace_weights(SPEC.depth - 1, w)
        rows.append(SoftRow(float(angle), asymmetry(best, X).root))
    return SoftTable(
        spec=SPEC,
        points=points,
        seed=seed,
        rows=tuple(rows),
        method="smallest generalized eigenvalue of (P, Q) over vec(θ⁽²⁾), other weights "
        "fixed; minimiser measured with ptheorem.numeric.asymmetry (ptheorem.search not "
        "available)",
        angle_label="angle between θ⁽⁰⁾₁ and θ⁽⁰⁾₂",
        value_label="min over θ⁽²⁾ of √NAsym",
        summary="0 at angle 0 (the parallel family), positive as soon as the input weights "
        "turn apart, as Theorem 5 says.",
    )
