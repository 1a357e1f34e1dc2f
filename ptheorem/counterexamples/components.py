"""Zero middle weights split the net into components; each may use its own direction."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ptheorem.activations import Activation
from ptheorem.io.mask import Mask
from ptheorem.model.spec import NetworkSpec
from ptheorem.numeric.network import ConcreteNetwork


def component_witness(
    spec: NetworkSpec,
    mask: Mask,
    activation: Activation,
    components: Sequence[Sequence[int]],
    links: Sequence[tuple[int, int]],
    seed: int = 0,
) -> ConcreteNetwork:
    """A curl-free net with a different input direction in each component.

    ``components`` lists first-layer units (1-based) per component and ``links``
    the (n, m) pairs the derivation connected.  Within a component every input
    row is aₘ u_c and every linked read-out column cₙ u_c, so J is a sum of
    κ_c(x) u_c u_cᵀ terms: symmetric.  Weights are small integers, so the
    certificate can be exact.
    """
    rng = np.random.default_rng(seed)
    d, sizes = spec.dim, spec.sizes
    directions = _directions(d, len(components))
    comp_of = {m: c for c, ms in enumerate(components) for m in ms}
    weights = [np.zeros((sizes[k + 1], sizes[k])) for k in range(spec.depth)]
    for c, ms in enumerate(components):
        for rank, m in enumerate(ms, start=1):  # distinct scales: no two units coincide
            weights[0][m - 1] = rank * directions[c]
    for k in range(1, spec.depth - 1):
        o, i = np.indices(weights[k].shape)
        # Values in [3/4, 9/4] that differ from row to row (widths ≤ 13): no two units coincide.
        pattern = ((3 * o + 5 * i + k) % 13 + 6) / 8 * np.where((o + i) % 2, -1.0, 1.0)
        weights[k] = np.where(mask.layers[k - 1], pattern, 0.0)
    for n, m in links:
        weights[-1][:, n - 1] = rng.choice((-1.0, 1.0)) * directions[comp_of[m]]
    biases = [None] * spec.depth
    return ConcreteNetwork(tuple(weights), tuple(biases), activation)


def _directions(d: int, count: int) -> list[np.ndarray]:
    """``count`` pairwise non-parallel small-integer directions in Rᵈ."""
    basis = [np.eye(d)[i] for i in range(d)]
    extra = [np.eye(d)[0] + np.eye(d)[i] for i in range(1, d)]
    pool = basis + extra + [np.ones(d) + np.eye(d)[0] * k for k in range(1, count + 1)]
    return pool[:count]
