"""The search space: weights from a flat parameter vector, with the constraints built in.

* **Input weights** θ⁽⁰⁾ₘ: free vectors vₘ, used as vₘ/‖vₘ‖ (unit rows).
* **Minimum angle** between input weights (as lines, so w and −w count as
  parallel): a penalty μ Σ max(0, 1 − angleᵢⱼ/α)², and :func:`repair_rows`
  pushes pairs apart exactly before a result is reported.
* **Middle weights** θ⁽¹⁾ … θ⁽ᴸ⁻²⁾: masked entries are 0; with a floor
  δ > 0 every other entry has a sign s fixed per restart and a magnitude in
  [δ, M]: W = s·(δ + (M − δ)·u²/(1 + u²)).  The box keeps the search away from
  the limits in which a smooth σ gets arbitrarily close to a gradient without
  parallel inputs: a cut path (one weight → 0 relative to the others), the
  linear range of σ (all middle weights → 0) and its step-function range
  (→ ∞).  For a homogeneous σ (square, cube, relu) only the ratio δ/M
  matters.  With δ = 0 the middle weights are free.
* **Read-out** θ⁽ᴸ⁻¹⁾: not a parameter, solved exactly with ‖θ⁽ᴸ⁻¹⁾‖_F = 1
  (:mod:`ptheorem.counterexamples.search.lastlayer`).

:meth:`Problem.residuals` gives the least-squares residuals (the entries of
J − Jᵀ and the angle deficits) and their exact Jacobian, by forward mode
through the Jacobian chain using σ″: no finite differences.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from ptheorem.activations import Activation
from ptheorem.counterexamples.search.second import ArrayFn, second_derivative
from ptheorem.io.mask import Mask
from ptheorem.model.spec import NetworkSpec

#: Weight μ of the angle penalty.
ANGLE_PENALTY = 1e3
#: Starting points keep their input weights this factor above the minimum angle if they can.
START_SLACK = 1.25
#: Tangent directions are propagated in blocks of at most this many array elements.
BLOCK_ELEMENTS = 1 << 21


@dataclass(frozen=True, eq=False)
class Problem:
    """One search instance: architecture, σ, mask, constraints, sample points, sign pattern."""

    spec: NetworkSpec
    activation: Activation
    points: np.ndarray
    min_angle: float  # radians, as lines
    dense_min: float
    max_weight: float
    mask: Mask | None = None
    signs: tuple[np.ndarray, ...] = ()
    d2: ArrayFn = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "d2", second_derivative(self.activation))

    # --- layout ------------------------------------------------------------------------

    @property
    def middle_shapes(self) -> list[tuple[int, int]]:
        """Shapes (out, in) of the middle layers 1 … L−2."""
        s = self.spec.sizes
        return [(s[k + 1], s[k]) for k in range(1, self.spec.depth - 1)]

    def free(self, k: int) -> np.ndarray:
        """Boolean matrix of the trainable entries of middle layer ``k`` (1-based)."""
        shape = self.middle_shapes[k - 1]
        m = None if self.mask is None else self.mask.for_layer(k)
        return np.ones(shape, dtype=bool) if m is None else np.asarray(m, dtype=bool)

    @property
    def size(self) -> int:
        """Number of parameters."""
        n1, d = self.spec.widths[0], self.spec.dim
        return n1 * d + sum(int(self.free(k).sum()) for k in self._middle)

    @property
    def _middle(self) -> range:
        return range(1, self.spec.depth - 1)

    # --- starting points ---------------------------------------------------------------

    def random_start(self, rng: np.random.Generator) -> tuple[Problem, np.ndarray]:
        """Draw a sign pattern and a start vector; return the signed problem and θ."""
        n1, d = self.spec.widths[0], self.spec.dim
        raw = _unit_rows(rng.standard_normal((n1, d)))
        # Start with some slack where there is room, off the penalty's kink.
        rows = repair_rows(raw, min(START_SLACK * self.min_angle, math.pi / 2))
        if min_line_angle(rows) < self.min_angle:
            rows = repair_rows(raw, self.min_angle)
        parts = [rows.ravel()]
        signs = []
        for k in self._middle:
            free = self.free(k)
            n_in = self.middle_shapes[k - 1][1]
            signs.append(np.where(rng.random(free.shape) < 0.5, -1.0, 1.0))
            if self.dense_min > 0:
                parts.append(rng.standard_normal(int(free.sum())))
            else:
                parts.append(rng.standard_normal(int(free.sum())) / math.sqrt(n_in))
        return replace(self, signs=tuple(signs)), np.concatenate(parts)

    # --- parameters → weights ----------------------------------------------------------

    def weights(self, theta: np.ndarray) -> list[np.ndarray]:
        """W₀ … W_{L−2} for the parameter vector θ (the read-out is solved separately)."""
        return self._weights(theta, tangents=False)[0]

    def _weights(
        self, theta: np.ndarray, tangents: bool
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        n1, d = self.spec.widths[0], self.spec.dim
        p = self.size
        v = theta[: n1 * d].reshape(n1, d)
        norms = np.linalg.norm(v, axis=1)
        norms = np.where(norms > 0, norms, 1.0)
        w0 = v / norms[:, None]
        ws, dws = [w0], []
        if tangents:
            dw0 = np.zeros((p, n1, d))
            proj = (np.eye(d)[None] - w0[:, :, None] * w0[:, None, :]) / norms[:, None, None]
            for m in range(n1):
                dw0[m * d : (m + 1) * d, m, :] = proj[m].T  # column c of proj is ∂w/∂v_c
            dws.append(dw0)
        pos = n1 * d
        for k in self._middle:
            free = self.free(k)
            count = int(free.sum())
            u = theta[pos : pos + count]
            w = np.zeros(free.shape)
            dw = np.zeros((p, *free.shape)) if tangents else None
            rows, cols = np.nonzero(free)
            idx = np.arange(pos, pos + count)
            if self.dense_min > 0:
                delta, span = self.dense_min, self.max_weight - self.dense_min
                q = u * u / (1.0 + u * u)
                sign = self.signs[k - 1][rows, cols]
                w[rows, cols] = sign * (delta + span * q)
                if dw is not None:
                    dw[idx, rows, cols] = sign * span * 2.0 * u / (1.0 + u * u) ** 2
            else:
                w[rows, cols] = u
                if dw is not None:
                    dw[idx, rows, cols] = 1.0
            pos += count
            ws.append(w)
            if dw is not None:
                dws.append(dw)
        return ws, dws

    def theta_for_rows(self, theta: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """θ with its input-weight block replaced by ``rows``."""
        out = np.array(theta, dtype=float, copy=True)
        out[: rows.size] = rows.ravel()
        return out

    # --- forward with tangents ---------------------------------------------------------

    def propagate(
        self, ws: list[np.ndarray], dws: list[np.ndarray] | None
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """B(x)ᵀ of shape (N, d, n) and, with tangents, its derivative (P, N, d, n)."""
        act, d2 = self.activation, self.d2
        x = self.points
        w0 = ws[0]
        z = x @ w0.T
        slope = act.df(z)
        bt = w0.T[None, :, :] * slope[:, None, :]
        h = act.f(z) if len(ws) > 1 else None
        if dws is None:
            for k in range(1, len(ws)):
                assert h is not None  # set before every layer after the first
                w = ws[k]
                z = h @ w.T
                slope = act.df(z)
                bt = (bt @ w.T) * slope[:, None, :]
                if k < len(ws) - 1:
                    h = act.f(z)
            return bt, None
        dw0 = dws[0]
        dz = np.einsum("nd,pmd->pnm", x, dw0)
        dslope = d2(z)[None] * dz
        dbt = (
            dw0.transpose(0, 2, 1)[:, None, :, :] * slope[None, :, None, :]
            + w0.T[None, None, :, :] * dslope[:, :, None, :]
        )
        dh = slope[None] * dz if len(ws) > 1 else None
        for k in range(1, len(ws)):
            assert h is not None and dh is not None  # set before every layer after the first
            w, dw = ws[k], dws[k]
            z = h @ w.T
            dz = dh @ w.T + np.einsum("nk,pjk->pnj", h, dw)
            slope = act.df(z)
            dslope = d2(z)[None] * dz
            c = bt @ w.T
            dc = dbt @ w.T + np.einsum("ndk,pjk->pndj", bt, dw)
            bt = c * slope[:, None, :]
            dbt = dc * slope[None, :, None, :] + c[None] * dslope[:, :, None, :]
            if k < len(ws) - 1:
                h = act.f(z)
                dh = slope[None] * dz
        return bt, dbt

    def _blocks(self) -> list[tuple[int, int]]:
        n, d = self.points.shape
        widest = max(self.spec.widths)
        step = max(1, BLOCK_ELEMENTS // max(1, n * d * widest))
        return [(lo, min(lo + step, self.size)) for lo in range(0, self.size, step)]

    def _tangent_jt(
        self, ws: list[np.ndarray], dws: list[np.ndarray], lo: int, hi: int, readout: np.ndarray
    ) -> np.ndarray:
        _, dbt = self.propagate(ws, [dw[lo:hi] for dw in dws])
        assert dbt is not None
        return dbt @ readout.T

    def residuals(self, theta: np.ndarray, readout: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Residual r (‖r‖² = NAsym + penalty) and its Jacobian in (θ, vec read-out).

        r holds √2·(J − Jᵀ)ᵢⱼ, i < j, at every point over √Σ‖J‖², then √μ times the
        angle deficits; the read-out enters as free parameters here.
        """
        ws, dws = self._weights(theta, tangents=True)
        bt, _ = self.propagate(ws, None)
        d, n = readout.shape
        jt = bt @ readout.T
        iu = np.triu_indices(d, 1)
        skew = (jt - jt.transpose(0, 2, 1))[:, iu[0], iu[1]] * math.sqrt(2.0)
        den = float(np.einsum("xij,xij->", jt, jt))
        root = math.sqrt(den)
        with np.errstate(invalid="ignore", divide="ignore"):  # J ≡ 0: NaN, rejected by LM
            r_main = skew.ravel() / root
        blocks = []
        for lo, hi in self._blocks():
            djt = self._tangent_jt(ws, dws, lo, hi, readout)
            blocks.append(djt)
        # derivatives of Jᵀ in the read-out entries (i, n): Jᵀ[x, j, i] += B[x, n, j]
        eye = np.eye(d)
        dro = np.einsum("ia,xjn->inxja", eye, bt).reshape(d * n, *jt.shape)
        djt_all = np.concatenate([*blocks, dro], axis=0)
        dskew = (djt_all - djt_all.transpose(0, 1, 3, 2))[:, :, iu[0], iu[1]] * math.sqrt(2.0)
        dden = 2.0 * np.einsum("xij,pxij->p", jt, djt_all)
        with np.errstate(invalid="ignore", divide="ignore"):  # J ≡ 0: NaN, rejected by LM
            jac = dskew.reshape(djt_all.shape[0], -1).T / root
            jac -= np.outer(r_main, dden) / (2.0 * den)
        res_pen, jac_pen = angle_residuals(ws[0], dws[0], self.min_angle)
        jac_pen = np.concatenate([jac_pen, np.zeros((jac_pen.shape[0], d * n))], axis=1)
        return np.concatenate([r_main, res_pen]), np.ascontiguousarray(np.vstack([jac, jac_pen]))


