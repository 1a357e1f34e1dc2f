"""The curl-free certificate: about the stored weights only; exact, validated, else numeric."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from ptheorem.audit.certificate import (
    NUMERIC_CERT_ROOT,
    Certificate,
    certify_curl_free,
    certify_nearby_rational,
    exact_unavailable,
    rationalize_network,
)
from ptheorem.counterexamples.library import parallel_integer, relu_linear_emulation, square_untied
from ptheorem.model.spec import NetworkSpec
from ptheorem.numeric import ConcreteNetwork, get_activation, parallel_network


def _integer_random(activation: str, seed: int = 1) -> ConcreteNetwork:
    rng = np.random.default_rng(seed)
    shapes = [(3, 2), (3, 3), (2, 3)]
    ws = tuple(rng.integers(-3, 4, size=s).astype(float) for s in shapes)
    return ConcreteNetwork(ws, (None, None, None), get_activation(activation))


@pytest.mark.parametrize("activation", ["tanh", "swish:1.5", "relu", "square"])
def test_parallel_family_with_small_integer_weights_is_exactly_curl_free(activation: str) -> None:
    cert = certify_curl_free(parallel_integer(activation), points=64)
    assert cert == Certificate(cert.kind, True, cert.nasym_root, None, cert.detail, cert.method)
    assert (cert.kind, cert.method) == ("exact", "parallel pairs")
    assert "exactly parallel" in cert.detail and "for every σ" in cert.detail
    assert cert.nasym_root <= NUMERIC_CERT_ROOT


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_random_integer_net_is_provably_not_curl_free(activation: str) -> None:
    cert = certify_curl_free(_integer_random(activation), points=64)
    assert (cert.kind, cert.holds, cert.method) == ("validated", False, "interval")
    assert cert.point is not None and cert.entry is not None and cert.interval is not None
    lo, hi = cert.interval
    assert lo > 0 or hi < 0
    assert "∈" in cert.detail and "arb" in cert.detail


def test_random_float_net_is_refuted_by_an_interval() -> None:
    net = ConcreteNetwork.random(NetworkSpec(3, 3, (4, 4)), "tanh", np.random.default_rng(3))
    cert = certify_curl_free(net, points=128)
    assert (cert.kind, cert.holds) == ("validated", False)
    assert cert.nasym_root > 1e-3


def test_float_parallel_family_is_not_exactly_curl_free_once_rounded() -> None:
    """W₀ = a uᵀ rounded to float64 is parallel only to ~1e-16: the stored net is not a gradient."""
    net = parallel_network(NetworkSpec(4, 3, (5, 4, 5)), "swish:2", np.random.default_rng(5))
    cert = certify_curl_free(net, points=256)
    assert cert.nasym_root <= NUMERIC_CERT_ROOT  # numerically curl-free …
    assert (cert.kind, cert.holds) == ("validated", False)  # … provably not exactly


def test_square_untied_net_is_exact_only_for_the_concrete_sigma() -> None:
    """J = 2 W₁ diag(W₀x) W₀ symmetric with W₁ untied: true for σ = square, not for every σ."""
    cert = certify_curl_free(square_untied(), points=64)
    assert (cert.kind, cert.holds, cert.method) == ("exact", True, "sympy")
    assert cert.detail.startswith("exact: sympy expands every J_ij − J_ji to 0")
    assert "stored weights" in cert.detail
    tanh = ConcreteNetwork(square_untied().weights, (None, None), get_activation("tanh"))
    cert = certify_curl_free(tanh, points=64)
    assert (cert.kind, cert.holds) == ("validated", False)


def test_relu_emulation_is_exact_through_the_declared_identities() -> None:
    cert = certify_curl_free(relu_linear_emulation(), points=64)
    assert (cert.kind, cert.holds, cert.method) == ("exact", True, "slope polynomial")
    assert "σ′(t) + σ′(−t) = 1" in cert.detail


def test_without_any_proof_the_answer_is_numeric_and_says_why() -> None:
    opaque = replace(get_activation("tanh"), name="opaque", sympy_form=None)
    net = square_untied()
    net = ConcreteNetwork(net.weights, net.biases, opaque)  # tanh numerics, no interval/sympy form
    cert = certify_curl_free(net, points=64)
    assert cert.kind == "numeric" and cert.tolerance == NUMERIC_CERT_ROOT
    assert "no interval form" in cert.detail and "no sympy form" in cert.detail


def test_exact_false_skips_sympy_only() -> None:
    assert certify_curl_free(parallel_integer("tanh"), points=32, exact=False).kind == "exact"
    cert = certify_curl_free(square_untied(), points=32, exact=False)
    assert (cert.kind, cert.holds) == ("numeric", True)
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


def test_a_nearby_rational_network_is_certified_separately_and_labelled() -> None:
    """A tied L = 2 net with S = 1/3, 1/5: rounding breaks the tie of the stored floats."""
    w0 = np.array([[0.3, 0.7], [1.1, -0.9]])
    w1 = np.stack([w0[0] / 3, w0[1] / 5], axis=1)  # column m = row m · Sₘ, rounded
    net = ConcreteNetwork((w0, w1), (None, None), get_activation("tanh"))
    stored = certify_curl_free(net, points=64)
    assert (stored.kind, stored.holds) == ("validated", False)
    nearby = certify_nearby_rational(net)
    assert nearby is not None and (nearby.kind, nearby.holds) == ("nearby-rational", True)
    assert "nearby rational network" in nearby.detail and "not about the stored" in nearby.detail
