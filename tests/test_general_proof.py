"""The general theorem with symbolic sizes: its steps, its rules' refusals, and its instances.

The parametric proof must (a) run for every depth up to six and by induction
beyond, (b) refuse wherever a rule's pattern or hypothesis is missing, and (c)
agree, at concrete sizes, with the instance derivation path by path.
"""

from __future__ import annotations

import dataclasses

import pytest
import sympy as sp
from hypothesis import example, given
from hypothesis import strategies as st

from ptheorem.general import rules
from ptheorem.general.instances import instance_constraints
from ptheorem.general.network import parametric_network
from ptheorem.general.proof import (
    MAX_EXPLICIT_DEPTH,
    general_proof,
    prove_depth,
    prove_induction,
    prove_network,
)
from ptheorem.model.spec import NetworkSpec
from ptheorem.symbolic.derive import PER_PATH_LIMIT, derive
from ptheorem.symbolic.network import build_network
from tests.oracles.plain_sympy import canonical


@pytest.mark.parametrize("depth", range(1, MAX_EXPLICIT_DEPTH + 1))
def test_every_explicit_depth_is_proved_with_its_hypotheses(depth: int) -> None:
    proof = prove_depth(depth)
    expected = {1: (), 2: ("A1", "A3")}.get(depth, ("A1", "A2", "A3"))
    assert proof.hypotheses == expected
    assert proof.statement.startswith("For every d ≥ 1")
    rules_used = [s.by for s in proof.steps]
    assert rules_used[:2] == ["sympy", "sympy"]
    if depth >= 3:
        assert ["A1", "A2", "tie", "sympy", "sympy", "link", "sympy", "connect"] == rules_used[-8:]
    for s in proof.steps:  # every premise is an earlier step
        assert all(0 < p < s.number for p in s.premises)


def test_deep_nets_use_l3_and_the_induction_step() -> None:
    proof = general_proof(20)
    assert [p.depths for p in proof.parts] == [
        "L = 3",
        "L = 3 (induction base)",
        "every L ≥ 3 (induction step)",
    ]
    assert "L = 20" in proof.statement
    assert proof.hypotheses == ("A1", "A2", "A3")


def test_the_induction_step_reads_the_new_transfer_off_sympys_derivative() -> None:
    step = prove_induction()
    h = next(s for s in step.steps if "H(L + 1)" in s.claim)
    assert isinstance(h.rhs, sp.Sum) and len(h.rhs.limits) == 2
    assert [s.by for s in step.steps[-2:]] == ["tie", "sympy"]


# --- rules refuse inputs outside their pattern ---------------------------------------------


def test_a_coefficient_that_still_contains_a_sigma_prime_is_refused() -> None:
    n, m = sp.symbols("n m", integer=True, positive=True)
    s1, s2, c = (sp.IndexedBase(x) for x in ("s1", "s2", "c"))
    with pytest.raises(rules.RuleRefused, match="path function"):
        rules.coefficient_of_paths(s2[n] * s1[m] ** 2 * c[n, m], [s1, s2], (m, n))
    with pytest.raises(rules.RuleRefused, match="path function"):
        rules.coefficient_of_paths(s1[m] * c[n, m], [s1, s2], (m, n))  # a layer missing


def test_a_zero_middle_product_or_a_mixed_one_is_refused() -> None:
    a, b = sp.IndexedBase("theta1"), sp.IndexedBase("theta2")
    n, m = sp.symbols("n m", integer=True, positive=True)
    with pytest.raises(rules.RuleRefused, match="0"):
        rules.cancel_middle(sp.S.Zero, [a])
    with pytest.raises(rules.RuleRefused, match="middle weight"):
        rules.cancel_middle(a[n, m] * (b[1, n] + a[m, m]), [a])


def test_the_tie_rule_refuses_a_bracket_that_is_not_a_minor() -> None:
    last, first = sp.IndexedBase("theta2"), sp.IndexedBase("theta0")
    i, j, n, m = sp.symbols("i j n m", integer=True, positive=True)
    with pytest.raises(rules.RuleRefused, match="minor"):
        rules.tie(last[i, n] * first[m, j] + last[j, n] * first[m, i], last, first, i, j, n, m)


def test_index_ranges_refuse_a_condition_that_is_not_a_declared_bound() -> None:
    j, d = sp.symbols("j d", integer=True, positive=True)
    with pytest.raises(rules.RuleRefused, match="range"):
        rules.in_ranges(sp.Piecewise((j, j >= 2), (0, True)), {j: d})


def test_sums_over_different_ranges_are_not_combined() -> None:
    u, k, h = sp.symbols("u k h", integer=True, positive=True)
    f = sp.IndexedBase("f")
    with pytest.raises(rules.RuleRefused, match="different ranges"):
        rules.difference_of_sums(sp.Sum(f[u], (u, 1, k)), sp.Sum(f[u], (u, 1, h)))


@pytest.mark.parametrize(("depth", "missing"), [(2, "A1"), (3, "A2"), (3, "A3"), (4, "A2")])
def test_a_missing_hypothesis_stops_the_proof_at_its_rule(depth: int, missing: str) -> None:
    granted = tuple(h for h in ("A1", "A2", "A3") if h != missing)
    with pytest.raises(rules.RuleRefused, match=f"needs hypothesis {missing}"):
        prove_depth(depth, granted)
    with pytest.raises(rules.RuleRefused):
        general_proof(12, tuple(h for h in granted if h != "A1") if missing == "A1" else granted)


