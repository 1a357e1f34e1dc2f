"""Null space of the read-out: free S_m for L = 2, nothing for L ≥ 3, u cᵀ when W₀ = a uᵀ."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ptheorem.model.errors import InputError, SizeLimitError
from ptheorem.model.spec import NetworkSpec
from ptheorem.numeric import (
    DEFAULT_NULLSPACE_RTOL,
    ConcreteNetwork,
    NullspaceReport,
    asymmetry,
    get_activation,
    min_nullspace_points,
    output_nullspace,
    parallel_network,
    random_smooth_activation,
    sample_points,
)

seeds = st.integers(0, 2**32 - 1)
smooth = st.sampled_from(["swish", "swish:2.5", "tanh", "softplus", "gelu"])
FIT_TOL = 1e-8


def solve(net: ConcreteNetwork, rng: np.random.Generator) -> NullspaceReport:
    n_points = 4 * min_nullspace_points(net.dim, net.weights[-1].shape[1]) + 8
    return output_nullspace(net, sample_points(rng, n_points, net.dim))


def assert_basis_is_certified(net: ConcreteNetwork, report: NullspaceReport, seed: int) -> None:
    """Substitute every basis read-out back in: J must be symmetric at fresh points."""
    X = sample_points(np.random.default_rng(seed), 40, net.dim)
    for readout in report.basis:
        tied = net.replace_weights(net.depth - 1, readout)
        assert asymmetry(tied, X).root <= 1e-9
    flat = report.basis.reshape(report.dimension, -1)
    np.testing.assert_allclose(flat @ flat.T, np.eye(report.dimension), atol=1e-12)


def assert_clear_gap(report: NullspaceReport) -> None:
    """The cut sits in a gap: null values at rounding level, kept ones far above rtol."""
    assert report.null_ratio <= 1e-13
    assert report.kept_ratio is None or report.kept_ratio >= 1e3 * DEFAULT_NULLSPACE_RTOL


@settings(max_examples=15, deadline=None)
@given(seed=seeds, dim=st.integers(2, 4), width=st.integers(1, 5), bias=st.booleans(), act=smooth)
def test_one_hidden_layer_has_one_free_scale_per_unit(seed, dim, width, bias, act) -> None:
    rng = np.random.default_rng(seed)
    net = ConcreteNetwork.random(NetworkSpec(2, dim, (width,), bias), act, rng)
    report = solve(net, rng)
    assert report.dimension == width
    assert_clear_gap(report)
    assert_basis_is_certified(net, report, seed)
    fit = report.S
    assert fit is not None and fit.kind == "per_unit" and fit.S.shape == (width, width)
    assert fit.residual <= FIT_TOL  # every column m is S_m·W₀[m] (Eq. 2)
    assert fit.family_residual is not None and fit.family_residual <= FIT_TOL
    # A tied read-out W₀ᵀ diag(S) written in the basis gives back S through the fit.
    s_true = rng.standard_normal(width)
    coeffs = report.basis.reshape(width, -1) @ (net.weights[0].T * s_true).ravel()
    np.testing.assert_allclose(coeffs @ fit.S, s_true, rtol=1e-8, atol=1e-8)


@settings(max_examples=15, deadline=None)
@given(
    seed=seeds,
    depth=st.integers(3, 4),
    dim=st.integers(2, 4),
    widths=st.lists(st.integers(2, 4), min_size=3, max_size=3),
    bias=st.booleans(),
    act=smooth,
)
def test_deeper_nets_with_generic_inputs_have_no_tying(seed, depth, dim, widths, bias, act):
    rng = np.random.default_rng(seed)
    net = ConcreteNetwork.random(
        NetworkSpec(depth, dim, tuple(widths[: depth - 1]), bias), act, rng
    )
    report = solve(net, rng)
    assert report.dimension == 0  # Theorem 5: only W_{L−1} = 0
    assert_clear_gap(report)
    assert report.basis.shape == (0, dim, widths[depth - 2])
    assert report.S is not None and not report.S.parallel_inputs
    assert report.S.family_residual is None


@settings(max_examples=15, deadline=None)
@given(
    seed=seeds,
    depth=st.integers(3, 4),
    dim=st.integers(2, 4),
    first=st.integers(1, 3),
    widths=st.lists(st.integers(2, 3), min_size=2, max_size=2),
    bias=st.booleans(),
)
def test_parallel_inputs_leave_one_scale_per_last_unit(seed, depth, dim, first, widths, bias):
    """Later widths ≥ 2: a width-1 middle layer squeezes every later unit into functions of
    one scalar over a short range, and the genuine singular values sink towards rtol."""
    rng = np.random.default_rng(seed)
    act = random_smooth_activation(rng)
    spec = NetworkSpec(depth, dim, (first, *widths[: depth - 2]), bias)
    net = parallel_network(spec, act, rng)
    report = solve(net, rng)
    last = spec.widths[-1]
    assert report.dimension == last  # W_{L−1} = u cᵀ, c free (Eq. 7)
    assert_clear_gap(report)
    assert_basis_is_certified(net, report, seed)
    fit = report.S
    assert fit is not None and fit.kind == "last_first" and fit.parallel_inputs
    assert fit.S.shape == (last, last, spec.widths[0])
    assert fit.residual <= FIT_TOL and fit.family_residual <= FIT_TOL
    # S_nm = c_n / a_m: S_nm·a_m does not depend on m.
    u = net.weights[-1][:, 0] / np.linalg.norm(net.weights[-1][:, 0])
    a = net.weights[0] @ u
    c = fit.S * a[None, None, :]
    np.testing.assert_allclose(c, np.broadcast_to(c[:, :, :1], c.shape), atol=1e-8)


def test_depth_one_leaves_the_symmetric_matrices() -> None:
    rng = np.random.default_rng(0)
    for d in (1, 2, 3, 4):
        net = ConcreteNetwork.random(NetworkSpec(1, d, ()), "tanh", rng)
        report = output_nullspace(net, sample_points(rng, 2 * d + 2, d))
        assert report.dimension == d * (d + 1) // 2
        for b in report.basis:
            np.testing.assert_allclose(b, b.T, atol=1e-14)
        assert report.S is None


def test_one_dimensional_input_has_no_constraint() -> None:
    rng = np.random.default_rng(0)
    net = ConcreteNetwork.random(NetworkSpec(3, 1, (3, 4)), "tanh", rng)
    report = output_nullspace(net, sample_points(rng, 1, 1))
    assert report.dimension == 4 and report.rows == 0 and report.singular_values == ()
    assert min_nullspace_points(1, 4) == 0


def test_too_few_points_is_an_input_error() -> None:
    rng = np.random.default_rng(0)
    net = ConcreteNetwork.random(NetworkSpec(2, 3, (5,)), "tanh", rng)
    need = min_nullspace_points(3, 5)
    assert need == 5  # 15 unknowns, 3 equations per point
    output_nullspace(net, sample_points(rng, need, 3))
    with pytest.raises(InputError, match=f"too few points.*need ≥ {need}"):
        output_nullspace(net, sample_points(rng, need - 1, 3))


def test_limits_and_tolerance_checks() -> None:
    rng = np.random.default_rng(0)
    net = ConcreteNetwork.random(NetworkSpec(2, 4, (50,)), "tanh", rng)
    with pytest.raises(SizeLimitError, match="200 unknowns"):
        output_nullspace(net, sample_points(rng, 100, 4), max_unknowns=100)
    with pytest.raises(InputError, match="rtol"):
        output_nullspace(net, sample_points(rng, 100, 4), rtol=0.0)


def test_chunked_solve_matches() -> None:
    rng = np.random.default_rng(3)
    net = ConcreteNetwork.random(NetworkSpec(2, 3, (4,), True), get_activation("sin"), rng)
    X = sample_points(rng, 30, 3)
    a, b = output_nullspace(net, X), output_nullspace(net, X, chunk_size=4)
    assert a.dimension == b.dimension == 4
    np.testing.assert_allclose(a.singular_values, b.singular_values, rtol=1e-8, atol=1e-13)
    assert a.s_max == pytest.approx(b.s_max, rel=1e-12)
