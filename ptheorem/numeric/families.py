"""Concrete networks from the paper's symmetric families, for certificates and demos.

* :func:`tied_network` (L = 2, Eq. 2): W₁ = W₀ᵀ diag(S), so
  J(x) = W₀ᵀ diag(S ⊙ σ′(z)) W₀ is symmetric for any W₀ and S.
* :func:`parallel_network` (L ≥ 2, Theorem 5): W₀ = a uᵀ and W_{L−1} = u cᵀ with
  a unit vector u, so J(x) = (cᵀ D_{L−1} W_{L−2} ⋯ D₁ a) u uᵀ is symmetric for
  any middle weights and biases.
"""

from __future__ import annotations

import numpy as np

from ptheorem.activations import Activation
from ptheorem.model.errors import InputError
from ptheorem.model.spec import NetworkSpec
from ptheorem.numeric.network import ConcreteNetwork


def parallel_network(
    spec: NetworkSpec,
    activation: Activation | str,
    rng: np.random.Generator,
    scale: float = 1.0,
) -> ConcreteNetwork:
    """Return a net with W₀ = a uᵀ, W_{L−1} = u cᵀ (u a random unit vector), others random.

    a_m = ±U(0.5, 1.5)·scale with a random sign, so z₁ = a·(u·x) is O(scale) for
    unit-variance x and no unit sits in the near-linear range of σ around 0,
    c ~ N(0, scale²/n_{L−1}); middle weights and biases as in
    :meth:`ConcreteNetwork.random`.
    """
    if spec.depth < 2:
        raise InputError("the parallel family needs at least one hidden layer (depth ≥ 2)")
    base = ConcreteNetwork.random(spec, activation, rng, scale)
    u = rng.standard_normal(spec.dim)
    u /= np.linalg.norm(u)
    a = rng.choice((-1.0, 1.0), size=spec.widths[0]) * rng.uniform(0.5, 1.5, spec.widths[0])
    a *= scale
    c = rng.standard_normal(spec.widths[-1]) * scale / np.sqrt(spec.widths[-1])
    weights = list(base.weights)
    weights[0] = np.outer(a, u)
    weights[-1] = np.outer(u, c)
    return ConcreteNetwork(tuple(weights), base.biases, base.activation)


def tied_network(
    spec: NetworkSpec,
    activation: Activation | str,
    rng: np.random.Generator,
    scale: float = 1.0,
) -> ConcreteNetwork:
    """Return an L = 2 net with W₁ = W₀ᵀ diag(S), S ~ N(0, scale²/n) and W₀ random."""
    if spec.depth != 2:
        raise InputError(f"the tied family needs depth 2 (one hidden layer), got {spec.depth}")
    base = ConcreteNetwork.random(spec, activation, rng, scale)
    s = rng.standard_normal(spec.widths[0]) * scale / np.sqrt(spec.widths[0])
    w1 = base.weights[0].T * s[None, :]
    return ConcreteNetwork((base.weights[0], w1), base.biases, base.activation)
