"""Activation registry: parsing, numeric σ and σ′ against sympy/mpmath, stability."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy

from ptheorem.model.errors import InputError
from ptheorem.numeric import (
    ACTIVATIONS,
    RANDOM_BETA_RANGE,
    Activation,
    ActivationFactory,
    ActivationKind,
    get_activation,
    random_smooth_activation,
    register_activation,
)

SMOOTH = ["swish", "swish:0.5", "swish:3.25", "tanh", "softplus", "sin", "gelu"]
ALL = [*SMOOTH, "relu", "square", "cube", "linear"]
POINTS = np.array([-7.5, -2.0, -0.3, 0.0, 0.41, 1.0, 3.7, 9.0])


def test_registry_lists_all_names() -> None:
    expected = {"swish", "tanh", "softplus", "sin", "gelu", "relu", "square", "cube", "linear"}
    assert set(ACTIVATIONS) == expected
    for name, factory in ACTIVATIONS.items():
        assert factory().name == name


@pytest.mark.parametrize(
    ("spec", "label", "kind", "degree", "beta"),
    [
        ("swish", "swish(beta=1)", ActivationKind.SMOOTH, None, 1.0),
        ("swish:1.5", "swish(beta=1.5)", ActivationKind.SMOOTH, None, 1.5),
        (" Swish : 2 ", "swish(beta=2)", ActivationKind.SMOOTH, None, 2.0),
        ("tanh", "tanh", ActivationKind.SMOOTH, None, None),
        ("gelu", "gelu", ActivationKind.SMOOTH, None, None),
        ("relu", "relu", ActivationKind.PIECEWISE_LINEAR, None, None),
        ("square", "square", ActivationKind.POLYNOMIAL, 2, None),
        ("cube", "cube", ActivationKind.POLYNOMIAL, 3, None),
        ("linear", "linear", ActivationKind.POLYNOMIAL, 1, None),
    ],
)
def test_parse(spec: str, label: str, kind: ActivationKind, degree: int | None, beta) -> None:
    act = get_activation(spec)
    assert (act.label, act.kind, act.degree, act.beta) == (label, kind, degree, beta)
    assert get_activation(act.spec) == act


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("elu", "unknown activation 'elu'"),
        ("", "unknown activation"),
        ("tanh:2", "takes no parameter"),
        ("square:1", "takes no parameter"),
        ("swish:abc", "must be a number"),
        ("swish:", "must be a number"),
        ("swish:0", "> 0"),
        ("swish:-1.5", "> 0"),
        ("swish:inf", "finite"),
        ("swish:nan", "finite"),
    ],
)
def test_parse_errors(spec: str, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        get_activation(spec)
    message = str(info.value)
    assert fragment in message
    assert "\n" not in message


@pytest.mark.parametrize("spec", ["elu", "tanh:2"])
def test_errors_list_known_names(spec: str) -> None:
    with pytest.raises(InputError, match=r"known: swish\[:beta\], tanh, .*linear"):
        get_activation(spec)


def test_register_rejects_duplicates_and_bad_names() -> None:
    with pytest.raises(ValueError, match="already registered"):
        register_activation(ActivationFactory("tanh", ACTIVATIONS["tanh"].make))
    with pytest.raises(ValueError, match="invalid"):
        register_activation(ActivationFactory("Bad:Name", ACTIVATIONS["tanh"].make))


def _reference(act: Activation):
    """σ and σ′ from the sympy form, evaluated with mpmath at 30 digits."""
    t = sympy.Symbol("t", real=True)
    expr = act.sympy(t)
    f = sympy.lambdify(t, expr, "mpmath")
    df = sympy.lambdify(t, sympy.diff(expr, t), "mpmath")
    return f, df


@pytest.mark.parametrize("spec", [s for s in ALL if s != "relu"])
def test_numeric_matches_sympy_form(spec: str) -> None:
    act = get_activation(spec)
    f, df = _reference(act)
    with mpmath.workdps(30):
        want_f = np.array([float(f(mpmath.mpf(float(x)))) for x in POINTS])
        want_df = np.array([float(df(mpmath.mpf(float(x)))) for x in POINTS])
    np.testing.assert_allclose(act.f(POINTS), want_f, rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(act.df(POINTS), want_df, rtol=1e-13, atol=1e-15)


def test_relu_values_and_convention() -> None:
    act = get_activation("relu")
    np.testing.assert_array_equal(act.f(POINTS), np.maximum(POINTS, 0))
    np.testing.assert_array_equal(act.df(POINTS), (POINTS > 0).astype(float))
    assert act.df(np.array([0.0]))[0] == 0.0
    t = sympy.Symbol("t")
    assert act.sympy(t).subs(t, -2) == 0 and act.sympy(t).subs(t, 3) == 3


def test_gelu_is_exact_in_the_tails() -> None:
    """erfc keeps full relative accuracy where 1 + erf would cancel."""
    act = get_activation("gelu")
    xs = np.array([-30.0, -12.0, -5.0, 5.0, 12.0])
    with mpmath.workdps(40):
        phi = [mpmath.erfc(-mpmath.mpf(x) / mpmath.sqrt(2)) / 2 for x in xs]
        want_f = [float(mpmath.mpf(x) * p) for x, p in zip(xs, phi, strict=True)]
        want_df = [float(p + mpmath.mpf(x) * mpmath.npdf(x)) for x, p in zip(xs, phi, strict=True)]
    # Rounding t/√2 perturbs erfc(y) by a relative 2y²·eps ≈ 1e-13 at t = −30: allow 1e-12.
    np.testing.assert_allclose(act.f(xs), want_f, rtol=1e-12)
    np.testing.assert_allclose(act.df(xs), want_df, rtol=1e-12)


@pytest.mark.parametrize("spec", ["swish:4", "swish:0.5", "softplus", "gelu", "tanh"])
def test_stable_for_large_inputs(spec: str) -> None:
    act = get_activation(spec)
    xs = np.array([-1e4, -800.0, -50.0, 50.0, 800.0, 1e4])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        f, df = act.f(xs), act.df(xs)
    assert np.all(np.isfinite(f)) and np.all(np.isfinite(df))
    far = np.abs(xs) >= 800  # e^(−0.5·800) ≈ 1e-174: σ is relu up to rounding
    if spec != "tanh":  # swish, softplus and gelu all tend to relu
        np.testing.assert_allclose(f[far], np.maximum(xs[far], 0), rtol=1e-15, atol=1e-150)
        np.testing.assert_allclose(df[far], (xs[far] > 0).astype(float), rtol=1e-15, atol=1e-150)


def test_swish_sympy_uses_exact_beta() -> None:
    t = sympy.Symbol("t")
    expr = get_activation("swish:1.5").sympy(t)
    assert expr == t / (1 + sympy.exp(-sympy.Rational(3, 2) * t))


def test_random_smooth_activation_range_and_determinism() -> None:
    low, high = RANDOM_BETA_RANGE
    draws = [random_smooth_activation(np.random.default_rng(s)) for s in range(50)]
    assert all(a.name == "swish" and low <= a.beta <= high for a in draws)
    again = [random_smooth_activation(np.random.default_rng(s)) for s in range(50)]
    assert draws == again
    assert len({a.beta for a in draws}) == 50


def test_activation_equality_ignores_callables() -> None:
    assert get_activation("swish:2") == get_activation("swish:2.0")
    assert get_activation("swish:2") != get_activation("swish:2.5")
    assert hash(get_activation("tanh")) == hash(get_activation("tanh"))
    assert math.isclose(get_activation("swish:0.25").beta, 0.25)
