"""The structure of the derived constraints (Eq. 1, 5, 6 and Proposition 4).

The code derives every constraint from sympy Jacobians and may not write the
paper's formulas down; this test does.  Expected expressions are typed here
from the paper, with symbol names spelled out (``theta{k}_{out}_{in}``,
``dsigma{layer}_{unit}``), and compared with what :func:`derive` produced.
"""

from __future__ import annotations

import itertools
from math import comb, prod

import pytest
import sympy as sp
from hypothesis import example, given
from hypothesis import strategies as st

from ptheorem.model.spec import NetworkSpec
from ptheorem.symbolic.cost import equation_count
from ptheorem.symbolic.derive import ENTRY_PATH_LIMIT, PER_PATH_LIMIT, derive
from ptheorem.symbolic.network import build_network


def theta(layer: int, out: int, inp: int) -> sp.Symbol:
    return sp.Symbol(f"theta{layer}_{out}_{inp}")


def dsigma(layer: int, unit: int) -> sp.Symbol:
    return sp.Symbol(f"dsigma{layer}_{unit}")


def expected_reduced(depth: int, units: tuple[int, ...], i: int, j: int) -> sp.Expr:
    """Eq. 6 / Theorem 5: θ⁽ᴸ⁻¹⁾ᵢₙ θ⁽⁰⁾ₘⱼ − θ⁽ᴸ⁻¹⁾ⱼₙ θ⁽⁰⁾ₘᵢ.

    For L = 2 this is Eq. 1 (n = m), for L = 1 it is θᵢⱼ − θⱼᵢ.
    """
    if depth == 1:
        return theta(0, i, j) - theta(0, j, i)
    n, m = units[0], units[-1]
    return theta(depth - 1, i, n) * theta(0, m, j) - theta(depth - 1, j, n) * theta(0, m, i)


def middle_product(depth: int, hidden_units: tuple[int, ...], with_sigma: bool = True) -> sp.Expr:
    """Weights (and σ′) strictly between the last and first hidden unit of one backward path.

    ``hidden_units`` lists the hidden units from the first hidden layer (m) to the last (n).
    The middle transfer Pₙₘ sums these products with σ′; a per-path constraint carries
    the weights alone (the σ′ product is the path function it multiplies).
    """
    out = sp.Integer(1)
    for k in range(1, depth - 1):
        out *= theta(k, hidden_units[k], hidden_units[k - 1])
    if with_sigma:
        for k in range(2, depth - 1):
            out *= dsigma(k, hidden_units[k - 1])
    return out


def middle_paths(widths: tuple[int, ...], n: int, m: int, mask=None):
    """Every hidden-unit tuple (m, α, …, n) through the middle layers, first layer first."""
    middle = [range(1, w + 1) for w in widths[1:-1]]
    for inner in itertools.product(*middle):
        units = (m, *inner, n)
        if mask is None or all(
            mask[k][units[k] - 1][units[k - 1] - 1] for k in range(1, len(units))
        ):
            yield units


@st.composite
def specs(draw, min_depth: int = 1, max_depth: int = 4, max_width: int = 3) -> NetworkSpec:
    depth = draw(st.integers(min_depth, max_depth))
    dim = draw(st.integers(2, 3))
    widths = tuple(
        draw(st.lists(st.integers(1, max_width), min_size=depth - 1, max_size=depth - 1))
    )
    return NetworkSpec(depth, dim, widths, draw(st.booleans()))


@given(spec=specs(1, 5))
@example(spec=NetworkSpec(4, 3, (3, 2, 3)))
def test_counts_for_generic_nets(spec: NetworkSpec) -> None:
    """constraint_count = (total backward paths) × C(d, 2); equations = groups × C(d, 2)."""
    der = derive(build_network(spec))
    pairs = comb(spec.dim, 2)
    assert der.pairs == tuple(itertools.combinations(range(1, spec.dim + 1), 2))
    assert der.constraint_count == prod(spec.widths) * pairs
    if spec.depth == 1:
        assert [g.units for g in der.groups] == [()]
    elif spec.depth == 2:
        assert [g.units for g in der.groups] == [(m,) for m in range(1, spec.widths[0] + 1)]
    else:
        assert [g.units for g in der.groups] == [
            (n, m) for n in range(1, spec.widths[-1] + 1) for m in range(1, spec.widths[0] + 1)
        ]
    # Paths per (n, m) = product of the middle widths.
    middle_widths = prod(spec.widths[1:-1]) if spec.depth >= 3 else 1
    assert all(g.paths == middle_widths for g in der.groups)
    assert all(len(g.equations) == pairs for g in der.groups)
    assert der.equation_count == len(der.groups) * pairs == equation_count(spec)
    assert sum(g.paths * len(g.equations) for g in der.groups) == der.constraint_count
    assert len(der.layer_jacobians.frozen) == sum(spec.widths)


