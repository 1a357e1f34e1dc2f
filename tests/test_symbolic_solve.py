"""The weight-tying S (Eq. 2, 7), Eq. 8 and the rank-1 argument, with certificates.

Besides reading the solver's flags, every property is certified independently:
exact random members of the solved family are substituted into the reduced
constraints (→ 0), and exact random weights *outside* the family are shown to
violate them, group by group.
"""

from __future__ import annotations

import dataclasses
from math import comb

import numpy as np
import pytest
import sympy as sp
from hypothesis import example, given
from hypothesis import strategies as st

from ptheorem.model.spec import NetworkSpec
from ptheorem.model.status import Status
from ptheorem.symbolic.check import judge
from ptheorem.symbolic.derive import Derivation, derive
from ptheorem.symbolic.network import SymbolicNetwork, build_network
from ptheorem.symbolic.solve import Solution, proportional, rank_argument, solve

seeds = st.integers(0, 2**32 - 1)
widths_st = st.integers(1, 3)


@st.composite
def specs(draw, min_depth: int, max_depth: int, min_dim: int = 2, max_dim: int = 3) -> NetworkSpec:
    depth = draw(st.integers(min_depth, max_depth))
    dim = draw(st.integers(min_dim, max_dim))
    widths = tuple(draw(st.lists(widths_st, min_size=depth - 1, max_size=depth - 1)))
    return NetworkSpec(depth, dim, widths, draw(st.booleans()))


def _solved(spec: NetworkSpec) -> tuple[SymbolicNetwork, Derivation, Solution]:
    net = build_network(spec)
    derivation = derive(net)
    return net, derivation, solve(net, derivation)


def _nonzero_ints(rng: np.random.Generator, shape) -> np.ndarray:
    """Exact small nonzero integers (as Python ints) of the given shape."""
    values = rng.integers(1, 6, size=shape) * rng.choice((-1, 1), size=shape)
    return values.astype(object)


def _assign(matrix: sp.ImmutableMatrix, values) -> dict[sp.Symbol, sp.Expr]:
    """Map each symbol of ``matrix`` to the matching entry of ``values``."""
    values = sp.Matrix(values)
    assert values.shape == matrix.shape
    return {
        matrix[r, c]: sp.Integer(values[r, c])
        for r in range(matrix.shape[0])
        for c in range(matrix.shape[1])
    }


def _middle_and_bias_values(net: SymbolicNetwork, rng: np.random.Generator) -> dict:
    """Random exact values for the middle weights and every bias."""
    values: dict[sp.Symbol, sp.Expr] = {}
    for k in range(1, net.spec.depth - 1):
        values |= _assign(net.weights[k], _nonzero_ints(rng, net.weights[k].shape))
    for b in net.biases:
        if b is not None:
            values |= _assign(b, _nonzero_ints(rng, b.shape))
    return values


def _reduced(derivation: Derivation, values: dict) -> dict[tuple[int, ...], list[sp.Expr]]:
    return {
        g.units: [sp.expand(e.reduced.xreplace(values)) for e in g.equations]
        for g in derivation.groups
    }


def _raw_vanish(derivation: Derivation, values: dict) -> bool:
    return all(
        sp.expand(e.raw.xreplace(values)) == 0 for g in derivation.groups for e in g.equations
    )


def _rank_le_1(*vectors) -> bool:
    return sp.Matrix([list(v) for v in vectors]).rank() <= 1


# --- what the solver reports ---------------------------------------------------------------


@given(spec=specs(2, 2))
@example(spec=NetworkSpec(2, 3, (3,)))
def test_one_hidden_layer_ties_each_unit_alone(spec: NetworkSpec) -> None:
    """L = 2: S is a vector, every group is tied (nullity 1), no two units are linked."""
    _, derivation, sol = _solved(spec)
    width = spec.widths[0]
    assert sol.kind == "vector"
    assert sol.S is not None and sol.S.shape == (width, 1)
    assert [t.units for t in sol.tyings] == [(m,) for m in range(1, width + 1)]
    assert all(t.tied and t.nullity == 1 for t in sol.tyings)
    assert sol.all_tied
    assert sol.rank is not None
    assert [c.first for c in sol.rank.components] == [(m,) for m in range(1, width + 1)]
    assert sol.rank.eq8 == ()


