"""Does a curl-free net break the paper's literal claim at its depth?

Live units and parallel lines use the audit's own rules (:mod:`ptheorem.audit.graph`,
:mod:`ptheorem.audit.geometry`), so a witness found here is judged the same way
when ``ptheorem audit`` re-checks it.
"""

from __future__ import annotations

import numpy as np

from ptheorem.audit.geometry import is_parallel, max_pairwise_angle_deg
from ptheorem.audit.graph import connectivity
from ptheorem.numeric.network import ConcreteNetwork


def claim_broken(net: ConcreteNetwork) -> str | None:
    """How a curl-free ``net`` breaks the paper's literal claim at its depth, or None.

    L = 2: some live unit's read-out is not tied to its input weights (Eq. 2);
    L ≥ 3: the live input weights are not all parallel (Theorem 5).
    """
    if net.depth < 2:
        return None
    w0, w_last = net.weights[0], net.weights[-1]
    live = list(connectivity(net).live_first)
    if net.depth == 2:
        for m in live:
            pair = np.stack([w_last[:, m], w0[m]])
            if not is_parallel(max_pairwise_angle_deg(pair)):
                return f"the read-out of hidden unit {m + 1} is not tied to its input weights"
        return None
    if not is_parallel(max_pairwise_angle_deg(w0[live])):
        return "the live input weights are not all parallel"
    return None