@given(spec=specs(1, 5))
@example(spec=NetworkSpec(5, 2, (2, 2, 2, 2)))
def test_reduced_equations_have_the_papers_form(spec: NetworkSpec) -> None:
    der = derive(build_network(spec))
    for g in der.groups:
        assert [(e.i, e.j) for e in g.equations] == list(der.pairs)
        for e in g.equations:
            expected = expected_reduced(spec.depth, g.units, e.i, e.j)
            assert sp.expand(e.reduced - expected) == 0, (g.units, e)
            # raw (Eq. 5) = middle transfer × reduced (Eq. 6).
            assert sp.expand(e.raw - g.middle * expected) == 0, (g.units, e)


@given(spec=specs(3, 5))
def test_middle_transfer_sums_the_middle_paths(spec: NetworkSpec) -> None:
    der = derive(build_network(spec))
    for g in der.groups:
        n, m = g.units
        expected = sum(
            (middle_product(spec.depth, u) for u in middle_paths(spec.widths, n, m)),
            sp.Integer(0),
        )
        assert sp.expand(g.middle - expected) == 0


def test_bias_does_not_change_the_constraints() -> None:
    for depth, dim, widths in [(1, 3, ()), (2, 3, (2,)), (3, 2, (2, 3)), (4, 2, (2, 2, 2))]:
        plain = derive(build_network(NetworkSpec(depth, dim, widths, False)))
        biased = derive(build_network(NetworkSpec(depth, dim, widths, True)))
        assert [(g.units, g.paths, g.middle) for g in plain.groups] == [
            (g.units, g.paths, g.middle) for g in biased.groups
        ]
        for gp, gb in zip(plain.groups, biased.groups, strict=True):
            assert [sp.expand(e.reduced) for e in gp.equations] == [
                sp.expand(e.reduced) for e in gb.equations
            ]


@given(spec=specs(1, 4))
@example(spec=NetworkSpec(4, 3, (2, 3, 2)))
def test_per_path_enumeration(spec: NetworkSpec) -> None:
    """Every backward-path pair appears once; its constraint is middle product × reduced."""
    der = derive(build_network(spec), per_path_limit=PER_PATH_LIMIT)
    total = 0
    for g in der.groups:
        assert g.per_path is not None
        assert len(g.per_path) == g.paths * len(g.equations)
        total += len(g.per_path)
        reduced = {(e.i, e.j): e.reduced for e in g.equations}
        if spec.depth >= 3:
            n, m = g.units
            expected_units = {
                tuple(reversed(u)) for u in middle_paths(spec.widths, n, m)
            }  # (n, …, m)
        else:
            expected_units = {g.units}
        seen = set()
        for p in g.per_path:
            assert p.units in expected_units
            assert p.path == (p.i, *p.units, p.j)
            assert p.mirror == (p.j, *p.units, p.i)
            hidden = tuple(reversed(p.units))
            typed = (
                middle_product(spec.depth, hidden, with_sigma=False)
                if spec.depth >= 3
                else sp.Integer(1)
            )
            assert sp.expand(p.middle_product - typed) == 0
            assert sp.expand(p.raw - p.middle_product * reduced[(p.i, p.j)]) == 0
            seen.add(p.path)
        assert len(seen) == len(g.per_path)  # no path twice
    assert total == der.constraint_count


def test_per_path_is_off_by_default() -> None:
    der = derive(build_network(NetworkSpec(3, 2, (2, 2))))
    assert all(g.per_path is None for g in der.groups)


@given(spec=specs(2, 4, max_width=2))
def test_jacobian_entry_is_the_sum_over_backward_paths(spec: NetworkSpec) -> None:
    """∂₂ψ₁ with σ′ frozen = Σ over paths (1, n, …, m, 2) of the weights and σ′ on them."""
    der = derive(build_network(spec))
    assert prod(spec.widths) <= ENTRY_PATH_LIMIT
    expected = sp.Integer(0)
    for hidden in itertools.product(*[range(1, w + 1) for w in spec.widths]):
        term = theta(spec.depth - 1, 1, hidden[-1]) * theta(0, hidden[0], 2)
        for k in range(1, spec.depth - 1):
            term *= theta(k, hidden[k], hidden[k - 1])
        for k in range(1, spec.depth):
            term *= dsigma(k, hidden[k - 1])
        expected += term
    assert der.jacobian_entry is not None
    assert sp.expand(der.jacobian_entry - expected) == 0


# --- masked middle weights -----------------------------------------------------------------


@st.composite
def masked_nets(draw):
    depth = draw(st.integers(3, 4))
    dim = draw(st.integers(2, 3))
    widths = tuple(draw(st.lists(st.integers(1, 3), min_size=depth - 1, max_size=depth - 1)))
    sizes = (dim, *widths, dim)
    mask = {
        k: [[draw(st.booleans()) for _ in range(sizes[k])] for _ in range(sizes[k + 1])]
        for k in range(1, depth - 1)
    }
    return NetworkSpec(depth, dim, widths), mask


