"""The sympy Jacobian of ψ against independent numeric Jacobians.

Three independent routes to J(x) = ∂ψ/∂x at random weights and points:

* sympy: ``build_network(...).psi().jacobian(x)``, lambdified;
* the numeric engine: ``ConcreteNetwork.jacobians`` (exact chain rule in numpy);
* a complex-step derivative of a forward pass written here in plain numpy.

The frozen chain of :func:`derive` (σ′ replaced by its value at the point) must
reproduce the same J.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import example, given
from hypothesis import strategies as st

from ptheorem.model.spec import NetworkSpec
from ptheorem.numeric import ConcreteNetwork, get_activation
from ptheorem.symbolic.derive import derive
from ptheorem.symbolic.network import SIGMA, SymbolicNetwork, build_network

#: numpy forms (valid on complex arrays, for the complex step) of the smooth σ used here.
NUMPY_SIGMA = {
    "tanh": np.tanh,
    "swish": lambda t: t / (1.0 + np.exp(-t)),
}
SYMPY_SIGMA = {
    "tanh": sp.tanh,
    "swish": lambda t: t / (1 + sp.exp(-t)),
}
RTOL, ATOL = 1e-9, 1e-12
STEP = 1e-30


@st.composite
def network_shapes(draw, max_depth: int = 4, max_dim: int = 3, max_width: int = 3):
    depth = draw(st.integers(1, max_depth))
    dim = draw(st.integers(1, max_dim))
    widths = tuple(
        draw(st.lists(st.integers(1, max_width), min_size=depth - 1, max_size=depth - 1))
    )
    bias = draw(st.booleans())
    return depth, dim, widths, bias


def _random_values(net: SymbolicNetwork, concrete: ConcreteNetwork) -> dict[sp.Symbol, float]:
    """Map every weight/bias symbol of ``net`` to the concrete net's number."""
    values: dict[sp.Symbol, float] = {}
    for k, w in enumerate(net.weights):
        for (o, i), s in np.ndenumerate(np.array(w.tolist(), dtype=object)):
            values[s] = float(concrete.weights[k][o, i])
        b = net.biases[k]
        if b is not None:
            for o, s in enumerate(b):
                values[s] = float(concrete.biases[k][o])
    return values


def _forward(weights, biases, sigma, x: np.ndarray) -> np.ndarray:
    """ψ(x) by a plain loop (works on complex x)."""
    h = x
    for k, w in enumerate(weights):
        z = w @ h
        if biases[k] is not None:
            z = z + biases[k]
        h = z if k == len(weights) - 1 else sigma(z)
    return h


def _complex_step_jacobian(weights, biases, sigma, x: np.ndarray) -> np.ndarray:
    """J[i, j] = Im ψᵢ(x + i·h·eⱼ) / h, exact to rounding (no subtraction)."""
    d = x.shape[0]
    jac = np.empty((d, d))
    for j in range(d):
        xc = x.astype(complex)
        xc[j] += 1j * STEP
        jac[:, j] = _forward(weights, biases, sigma, xc).imag / STEP
    return jac


def _setup(shape, activation: str, seed: int):
    depth, dim, widths, bias = shape
    spec = NetworkSpec(depth, dim, widths, bias, activation)
    rng = np.random.default_rng(seed)
    concrete = ConcreteNetwork.random(spec, get_activation(activation), rng)
    net = build_network(spec)
    points = rng.standard_normal((3, dim))
    return net, concrete, points


@given(
    shape=network_shapes(),
    activation=st.sampled_from(sorted(NUMPY_SIGMA)),
    seed=st.integers(0, 2**32 - 1),
)
@example(shape=(4, 3, (3, 2, 3), True), activation="swish", seed=0)
def test_sympy_jacobian_matches_numeric_and_complex_step(shape, activation, seed) -> None:
    net, concrete, points = _setup(shape, activation, seed)
    x = sp.Matrix(net.inputs)
    jac = net.psi().jacobian(x)
    values = _random_values(net, concrete)
    syms = list(values)
    f = sp.lambdify([list(net.inputs), syms], jac, "numpy", cse=True)
    w_vals = [values[s] for s in syms]
    numeric = concrete.jacobians(points)
    for p, point in enumerate(points):
        sym_j = np.asarray(f(point, w_vals), dtype=float)
        cs_j = _complex_step_jacobian(
            concrete.weights, concrete.biases, NUMPY_SIGMA[activation], point
        )
        np.testing.assert_allclose(sym_j, numeric[p], rtol=RTOL, atol=ATOL)
        np.testing.assert_allclose(sym_j, cs_j, rtol=RTOL, atol=ATOL)


