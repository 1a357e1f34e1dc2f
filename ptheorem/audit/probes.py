"""Matrix-free √NAsym for large nets: random probes, J·v by forward mode and Jᵀ·v by reverse mode.

For a probe v with E[v vᵀ] = I (Rademacher ±1 entries), E‖A v‖² = ‖A‖²_F for any
matrix A (Hutchinson).  So at each sample point x, with K probes,

* ‖J − Jᵀ‖²_F ≈ mean_k ‖J v_k − Jᵀ v_k‖², and
* ‖J‖²_F ≈ mean_k (‖J v_k‖² + ‖Jᵀ v_k‖²)/2,

where J v (a forward-mode pass: tangents pushed through the layers) and Jᵀ v (a
reverse-mode pass: cotangents pulled back) are exact chain-rule products in
float64, each costing about one forward pass — against d forward passes for the
full Jacobian.  The pooled ratio estimates the same NAsym over the same points
as :mod:`ptheorem.audit.sampling`'s exact Jacobians; its randomness is the
probes' only, and its ≈95 % confidence interval comes from the delta method
with the within-point variance of the K probes (:data:`~ptheorem.tolerances.PROBE_Z`).
It is numeric evidence, labelled as such with its estimator, probe count and
interval; it never proves anything.

Range safety is the sampling module's: weights divided by powers of two, each
point's tangents renormalised by powers of two, and the exponents used only to
weight the points in the pooled sums.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ptheorem.numeric.network import DEFAULT_CHUNK_ELEMENTS, ConcreteNetwork
from ptheorem.tolerances import PROBE_Z


def probe_cost(net: ConcreteNetwork, points: int, probes: int) -> tuple[float, float]:
    """(multiply-adds of exact Jacobians, of probes) at ``points`` points with ``probes`` each."""
    sizes = (net.dim, *net.widths, net.dim)
    forward = sum(sizes[k] * sizes[k + 1] for k in range(len(sizes) - 1))
    return float(points) * net.dim * forward, float(points) * (1 + 3 * probes) * forward


def _renormalise(arr: np.ndarray, logscale: np.ndarray) -> np.ndarray:
    """Divide each point's slice by a power of two near its largest entry once it leaves 2^±256."""
    axes = tuple(range(1, arr.ndim))
    top = np.max(np.abs(arr), axis=axes)
    _, e = np.frexp(np.where(top > 0, top, 1.0))
    if np.all(np.abs(e) <= 256) or not np.all(np.isfinite(top)):
        return arr
    logscale += e
    return np.ldexp(arr, -e.reshape((-1,) + (1,) * (arr.ndim - 1)))


