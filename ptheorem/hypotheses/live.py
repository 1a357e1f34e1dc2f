"""Which first-layer units are live, and whether their input weights are parallel."""

from __future__ import annotations

import numpy as np

from ptheorem.numeric.network import ConcreteNetwork

#: Rows count as parallel when σ₂/σ₁ of the stacked unit rows is at most this.
PARALLEL_RTOL = 1e-9


def live_first_units(net: ConcreteNetwork) -> list[int]:
    """First-layer units (0-based) that reach a nonzero output column through nonzero weights."""
    if net.depth == 1:
        return list(range(net.dim))
    reach = np.abs(net.weights[-1]).sum(axis=0) > 0  # last hidden units with live read-out
    for w in reversed(net.weights[1:-1]):
        reach = (np.abs(w[reach]).sum(axis=0) > 0) if reach.any() else np.zeros(w.shape[1], bool)
    rows = np.abs(net.weights[0]).sum(axis=1) > 0
    return [int(m) for m in np.flatnonzero(reach & rows)]


def live_inputs_parallel(net: ConcreteNetwork, rtol: float = PARALLEL_RTOL) -> bool:
    """True when the input rows of the live first-layer units span at most one line."""
    live = live_first_units(net)
    if len(live) < 2:
        return True
    rows = net.weights[0][live]
    rows = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    s = np.linalg.svd(rows, compute_uv=False)
    return bool(s[1] <= rtol * s[0])


def _parallel(a: np.ndarray, b: np.ndarray, rtol: float) -> bool:
    s = np.linalg.svd(np.stack([a / np.linalg.norm(a), b / np.linalg.norm(b)]), compute_uv=False)
    return bool(s[1] <= rtol * s[0])


def claim_broken(net: ConcreteNetwork, rtol: float = PARALLEL_RTOL) -> str | None:
    """How a curl-free ``net`` breaks the paper's literal claim at its depth, or None.

    L = 2: some live unit's read-out is not tied to its input weights (Eq. 2);
    L ≥ 3: the live input weights are not all parallel (Theorem 5).
    """
    if net.depth == 2:
        w0, w1 = net.weights
        for m in range(w0.shape[0]):
            if np.any(w0[m]) and np.any(w1[:, m]) and not _parallel(w1[:, m], w0[m], rtol):
                return f"the read-out of hidden unit {m + 1} is not tied to its input weights"
        return None
    if net.depth >= 3 and not live_inputs_parallel(net, rtol):
        return "the live input weights are not all parallel"
    return None