@given(
    shape=network_shapes(),
    activation=st.sampled_from(sorted(NUMPY_SIGMA)),
    seed=st.integers(0, 2**32 - 1),
)
@example(shape=(4, 3, (3, 2, 3), True), activation="swish", seed=0)
def test_frozen_chain_reproduces_jacobian(shape, activation, seed) -> None:
    """J = W⁽ᴸ⁻¹⁾ D⁽ᴸ⁻¹⁾ ⋯ D⁽¹⁾ W⁽⁰⁾ with each frozen σ′ symbol set to σ′ at the point."""
    net, concrete, points = _setup(shape, activation, seed)
    lj = derive(net).layer_jacobians
    values = _random_values(net, concrete)
    assert len(lj.affine) == net.spec.depth
    assert len(lj.activation) == net.spec.depth - 1
    assert set(lj.frozen) == {s for layer in lj.frozen_by_layer for s in layer}
    affine = [np.array(a.xreplace(values).tolist(), dtype=float) for a in lj.affine]
    for k, a in enumerate(affine):
        np.testing.assert_array_equal(a, concrete.weights[k])
    numeric = concrete.jacobians(points)
    slopes = concrete.derivatives(points)
    for p in range(points.shape[0]):
        frozen_values = {
            s: slopes[k][p, u]
            for k, layer in enumerate(lj.frozen_by_layer)
            for u, s in enumerate(layer)
        }
        chain = affine[-1]
        for k in range(len(lj.activation), 0, -1):
            act = np.array(lj.activation[k - 1].xreplace(frozen_values).tolist(), dtype=float)
            chain = chain @ act @ affine[k - 1]
        np.testing.assert_allclose(chain, numeric[p], rtol=RTOL, atol=ATOL)


@given(
    shape=network_shapes(max_depth=3),
    activation=st.sampled_from(sorted(NUMPY_SIGMA)),
    seed=st.integers(0, 2**32 - 1),
)
def test_frozen_symbols_stand_for_sigma_prime(shape, activation, seed) -> None:
    """``frozen[s]`` (in the layer-input placeholders h) evaluates to σ′ of the pre-activation."""
    net, concrete, points = _setup(shape, activation, seed)
    lj = net.layer_jacobians()
    values = _random_values(net, concrete)
    sigma = NUMPY_SIGMA[activation]
    slopes = concrete.derivatives(points)
    for p, point in enumerate(points):
        h = point
        for k, layer in enumerate(lj.frozen_by_layer):
            placeholders = {sp.Symbol(f"h{k}_{i + 1}"): float(v) for i, v in enumerate(h)}
            for u, s in enumerate(layer):
                expr = lj.frozen[s].xreplace(values).xreplace(placeholders)
                assert float(expr.evalf()) == pytest.approx(slopes[k][p, u], rel=1e-12, abs=1e-14)
            z = concrete.weights[k] @ h
            if concrete.biases[k] is not None:
                z = z + concrete.biases[k]
            h = sigma(z)


@pytest.mark.parametrize(
    ("depth", "dim", "widths", "bias"),
    [(1, 2, (), True), (2, 2, (3,), False), (3, 2, (2, 2), True), (4, 2, (2, 1, 2), False)],
)
@pytest.mark.parametrize("activation", sorted(SYMPY_SIGMA))
def test_generic_sigma_replaced_by_concrete(depth, dim, widths, bias, activation) -> None:
    """The undefined σ replaced by a formula gives the named-activation network exactly."""
    generic = build_network(NetworkSpec(depth, dim, widths, bias))
    named = build_network(NetworkSpec(depth, dim, widths, bias, activation))
    replaced = generic.psi().replace(SIGMA, SYMPY_SIGMA[activation])
    assert replaced == named.psi()
    # …and the Jacobian of the replaced ψ agrees with the numeric engine.
    rng = np.random.default_rng(depth * 10 + dim)
    concrete = ConcreteNetwork.random(named.spec, get_activation(activation), rng)
    values = _random_values(generic, concrete)
    point = rng.standard_normal(dim)
    jac = replaced.jacobian(sp.Matrix(generic.inputs)).xreplace(values)
    jac = jac.xreplace(dict(zip(generic.inputs, map(float, point), strict=True)))
    got = np.array(jac.evalf().tolist(), dtype=float)
    np.testing.assert_allclose(got, concrete.jacobians(point[None, :])[0], rtol=RTOL, atol=ATOL)


def test_generic_jacobian_is_the_papers_eq4() -> None:
    """For L = 3 with σ left undefined, ∂ⱼψᵢ is Eq. 4 summed over n, m (σ′ unfrozen)."""
    net = build_network(NetworkSpec(3, 2, (2, 2)))
    x1, x2 = net.inputs
    w0, w1, w2 = net.weights
    jac = net.psi().jacobian(sp.Matrix(net.inputs))
    t = sp.Dummy("t")

    def dsigma(arg):
        return sp.Derivative(SIGMA(t), t).subs(t, arg)

    expected = sp.zeros(2, 2)
    for i in range(2):
        for j in range(2):
            total = sp.Integer(0)
            for n in range(2):
                for m in range(2):
                    inner = w0[m, 0] * x1 + w0[m, 1] * x2
                    mid = sum(w1[n, a] * SIGMA(w0[a, 0] * x1 + w0[a, 1] * x2) for a in range(2))
                    total += w2[i, n] * w1[n, m] * w0[m, j] * dsigma(mid) * dsigma(inner)
            expected[i, j] = total
    assert sp.simplify(jac - expected) == sp.zeros(2, 2)
