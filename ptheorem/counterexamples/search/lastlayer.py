"""The last layer solved exactly: NAsym is a ratio of quadratic forms in W_{L−1}.

ψ is linear in its read-out W = W_{L−1} (d × n): J(x) = W B(x) with
B(x) = D_{L−1} W_{L−2} ⋯ D₁ W₀ (n × d).  With w = vec(W) (row-major),

* Σₓ ‖J‖²_F = wᵀ (I_d ⊗ G) w, G = Σₓ B Bᵀ (n × n);
* Σₓ ‖J − Jᵀ‖²_F = 2 Σₓ ‖J‖² − 2 Σₓ tr(J J) = wᵀ A w, A = 2 (I_d ⊗ G − C),
  C[(i, n), (j, m)] = Σₓ B_{nj} B_{mi};

so min_W NAsym is the smallest generalised eigenvalue of (A, I ⊗ G).  G may be
singular (read-out directions that J never sees); those are cut away, which also
keeps the trivial answer J ≡ 0 out: in the basis T = U_r Λ_r^{-1/2} of the range
of G the problem becomes the ordinary symmetric eigenproblem of
(I ⊗ T)ᵀ A (I ⊗ T), solved with ``numpy.linalg.eigh``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ptheorem.tolerances import RANGE_RTOL


@dataclass(frozen=True, eq=False)
class LastLayerSolution:
    """The best read-out for fixed other weights: W with ‖W‖_F = 1 and its NAsym on the sample.

    ``nasym`` is recomputed from W directly (Σ‖J − Jᵀ‖² / Σ‖J‖²), which is far
    more accurate near 0 than the eigenvalue itself; ``gap`` is the distance to
    the next eigenvalue (0 when the minimum is not simple).  ``degenerate`` means
    J ≡ 0 on the sample for every read-out (G = 0).
    """

    weight: np.ndarray
    nasym: float
    eigenvalue: float
    gap: float
    degenerate: bool


def quadratic_forms(bt: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (A, G) from B(x)ᵀ of shape (N, d, n): A is (d·n × d·n), G is (n × n)."""
    _, d, n = bt.shape
    g = np.einsum("xjn,xjm->nm", bt, bt)
    c = np.einsum("xjn,xim->injm", bt, bt).reshape(d * n, d * n)
    a = 2.0 * (np.kron(np.eye(d), g) - c)
    return 0.5 * (a + a.T), 0.5 * (g + g.T)


def ratio(weight: np.ndarray, bt: np.ndarray) -> tuple[float, float, float]:
    """Return (NAsym, Σ‖J − Jᵀ‖², Σ‖J‖²) of the read-out ``weight`` on B(x)ᵀ ``bt``."""
    jt = bt @ weight.T  # (N, d, d): J(x)ᵀ
    skew = jt - jt.transpose(0, 2, 1)
    num = float(np.einsum("xij,xij->", skew, skew))
    den = float(np.einsum("xij,xij->", jt, jt))
    return (num / den if den > 0 else 0.0), num, den


def solve_last_layer(bt: np.ndarray) -> LastLayerSolution:
    """Minimise NAsym over W_{L−1} exactly for B(x)ᵀ ``bt`` of shape (N, d, n).

    >>> bt = np.random.default_rng(0).standard_normal((64, 2, 3))
    >>> sol = solve_last_layer(bt)
    >>> sol.weight.shape, round(float(np.linalg.norm(sol.weight)), 12)
    ((2, 3), 1.0)
    """
    _, d, n = bt.shape
    a, g = quadratic_forms(bt)
    lam, u = np.linalg.eigh(g)
    top = float(lam[-1]) if lam.size else 0.0
    if not top > 0.0:
        return LastLayerSolution(np.zeros((d, n)), 0.0, 0.0, 0.0, True)
    keep = lam > RANGE_RTOL * top
    t = u[:, keep] / np.sqrt(lam[keep])[None, :]  # n × r
    tt = np.kron(np.eye(d), t)  # (d n) × (d r)
    reduced = tt.T @ a @ tt
    mu, v = np.linalg.eigh(0.5 * (reduced + reduced.T))
    w = (tt @ v[:, 0]).reshape(d, n)
    w /= np.linalg.norm(w)
    flat = w.ravel()
    if flat[int(np.argmax(np.abs(flat)))] < 0:  # a fixed sign, for reproducible output
        w = -w
    nasym, _, _ = ratio(w, bt)
    gap = float(mu[1] - mu[0]) if mu.size > 1 else float("inf")
    return LastLayerSolution(w, nasym, float(max(mu[0], 0.0)), gap, False)
