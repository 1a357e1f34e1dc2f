"""The curl-free certificate: exact for small rational nets, numeric otherwise."""

from __future__ import annotations

import numpy as np
import pytest

from ptheorem.audit.witnesses import parallel_integer, relu_linear_emulation, square_untied
from ptheorem.certificate import (
    NUMERIC_CERT_ROOT,
    Certificate,
    certify_curl_free,
    exact_unavailable,
    rationalize_network,
)
from ptheorem.numeric import ConcreteNetwork, get_activation, parallel_network
from ptheorem.spec import NetworkSpec


def _integer_parallel(activation: str) -> ConcreteNetwork:
    """W₀ = a uᵀ, W₂ = u cᵀ with small integers/halves (and a bias): the parallel family."""
    return parallel_integer(activation)


def _integer_random(activation: str, seed: int = 1) -> ConcreteNetwork:
    rng = np.random.default_rng(seed)
    shapes = [(3, 2), (3, 3), (2, 3)]
    ws = tuple(rng.integers(-3, 4, size=s).astype(float) for s in shapes)
    return ConcreteNetwork(ws, (None, None, None), get_activation(activation))


@pytest.mark.parametrize("activation", ["tanh", "swish:1.5", "relu", "square"])
def test_parallel_family_with_small_integer_weights_is_exactly_curl_free(activation: str) -> None:
    cert = certify_curl_free(_integer_parallel(activation), points=64)
    assert cert == Certificate(cert.kind, True, cert.nasym_root, None, cert.detail)
    assert cert.kind == "exact"
    assert cert.detail.startswith("sympy: J − Jᵀ ≡ 0 with weights rationalised exactly")
    assert cert.nasym_root <= NUMERIC_CERT_ROOT


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_random_integer_net_is_exactly_not_curl_free(activation: str) -> None:
    cert = certify_curl_free(_integer_random(activation), points=64)
    assert cert.kind == "exact"
    assert cert.holds is False
    assert "≠ 0 at the rational point" in cert.detail


def test_random_float_net_falls_back_to_numeric_and_fails() -> None:
    net = ConcreteNetwork.random(NetworkSpec(3, 3, (4, 4)), "tanh", np.random.default_rng(3))
    cert = certify_curl_free(net, points=128)
    assert cert.kind == "numeric"
    assert cert.holds is False
    assert cert.tolerance == NUMERIC_CERT_ROOT
    assert cert.nasym_root > 1e-3
    assert "not small rationals" in cert.detail


def test_float_parallel_family_is_numerically_curl_free() -> None:
    net = parallel_network(NetworkSpec(4, 3, (5, 4, 5)), "swish:2", np.random.default_rng(5))
    cert = certify_curl_free(net, points=256)
    assert (cert.kind, cert.holds) == ("numeric", True)
    assert cert.nasym_root <= NUMERIC_CERT_ROOT


def test_square_untied_net_is_exact_only_for_the_concrete_sigma() -> None:
    """J = 2 W₁ diag(W₀x) W₀ symmetric with W₁ untied: true for σ = square, not for every σ."""
    cert = certify_curl_free(square_untied(), points=64)
    assert (cert.kind, cert.holds) == ("exact", True)
    assert cert.detail == "sympy: J − Jᵀ ≡ 0 with weights rationalised exactly"
    tanh = ConcreteNetwork(square_untied().weights, (None, None), get_activation("tanh"))
    cert = certify_curl_free(tanh, points=64)
    assert (cert.kind, cert.holds) == ("exact", False)


def test_undecided_sympy_falls_back_to_numeric_and_says_why() -> None:
    cert = certify_curl_free(relu_linear_emulation(), points=64)
    assert (cert.kind, cert.holds) == ("numeric", True)
    assert "sympy could not decide" in cert.detail


def test_exact_can_be_turned_off_and_large_nets_say_why() -> None:
    net = _integer_parallel("tanh")
    assert certify_curl_free(net, points=32, exact=False).kind == "numeric"
    big = ConcreteNetwork.random(NetworkSpec(4, 2, (5, 5, 5)), "tanh", np.random.default_rng(0))
    reason = exact_unavailable(big)
    assert reason is not None and "too large" in reason


def test_rationalize_network_snaps_small_rationals_and_rejects_others() -> None:
    w0 = np.array([[1 / 3, 0.5], [-0.25, 2.0]])
    w1 = np.array([[1.0, 0.1], [7 / 11, 0.0]])
    act = get_activation("tanh")
    net = ConcreteNetwork((w0, w1), (None, None), act)
    snapped = rationalize_network(net)
    assert snapped is not None
    for a, b in zip(snapped.weights, net.weights, strict=True):
        np.testing.assert_array_equal(a, b)
    assert rationalize_network(net.replace_weights(0, w0 + 1e-6)) is None
    assert rationalize_network(net.replace_weights(1, np.array([[np.sqrt(2), 0], [0, 1]]))) is None