@given(spec=specs(3, 5))
@example(spec=NetworkSpec(3, 3, (3, 3)))
@example(spec=NetworkSpec(4, 2, (3, 1, 2)))
def test_deep_nets_link_every_first_layer_unit(spec: NetworkSpec) -> None:
    """L ≥ 3: one component with all first-layer units, every 2 × 2 minor of θ⁽⁰⁾ vanishes."""
    _, _, sol = _solved(spec)
    first, last, d = spec.widths[0], spec.widths[-1], spec.dim
    assert sol.kind == "matrix"
    assert sol.S is not None and sol.S.shape == (last, first)
    assert {t.units for t in sol.tyings} == {
        (n, m) for n in range(1, last + 1) for m in range(1, first + 1)
    }
    assert all(t.tied and t.nullity == 1 for t in sol.tyings)
    assert sol.rank is not None
    assert [c.first for c in sol.rank.components] == [tuple(range(1, first + 1))]
    assert sol.rank.single and sol.rank.rank_at_most_one
    assert sol.rank.minors_checked == comb(first, 2) * comb(d, 2)
    # A spanning tree of the single component: one Eq. 8 per unit beyond the first.
    assert len(sol.rank.eq8) == first - 1
    assert sorted(e.m_prime for e in sol.rank.eq8) == list(range(2, first + 1))


@given(spec=specs(3, 4))
@example(spec=NetworkSpec(3, 3, (3, 2)))
def test_eq8_is_built_from_the_groups_and_solves_the_papers_eq8(spec: NetworkSpec) -> None:
    """Each Eq. 8 holds group (n, m′)'s own equations with θ⁽ᴸ⁻¹⁾ₙ = Sₙₘ θ⁽⁰⁾ₘ substituted,
    and its solution satisfies those equations and the paper's Eq. 8, typed here."""
    net, derivation, sol = _solved(spec)
    assert sol.rank is not None
    w0, wl = net.weights[0], net.weights[-1]
    groups = {g.units: g for g in derivation.groups}
    by_units = {t.units: t for t in sol.tyings}
    for e in sol.rank.eq8:
        s_m, s_mp = by_units[(e.n, e.m)].symbol, by_units[(e.n, e.m_prime)].symbol
        tie = {wl[i, e.n - 1]: s_m * w0[e.m - 1, i] for i in range(spec.dim)}
        own = [x.reduced.xreplace(tie) for x in groups[(e.n, e.m_prime)].equations]
        assert [sp.expand(a - b) for a, b in zip(e.equations, own, strict=True)] == [0] * len(own)
        assert e.nullity == 1 and e.spanned
        assert set(e.solution) == set(w0[e.m_prime - 1, :])
        for eq in e.equations:
            assert sp.cancel(eq.xreplace(e.solution)) == 0
        for k in range(spec.dim):  # the paper's Eq. 8: S_nm θ⁽⁰⁾ₘ = S_nm′ θ⁽⁰⁾ₘ′
            typed = s_m * w0[e.m - 1, k] - s_mp * w0[e.m_prime - 1, k]
            assert sp.cancel(typed.xreplace(e.solution)) == 0


@given(spec=specs(1, 4, min_dim=1, max_dim=1))
def test_dimension_one_is_vacuous(spec: NetworkSpec) -> None:
    _, derivation, sol = _solved(spec)
    assert derivation.pairs == ()
    assert derivation.groups == () or all(not g.equations for g in derivation.groups)
    assert derivation.constraint_count == 0
    assert sol.kind == "none"
    assert sol.tyings == () and sol.S is None and sol.rank is None and sol.symmetric == {}


