"""Small networks that exercise every branch of ``audit``: one per way the theorem can fail.

Each builder returns a :class:`~ptheorem.numeric.network.ConcreteNetwork` with small
integer (or dyadic) weights, so the stored floats are exactly the intended numbers
and the exact certificates apply to them.  :data:`WITNESSES` maps a name to its
builder and the verdict ``audit`` gives (used by the tests and handy for demos)::

    from ptheorem.counterexamples.library import WITNESSES
    net = WITNESSES["block-diagonal"].build()
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from math import lcm
from typing import Any

import numpy as np

from ptheorem.activations import get_activation
from ptheorem.model.spec import NetworkSpec
from ptheorem.model.status import Status
from ptheorem.numeric.network import ConcreteNetwork


def _net(weights: list[Any], activation: str) -> ConcreteNetwork:
    ws = tuple(np.array(w, dtype=np.float64) for w in weights)
    return ConcreteNetwork(ws, (None,) * len(ws), get_activation(activation))


def block_diagonal(activation: str = "tanh") -> ConcreteNetwork:
    """L = 3, d = 2: middle weights diagonal, so unit 1 only feeds unit 1 and 2 only 2.

    ψ(x) = (σ(σ(x₁)), 3σ(2σ(x₂))) is the gradient of Σ of 1-d antiderivatives,
    yet the input rows e₁, e₂ are orthogonal: H2 fails, the corrected theorem holds.
    """
    return _net([[[1, 0], [0, 1]], [[1, 0], [0, 2]], [[1, 0], [0, 3]]], activation)


def duplicate_units(activation: str = "tanh") -> ConcreteNetwork:
    """L = 3, d = 2, widths (3, 1): units 1 and 2 share the row e₁ and cancel (+1, −1).

    ψ(x) = e₂ σ(σ(x₁) − σ(x₁) + σ(x₂)) is curl-free with input rows e₁, e₁, e₂:
    the two duplicate units make the path functions dependent (H1 fails).
    """
    return _net([[[1, 0], [1, 0], [0, 1]], [[1, -1, 1]], [[0], [1]]], activation)


def zero_output(activation: str = "tanh") -> ConcreteNetwork:
    """L = 3, d = 2 with every output weight zero: ψ is constant (the trivial case)."""
    return _net([[[1, 2], [-1, 1]], [[1, 1], [2, -1]], [[0, 0], [0, 0]]], activation)


def linear_symmetric(depth: int = 3) -> ConcreteNetwork:
    """σ linear with W_{L−1}⋯W₀ = [[2, 1], [1, 3]] symmetric and non-parallel input rows.

    L = 3: W₀ = I, W₁ = [[1, 1], [1, 2]], W₂ = [[3, −1], [−1, 2]].  L = 2:
    W₀ = [[1, 1], [1, 2]], W₁ = [[3, −1], [−1, 2]] (not tied to W₀).  σ′ ≡ 1, so
    H1 and H3 fail.
    """
    if depth == 2:
        return _net([[[1, 1], [1, 2]], [[3, -1], [-1, 2]]], "linear")
    return _net([[[1, 0], [0, 1]], [[1, 1], [1, 2]], [[3, -1], [-1, 2]]], "linear")


def relu_linear_emulation() -> ConcreteNetwork:
    """ReLU, L = 3, d = 2, widths (4, 1): relu(t) − relu(−t) = t rebuilds x₁ + x₂ inside.

    First layer relu(±x₁), relu(±x₂); the last hidden unit sums them with signs
    (+1, −1, +1, −1) to get exactly x₁ + x₂, so ψ(x) = (1, 1) relu(x₁ + x₂) is the
    gradient of relu(x₁ + x₂)²/2 although the input rows are e₁ and e₂ (H1, H3 fail).
    """
    return _net([[[1, 0], [-1, 0], [0, 1], [0, -1]], [[1, -1, 1, -1]], [[1], [1]]], "relu")


def parallel_integer(activation: str = "tanh") -> ConcreteNetwork:
    """The paper's parallel family with small rationals: W₀ = a uᵀ, W₂ = u cᵀ, u = (1, 2)."""
    u = np.array([1.0, 2.0])
    w0 = np.outer([1.0, -2.0, 0.5], u)
    w1 = np.array([[1.0, 2.0, -1.0], [0.5, 1.0, 3.0], [2.0, -1.0, 1.0]])
    w2 = np.outer(u, [1.0, -1.0, 0.25])
    act = get_activation(activation)
    return ConcreteNetwork((w0, w1, w2), (np.array([0.5, 0.0, 1.0]), None, None), act)


