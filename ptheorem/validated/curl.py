"""Prove that ψ is *not* a gradient field: an interval entry of J(x) − J(x)ᵀ that excludes 0.

At a point x (float64, so exact) the Jacobian of the stored network is
enclosed entrywise in ``arb`` balls (:class:`~ptheorem.validated.arbnet.ArbNetwork`).
If some ball of J_ij − J_ji lies entirely on one side of 0, then J(x) ≠ J(x)ᵀ
and ψ is not the gradient of any C² function: a proof, whatever the float64
sample said.  The search tries the given candidate points in order (the audit
passes the sample points with the largest float asymmetry first), each at
increasing precision while the enclosure is too wide to decide, and stops at
the first certificate.  Failing to find one proves nothing.

>>> from ptheorem.counterexamples.library import random_net
>>> cert, why = refute_curl_free(random_net(), np.array([[0.3, -0.2, 0.9]]))
>>> cert is not None and (cert.lower > 0 or cert.upper < 0)
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ptheorem.numeric.network import ConcreteNetwork
from ptheorem.validated.arbnet import ArbNetwork, enclosure, unsupported

#: Working precisions tried in turn (bits) while the enclosure straddles 0.
PRECISIONS = (128, 320, 1024)
#: Candidate points tried at most.
MAX_POINTS = 4
#: Entries of the chosen column of J − Jᵀ enclosed per point (the largest in float64).
COLUMN_ENTRIES = 16


@dataclass(frozen=True)
class IntervalCertificate:
    """J_ij(x) − J_ji(x) ∈ [lower, upper] ∌ 0 for the stored weights (``entry`` is 1-based).

    ``lower``/``upper`` are the enclosure rounded outward to float64 (they can
    underflow to ±0 for a saturated net); ``ball`` is arb's own text of the
    enclosure, exact in range.
    """

    point: tuple[float, ...]
    entry: tuple[int, int]
    lower: float
    upper: float
    precision: int
    ball: str

    def where(self, shown: int = 4) -> str:
        """The point as text, the first ``shown`` coordinates then "…"."""
        coords = ", ".join(f"{v:.6g}" for v in self.point[:shown])
        more = ", …" if len(self.point) > shown else ""
        return f"x = ({coords}{more})"

    @property
    def text(self) -> str:
        """``J12 − J21 ∈ [a, b] at x = (…) (arb, 128 bits)``."""
        i, j = self.entry
        return (
            f"J{i},{j} − J{j},{i} ∈ {self.ball} at {self.where()} "
            f"(arb ball arithmetic, {self.precision} bits)"
        )


def refute_curl_free(
    net: ConcreteNetwork,
    candidates: np.ndarray,
    max_points: int = MAX_POINTS,
    precisions: tuple[int, ...] = PRECISIONS,
) -> tuple[IntervalCertificate | None, str]:
    """(certificate, "") at the first candidate point that proves J ≠ Jᵀ, else (None, why not)."""
    why = unsupported(net.activation)
    if why is not None:
        return None, why
    if net.dim < 2:
        return None, "d = 1: J is 1 × 1 and always symmetric"
    arbnet = ArbNetwork(net)
    tried = 0
    for x in np.asarray(candidates, dtype=float)[:max_points]:
        tried += 1
        for bits in precisions:
            found, open_entries = _check_point(arbnet, x, bits)
            if found is not None:
                return found, ""
            if not open_entries:  # every entry of J − Jᵀ is exactly 0 here
                break
    return None, (
        f"no entry of J − Jᵀ excluded 0 at {tried} point(s) up to {precisions[-1]} bits "
        "(this proves nothing: ψ may be curl-free or the difference too small to resolve)"
    )


def refute_by_columns(
    net: ConcreteNetwork,
    candidates: np.ndarray,
    max_points: int = MAX_POINTS,
    precisions: tuple[int, ...] = PRECISIONS,
) -> tuple[IntervalCertificate | None, str]:
    """:func:`refute_curl_free` without the d × d Jacobian: one column of J − Jᵀ per point.

    At each candidate x the column index j is where the float64 (J − Jᵀ)·v of a
    ±1 probe v is largest; then J e_j and Jᵀ e_j are enclosed in balls (forward and
    reverse mode, :meth:`ArbNetwork.column_pair`), and an entry J_ij − J_ji whose
    ball excludes 0 proves J(x) ≠ J(x)ᵀ.  The float step only chooses where to
    look; the proof is the ball.
    """
    why = unsupported(net.activation)
    if why is not None:
        return None, why
    if net.dim < 2:
        return None, "d = 1: J is 1 × 1 and always symmetric"
    arbnet = ArbNetwork(net)
    probe = np.where(np.arange(net.dim) % 2 == 0, 1.0, -1.0)
    tried = 0
    for x in np.asarray(candidates, dtype=float)[:max_points]:
        tried += 1
        j = _largest(net, x, probe)
        e_j = np.zeros(net.dim)
        e_j[j] = 1.0
        order = np.argsort(-_magnitudes(net, x, e_j), kind="stable")
        rows = [int(i) for i in order if i != j][:COLUMN_ENTRIES]
        for bits in precisions:
            column, row = arbnet.column_pair(x, j, bits, rows)
            diffs = [(i, j, column[k] - row[k]) for k, i in enumerate(rows)]
            found, open_entries = _best(x, diffs, bits)
            if found is not None:
                return found, ""
            if not open_entries:
                break
    return None, (
        f"no entry of one column of J − Jᵀ excluded 0 at {tried} point(s) up to "
        f"{precisions[-1]} bits (this proves nothing: ψ may be curl-free or the difference "
        "too small to resolve)"
    )


def _magnitudes(net: ConcreteNetwork, x: np.ndarray, v: np.ndarray) -> np.ndarray:
    """|(J(x) − J(x)ᵀ) v| in float64 (non-finite entries count as −1)."""
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        skew = net.jvp(x[None, :], v[None, :]) - net.vjp(x[None, :], v[None, :])
    return np.where(np.isfinite(skew[0]), np.abs(skew[0]), -1.0)


def _largest(net: ConcreteNetwork, x: np.ndarray, probe: np.ndarray) -> int:
    """The column j where a ±1 probe shows J − Jᵀ largest (where to look, not a proof)."""
    return int(np.argmax(_magnitudes(net, x, probe)))


def _check_point(
    arbnet: ArbNetwork, x: np.ndarray, bits: int
) -> tuple[IntervalCertificate | None, bool]:
    """The best certificate at x, and whether some entry's ball straddles 0 (worth more bits)."""
    jac = arbnet.jacobian(x, bits)
    d = jac.nrows()
    diffs = [(i, j, jac[i, j] - jac[j, i]) for i in range(d) for j in range(i + 1, d)]
    return _best(x, diffs, bits)


def _best(
    x: np.ndarray, diffs: list[tuple[int, int, Any]], bits: int
) -> tuple[IntervalCertificate | None, bool]:
    """The entry whose ball is farthest from 0 (i, j 0-based), and whether some ball straddles 0."""
    best: tuple[float, int, int, Any] | None = None
    straddles = False
    for i, j, diff in diffs:
        if diff > 0 or diff < 0:
            gap = diff.abs_lower()
            if best is None or gap > best[0]:
                best = (gap, i, j, diff)
        elif not diff.is_zero():
            straddles = True
    if best is None:
        return None, straddles
    _, i, j, diff = best
    lo, hi = enclosure(diff)
    point = tuple(float(v) for v in x)
    text = diff.str(6, radius=True)
    return IntervalCertificate(point, (i + 1, j + 1), lo, hi, bits, text), straddles