@pytest.mark.parametrize("dim", [2, 3, 4])
@pytest.mark.parametrize("bias", [False, True])
def test_linear_net_solution_is_symmetric(dim: int, bias: bool) -> None:
    """L = 1: the solution maps each lower entry θ⁽⁰⁾ⱼᵢ (j > i) to its mirror θ⁽⁰⁾ᵢⱼ."""
    net, _, sol = _solved(NetworkSpec(1, dim, (), bias))
    w = net.weights[0]
    assert sol.kind == "symmetric"
    assert sol.tyings == () and sol.S is None and sol.rank is None
    assert sol.symmetric == {w[j, i]: w[i, j] for i in range(dim) for j in range(i + 1, dim)}


# --- independent certificates on exact random weights ---------------------------------------


@given(spec=specs(2, 2), seed=seeds)
def test_tied_family_satisfies_constraints_with_free_input_weights(spec, seed) -> None:
    """L = 2: θ⁽¹⁾ₘ = Sₘ θ⁽⁰⁾ₘ with θ⁽⁰⁾ random (rows not parallel) satisfies everything."""
    net, derivation, _ = _solved(spec)
    rng = np.random.default_rng(seed)
    w0 = _nonzero_ints(rng, net.weights[0].shape)
    s = _nonzero_ints(rng, spec.widths[0])
    w1 = np.array([[s[m] * w0[m, i] for m in range(len(s))] for i in range(spec.dim)], dtype=object)
    values = _assign(net.weights[0], w0) | _assign(net.weights[1], w1)
    values |= _middle_and_bias_values(net, rng)
    assert all(e == 0 for eqs in _reduced(derivation, values).values() for e in eqs)
    assert _raw_vanish(derivation, values)


@given(spec=specs(2, 2), seed=seeds)
def test_one_hidden_layer_group_vanishes_iff_unit_is_tied(spec, seed) -> None:
    """L = 2, random θ⁽¹⁾: group m's equations vanish exactly when θ⁽¹⁾ₘ ∥ θ⁽⁰⁾ₘ."""
    net, derivation, _ = _solved(spec)
    rng = np.random.default_rng(seed)
    w0 = _nonzero_ints(rng, net.weights[0].shape)
    w1 = _nonzero_ints(rng, net.weights[1].shape)
    # Tie unit 1 by hand so both outcomes occur.
    w1[:, 0] = 2 * w0[0, :]
    values = _assign(net.weights[0], w0) | _assign(net.weights[1], w1)
    reduced = _reduced(derivation, values)
    assert all(e == 0 for e in reduced[(1,)])
    for (m,), eqs in reduced.items():
        tied = _rank_le_1(w1[:, m - 1], w0[m - 1, :])
        assert all(e == 0 for e in eqs) == tied


@given(spec=specs(3, 4), seed=seeds)
@example(spec=NetworkSpec(4, 3, (3, 2, 3), True), seed=0)
def test_parallel_family_satisfies_constraints(spec, seed) -> None:
    """L ≥ 3: θ⁽⁰⁾ₘ = aₘ u, θ⁽ᴸ⁻¹⁾ₙ = cₙ u, everything else random ⇒ all constraints vanish."""
    net, derivation, _ = _solved(spec)
    rng = np.random.default_rng(seed)
    u = _nonzero_ints(rng, spec.dim)
    a = _nonzero_ints(rng, spec.widths[0])
    c = _nonzero_ints(rng, spec.widths[-1])
    values = _assign(net.weights[0], np.outer(a, u))
    values |= _assign(net.weights[-1], np.outer(u, c))
    values |= _middle_and_bias_values(net, rng)
    assert all(e == 0 for eqs in _reduced(derivation, values).values() for e in eqs)
    assert _raw_vanish(derivation, values)