def square_untied(dim: int = 2, width: int = 3, seed: int = 0) -> ConcreteNetwork:
    """σ = square, L = 2: a curl-free ψ whose readout is *not* tied to W₀ (Eq. 2 fails).

    With σ′(t) = 2t, J(x) = 2 W₁ diag(W₀x) W₀ and symmetry for all x is the linear
    system Σₘ (W₁[i,m] W₀[m,j] − W₁[j,m] W₀[m,i]) W₀[m,k] = 0 in W₁.  Its null space
    (sympy, exact) has dimension above ``width`` (the tied solutions) once
    ``width > dim``; the builder returns an integer null vector that is not tied.
    W₀ is random integer (``seed``).
    """
    import sympy as sp

    rng = np.random.default_rng(seed)
    while True:
        w0 = rng.integers(-3, 4, size=(width, dim))
        if np.all(np.any(w0 != 0, axis=1)):
            break
    unknowns = sp.symbols(f"w0:{dim * width}")
    w1 = sp.Matrix(dim, width, unknowns)
    eqs = [
        sum((w1[i, m] * w0[m, j] - w1[j, m] * w0[m, i]) * w0[m, k] for m in range(width))
        for i in range(dim)
        for j in range(i + 1, dim)
        for k in range(dim)
    ]
    system = sp.Matrix([[sp.diff(e, u) for u in unknowns] for e in eqs])
    for vec in system.nullspace():
        scale = lcm(*(sp.fraction(v)[1] for v in vec))
        cand = np.array(
            [[float(vec[i * width + m] * scale) for m in range(width)] for i in range(dim)]
        )
        tied = all(np.linalg.matrix_rank(np.vstack([cand[:, m], w0[m]])) <= 1 for m in range(width))
        if not tied:
            return _net([w0.tolist(), cand.tolist()], "square")
    raise ValueError("no untied solution (need width > dim)")  # pragma: no cover


def random_net(activation: str = "tanh", seed: int = 0) -> ConcreteNetwork:
    """A random L = 3, d = 3 net with LeCun-normal weights: not curl-free."""
    return ConcreteNetwork.random(
        NetworkSpec(3, 3, (4, 4)), activation, np.random.default_rng(seed)
    )


@dataclass(frozen=True)
class Witness:
    """A named example network and the audit verdict it should get (a :class:`Status`)."""

    name: str
    build: Callable[[], ConcreteNetwork]
    status: Status
    failed: tuple[str, ...]
    summary: str


REFUTED, PROVED = Status.REFUTED, Status.PROVED


WITNESSES: dict[str, Witness] = {
    w.name: w
    for w in (
        Witness("block-diagonal", block_diagonal, REFUTED, ("H2",), "zero middle weights"),
        Witness("redundant-units", duplicate_units, REFUTED, ("H1",), "duplicate units"),
        Witness("zero-output", zero_output, PROVED, (), "ψ ≡ 0"),
        Witness("square-untied", square_untied, REFUTED, ("H1",), "polynomial σ"),
        Witness("linear-L3", linear_symmetric, REFUTED, ("H1", "H3"), "linear σ"),
        Witness("linear-L2", lambda: linear_symmetric(2), REFUTED, ("H1", "H3"), "linear σ"),
        Witness("relu-emulation", relu_linear_emulation, REFUTED, ("H1", "H3"), "ReLU"),
        Witness("parallel", parallel_integer, PROVED, (), "the paper's parallel family"),
        Witness("random", random_net, PROVED, (), "random weights (provably not curl-free)"),
    )
}