def test_a_transposed_output_layer_fails_at_the_tying_step() -> None:
    """ψᵢ = Σₙ θ⁽²⁾[n, i] σ(…): the bracket is no longer a minor of [θ⁽²⁾[·, n]; θ⁽⁰⁾[m, ·]]."""
    net = parametric_network(3)
    last = net.weights[-1]
    n, i = net.hidden[-1], net.i
    mutated = dataclasses.replace(net, psi=net.psi.xreplace({last[i, n]: last[n, i]}))
    with pytest.raises(rules.RuleRefused, match="tie"):
        prove_network(mutated)


# --- the instances of the general proof are the instance derivation -------------------------


@st.composite
def configurations(draw):
    depth = draw(st.integers(1, 4))
    dim = draw(st.integers(2, 4 if depth <= 2 else 3))
    widths = tuple(draw(st.lists(st.integers(1, 3), min_size=depth - 1, max_size=depth - 1)))
    sizes = (dim, *widths, dim)
    masks = None
    if depth >= 3 and draw(st.booleans()):
        masks = [
            [[draw(st.booleans()) for _ in range(sizes[k])] for _ in range(sizes[k + 1])]
            for k in range(1, depth - 1)
        ]
    return depth, dim, widths, masks


@given(config=configurations())
@example(config=(4, 3, (3, 2, 3), None))
@example(config=(3, 4, (2, 2), None))
@example(config=(3, 3, (3, 3), [[[True, False, True], [False, True, False], [True, True, False]]]))
def test_concrete_sizes_in_the_general_constraints_give_the_instance_constraints(config) -> None:
    depth, dim, widths, masks = config
    spec = NetworkSpec(depth, dim, widths)
    weights = None
    if masks is not None:
        full = build_network(spec).weights
        weights = [None] * depth
        for k, keep in enumerate(masks, start=1):
            weights[k] = full[k].multiply_elementwise(
                sp.Matrix([[int(v) for v in r] for r in keep])
            )
    der = derive(build_network(spec, weights=weights), per_path_limit=PER_PATH_LIMIT)
    ours = [p.raw for g in der.groups for p in g.per_path or ()]
    general = instance_constraints(prove_depth(depth), dim, widths, masks)
    assert canonical(general) == canonical(ours)


# --- the sympy-verified steps and the connect rule can fail -----------------------------------


def test_connect_refuses_a_tying_for_particular_units() -> None:
    net = parametric_network(3)
    last, first, (m, n), i = net.weights[-1], net.weights[0], net.hidden, net.i
    S = sp.IndexedBase("S")
    assert "connected" in rules.connect((last[i, n], S[n, m] * first[m, i]), n, m, net.sizes)
    with pytest.raises(rules.RuleRefused, match="not for every n"):
        rules.connect((last[i, 1], S[1, m] * first[m, i]), n, m, net.sizes)
    with pytest.raises(rules.RuleRefused, match="not for every m"):
        rules.connect((last[i, n], S[n, 2] * first[2, i]), n, m, net.sizes)
    with pytest.raises(rules.RuleRefused, match="declared range"):
        rules.connect((last[i, n], S[n, m] * first[m, i]), n, m, {n: net.widths[1]})


def test_the_converse_step_refuses_a_term_the_family_does_not_kill() -> None:
    """Sufficiency: with a term that is not antisymmetric in (i, j), the family leaves it."""
    from ptheorem.general.proof import _Builder, _sufficiency

    net = parametric_network(3)
    first, m, i, j = net.weights[0], net.hidden[0], net.i, net.j
    with pytest.raises(rules.RuleRefused, match="sufficiency"):
        _sufficiency(_Builder(), net, first[m, i] * first[m, j] * net.slopes[0][m], 1)


def test_the_induction_base_refuses_a_network_without_the_h_form(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ptheorem.general.proof as proof_module
    from ptheorem.general.proof import prove_base_case

    original = proof_module.parametric_network

    def squared_inner(depth: int, bias: bool = False):  # z_n with θ⁽¹⁾[n, m]² for θ⁽¹⁾[n, m]
        net = original(depth, bias)
        mid = net.weights[1]
        (m, n) = net.hidden
        z = net.pre[2].xreplace({mid[n, m]: mid[n, m] ** 2})
        return dataclasses.replace(net, pre=(*net.pre[:2], z))

    monkeypatch.setattr(proof_module, "parametric_network", squared_inner)
    with pytest.raises(rules.RuleRefused, match="induction base"):
        prove_base_case()


def test_biased_networks_get_their_own_proof_with_the_same_constraint() -> None:
    plain, biased = prove_depth(3), prove_depth(3, bias=True)
    assert biased.bias and "biases drop out" in biased.steps[1].claim
    assert biased.steps[0].rhs.has(sp.IndexedBase("b0"))
    assert [s.rhs for s in plain.steps if s.by == "A2"] == [
        s.rhs for s in biased.steps if s.by == "A2"
    ]