@given(spec=specs(3, 4).filter(lambda s: s.widths[0] >= 2), seed=seeds)
@example(spec=NetworkSpec(3, 3, (3, 2)), seed=1)
def test_non_parallel_input_weights_violate_some_constraint(spec, seed) -> None:
    """θ⁽ᴸ⁻¹⁾ₙ = Sₙ₁ θ⁽⁰⁾₁ (the S relation for m = 1) with non-parallel θ⁽⁰⁾ rows:
    group (n, m) vanishes exactly when θ⁽⁰⁾ₘ ∥ θ⁽⁰⁾₁, so some constraint is violated."""
    net, derivation, _ = _solved(spec)
    rng = np.random.default_rng(seed)
    first, last, d = spec.widths[0], spec.widths[-1], spec.dim
    w0 = _nonzero_ints(rng, (first, d))
    w0[1, :] = w0[0, :]
    w0[1, 0] += 1  # row 2 is certainly not parallel to row 1
    assert not _rank_le_1(w0[0, :], w0[1, :])
    s_col = _nonzero_ints(rng, last)
    w_last = np.array([[s_col[n] * w0[0, i] for n in range(last)] for i in range(d)], dtype=object)
    values = _assign(net.weights[0], w0) | _assign(net.weights[-1], w_last)
    values |= _middle_and_bias_values(net, rng)
    reduced = _reduced(derivation, values)
    assert set(reduced) == {(n, m) for n in range(1, last + 1) for m in range(1, first + 1)}
    for (_, m), eqs in reduced.items():
        assert all(e == 0 for e in eqs) == _rank_le_1(w0[0, :], w0[m - 1, :])
    assert any(e != 0 for eqs in reduced.values() for e in eqs)


@given(spec=specs(2, 4), seed=seeds)
def test_tyings_are_certified_null_spaces(spec, seed) -> None:
    """output = S · input solves the group's equations, and at a random exact input row
    the equations have rank d − 1 in the output column, so the null space is that line."""
    _, derivation, sol = _solved(spec)
    rng = np.random.default_rng(seed)
    groups = {g.units: g for g in derivation.groups}
    for t in sol.tyings:
        group = groups[t.units]
        tie = {o: t.symbol * v for o, v in zip(t.output, t.input, strict=True)}
        assert all(sp.expand(e.reduced.xreplace(tie)) == 0 for e in group.equations)
        row = {v: sp.Integer(x) for v, x in zip(t.input, _nonzero_ints(rng, spec.dim), strict=True)}
        system = [e.reduced.xreplace(row) for e in group.equations]
        matrix, _ = sp.linear_eq_to_matrix(system, list(t.output))
        assert matrix.rank() == spec.dim - 1


# --- masked middle weights: components follow the nonzero middle transfers ------------------


@given(
    first=st.integers(1, 3),
    last=st.integers(1, 3),
    dim=st.integers(2, 3),
    mask=st.lists(st.booleans(), min_size=9, max_size=9),
)
@example(first=2, last=2, dim=2, mask=[True, False, False, True] + [False] * 5)
def test_components_follow_nonzero_middle_weights(first, last, dim, mask) -> None:
    """L = 3 with some θ⁽¹⁾ₙₘ = 0: units m, m′ are linked iff they share an n with both
    middle weights nonzero (transitively).  The test computes the components itself."""
    spec = NetworkSpec(3, dim, (first, last))
    w1 = sp.Matrix(
        last,
        first,
        lambda n, m: sp.Symbol(f"theta1_{n + 1}_{m + 1}") if mask[n * 3 + m] else 0,
    )
    net = build_network(spec, weights=[None, w1, None])
    sol = solve(net, derive(net))
    edges = {(n + 1, m + 1) for n in range(last) for m in range(first) if mask[n * 3 + m]}
    # Expected components by brute-force closure.
    comps: list[set[int]] = []
    for m in sorted({m for _, m in edges}):
        linked = {m2 for n, m1 in edges if m1 == m for n2, m2 in edges if n2 == n} | {m}
        merged = [c for c in comps if c & linked]
        for c in merged:
            comps.remove(c)
            linked |= c
        comps.append(linked)
    expected = sorted(tuple(sorted(c)) for c in comps)
    assert sol.rank is not None
    assert [c.first for c in sol.rank.components] == expected
    assert {t.units for t in sol.tyings} == edges
    assert sol.rank.rank_at_most_one
    assert sol.rank.minors_checked == sum(comb(len(c), 2) for c in expected) * comb(dim, 2)
    linked = {m for c in expected for m in c}
    assert sol.rank.unlinked == tuple(m for m in range(1, first + 1) if m not in linked)


