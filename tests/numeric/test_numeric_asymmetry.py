"""NAsym: random nets are far from gradients, the paper's symmetric families are exact."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ptheorem.model.errors import InputError
from ptheorem.model.spec import NetworkSpec
from ptheorem.numeric import (
    ConcreteNetwork,
    asymmetry,
    get_activation,
    parallel_network,
    random_smooth_activation,
    sample_points,
    tied_network,
)

SMOOTH = ["swish", "tanh", "softplus", "sin", "gelu"]
seeds = st.integers(0, 2**32 - 1)


def _spec(draw_depth: int, dim: int, widths: list[int], bias: bool) -> NetworkSpec:
    return NetworkSpec(draw_depth, dim, tuple(widths[: draw_depth - 1]), bias)


@settings(max_examples=25, deadline=None)
@given(
    seed=seeds,
    depth=st.integers(2, 4),
    dim=st.integers(2, 5),
    widths=st.lists(st.integers(1, 5), min_size=3, max_size=3),
    bias=st.booleans(),
)
def test_random_dense_nets_are_asymmetric(seed, depth, dim, widths, bias) -> None:
    rng = np.random.default_rng(seed)
    net = ConcreteNetwork.random(
        _spec(depth, dim, widths, bias), random_smooth_activation(rng), rng
    )
    report = asymmetry(net, sample_points(rng, 64, dim))
    assert report.nasym > 1e-6
    assert not report.degenerate
    assert report.root == pytest.approx(np.sqrt(report.nasym))
    assert report.nasym <= report.max_pointwise * (1 + 1e-12)  # a weighted mean ≤ the max


@settings(max_examples=25, deadline=None)
@given(
    seed=seeds,
    depth=st.integers(2, 5),
    dim=st.integers(1, 5),
    widths=st.lists(st.integers(1, 5), min_size=4, max_size=4),
    bias=st.booleans(),
    act=st.sampled_from([*SMOOTH, "relu", "square", "cube"]),
)
def test_parallel_family_is_symmetric(seed, depth, dim, widths, bias, act) -> None:
    """W₀ = a uᵀ and W_{L−1} = u cᵀ give J = (scalar)·u uᵀ, symmetric at every depth."""
    rng = np.random.default_rng(seed)
    net = parallel_network(_spec(depth, dim, widths, bias), act, rng)
    report = asymmetry(net, sample_points(rng, 50, dim))
    assert report.nasym <= 1e-24
    assert report.root <= 1e-12
    # Pointwise, J can nearly cancel (‖J(x)‖ ≪ the terms summed into it), so rounding
    # weighs more there; the pooled figure is the one the claim is about.
    assert report.max_pointwise <= 1e-16


@settings(max_examples=20, deadline=None)
@given(
    seed=seeds,
    dim=st.integers(1, 5),
    width=st.integers(1, 8),
    bias=st.booleans(),
    act=st.sampled_from(SMOOTH),
)
def test_tied_one_hidden_layer_is_symmetric(seed, dim, width, bias, act) -> None:
    """W₁ = W₀ᵀ diag(S) (Eq. 2) gives J = W₀ᵀ diag(S ⊙ σ′) W₀."""
    rng = np.random.default_rng(seed)
    net = tied_network(NetworkSpec(2, dim, (width,), bias), act, rng)
    assert asymmetry(net, sample_points(rng, 50, dim)).root <= 1e-12


def test_depth_one_values_are_exact() -> None:
    act = get_activation("tanh")
    X = sample_points(np.random.default_rng(0), 10, 2)
    antisym = ConcreteNetwork((np.array([[0.0, 1.0], [-1.0, 0.0]]),), (None,), act)
    report = asymmetry(antisym, X)
    assert report.nasym == 4.0 and report.max_pointwise == 4.0  # the largest possible
    upper = ConcreteNetwork((np.array([[1.0, 1.0], [0.0, 1.0]]),), (None,), act)
    assert asymmetry(upper, X).nasym == 2.0 / 3.0  # ‖J − Jᵀ‖² = 2, ‖J‖² = 3


def test_zero_readout_is_degenerate() -> None:
    rng = np.random.default_rng(1)
    net = ConcreteNetwork.random(NetworkSpec(3, 3, (4, 4)), "tanh", rng)
    zero = net.replace_weights(2, np.zeros((3, 4)))
    report = asymmetry(zero, sample_points(rng, 8, 3))
    assert report.degenerate and report.nasym == 0.0 and report.max_pointwise == 0.0
    assert report.points == 8


def test_dead_points_count_as_zero() -> None:
    """ReLU units all off at some points: J = 0 there, those points add 0 to the max."""
    w0 = np.array([[1.0, 0.0], [1.0, 0.0]])
    w1 = np.array([[1.0, 0.0], [1.0, 1.0]])  # J = w1 diag(1[x₀ > 0]) w0
    net = ConcreteNetwork((w0, w1), (None, None), get_activation("relu"))
    X = np.array([[-1.0, 3.0], [2.0, 0.5]])
    report = asymmetry(net, X)
    assert not report.degenerate
    jac = np.array([[1.0, 0.0], [2.0, 0.0]])  # at the live point
    expected = np.sum((jac - jac.T) ** 2) / np.sum(jac**2)
    assert report.max_pointwise == pytest.approx(expected)
    assert report.nasym == pytest.approx(expected)


@settings(max_examples=10, deadline=None)
@given(seed=seeds, chunk=st.integers(1, 30))
def test_streaming_matches_one_chunk(seed, chunk) -> None:
    rng = np.random.default_rng(seed)
    net = ConcreteNetwork.random(NetworkSpec(3, 4, (5, 6), True), "gelu", rng)
    X = sample_points(rng, 45, 4)
    a, b = asymmetry(net, X, chunk_size=45), asymmetry(net, X, chunk_size=chunk)
    assert b.nasym == pytest.approx(a.nasym, rel=1e-12)
    assert b.max_pointwise == pytest.approx(a.max_pointwise, rel=1e-12)


def test_sample_points_is_seeded_and_scaled() -> None:
    a = sample_points(np.random.default_rng(5), 4000, 3, scale=2.0)
    b = sample_points(np.random.default_rng(5), 4000, 3, scale=2.0)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (4000, 3)
    assert abs(a.std() - 2.0) < 0.1


def test_input_errors() -> None:
    rng = np.random.default_rng(0)
    net = ConcreteNetwork.random(NetworkSpec(2, 2, (3,)), "tanh", rng)
    with pytest.raises(InputError, match="at least one point"):
        asymmetry(net, np.zeros((0, 2)))
    with pytest.raises(InputError, match="scale"):
        sample_points(rng, 3, 2, scale=0.0)
    with pytest.raises(InputError, match="dimension"):
        sample_points(rng, 3, 0)