def _masked_weights(spec: NetworkSpec, mask) -> list:
    sizes = spec.sizes
    weights: list = [None] * spec.depth
    for k, rows in mask.items():
        weights[k] = sp.Matrix(
            sizes[k + 1],
            sizes[k],
            lambda o, i, k=k, rows=rows: theta(k, o + 1, i + 1) if rows[o][i] else 0,
        )
    return weights


@given(net_mask=masked_nets())
@example(net_mask=(NetworkSpec(3, 2, (2, 2)), {1: [[True, False], [False, True]]}))
@example(net_mask=(NetworkSpec(3, 2, (2, 2)), {1: [[False, False], [False, False]]}))
@example(
    net_mask=(
        NetworkSpec(4, 2, (2, 2, 2)),
        {1: [[True, True], [False, False]], 2: [[True, False], [False, True]]},
    )
)
def test_masked_middle_weights_drop_paths_and_groups(net_mask) -> None:
    """Zero middle weights remove backward paths; a group with no path left is dropped."""
    spec, mask = net_mask
    net = build_network(spec, weights=_masked_weights(spec, mask))
    der = derive(net, per_path_limit=PER_PATH_LIMIT)
    pairs = comb(spec.dim, 2)
    mask_by_layer = [None] + [mask[k] for k in range(1, spec.depth - 1)]
    expected_paths = {}
    for n in range(1, spec.widths[-1] + 1):
        for m in range(1, spec.widths[0] + 1):
            count = len(list(middle_paths(spec.widths, n, m, mask_by_layer)))
            if count:
                expected_paths[(n, m)] = count
    assert {g.units: g.paths for g in der.groups} == expected_paths
    assert der.constraint_count == sum(expected_paths.values()) * pairs
    for g in der.groups:
        n, m = g.units
        expected = sum(
            (middle_product(spec.depth, u) for u in middle_paths(spec.widths, n, m, mask_by_layer)),
            sp.Integer(0),
        )
        assert sp.expand(g.middle - expected) == 0
        assert g.middle != 0
        assert g.per_path is not None and len(g.per_path) == g.paths * pairs
        for e in g.equations:
            assert sp.expand(e.reduced - expected_reduced(spec.depth, g.units, e.i, e.j)) == 0


@pytest.mark.parametrize("depth", [3, 4])
def test_all_middle_weights_zero_leaves_no_constraint(depth: int) -> None:
    spec = NetworkSpec(depth, 2, (2,) * (depth - 1))
    weights = [None] + [sp.zeros(2, 2)] * (depth - 2) + [None]
    der = derive(build_network(spec, weights=weights))
    assert der.groups == ()
    assert der.constraint_count == 0


# --- the plain-sympy route, as an independent oracle ----------------------------------------


@st.composite
def small_nets(draw):
    """L ≤ 3, d ≤ 3, widths ≤ 3, with or without a mask on the middle layer and biases."""
    depth = draw(st.integers(1, 3))
    dim = draw(st.integers(2, 3))
    widths = tuple(draw(st.lists(st.integers(1, 3), min_size=depth - 1, max_size=depth - 1)))
    sizes = (dim, *widths, dim)
    mask = None
    if depth == 3 and draw(st.booleans()):
        mask = {1: [[draw(st.booleans()) for _ in range(sizes[1])] for _ in range(sizes[2])]}
    return NetworkSpec(depth, dim, widths, draw(st.booleans())), mask


@given(net_mask=small_nets())
@example(net_mask=(NetworkSpec(3, 3, (3, 3)), None))
@example(net_mask=(NetworkSpec(3, 2, (3, 2)), {1: [[True, False, True], [False, True, False]]}))
@example(net_mask=(NetworkSpec(2, 3, (3,), True), None))
@example(net_mask=(NetworkSpec(1, 3, ()), None))
def test_per_path_constraints_equal_the_plain_sympy_route(net_mask) -> None:
    """``derive``'s per-path constraints are, as a set up to sign, what the plain route gives:
    ψ whole, ``Matrix.jacobian``, expand J − Jᵀ, freeze σ′, ``Poly(...).coeffs()``."""
    from tests.oracles.plain_sympy import canonical, plain_constraints

    spec, mask = net_mask
    weights = _masked_weights(spec, mask) if mask else None
    der = derive(build_network(spec, weights=weights), per_path_limit=PER_PATH_LIMIT)
    ours = [p.raw for g in der.groups for p in g.per_path or ()]
    masks = [mask[1]] if mask else None
    assert canonical(ours) == canonical(plain_constraints(spec.sizes, masks, spec.bias))
