"""Which of the paper's hypotheses a search configuration, or a witness, leaves out.

A witness (a curl-free ψ with non-parallel input weights) contradicts Theorem 5
only if the theorem's hypotheses hold for it; these notes say which do not:
A1 (independent path functions) for polynomial and piecewise-linear σ, A2
(a path of nonzero middle weights between every first and last hidden unit)
for masks and for witnesses with zero weights.
"""

from __future__ import annotations

import numpy as np

from ptheorem.activations import ActivationKind, get_activation, remark1
from ptheorem.io.mask import Mask
from ptheorem.model.spec import NetworkSpec
from ptheorem.numeric.network import ConcreteNetwork
from ptheorem.tolerances import ZERO_RTOL


def hypothesis_notes(spec: NetworkSpec, mask: Mask | None) -> tuple[str, ...]:
    """Which of the paper's hypotheses this configuration leaves out (a witness needs one)."""
    notes = []
    act = get_activation(spec.activation)
    met, why = remark1(act)
    if act.kind is not ActivationKind.SMOOTH:
        verdict = "Remark 1 is met" if met else "Remark 1 is not met"
        notes.append(f"{verdict}: {why}; the indexwise step (A1) can fail")
    if mask is not None and not mask_connects(spec, mask):
        notes.append(
            f"the mask {mask.source} leaves some first/last hidden units with no path of "
            "nonzero middle weights (A2 fails): the theorem then only ties input weights "
            "within each connected channel"
        )
    return tuple(notes)


def cut_path_notes(net: ConcreteNetwork, mask: Mask | None) -> tuple[str, ...]:
    """Say so when a witness zeroes unmasked middle weights or read-out columns (A2 fails)."""
    notes = []
    zeros = 0
    for k, w in enumerate(net.weights[1:-1], start=1):
        free = np.ones(w.shape, dtype=bool) if mask is None else mask.for_layer(k)
        zeros += int(np.sum((np.abs(w) <= ZERO_RTOL * np.max(np.abs(w))) & free))
    if zeros:
        notes.append(
            f"the witness has {zeros} zero middle weight(s): some backward paths are cut, so "
            "the paper's A2 fails for it (raise --dense-min to exclude this)"
        )
    readout = net.weights[-1]
    dead = int(np.sum(np.linalg.norm(readout, axis=0) <= ZERO_RTOL * np.linalg.norm(readout)))
    if dead:
        notes.append(
            f"{dead} last-hidden unit(s) have a zero read-out column: only the input weights "
            "reaching live read-out units are tied"
        )
    return tuple(notes)


def mask_connects(spec: NetworkSpec, mask: Mask | None) -> bool:
    """Whether every last-hidden unit reaches every first-hidden unit through the mask (A2).

    >>> from ptheorem.io.mask import parse_mask
    >>> spec = NetworkSpec(3, 2, (2, 2))
    >>> mask_connects(spec, parse_mask("blocks:2", spec)), mask_connects(spec, None)
    (False, True)
    """
    if mask is None:
        return True
    reach = np.eye(spec.widths[0], dtype=bool)
    for layer in mask.layers:
        reach = (np.asarray(layer, dtype=int) @ reach.astype(int)) > 0
    return bool(reach.all())


def bound_notes(net: ConcreteNetwork, dense_min: float, max_weight: float) -> tuple[str, ...]:
    """Say so when a witness's nonzero middle weights leave the search's [δ, M] range.

    This happens when the witness is an exact network built near the optimiser's
    point (its middle weights are solved exactly, not optimised within the bounds).
    """
    if not dense_min > 0:
        return ()
    middle = [np.abs(w[w != 0]) for w in net.weights[1:-1]]
    low = min((float(m.min()) for m in middle if m.size), default=dense_min)
    high = max((float(m.max()) for m in middle if m.size), default=max_weight)
    if low >= dense_min and high <= max_weight:
        return ()
    return (
        f"the exact witness has middle weights from {low:.3g} to {high:.3g}, outside the "
        f"search's [{dense_min:g}, {max_weight:g}] (they were solved exactly near the "
        "optimiser's point); every one is nonzero, so no backward path is cut",
    )
