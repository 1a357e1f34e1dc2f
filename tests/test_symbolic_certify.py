"""Sufficiency: the solved family is curl-free and φ is its potential, checked numerically.

``certify`` proves ∇φ = ψ with sympy; here φ is evaluated with a concrete σ by
numerical quadrature (mpmath) and differentiated numerically, and compared with
the forward pass of the numeric engine on the same family.  Perturbing the
family off the solution set makes the normalised asymmetry clearly positive.
"""

from __future__ import annotations

import dataclasses

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import example, given
from hypothesis import strategies as st

from ptheorem.model.spec import NetworkSpec
from ptheorem.numeric import ConcreteNetwork, asymmetry, get_activation, sample_points
from ptheorem.symbolic.certify import (
    Family,
    Sufficiency,
    certify,
    family_for,
    parallel_family,
    symmetric_family,
    tied_family,
)
from ptheorem.symbolic.derive import derive
from ptheorem.symbolic.network import SIGMA, SymbolicNetwork, build_network
from ptheorem.symbolic.solve import solve

SYMPY_SIGMA = {"tanh": sp.tanh, "swish": lambda t: t / (1 + sp.exp(-t))}


@st.composite
def specs(draw, min_depth: int = 1, max_depth: int = 4) -> NetworkSpec:
    depth = draw(st.integers(min_depth, max_depth))
    dim = draw(st.integers(2, 3))
    widths = tuple(draw(st.lists(st.integers(1, 3), min_size=depth - 1, max_size=depth - 1)))
    return NetworkSpec(depth, dim, widths, draw(st.booleans()))


def _certified(spec: NetworkSpec) -> tuple[SymbolicNetwork, Sufficiency]:
    net = build_network(spec)
    der = derive(net)
    return net, certify(net, der, family_for(net, solve(net, der)))


def _family_values(
    net: SymbolicNetwork, suf: Sufficiency, rng: np.random.Generator
) -> dict[sp.Symbol, sp.Float]:
    """Random numbers for the free symbols of the family (parameters, free weights, biases)."""
    free: set[sp.Symbol] = set(suf.parameters)
    for k, w in enumerate(net.weights):
        free |= w.xreplace(suf.substitution).free_symbols
        if net.biases[k] is not None:
            free |= net.biases[k].free_symbols
    values: dict[sp.Symbol, sp.Float] = {}
    for s in sorted(free, key=str):
        # Keep |x| away from 0 for the scale parameters so the family is not degenerate.
        magnitude = rng.uniform(0.5, 1.2) * rng.choice((-1.0, 1.0))
        values[s] = sp.Float(float(magnitude), 30)
    return values


def _concrete_family(
    net: SymbolicNetwork, suf: Sufficiency, values: dict, activation: str
) -> ConcreteNetwork:
    """The numeric engine's network for one member of the family."""
    weights = [
        np.array(w.xreplace(suf.substitution).xreplace(values).tolist(), dtype=float)
        for w in net.weights
    ]
    biases = [
        None if b is None else np.array(b.xreplace(values).tolist(), dtype=float).ravel()
        for b in net.biases
    ]
    return ConcreteNetwork(tuple(weights), tuple(biases), get_activation(activation))


@given(spec=specs(1, 5))
@example(spec=NetworkSpec(4, 3, (3, 3, 3), True))
@example(spec=NetworkSpec(3, 2, (2, 2), False))
def test_sufficiency_holds_at_every_depth(spec: NetworkSpec) -> None:
    net, suf = _certified(spec)
    assert suf.constraints_vanish
    assert suf.antisymmetric is True
    assert suf.potential_checked
    assert suf.holds
    assert suf.jacobian_method in {"from ψ, expanded", "layer Jacobians, multiplied out"}
    if spec.depth == 1:
        assert suf.parameters == ()
    if spec.depth == 2:
        assert len(suf.parameters) == spec.widths[0]
    if spec.depth >= 3:
        assert len(suf.parameters) == spec.dim + spec.widths[0] + spec.widths[-1]
    # The substitution only touches the input and output weight layers.
    touched = set(suf.substitution)
    assert touched <= set(net.weights[0]) | set(net.weights[-1])


@pytest.mark.parametrize(
    ("depth", "dim", "widths", "bias", "activation"),
    [
        (1, 3, (), True, "tanh"),
        (2, 2, (2,), False, "tanh"),
        (2, 3, (2,), True, "swish"),
        (3, 2, (2, 2), False, "tanh"),
        (3, 3, (2, 1), True, "swish"),
        (4, 2, (1, 2, 1), True, "tanh"),
    ],
)
def test_potential_gradient_is_psi_numerically(depth, dim, widths, bias, activation) -> None:
    """∇φ (quadrature + numerical differentiation in mpmath) = ψ of the numeric engine."""
    net, suf = _certified(NetworkSpec(depth, dim, widths, bias))
    rng = np.random.default_rng(1000 * depth + 10 * dim + bias)
    values = _family_values(net, suf, rng)
    phi = suf.potential.replace(SIGMA, SYMPY_SIGMA[activation]).xreplace(values)
    assert phi.free_symbols <= set(net.inputs)
    phi_f = sp.lambdify([list(net.inputs)], phi, "mpmath")
    concrete = _concrete_family(net, suf, values, activation)
    points = rng.standard_normal((2, dim))
    psi = concrete.forward(points)
    with mpmath.workdps(30):
        for p, point in enumerate(points):
            x = [mpmath.mpf(float(v)) for v in point]
            for j in range(dim):

                def along(h, j=j, x=x):
                    return phi_f([xk + h if k == j else xk for k, xk in enumerate(x)])

                grad_j = float(mpmath.diff(along, 0))
                assert grad_j == pytest.approx(psi[p, j], rel=1e-10, abs=1e-12)


