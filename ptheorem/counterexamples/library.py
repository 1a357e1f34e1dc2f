"""The one library of named witness networks: one per way the theorem can fail, and controls.

Each builder returns a :class:`~ptheorem.numeric.network.ConcreteNetwork` whose stored
floats are exactly the intended numbers (integers, dyadic rationals, or parallel by
construction), so the exact certificates apply to them.

* :data:`WITNESSES` — fixed-shape networks that exercise every branch of ``audit``,
  each with the verdict ``audit`` gives (used by the tests)::

      from ptheorem.counterexamples.library import WITNESSES
      net = WITNESSES["block-diagonal"].build()

* :func:`teaching_set` / :func:`demo_set` — d = 2, width-2 networks at any depth, each
  breaking one hypothesis, audited live by ``explain`` and ``demo``.
"""

from __future__ import annotations

import math
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
class Construction:
    """A named network construction: how to build it, what it breaks, what audit says of it.

    ``breaks`` names the paper's hypothesis it breaks ("" for a control);
    ``status`` and ``failed`` are the audit verdict and failed hypotheses it gets
    (None when only the teaching views use it).
    """

    name: str
    build: Callable[[], ConcreteNetwork]
    status: Status | None
    failed: tuple[str, ...]
    summary: str
    breaks: str = ""


REFUTED, PROVED = Status.REFUTED, Status.PROVED


WITNESSES: dict[str, Construction] = {
    w.name: w
    for w in (
        Construction("block-diagonal", block_diagonal, REFUTED, ("H2",), "zero middle weights"),
        Construction("redundant-units", duplicate_units, REFUTED, ("H1",), "duplicate units"),
        Construction("zero-output", zero_output, PROVED, (), "ψ ≡ 0"),
        Construction("square-untied", square_untied, REFUTED, ("H1",), "polynomial σ"),
        Construction("linear-L3", linear_symmetric, REFUTED, ("H1", "H3"), "linear σ"),
        Construction("linear-L2", lambda: linear_symmetric(2), REFUTED, ("H1", "H3"), "linear σ"),
        Construction("relu-emulation", relu_linear_emulation, REFUTED, ("H1", "H3"), "ReLU"),
        Construction("parallel", parallel_integer, PROVED, (), "the paper's parallel family"),
        Construction("random", random_net, PROVED, (), "random weights (provably not curl-free)"),
    )
}


# --- teaching constructions: d = 2, width 2, any depth ---------------------------------

#: Two input directions 45° apart (rows of θ⁽⁰⁾ in the teaching constructions).
_U1 = np.array([1.0, 0.0])
_U2 = np.array([1.0, 1.0]) / math.sqrt(2.0)


def _teaching(
    title: str, breaks: str, description: str, build: Callable[[], ConcreteNetwork]
) -> Construction:
    return Construction(title, build, None, (), description, breaks)


def _shape(depth: int) -> NetworkSpec:
    return NetworkSpec(depth, 2, (2,) * (depth - 1))


def two_channels(depth: int) -> Construction:
    """Two channels 1→1 and 2→2 through diagonal middle weights, input rows 45° apart."""
    if depth < 3:
        raise ValueError("the block-diagonal witness needs middle weights (depth ≥ 3)")
    rows = np.stack([0.9 * _U1, 1.2 * _U2])
    middle = [np.diag([1.1, -0.8]) for _ in range(depth - 2)]
    readout = np.stack([0.7 * _U1, -0.5 * _U2], axis=1)  # column n = c_n u_n
    net = ConcreteNetwork((rows, *middle, readout), (None,) * depth, get_activation("tanh"))
    return _teaching(
        "block-diagonal middle weights",
        "A2 (nonzero middle weights)",
        "middle weights diagonal (two channels), θ⁽⁰⁾ rows 45° apart, each output column "
        "parallel to its channel's input row",
        lambda: net,
    )


