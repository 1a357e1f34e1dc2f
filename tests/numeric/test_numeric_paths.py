"""Rank of the path functions: full for smooth σ, bounded by polynomial spaces otherwise."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ptheorem.model.errors import InputError
from ptheorem.model.spec import NetworkSpec
from ptheorem.numeric import (
    ConcreteNetwork,
    all_paths,
    path_count,
    path_function_matrix,
    path_rank,
    path_weights,
    sample_paths,
    sample_points,
)

seeds = st.integers(0, 2**32 - 1)
SMOOTH = ["swish", "swish:3", "tanh", "softplus", "sin", "gelu"]


def net_for(seed: int, depth: int, dim: int, widths, act: str, bias: bool) -> ConcreteNetwork:
    spec = NetworkSpec(depth, dim, tuple(widths), bias)
    return ConcreteNetwork.random(spec, act, np.random.default_rng(seed))


def points_for(net: ConcreteNetwork, seed: int, per_path: int = 4) -> np.ndarray:
    return sample_points(np.random.default_rng(seed + 1), per_path * path_count(net) + 16, net.dim)


def polynomial_path_space_dim(degree: int, depth: int, dim: int, bias: bool) -> int:
    """Dimension of the polynomial space holding every path function of a σ(t) = tᵖ net.

    z₁ = W₀x (+b) has degree 1 and z_{k+1} = W_k σ(z_k) (+b) degree p^k, so
    σ′(z_k) = p·z_k^(p−1) has degree (p−1)p^(k−1), and a path function, the product
    over k = 1, …, L−1, has degree D = Σ (p−1)p^(k−1) = p^(L−1) − 1.  With biases
    it lies in the polynomials of degree ≤ D in d variables, of dimension
    C(d+D, D); without biases every z_k is homogeneous, so the path functions are
    homogeneous of degree D: dimension C(d+D−1, D).
    """
    top = degree ** (depth - 1) - 1
    return math.comb(dim + top, top) if bias else math.comb(dim + top - 1, top)


@settings(max_examples=20, deadline=None)
@given(
    seed=seeds,
    dim=st.integers(2, 4),
    width=st.integers(1, 8),
    bias=st.booleans(),
    act=st.sampled_from(SMOOTH),
)
def test_one_hidden_layer_smooth_is_full_rank(seed, dim, width, bias, act) -> None:
    net = net_for(seed, 2, dim, [width], act, bias)
    report = path_rank(net, points_for(net, seed))
    assert report.full_rank and report.rank == width == report.total_paths
    assert report.units == tuple((m,) for m in range(width))
    assert report.sv_ratio > 1e3 * report.tolerance


@settings(max_examples=15, deadline=None)
@given(
    seed=seeds,
    depth=st.integers(3, 4),
    dim=st.integers(2, 4),
    widths=st.lists(st.integers(2, 3), min_size=3, max_size=3),
    bias=st.booleans(),
    act=st.sampled_from(SMOOTH),
)
def test_deeper_smooth_nets_are_full_rank(seed, depth, dim, widths, bias, act) -> None:
    """Up to 27 paths.  (A width-1 first layer makes every path function a function of
    one scalar w·x, and with many paths those are numerically dependent on a sample.)"""
    net = net_for(seed, depth, dim, widths[: depth - 1], act, bias)
    report = path_rank(net, points_for(net, seed))
    assert report.full_rank and report.paths == math.prod(widths[: depth - 1])
    assert not report.sampled


@settings(max_examples=20, deadline=None)
@given(
    seed=seeds,
    depth=st.integers(2, 3),
    dim=st.integers(1, 3),
    extra=st.integers(1, 4),
    bias=st.booleans(),
    act=st.sampled_from(["square", "cube"]),
)
def test_polynomial_activations_are_rank_deficient(seed, depth, dim, extra, bias, act) -> None:
    degree = {"square": 2, "cube": 3}[act]
    bound = polynomial_path_space_dim(degree, depth, dim, bias)
    # Enough units per layer that the number of paths exceeds the bound.
    width = math.ceil((bound + extra) ** (1 / (depth - 1)))
    net = net_for(seed, depth, dim, [width] * (depth - 1), act, bias)
    report = path_rank(net, points_for(net, seed, per_path=2))
    assert report.paths > bound
    assert report.rank <= bound < report.paths
    if depth == 2:  # one layer of affine (square) or quadratic (cube) σ′: the bound is attained
        assert report.rank == bound


def test_square_one_hidden_layer_spelled_out() -> None:
    """σ′(t) = 2t: each path function 2(W₀[m]·x + b_m) is affine in x, so rank ≤ d + 1."""
    for bias, bound in ((False, 3), (True, 4)):
        net = net_for(0, 2, 3, [7], "square", bias)
        report = path_rank(net, points_for(net, 0))
        assert report.rank == bound < report.paths == 7


@pytest.mark.parametrize(("depth", "widths"), [(2, [5]), (3, [3, 4]), (4, [2, 3, 2])])
def test_linear_activation_has_one_path_function(depth, widths) -> None:
    net = net_for(1, depth, 3, widths, "linear", True)
    report = path_rank(net, points_for(net, 1))
    assert report.rank == 1 and report.paths == math.prod(widths)


def test_depth_one_has_no_paths() -> None:
    net = net_for(0, 1, 3, [], "tanh", False)
    report = path_rank(net, sample_points(np.random.default_rng(0), 5, 3))
    assert (report.rank, report.paths, report.total_paths) == (0, 0, 0)
    assert report.sv_ratio is None and report.units == () and report.full_rank


def test_too_few_points_is_an_input_error() -> None:
    net = net_for(0, 3, 2, [3, 4], "tanh", False)
    with pytest.raises(InputError, match="too few points for the path rank: need ≥ 12"):
        path_rank(net, sample_points(np.random.default_rng(0), 11, 2))


def test_large_path_sets_are_sampled_reproducibly() -> None:
    net = net_for(0, 4, 3, [5, 6, 7], "tanh", True)
    X = sample_points(np.random.default_rng(1), 300, 3)
    a = path_rank(net, X, np.random.default_rng(9), max_paths=50)
    b = path_rank(net, X, np.random.default_rng(9), max_paths=50)
    assert a.sampled and a.paths == 50 and a.total_paths == 210
    assert a.units == b.units and len(set(a.units)) == 50 and a.rank == b.rank == 50
    assert all(0 <= n < 7 and 0 <= k < 6 and 0 <= m < 5 for n, k, m in a.units)
    with pytest.raises(InputError, match="pass an rng"):
        path_rank(net, X, max_paths=50)


def test_sampling_huge_path_spaces() -> None:
    net = net_for(0, 8, 2, [400] * 7, "tanh", False)
    assert path_count(net) == 400**7 > 2**60
    paths = sample_paths(net, 64, np.random.default_rng(2))
    assert len(set(paths)) == 64 and paths == sorted(paths)
    wide = net_for(0, 9, 2, [1000] * 8, "tanh", False)  # 10²⁴ > 2⁶² paths: rejection sampling
    assert len(set(sample_paths(wide, 32, np.random.default_rng(2)))) == 32


def test_explicit_paths_and_their_weights() -> None:
    net = net_for(4, 3, 2, [3, 4], "tanh", False)
    chosen = [(0, 0), (3, 2), (1, 1)]  # (n in layer 2, m in layer 1)
    np.testing.assert_array_equal(
        path_weights(net, chosen), [net.weights[1][n, m] for n, m in chosen]
    )
    X = sample_points(np.random.default_rng(5), 20, 2)
    slopes = net.derivatives(X)
    expected = np.stack([slopes[1][:, n] * slopes[0][:, m] for n, m in chosen], axis=1)
    np.testing.assert_array_equal(path_function_matrix(net, X, chosen), expected)
    report = path_rank(net, X, paths=chosen)
    assert report.units == tuple(chosen) and report.rank == 3 and report.total_paths == 12
    assert len(all_paths(net)) == 12 and all_paths(net)[:2] == [(0, 0), (0, 1)]
    np.testing.assert_array_equal(
        path_weights(net_for(0, 2, 2, [3], "tanh", False), [(0,), (2,)]), [1.0, 1.0]
    )


@pytest.mark.parametrize(
    ("paths", "fragment"),
    [([(0, 0), (0, 0)], "duplicates"), ([(0,)], "one unit in each of 2"), ([(4, 0)], "unit 4")],
)
def test_bad_explicit_paths(paths, fragment) -> None:
    net = net_for(4, 3, 2, [3, 4], "tanh", False)
    with pytest.raises(InputError, match=fragment):
        path_rank(net, sample_points(np.random.default_rng(5), 20, 2), paths=paths)
