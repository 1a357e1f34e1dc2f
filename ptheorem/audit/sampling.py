"""The numeric curl-free measurement, range-safe: √NAsym on a sample that sees every live unit.

NAsym = Σₓ ‖J − Jᵀ‖²_F / Σₓ ‖J‖²_F (as in :mod:`ptheorem.numeric.metrics`), with
three safeguards the plain float64 evaluation lacks:

* **range** — each weight matrix is divided by a power of two near its largest
  entry, and each point's partial product is renormalised the same way after
  every layer, with the exponents kept aside and used only to weight the
  points in the pooled sums.  Powers of two are exact, so the ratio is the
  same number, but weights of 1e±200 neither overflow nor underflow.
* **activity** — a live unit whose σ′ is 0.0 at every point (ReLU below its
  kink, tanh′ = 1 − tanh² rounded to 0 for |z| > 19) is *off* on the sample,
  and the sample cannot see its paths; J = 0.0 at more than
  :data:`~ptheorem.tolerances.SATURATED_FRACTION` of the points makes the
  sample *saturated*.  Either way the sample is extended by points placed on
  the active slabs of the first-layer units (z = N(0, 1) along each row), and
  what is still off is reported.
* **non-finite** values (σ overflowing, e.g. a square of 1e200) are counted and
  their points left out.

The result is evidence: the bands of :mod:`ptheorem.tolerances` turn it into
"curl-free" / "not curl-free" / "between", never into a proof.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ptheorem.audit.graph import Connectivity, live_units
from ptheorem.audit.probes import confidence, measure_probes, probe_cost
from ptheorem.numeric.metrics import sample_points
from ptheorem.numeric.network import ConcreteNetwork
from ptheorem.tolerances import DEFAULT_PROBES, SATURATED_FRACTION

#: The estimator names a report shows.
EXACT = "exact Jacobians"
PROBES = "random probes (J·v forward mode, Jᵀ·v reverse mode)"
#: Multiply-adds of full Jacobians over the sample above which the probes run instead
#: (2·10¹⁰: a few seconds of BLAS on 2 cores; d = 64, widths 256, L = 6 at 512
#: points costs 1·10¹⁰ and keeps its exact Jacobians).
FULL_JACOBIAN_BUDGET = 2e10


@dataclass(frozen=True, eq=False)
class Sample:
    """√NAsym of ``net`` on ``X`` and what the sample saw.

    ``pointwise`` is ‖J − Jᵀ‖²/‖J‖² per point (0 where J = 0.0 or the point
    was not finite); ``estimator`` is :data:`EXACT` (full Jacobians) or
    :data:`PROBES` (``probes`` per point, matrix-free), and then ``interval``
    is the ≈95 % confidence interval on √NAsym; ``off_units`` lists (hidden
    layer, 1-based units) of live units with σ′ = 0.0 at every point;
    ``relocated`` counts the points placed on active slabs (the last ones of ``X``).
    """

    X: np.ndarray
    nasym: float
    root: float
    max_pointwise: float
    pointwise: np.ndarray
    zero_points: int
    nonfinite_points: int
    relocated: int
    off_units: tuple[tuple[int, tuple[int, ...]], ...]
    seed: int
    estimator: str = EXACT
    probes: int = 0
    interval: tuple[float, float] | None = None

    @property
    def points(self) -> int:
        """Number of sample points (including relocated ones)."""
        return int(self.X.shape[0])

    @property
    def blind(self) -> bool:
        """J = 0.0 (or not finite) at every point: the sample shows nothing."""
        return self.zero_points + self.nonfinite_points == self.points

    def by_asymmetry(self) -> np.ndarray:
        """The sample points, the most asymmetric first (for the interval certificate)."""
        order = np.argsort(-self.pointwise, kind="stable")
        return self.X[order]


def _scaled(weights: tuple[np.ndarray, ...]) -> list[np.ndarray]:
    """Each matrix divided by a power of two near its largest entry (exact)."""
    out = []
    for w in weights:
        top = float(np.max(np.abs(w)))
        out.append(np.ldexp(w, -math.frexp(top)[1]) if top > 0 else w)
    return out


#: Renormalise a point's partial product once its largest entry leaves [2^-RANGE, 2^RANGE].
RANGE = 256


def _renormalise(arr: np.ndarray, logscale: np.ndarray) -> np.ndarray:
    """Divide each point's slice by a power of two near its largest entry; add it to logscale.

    Skipped (the common case) while every point's largest entry is within 2^±:data:`RANGE`.
    """
    axes = tuple(range(1, arr.ndim))
    top = np.maximum(arr.max(axis=axes), -arr.min(axis=axes))
    _, e = np.frexp(np.where(top > 0, top, 1.0))
    if np.all(np.abs(e) <= RANGE) or not np.all(np.isfinite(top)):
        return arr
    logscale += e
    return np.ldexp(arr, -e.reshape((-1,) + (1,) * (arr.ndim - 1)))


def _measure(net: ConcreteNetwork, X: np.ndarray, live: list[np.ndarray]) -> dict[str, object]:
    """Per-point (num, den, log2 scale), zero/non-finite counts and ever-active units."""
    scaled = _scaled(net.weights)
    size = net.chunk_size()
    num, den, logs, finite = [], [], [], []
    active = [np.zeros(w.shape[0], dtype=bool) for w in net.weights[:-1]]
    d = net.dim
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        for start in range(0, X.shape[0], size):
            chunk = X[start : start + size]
            c = chunk.shape[0]
            logscale = np.zeros(c, dtype=np.int64)
            if net.depth == 1:
                jt = np.broadcast_to(scaled[0].T, (c, d, d)).copy()
                ok = np.ones(c, dtype=bool)
            else:
                slopes = net.derivatives(chunk)
                ok = np.all([np.all(np.isfinite(s), axis=1) for s in slopes], axis=0)
                for k, s in enumerate(slopes):
                    active[k] |= np.any((s != 0.0) & ok[:, None], axis=0)
                bt = scaled[0].T[None, :, :] * np.where(ok[:, None], slopes[0], 0.0)[:, None, :]
                bt = _renormalise(bt, logscale)
                for k in range(1, net.depth - 1):
                    w = scaled[k]
                    bt = (bt.reshape(c * d, w.shape[1]) @ w.T).reshape(c, d, w.shape[0])
                    bt *= np.where(ok[:, None], slopes[k], 0.0)[:, None, :]
                    bt = _renormalise(bt, logscale)
                w_last = scaled[-1]
                jt = (bt.reshape(c * d, w_last.shape[1]) @ w_last.T).reshape(c, d, d)
            jt = _renormalise(jt, logscale)
            skew = jt - jt.transpose(0, 2, 1)
            num.append(np.einsum("pij,pij->p", skew, skew))
            den.append(np.einsum("pij,pij->p", jt, jt))
            logs.append(logscale)
            finite.append(ok & np.isfinite(den[-1]))
    off = []
    for k, (act, mask) in enumerate(zip(active, live, strict=True)):
        units = np.flatnonzero(mask & ~act)
        if units.size:
            off.append((k + 1, tuple(int(u) + 1 for u in units)))
    return {
        "num": np.concatenate(num),
        "den": np.concatenate(den),
        "log": np.concatenate(logs),
        "finite": np.concatenate(finite),
        "off": tuple(off),
    }


def _pool(m: dict[str, object]) -> tuple[float, float, np.ndarray, int, int]:
    """(NAsym, max pointwise, pointwise, zero points, non-finite points)."""
    num, den = np.asarray(m["num"]), np.asarray(m["den"])
    logs, finite = np.asarray(m["log"]), np.asarray(m["finite"], dtype=bool)
    good = finite & (den > 0)
    pointwise = np.zeros(num.shape[0])
    pointwise[good] = num[good] / den[good]
    zero = int(np.sum(finite & (den == 0)))
    if not np.any(good):
        return 0.0, 0.0, pointwise, zero, int(np.sum(~finite))
    weight = np.ldexp(1.0, 2 * (logs[good] - logs[good].max()))
    nasym = float(np.sum(weight * num[good]) / np.sum(weight * den[good]))
    return nasym, float(pointwise.max()), pointwise, zero, int(np.sum(~finite))


def active_points(
    net: ConcreteNetwork, units: list[int], count: int, rng: np.random.Generator
) -> np.ndarray:
    """``count`` points, cycling over first-layer ``units``, with z_m(x) ~ N(0, 1) for its unit m.

    x = s·(y − (û·y)û) + ((t − b_m)/‖r_m‖)·û with y ~ N(0, I), t ~ N(0, 1), û the
    unit row and s = min(1, 1/‖r_m‖) (so rounding in the perpendicular part
    moves z_m by ~ε only); computed range-safely (rows of norm 1e±200 work).
    """
    w0, b0 = net.weights[0], net.biases[0]
    out = []
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        for i in range(count):
            m = units[i % len(units)]
            row = w0[m]
            e = math.frexp(float(np.max(np.abs(row))))[1]
            r = np.ldexp(row, -e)
            norm = float(np.linalg.norm(r))
            u = r / norm
            y = rng.standard_normal(net.dim)
            t = float(rng.standard_normal())
            bias = 0.0 if b0 is None else float(b0[m])
            offset = math.ldexp((t - bias) / norm, -e) if math.isfinite(t - bias) else math.inf
            spread = min(1.0, math.ldexp(1.0 / norm, -e))
            x = spread * (y - (u @ y) * u) + offset * u
            if np.all(np.isfinite(x)):
                out.append(x)
    return np.array(out).reshape(-1, net.dim)


def use_probes(net: ConcreteNetwork, points: int, probes: int = DEFAULT_PROBES) -> bool:
    """Whether the matrix-free estimate runs: full Jacobians over budget, and probes cheaper."""
    full, probed = probe_cost(net, points, probes)
    return net.depth >= 2 and full > FULL_JACOBIAN_BUDGET and probed < full


def measure_sample(
    net: ConcreteNetwork,
    conn: Connectivity | None,
    points: int,
    seed: int,
    probes: int | None = None,
    report: Callable[[int, int], None] | None = None,
) -> Sample:
    """√NAsym on ``points`` seeded N(0, I) points, extended onto active slabs when needed.

    ``probes``: None chooses (:func:`use_probes`), 0 forces exact Jacobians, K ≥ 2
    forces the matrix-free estimate with K probes per point.  ``report(done, total)``
    follows the matrix-free estimate's chunks.
    """
    if probes is None:
        probes = DEFAULT_PROBES if use_probes(net, points) else 0
    X = sample_points(np.random.default_rng(seed), points, net.dim)
    live = live_units(conn) if conn is not None else []

    def run(X: np.ndarray) -> dict[str, object]:
        if probes:
            return measure_probes(net, X, _scaled(net.weights), live, probes, seed, report)
        return _measure(net, X, live)

    m = run(X)
    nasym, worst, pointwise, zero, bad = _pool(m)
    off = m["off"]
    assert isinstance(off, tuple)
    first_off = [u - 1 for layer, units in off if layer == 1 for u in units]
    saturated = zero + bad > SATURATED_FRACTION * points
    relocated = 0
    if conn is not None and (first_off or saturated) and conn.live_first:
        targets = first_off or list(conn.live_first)
        rng = np.random.default_rng(np.random.SeedSequence([seed, 2]))
        extra = active_points(net, targets, points, rng)
        if extra.shape[0]:
            X = np.concatenate([X, extra])
            relocated = int(extra.shape[0])
            m = run(X)
            nasym, worst, pointwise, zero, bad = _pool(m)
            off = m["off"]
            assert isinstance(off, tuple)
    interval = None
    if probes:
        low, high = confidence(m, nasym)
        interval = (math.sqrt(low), math.sqrt(high))
    return Sample(
        X=X,
        nasym=nasym,
        root=math.sqrt(nasym),
        max_pointwise=worst,
        pointwise=pointwise,
        zero_points=zero,
        nonfinite_points=bad,
        relocated=relocated,
        off_units=off,
        seed=seed,
        estimator=PROBES if probes else EXACT,
        probes=probes,
        interval=interval,
    )