def _align(
    a: np.ndarray, ea: np.ndarray, b: np.ndarray, eb: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bring two per-point scaled arrays to a common exponent per point."""
    top = np.maximum(ea, eb)
    shape = (-1,) + (1,) * (a.ndim - 1)
    return np.ldexp(a, (ea - top).reshape(shape)), np.ldexp(b, (eb - top).reshape(shape)), top


def measure_probes(
    net: ConcreteNetwork,
    X: np.ndarray,
    scaled: list[np.ndarray],
    live: list[np.ndarray],
    probes: int,
    seed: int,
    report: Callable[[int, int], None] | None = None,
) -> dict[str, object]:
    """Per point: mean ‖(J − Jᵀ)v‖², mean ‖J‖² estimate, their per-probe values, log2 scale.

    ``report(done, total)`` is called after each chunk of points.
    """
    rng = np.random.default_rng(np.random.SeedSequence([seed, 3]))
    d, k = net.dim, probes
    widest = max((d, *net.widths))
    size = max(1, DEFAULT_CHUNK_ELEMENTS // (k * widest))
    a_all, b_all, logs, finite = [], [], [], []
    active = [np.zeros(w.shape[0], dtype=bool) for w in net.weights[:-1]]
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        for start in range(0, X.shape[0], size):
            chunk = X[start : start + size]
            c = chunk.shape[0]
            v = rng.integers(0, 2, size=(c, k, d)).astype(np.float64) * 2.0 - 1.0
            slopes = net.derivatives(chunk)
            ok = np.all([np.all(np.isfinite(s), axis=1) for s in slopes], axis=0)
            for layer, s in enumerate(slopes):
                active[layer] |= np.any((s != 0.0) & ok[:, None], axis=0)
            masked = [np.where(ok[:, None], s, 0.0)[:, None, :] for s in slopes]
            jv, ef = _forward(scaled, masked, v, c)
            jtv, er = _reverse(scaled, masked, v, c)
            jv, jtv, top = _align(jv, ef, jtv, er)
            skew = jv - jtv
            a_all.append(np.einsum("pki,pki->pk", skew, skew))
            b_all.append(
                0.5 * (np.einsum("pki,pki->pk", jv, jv) + np.einsum("pki,pki->pk", jtv, jtv))
            )
            logs.append(top)
            finite.append(ok)
            if report is not None:
                report(start + c, X.shape[0])
    a = np.concatenate(a_all)
    b = np.concatenate(b_all)
    off = []
    for layer, (act, mask) in enumerate(zip(active, live, strict=True)):
        units = np.flatnonzero(mask & ~act)
        if units.size:
            off.append((layer + 1, tuple(int(u) + 1 for u in units)))
    ok_all = (
        np.concatenate(finite) & np.all(np.isfinite(a), axis=1) & np.all(np.isfinite(b), axis=1)
    )
    return {
        "num": a.mean(axis=1),
        "den": b.mean(axis=1),
        "log": np.concatenate(logs),
        "finite": ok_all,
        "off": tuple(off),
        "per_probe": (a, b),
    }


def _forward(
    scaled: list[np.ndarray], slopes: list[np.ndarray], v: np.ndarray, c: int
) -> tuple[np.ndarray, np.ndarray]:
    """J v for every (point, probe): tangents through the layers, shape (c, K, d)."""
    logscale = np.zeros(c, dtype=np.int64)
    k = v.shape[1]
    t = v
    for layer, w in enumerate(scaled):
        t = (t.reshape(c * k, w.shape[1]) @ w.T).reshape(c, k, w.shape[0])
        if layer < len(slopes):
            t *= slopes[layer]
            t = _renormalise(t, logscale)
    return _renormalise(t, logscale), logscale


def _reverse(
    scaled: list[np.ndarray], slopes: list[np.ndarray], v: np.ndarray, c: int
) -> tuple[np.ndarray, np.ndarray]:
    """Jᵀ v for every (point, probe): cotangents pulled back, shape (c, K, d)."""
    logscale = np.zeros(c, dtype=np.int64)
    k = v.shape[1]
    u = v
    for layer in range(len(scaled) - 1, -1, -1):
        w = scaled[layer]
        u = (u.reshape(c * k, w.shape[0]) @ w).reshape(c, k, w.shape[1])
        if layer > 0:
            u *= slopes[layer - 1]
            u = _renormalise(u, logscale)
    return _renormalise(u, logscale), logscale


def confidence(m: dict[str, object], nasym: float) -> tuple[float, float]:
    """A ≈95 % interval on the pooled NAsym (delta method, within-point probe variance)."""
    per_probe = m["per_probe"]
    assert isinstance(per_probe, tuple)
    a, b = np.asarray(per_probe[0]), np.asarray(per_probe[1])
    logs = np.asarray(m["log"])
    good = np.asarray(m["finite"], dtype=bool) & (np.asarray(m["den"]) > 0)
    if not np.any(good) or a.shape[1] < 2:
        return 0.0, math.inf
    w = np.ldexp(1.0, 2 * (logs[good] - logs[good].max()))[:, None]
    diff = w * (a[good] - nasym * b[good])
    spread = float(np.sum(diff.var(axis=1, ddof=1))) / a.shape[1]
    scale = float(np.sum(w[:, 0] * b[good].mean(axis=1)))
    half = PROBE_Z * math.sqrt(spread) / scale if scale > 0 else math.inf
    return max(0.0, nasym - half), nasym + half