@given(
    spec=specs(1, 4), seed=st.integers(0, 2**32 - 1), activation=st.sampled_from(["tanh", "swish"])
)
def test_family_is_symmetric_and_perturbation_is_not(spec, seed, activation) -> None:
    """NAsym ≈ 0 on the certified family; off the family (perturbed weights) NAsym ≫ 0."""
    net, suf = _certified(spec)
    rng = np.random.default_rng(seed)
    concrete = _concrete_family(net, suf, _family_values(net, suf, rng), activation)
    points = sample_points(rng, 32, spec.dim)
    on_family = asymmetry(concrete, points)
    assert not on_family.degenerate
    assert on_family.nasym < 1e-24
    # Leave the family: perturb the layer the family constrains most visibly.
    layer = 0 if spec.depth != 2 else 1
    w = concrete.weights[layer]
    bump = rng.standard_normal(w.shape)
    if spec.depth == 1:
        bump = np.tril(bump, -1) + 0.5 * np.tril(np.ones(w.shape), -1)  # break symmetry only
    perturbed = concrete.replace_weights(layer, w + 0.5 * bump)
    off_family = asymmetry(perturbed, points)
    assert off_family.nasym > 1e-6


# --- each ✓ of the certificate can fail: broken inputs give ✗ ------------------------------


def _family(net: SymbolicNetwork, name: str) -> Family:
    der = derive(net)
    return family_for(net, solve(net, der))


@pytest.mark.parametrize(
    "spec", [NetworkSpec(3, 2, (2, 2)), NetworkSpec(3, 4, (4, 4)), NetworkSpec(2, 2, (2,))]
)
def test_a_junk_forward_pass_fails_the_potential_check(spec: NetworkSpec, monkeypatch) -> None:
    """ψ on the family is the network's own ψ: swap its outputs and ∇φ = ψ fails."""
    net = build_network(spec)
    der = derive(net)
    family = family_for(net, solve(net, der))
    good = certify(net, der, family)
    assert good.potential_checked
    real = type(net).psi
    monkeypatch.setattr(
        type(net), "psi", lambda self, x=None: sp.ImmutableMatrix(list(real(self, x))[::-1])
    )
    broken = certify(net, der, family)
    assert not broken.potential_checked and not broken.holds
    if spec.path_count <= 8 and spec.dim <= 3:  # J − Jᵀ is then taken from that same ψ
        assert broken.antisymmetric is False


@pytest.mark.parametrize("spec", [NetworkSpec(3, 2, (2, 2)), NetworkSpec(4, 3, (3, 3, 3))])
def test_a_non_parallel_family_fails_every_check(spec: NetworkSpec) -> None:
    """Give each first-layer unit its own direction: the three checks all come out ✗."""
    net = build_network(spec)
    der = derive(net)
    skew = parallel_family(
        net, [((m,), tuple(range(1, spec.widths[-1] + 1))) for m in range(1, spec.widths[0] + 1)]
    )
    suf = certify(net, der, skew)
    assert not suf.constraints_vanish
    assert suf.antisymmetric is False
    assert not suf.potential_checked


def test_a_corrupted_layer_jacobian_fails_the_ring_route() -> None:
    """The layer-Jacobian route multiplies the derivation's own factors: transpose the
    read-out factor and J − Jᵀ ≡ 0 fails."""
    spec = NetworkSpec(3, 4, (4, 4))
    net = build_network(spec)
    der = derive(net)
    family = family_for(net, solve(net, der))
    lj = der.layer_jacobians
    corrupt = dataclasses.replace(lj, affine=(*lj.affine[:-1], lj.affine[-1].T))
    suf = certify(net, dataclasses.replace(der, layer_jacobians=corrupt), family)
    assert suf.jacobian_method == "layer Jacobians, multiplied out"
    assert suf.antisymmetric is False


def test_an_untied_readout_fails_for_one_hidden_layer() -> None:
    spec = NetworkSpec(2, 2, (2,))
    net = build_network(spec)
    der = derive(net)
    sol = solve(net, der)
    good = tied_family(sol)
    swapped = dict(good.substitution)
    w0, w1 = net.weights
    swapped |= {w1[i, 0]: sp.Symbol("S_1") * w0[1, i] for i in range(2)}  # unit 1 ← row 2
    suf = certify(net, der, dataclasses.replace(good, substitution=swapped))
    assert not suf.constraints_vanish and suf.antisymmetric is False


def test_a_non_symmetric_linear_map_fails() -> None:
    net = build_network(NetworkSpec(1, 3, ()))
    der = derive(net)
    none = dataclasses.replace(symmetric_family(net), substitution={})
    suf = certify(net, der, none)
    assert not suf.constraints_vanish and suf.antisymmetric is False and not suf.potential_checked


def test_too_large_for_the_ring_is_reported_as_not_checked() -> None:
    spec = NetworkSpec(10, 4, (4,) * 9)
    _, suf = _certified(spec)
    assert suf.antisymmetric is None and suf.jacobian_method.startswith("not checked (size")
    assert suf.potential_checked and suf.holds  # ∇φ = ψ alone makes ψ a gradient


def test_the_printed_potential_is_the_one_differentiated() -> None:
    """Differentiate the printed φ with sympy's own Integral.diff: it is the family's ψ."""
    spec = NetworkSpec(3, 2, (2, 2))
    net, suf = _certified(spec)
    psi = net.psi().xreplace(suf.substitution)
    for j, xj in enumerate(net.inputs):
        grad = suf.potential.diff(xj)
        assert sp.simplify(sp.expand(grad - psi[j], deep=True)) == 0
