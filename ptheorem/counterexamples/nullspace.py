"""Any σ (ReLU, Remark 1): search numerically for curl-free read-outs of non-parallel nets.

For fixed input and middle weights the read-outs θ⁽ᴸ⁻¹⁾ that make ψ curl-free on
the sample form the null space of a linear map (:func:`output_nullspace`).  A
non-zero null vector whose live input rows are not parallel is a candidate
counterexample; its certificate is re-measured on fresh points.  Draws alternate
between signed and non-negative middle weights: with σ = ReLU and non-negative
middle weights the deeper units never switch off, so σ′ is constant there and
the path functions collapse (σ′ takes finitely many values).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ptheorem.activations import Activation
from ptheorem.io.mask import Mask
from ptheorem.model.spec import NetworkSpec
from ptheorem.numeric.metrics import asymmetry, sample_points
from ptheorem.numeric.network import ConcreteNetwork
from ptheorem.numeric.nullspace import min_nullspace_points, output_nullspace
from ptheorem.tolerances import FRESH_ROOT


@dataclass(frozen=True, eq=False)
class NullspaceSearch:
    """What the numeric search did and found."""

    draws: int
    best_dimension: int
    witness: ConcreteNetwork | None


def nullspace_witness(
    spec: NetworkSpec,
    activation: Activation,
    mask: Mask | None = None,
    seed: int = 0,
    draws: int = 8,
) -> NullspaceSearch:
    """Try ``draws`` random nets; return the first with a non-parallel curl-free read-out."""
    from ptheorem.counterexamples.live import claim_broken

    rng = np.random.default_rng(seed)
    best = 0
    for draw in range(draws):
        net = ConcreteNetwork.random(spec, activation, rng)
        weights = list(net.weights)
        for k in range(1, spec.depth - 1):
            if draw % 2 == 1:
                weights[k] = np.abs(weights[k])
            if mask is not None:
                weights[k] = np.where(mask.layers[k - 1], weights[k], 0.0)
        net = ConcreteNetwork(tuple(weights), net.biases, activation)
        points = 4 * min_nullspace_points(spec.dim, spec.sizes[-2]) * spec.dim + 64
        report = output_nullspace(net, sample_points(rng, points, spec.dim))
        best = max(best, report.dimension)
        if report.dimension == 0:
            continue
        coeffs = rng.standard_normal(report.dimension)
        w_last = np.tensordot(coeffs, report.basis, axes=1)
        candidate = net.replace_weights(spec.depth - 1, w_last)
        fresh = sample_points(rng, 64, spec.dim)
        jac = candidate.jacobians(fresh)
        trivial = float(np.abs(jac).max()) <= 1e-8  # ψ ≡ 0 on the sample is no counterexample
        # a null vector of the sample must stay curl-free off it (round-off at high degree)
        holds = asymmetry(candidate, fresh).root <= FRESH_ROOT
        if not trivial and holds and claim_broken(candidate):
            return NullspaceSearch(draw + 1, best, candidate)
    return NullspaceSearch(draws, best, None)