def linear_unimodular(depth: int) -> Construction:
    """σ linear and θ⁽ᴸ⁻¹⁾ chosen so that the constant J is symmetric; input rows 45° apart."""
    if depth < 2:
        raise ValueError("the linear witness needs a hidden layer (depth ≥ 2)")
    rows = np.array([[1.0, 0.0], [1.0, 1.0]])  # 45° apart
    # Dense and unimodular (det 1): the product has an integer inverse, so every stored
    # weight is an integer and J is exactly the symmetric target.
    middle = [np.array([[2.0, 1.0], [1.0, 1.0]]) for _ in range(depth - 2)]
    product = rows
    for w in middle:
        product = w @ product
    inverse = np.round(np.linalg.inv(product))
    assert np.array_equal(product @ inverse, np.eye(2))
    target = np.array([[2.0, 1.0], [1.0, 3.0]])  # the symmetric J
    readout = target @ inverse
    net = ConcreteNetwork((rows, *middle, readout), (None,) * depth, get_activation("linear"))
    return _teaching(
        "linear σ",
        "A1 (independent path functions)",
        "θ⁽⁰⁾ rows 45° apart, last layer solved so that J = [[2, 1], [1, 3]]",
        lambda: net,
    )


def zero_readout(depth: int) -> Construction:
    """θ⁽ᴸ⁻¹⁾ = 0: ψ ≡ 0 whatever the input rows (the trivial branch the claim sets aside)."""
    if depth < 2:
        raise ValueError("the zero read-out witness needs a hidden layer (depth ≥ 2)")
    rows = np.stack([0.9 * _U1, 1.2 * _U2])
    middle = [np.array([[1.0, -0.6], [0.4, 0.9]]) for _ in range(depth - 2)]
    readout = np.zeros((2, 2))
    net = ConcreteNetwork((rows, *middle, readout), (None,) * depth, get_activation("tanh"))
    return _teaching(
        "ψ ≡ 0",
        "trivial branch θ⁽ᴸ⁻¹⁾ = 0 (set aside by the claim)",
        "θ⁽⁰⁾ rows 45° apart, last layer 0",
        lambda: net,
    )


def zero_input_row() -> Construction:
    """L = 2: input row 2 is zero, so output column 2 is free (not tied to it)."""
    rows = np.array([[1.0, 0.5], [0.0, 0.0]])
    readout = np.array([[0.8 * 1.0, 1.0], [0.8 * 0.5, 2.0]])  # column 1 = 0.8·row 1
    net = ConcreteNetwork((rows, readout), (None, None), get_activation("tanh"))
    return _teaching(
        "zero input row",
        "A3 (nonzero input rows)",
        "θ⁽⁰⁾₂ = 0, θ⁽¹⁾₁ = 0.8 θ⁽⁰⁾₁, θ⁽¹⁾₂ = (1, 2) free",
        lambda: net,
    )


def random_control(depth: int, seed: int = 0) -> Construction:
    """A random dense tanh net of the same shape: the control, far from curl-free."""
    net = ConcreteNetwork.random(_shape(depth), "tanh", np.random.default_rng(seed))
    return _teaching(
        "random dense (control)",
        "",
        f"N(0, 1/fan-in) weights, seed {seed}",
        lambda: net,
    )


def teaching_set(depth: int) -> tuple[Construction, ...]:
    """The witnesses that matter at this depth (none for L = 1), then the control."""
    if depth == 1:
        return ()
    found: tuple[Construction, ...]
    if depth == 2:
        found = (linear_unimodular(2), zero_input_row())
    else:
        found = (two_channels(depth), linear_unimodular(depth), zero_readout(depth))
    return (*found, random_control(depth))


def demo_set() -> tuple[Construction, ...]:
    """The counterexample classes of the demo: L = 3 ones, the L = 2 zero row, a control."""
    return (
        two_channels(3),
        linear_unimodular(3),
        zero_readout(3),
        zero_input_row(),
        random_control(3),
    )