# --- the rank step can fail: broken inputs give ✗, and the verdict changes -------------------


def _broken(derivation: Derivation, units: tuple[int, ...], keep: int) -> Derivation:
    """``derivation`` with group ``units`` cut down to its first ``keep`` equations."""
    groups = tuple(
        dataclasses.replace(g, equations=g.equations[:keep]) if g.units == units else g
        for g in derivation.groups
    )
    return dataclasses.replace(derivation, groups=groups)


@pytest.mark.parametrize("keep", [0, 1])
def test_a_group_missing_equations_is_untied_and_breaks_the_rank_step(keep: int) -> None:
    spec = NetworkSpec(3, 3, (3, 3))
    net, derivation, good = _solved(spec)
    assert good.rank is not None and good.rank.rank_at_most_one
    broken = solve(net, _broken(derivation, (1, 2), keep))
    tying = next(t for t in broken.tyings if t.units == (1, 2))
    assert not tying.tied and tying.nullity == 3 - keep
    assert broken.rank is not None
    verdict = judge(spec, broken, None)
    assert verdict.status is Status.INCONCLUSIVE
    assert "not tied" in verdict.summary


def test_every_group_marked_untied_makes_the_rank_step_fail() -> None:
    spec = NetworkSpec(3, 2, (3, 2))
    net, derivation, sol = _solved(spec)
    untied = tuple(dataclasses.replace(t, tied=False) for t in sol.tyings)
    groups = {g.units: g for g in derivation.groups}
    rank = rank_argument(net, untied, groups)
    assert not rank.rank_at_most_one
    assert rank.components[0].failures and rank.eq8 == ()


def test_every_equation_deleted_leaves_nothing_tied() -> None:
    spec = NetworkSpec(3, 2, (2, 2))
    net, derivation, _ = _solved(spec)
    empty = dataclasses.replace(
        derivation, groups=tuple(dataclasses.replace(g, equations=()) for g in derivation.groups)
    )
    sol = solve(net, empty)
    assert not any(t.tied for t in sol.tyings)
    assert sol.rank is not None and not sol.rank.rank_at_most_one
    assert judge(spec, sol, None).status is Status.INCONCLUSIVE


def test_an_eq8_system_with_a_two_dimensional_null_space_leaves_minors_nonzero() -> None:
    """Group (1, 2) keeps its tying but Eq. 8 loses an equation: θ⁽⁰⁾₂ is not pinned down."""
    spec = NetworkSpec(3, 3, (2, 1))
    net, derivation, sol = _solved(spec)
    groups = {g.units: g for g in derivation.groups}
    thin = dataclasses.replace(groups[(1, 2)], equations=groups[(1, 2)].equations[:1])
    rank = rank_argument(net, sol.tyings, groups | {(1, 2): thin})
    (e8,) = rank.eq8
    assert e8.nullity == 2 and not e8.spanned
    assert not rank.components[0].minors_vanish


def test_a_proportional_basis_is_recognised_and_a_skew_one_is_not() -> None:
    v = sp.symbols("v1:4")
    assert proportional([2 * v[0], 2 * v[1], 2 * v[2]], v) == 2
    assert proportional([v[0], v[1], v[2] + 1], v) is None
    assert proportional([0, 0, 0], v) is None