def _unit_rows(v: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return v / np.where(norms > 0, norms, 1.0)


def line_angles(rows: np.ndarray) -> np.ndarray:
    """Pairwise angles (radians, in [0, π/2]) between the lines spanned by unit ``rows``."""
    c = np.clip(np.abs(rows @ rows.T), 0.0, 1.0)
    return np.arccos(c)


def min_line_angle(rows: np.ndarray) -> float:
    """The smallest pairwise line angle of ``rows`` (radians); π/2 for a single row."""
    unit = _unit_rows(np.asarray(rows, dtype=float))
    if unit.shape[0] < 2:
        return math.pi / 2
    ang = line_angles(unit)
    iu = np.triu_indices(unit.shape[0], 1)
    return float(ang[iu].min())


def angle_residuals(w0: np.ndarray, dw0: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """√μ·max(0, 1 − angleᵢⱼ/α) for every pair i < j, with its Jacobian (pairs × P)."""
    n = w0.shape[0]
    iu = np.triu_indices(n, 1)
    if alpha <= 0 or n < 2:
        return np.zeros(0), np.zeros((0, dw0.shape[0]))
    c = (w0 @ w0.T)[iu]
    ac = np.clip(np.abs(c), 0.0, 1.0 - 1e-16)
    ang = np.arccos(ac)
    deficit = np.maximum(0.0, 1.0 - ang / alpha)
    root_mu = math.sqrt(ANGLE_PENALTY)
    dc = np.einsum("pid,jd->pij", dw0, w0)
    dc = (dc + dc.transpose(0, 2, 1))[:, iu[0], iu[1]]  # (P, pairs)
    dang = -np.sign(c) / np.sqrt(1.0 - ac * ac)
    jac = np.where(deficit > 0, -dang / alpha, 0.0)[None, :] * dc * root_mu
    return deficit * root_mu, jac.T


def repair_rows(rows: np.ndarray, alpha: float, sweeps: int = 200) -> np.ndarray:
    """Unit rows with every pairwise line angle ≥ α, moved as little as the sweeps manage.

    Each violating pair is rotated apart symmetrically in its own plane; a few
    sweeps settle the small violations a penalty leaves.  The result may still
    violate the bound when α is out of reach (check it with :func:`min_line_angle`).
    """
    out = _unit_rows(np.array(rows, dtype=float, copy=True))
    n = out.shape[0]
    if alpha <= 0 or n < 2:
        return out
    target = alpha * (1.0 + 1e-9)
    for _ in range(sweeps):
        moved = False
        for i in range(n):
            for j in range(i + 1, n):
                c = float(out[i] @ out[j])
                if math.acos(min(1.0, abs(c))) >= alpha:
                    continue
                moved = True
                s = 1.0 if c >= 0 else -1.0
                u, v = out[i], s * out[j]
                e1, e2 = u + v, u - v
                if np.linalg.norm(e2) < 1e-12:
                    e2 = _orthogonal(u)
                e1 /= np.linalg.norm(e1)
                e2 /= np.linalg.norm(e2)
                half = 0.5 * min(target, math.pi / 2)
                out[i] = math.cos(half) * e1 + math.sin(half) * e2
                out[j] = s * (math.cos(half) * e1 - math.sin(half) * e2)
        if not moved:
            break
    return out


def _orthogonal(u: np.ndarray) -> np.ndarray:
    k = int(np.argmin(np.abs(u)))
    e = np.zeros_like(u)
    e[k] = 1.0
    v = e - (e @ u) * u
    return v / np.linalg.norm(v)
