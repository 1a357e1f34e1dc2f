"""ConcreteNetwork: exact chain-rule Jacobians against independent complex-step derivatives."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ptheorem.model.errors import InputError
from ptheorem.model.spec import NetworkSpec
from ptheorem.numeric import ConcreteNetwork, get_activation, sample_points


def _mp_gelu(z: complex) -> complex:
    # 60 digits: the 1e-30 imaginary step must survive erf's internal rounding.
    with mpmath.workdps(60):
        w = mpmath.mpc(z)
        return complex(w * (1 + mpmath.erf(w / mpmath.sqrt(2))) / 2)


_gelu_complex_ufunc = np.frompyfunc(_mp_gelu, 1, 1)


def _gelu_complex(z: np.ndarray) -> np.ndarray:
    return _gelu_complex_ufunc(z).astype(complex)


#: Complex-analytic σ written independently of the engine, for the complex step.
COMPLEX_SIGMA = {
    "swish": lambda z: z / (1 + np.exp(-z)),
    "swish:2.5": lambda z: z / (1 + np.exp(-2.5 * z)),
    "tanh": np.tanh,
    "softplus": lambda z: np.log(1 + np.exp(z)),
    "sin": np.sin,
    "gelu": _gelu_complex,
    "square": lambda z: z**2,
    "cube": lambda z: z**3,
    "linear": lambda z: z,
}
STEP = 1e-30


def complex_step_jacobians(net: ConcreteNetwork, spec: str, X: np.ndarray) -> np.ndarray:
    """J[p, i, j] = Im ψ_i(x_p + i·h·e_j)/h: exact to rounding, no subtraction."""
    sigma = COMPLEX_SIGMA[spec]
    n, d = X.shape
    out = np.empty((n, d, d))
    for j in range(d):
        h = X.astype(complex)
        h[:, j] += 1j * STEP
        for k, w in enumerate(net.weights):
            h = h @ w.T + (0 if net.biases[k] is None else net.biases[k])
            if k < net.depth - 1:
                h = sigma(h)
        out[:, :, j] = h.imag / STEP
    return out


def random_net(seed: int, depth: int, dim: int, widths, act: str, bias: bool) -> ConcreteNetwork:
    spec = NetworkSpec(depth, dim, tuple(widths), bias)
    return ConcreteNetwork.random(spec, act, np.random.default_rng(seed))


@settings(max_examples=12, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    depth=st.integers(1, 4),
    dim=st.integers(1, 4),
    width=st.integers(1, 5),
    bias=st.booleans(),
    act=st.sampled_from(sorted(COMPLEX_SIGMA)),
)
def test_jacobian_matches_complex_step(seed, depth, dim, width, bias, act) -> None:
    net = random_net(seed, depth, dim, [width] * (depth - 1), act, bias)
    X = sample_points(np.random.default_rng(seed + 1), 6, dim)
    jac = net.jacobians(X)
    ref = complex_step_jacobians(net, act, X)
    scale = max(1.0, float(np.abs(ref).max()))
    np.testing.assert_allclose(jac, ref, rtol=1e-12, atol=1e-12 * scale)


@pytest.mark.parametrize("act", sorted(COMPLEX_SIGMA))
def test_every_smooth_activation_against_complex_step(act: str) -> None:
    net = random_net(7, 3, 3, [4, 5], act, True)
    X = sample_points(np.random.default_rng(8), 5, 3)
    np.testing.assert_allclose(net.forward(X), _forward(net, act, X), rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(
        net.jacobians(X), complex_step_jacobians(net, act, X), rtol=1e-12, atol=1e-13
    )


def _forward(net: ConcreteNetwork, act: str, X: np.ndarray) -> np.ndarray:
    h = X.astype(complex)
    for k, w in enumerate(net.weights):
        h = h @ w.T + (0 if net.biases[k] is None else net.biases[k])
        if k < net.depth - 1:
            h = COMPLEX_SIGMA[act](h)
    return h.real


def test_relu_against_central_differences() -> None:
    """ReLU is piecewise linear: a central difference is exact away from the kinks."""
    net = random_net(3, 3, 3, [6, 6], "relu", True)
    X = sample_points(np.random.default_rng(4), 8, 3)
    h = 1e-7
    ref = np.stack(
        [(net.forward(X + h * e) - net.forward(X - h * e)) / (2 * h) for e in np.eye(3)], axis=2
    )
    np.testing.assert_allclose(net.jacobians(X), ref, atol=1e-7)


def test_depth_one_is_the_constant_weight() -> None:
    w = np.array([[1.0, 2.0], [3.0, 4.0]])
    net = ConcreteNetwork((w,), (np.array([0.5, -1.0]),), get_activation("tanh"))
    X = sample_points(np.random.default_rng(0), 5, 2)
    np.testing.assert_array_equal(net.jacobians(X), np.broadcast_to(w, (5, 2, 2)))
    np.testing.assert_allclose(net.forward(X), X @ w.T + [0.5, -1.0])
    assert (net.depth, net.dim, net.widths) == (1, 2, ())


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), chunk=st.integers(1, 40), n=st.integers(0, 40))
def test_chunking_matches_unchunked(seed, chunk, n) -> None:
    """Chunks only change the BLAS blocking: equal up to a few ulp, in the same order."""
    net = random_net(seed, 4, 3, [5, 4, 6], "swish:1.5", True)
    X = sample_points(np.random.default_rng(seed), n, 3)
    whole = net.jacobians(X, chunk_size=max(n, 1))
    chunked = net.jacobians(X, chunk_size=chunk)
    np.testing.assert_allclose(chunked, whole, rtol=1e-13, atol=1e-15)
    parts = list(net.iter_jacobians(X, chunk_size=chunk))
    assert [p.shape[0] for p in parts] == [min(chunk, n - s) for s in range(0, n, chunk)]


def test_same_seed_same_arrays() -> None:
    def build():
        rng = np.random.default_rng(123)
        net = ConcreteNetwork.random(NetworkSpec(3, 3, (4, 4), True), "gelu", rng)
        X = sample_points(rng, 9, 3)
        return net, X, net.jacobians(X)

    (n1, x1, j1), (n2, x2, j2) = build(), build()
    for a, b in zip(n1.weights + n1.biases, n2.weights + n2.biases, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(j1, j2)


def test_random_init_scale_and_spec() -> None:
    spec = NetworkSpec(3, 50, (400, 300), True)
    net = ConcreteNetwork.random(spec, "tanh", np.random.default_rng(0), scale=2.0)
    for w in net.weights:
        assert abs(w.std() * np.sqrt(w.shape[1]) / 2.0 - 1) < 0.05
    assert all(
        b is not None and b.shape == (w.shape[0],)
        for w, b in zip(net.weights, net.biases, strict=True)
    )
    assert net.spec == NetworkSpec(3, 50, (400, 300), True, "tanh")
    no_bias = ConcreteNetwork.random(NetworkSpec(2, 2, (3,)), "tanh", np.random.default_rng(0))
    assert no_bias.biases == (None, None)


def test_arrays_are_copied_and_read_only() -> None:
    w0, w1 = np.ones((3, 2)), np.ones((2, 3))
    net = ConcreteNetwork((w0, w1), (None, None), get_activation("tanh"))
    w0[0, 0] = 5.0
    assert net.weights[0][0, 0] == 1.0
    with pytest.raises(ValueError):
        net.weights[0][0, 0] = 2.0


@pytest.mark.parametrize(
    ("weights", "biases", "fragment"),
    [
        ((np.ones((3, 2)), np.ones((2, 4))), (None, None), "layer 1 has 4 input column(s)"),
        ((np.ones((3, 2)), np.ones((3, 3))), (None, None), "ψ must map"),
        ((np.ones((3, 2)), np.ones((2, 3))), (np.ones(2), None), "bias of layer 0"),
        ((np.ones((3, 2)), np.full((2, 3), np.nan)), (None, None), "weight of layer 1"),
        ((np.ones((3, 2)),), (None, None), "1 weight layer(s) but 2"),
        ((np.ones(3),), (None,), "weight of layer 0 must be a non-empty matrix"),
        ((), (), "at least one weight layer"),
    ],
)
def test_validation_errors(weights, biases, fragment) -> None:
    with pytest.raises(InputError) as info:
        ConcreteNetwork(weights, biases, get_activation("tanh"))
    assert fragment in str(info.value)


def test_bad_points_and_chunk_sizes() -> None:
    net = random_net(0, 2, 3, [4], "tanh", False)
    with pytest.raises(InputError, match=r"shape \(N, 3\)"):
        net.jacobians(np.zeros((4, 2)))
    with pytest.raises(InputError, match="finite"):
        net.forward(np.full((1, 3), np.inf))
    for bad in (0, -1, 2.5, True):
        with pytest.raises(InputError, match="chunk_size"):
            net.jacobians(np.zeros((2, 3)), chunk_size=bad)
