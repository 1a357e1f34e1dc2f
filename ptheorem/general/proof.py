"""The general theorem, proved with symbolic sizes: one proof for every d and every width.

:func:`prove_depth` runs the paper's argument for one depth L with d, k₁, …,
k_{L−1} symbolic: sympy differentiates the indexed ψ, the named rules of
:mod:`ptheorem.general.rules` take the steps sympy does not (each checks its
pattern), and sympy verifies every conclusion it can by substitution.
:func:`prove_induction` proves the step from depth L to L + 1 for every L ≥ 3
with the middle transfer as an opaque factor, so with the L = 3 proof it covers
every depth.  :func:`general_proof` picks the proof for a depth.

>>> proof = prove_depth(3)
>>> proof.statement.startswith("For every d ≥ 1 and all widths")
True
>>> [s.by for s in proof.steps][:4]
['sympy', 'sympy', 'ranges', 'freeze']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import sympy as sp

from ptheorem.general import rules
from ptheorem.general.network import (
    ParametricNetwork,
    collapse_deltas,
    frozen_slopes,
    jacobian_entry,
    parametric_network,
)

#: Depths proved explicitly (with symbolic sizes); deeper nets use L = 3 and the induction.
MAX_EXPLICIT_DEPTH = 6


@dataclass(frozen=True)
class Step:
    """One numbered step: computed by sympy, or a rule applied to earlier steps.

    ``lhs``/``rhs`` display the relation established (sympy objects, or None);
    ``hypotheses`` are the assumptions the step consumes (A1, A2, A3).
    """

    number: int
    by: str
    claim: str
    premises: tuple[int, ...] = ()
    hypotheses: tuple[str, ...] = ()
    lhs: Any = None
    rhs: Any = None
    #: Where the paper takes this step (e.g. ``Eq. 6``), or "" when it does not.
    paper: str = ""
    #: The factor a cancellation divides out (rule A2), else None.
    factor: Any = None

    @property
    def rule(self) -> rules.Rule | None:
        """The rule applied, or None for a sympy computation."""
        return rules.RULES.get(self.by)


@dataclass(frozen=True)
class Proof:
    """A proof object: the statement, its numbered steps and what it assumes."""

    statement: str
    depths: str
    steps: tuple[Step, ...]
    conclusion: str
    parts: tuple[Proof, ...] = ()
    #: The depth L the statement is about (None: the induction step, every L ≥ 3).
    depth: int | None = None
    #: Whether the network carries biases (they drop out of the Jacobian).
    bias: bool = False

    @property
    def hypotheses(self) -> tuple[str, ...]:
        """Every hypothesis consumed by some step, in order (parts included)."""
        seen: list[str] = []
        for s in self.all_steps:
            for h in s.hypotheses:
                if h not in seen:
                    seen.append(h)
        return tuple(sorted(seen))

    @property
    def all_steps(self) -> tuple[Step, ...]:
        """The steps of every part, then this proof's own."""
        return tuple(s for p in self.parts for s in p.all_steps) + self.steps


#: The hypotheses of the paper's argument; a proof may be built with fewer granted.
ALL_HYPOTHESES = ("A1", "A2", "A3")


@dataclass
class _Builder:
    granted: tuple[str, ...] = ALL_HYPOTHESES
    steps: list[Step] = field(default_factory=list)

    def add(
        self,
        by: str,
        claim: str,
        premises: tuple[int, ...] = (),
        lhs: Any = None,
        rhs: Any = None,
        paper: str = "",
        factor: Any = None,
    ) -> int:
        """Record a step; a rule whose hypotheses are not granted is refused."""
        rule = rules.RULES.get(by)
        hyps = rule.hypotheses if rule is not None else ()
        missing = [h for h in hyps if h not in self.granted]
        if missing:
            raise rules.RuleRefused(f"{by}: needs hypothesis {', '.join(missing)}, not granted")
        number = len(self.steps) + 1
        self.steps.append(Step(number, by, claim, premises, hyps, lhs, rhs, paper, factor))
        return number


@cache
def prove_depth(depth: int, granted: tuple[str, ...] = ALL_HYPOTHESES, bias: bool = False) -> Proof:
    """The paper's argument for depth ``depth`` with every size symbolic (cached per process).

    ``granted`` are the hypotheses the rules may use; a rule that needs another
    one refuses (:class:`~ptheorem.general.rules.RuleRefused`).
    """
    return prove_network(parametric_network(depth, bias), granted)


def prove_network(net: ParametricNetwork, granted: tuple[str, ...] = ALL_HYPOTHESES) -> Proof:
    """The argument for one parametric network (a mutated one makes the proof refuse)."""
    depth = net.depth
    b = _Builder(granted)
    i, j = net.i, net.j
    eq = {1: ("ψ = θ⁽⁰⁾x", "—", "—", "—"), 2: ("ψ, §2", "∂ⱼψᵢ, §2", "Eq. 1", "Eq. 2")}.get(
        depth, ("Eq. 3, Prop. 4", "Eq. 4, Prop. 4", "Eq. 5", "Eq. 7")
    )
    s_psi = b.add(
        "sympy",
        "the network, ψᵢ(x) as nested sums",
        lhs=sp.Symbol("psi_i"),
        rhs=net.psi,
        paper=eq[0],
    )
    raw = jacobian_entry(net)
    s_raw = b.add(
        "sympy",
        "sympy differentiates ψᵢ by x[j]"
        + ("; the biases drop out" if net.bias else "")
        + "; KroneckerDelta sums collapse",
        (s_psi,),
        sp.Symbol("J_ij"),
        raw,
        eq[1],
    )
    ranged = rules.in_ranges(raw, net.sizes)
    s_rng = b.add(
        "ranges",
        "j runs over 1 … d, so the index condition holds",
        (s_raw,),
        sp.Symbol("J_ij"),
        ranged,
    )
    frozen = rules.freeze(ranged, frozen_slopes(net)) if depth > 1 else ranged
    s_frz = b.add(
        "freeze", "every σ′ named by its layer and unit", (s_rng,), sp.Symbol("J_ij"), frozen
    )
    jac = rules.flatten_sums(frozen)
    s_flat = b.add(
        "linearity", "J as one sum over backward paths (m, …, n)", (s_frz,), sp.Symbol("J_ij"), jac
    )
    antisym = rules.difference_of_sums(jac, jac.xreplace({i: j, j: i}))
    s_a = b.add(
        "linearity",
        "Aᵢⱼ = Jᵢⱼ − Jⱼᵢ as one sum over the same paths",
        (s_flat,),
        sp.Symbol("A_ij"),
        antisym,
    )
    if depth == 1:
        return _linear(net, b, antisym, s_a)
    summand = antisym.function
    limits = tuple(lim[0] for lim in antisym.limits)
    if limits != net.hidden:
        raise rules.RuleRefused(f"the path sum runs over {limits}, not the hidden units")
    coeff = rules.coefficient_of_paths(summand, net.slopes, net.hidden)
    s_c = b.add(
        "A1",
        "curl-free: Aᵢⱼ ≡ 0, so every path's coefficient vanishes",
        (s_a,),
        sp.Symbol("c"),
        coeff,
        eq[2],
    )
    last, first = net.weights[-1], net.weights[0]
    m, n = net.hidden[0], net.hidden[-1]
    bracket, s_b = coeff, s_c
    if depth >= 3:
        product, bracket = rules.cancel_middle(coeff, net.middle)
        s_b = b.add(
            "A2",
            "c = P·B: divide by the path's middle product P ≠ 0",
            (s_c,),
            sp.Symbol("B"),
            bracket,
            "Eq. 5 → 6",
            factor=product,
        )
    rules.tie(bracket, last, first, i, j, n, m)
    S = sp.IndexedBase("S")
    scale = S[n, m] if depth >= 3 else S[m]
    tying = {last[i, n]: scale * first[m, i], last[j, n]: scale * first[m, j]}
    s_t = b.add(
        "tie",
        f"every 2×2 minor of [θ⁽ᴸ⁻¹⁾[·, {n}]; θ⁽⁰⁾[{m}, ·]] vanishes",
        (s_b,),
        last[i, n],
        scale * first[m, i],
        eq[3],
    )
    back = sp.expand(bracket.xreplace(tying))
    if back != 0:
        raise rules.RuleRefused(f"the tying does not solve the constraint: {back}")
    b.add(
        "sympy",
        "with the tying substituted, B expands to 0 identically (for every i, j)",
        (s_t,),
        bracket,
        back,
        eq[3],
    )
    _sufficiency(b, net, summand, s_a)
    if depth == 2:
        b.add(
            "sympy",
            "each unit's read-out is tied to its own input row only: nothing links "
            "two input rows, the input weights stay free",
            (s_t,),
            paper="after Eq. 2",
        )
        return Proof(
            "For every d ≥ 1 and all widths k₁: under A1 and A3, a ψ with L = 2 is curl-free "
            "exactly when every unit's read-out is tied to its input row, θ⁽¹⁾[i, m] = S[m] "
            "θ⁽⁰⁾[m, i] (Eq. 2); the input weights stay free",
            "L = 2",
            tuple(b.steps),
            "tied weights, free input weights",
            depth=2,
            bias=net.bias,
        )
    return _finish(net, b, s_t, scale)


def _sufficiency(b: _Builder, net: ParametricNetwork, summand: sp.Expr, s_a: int) -> int:
    """The converse, with no hypothesis: the claimed family makes every path's term vanish.

    L = 2: the tied family θ⁽¹⁾[i, m] = S[m] θ⁽⁰⁾[m, i]; L ≥ 3: the parallel family
    θ⁽⁰⁾[m, j] = a[m] u[j], θ⁽ᴸ⁻¹⁾[i, n] = c[n] u[i].  sympy expands the summand of
    Aᵢⱼ with the family substituted; it must be 0, so Aᵢⱼ = Σ 0 ≡ 0 for every σ.
    """
    last, first = net.weights[-1], net.weights[0]
    i, j, m, n = net.i, net.j, net.hidden[0], net.hidden[-1]
    u = sp.IndexedBase("u")
    if net.depth == 2:
        S = sp.IndexedBase("S")
        family = {last[i, m]: S[m] * first[m, i], last[j, m]: S[m] * first[m, j]}
        name = "θ⁽¹⁾[i, m] = S[m] θ⁽⁰⁾[m, i]"
    else:
        a, c = sp.IndexedBase("a"), sp.IndexedBase("c")
        family = {
            first[m, i]: a[m] * u[i],
            first[m, j]: a[m] * u[j],
            last[i, n]: c[n] * u[i],
            last[j, n]: c[n] * u[j],
        }
        name = "θ⁽⁰⁾[m, j] = a[m] u[j], θ⁽ᴸ⁻¹⁾[i, n] = c[n] u[i]"
    value = sp.expand(summand.xreplace(family))
    if value != 0:
        raise rules.RuleRefused(f"sufficiency: the family {name} leaves the term {value}")
    return b.add(
        "sympy",
        f"conversely, with {name} substituted every path's term of Aᵢⱼ expands to 0: "
        "Aᵢⱼ ≡ 0 for every σ, no hypothesis used",
        (s_a,),
        sp.Symbol("A_ij"),
        value,
    )


def _linear(net: ParametricNetwork, b: _Builder, antisym: sp.Expr, s_a: int) -> Proof:
    w = net.weights[0]
    if sp.expand(antisym - (w[net.i, net.j] - w[net.j, net.i])) != 0:
        raise rules.RuleRefused(f"L = 1: A is not θ⁽⁰⁾ − θ⁽⁰⁾ᵀ: {antisym}")
    b.add(
        "sympy",
        "A contains no x: A ≡ 0 exactly when θ⁽⁰⁾ is symmetric",
        (s_a,),
        w[net.i, net.j],
        w[net.j, net.i],
    )
    return Proof(
        "For every d ≥ 1: ψ(x) = θ⁽⁰⁾x is curl-free exactly when θ⁽⁰⁾ is symmetric",
        "L = 1",
        tuple(b.steps),
        "θ⁽⁰⁾ symmetric",
        depth=1,
        bias=net.bias,
    )


def _finish(net: ParametricNetwork, b: _Builder, s_t: int, scale: sp.Expr) -> Proof:
    """Eq. 8 and connectivity: every input row is parallel to the first one."""
    first = net.weights[0]
    m, n, i = net.hidden[0], net.hidden[-1], net.i
    mp = sp.Symbol("m'", integer=True, positive=True)
    S = scale.base
    row = rules.link((n, m, S[n, m]), (n, mp, S[n, mp]), first, i)
    s_l = b.add(
        "link",
        "the tyings of (n, m) and (n, m′) share the output column n",
        (s_t,),
        first[mp, i],
        row,
        "Eq. 8",
    )
    a, c = sp.symbols("a c", integer=True, positive=True)
    minor = first[m, a] * first[mp, c] - first[m, c] * first[mp, a]
    value = sp.cancel(
        minor.xreplace({first[mp, a]: row.xreplace({i: a}), first[mp, c]: row.xreplace({i: c})})
    )
    if value != 0:
        raise rules.RuleRefused(f"link: the minor of rows m, m′ does not vanish: {value}")
    b.add(
        "sympy",
        "every 2×2 minor of the rows m, m′ of θ⁽⁰⁾ cancels to 0",
        (s_l,),
        minor,
        value,
        "Eq. 8",
    )
    tied = next(st for st in b.steps if st.number == s_t)
    graph = rules.connect((tied.lhs, tied.rhs), n, m, net.sizes)
    b.add(
        "connect",
        f"under A2 the tying holds for every (n, m): {graph}; so every m shares n = 1 with "
        "every m′: one component, rank θ⁽⁰⁾ ≤ 1, and θ⁽ᴸ⁻¹⁾ₙ = Sₙ₁ θ⁽⁰⁾₁ points the same way",
        (s_t, s_l),
        paper="Prop. 3, Theorem 5",
    )
    return Proof(
        parallel_statement(net.depth),
        f"L = {net.depth}",
        tuple(b.steps),
        "input weights parallel (rank θ⁽⁰⁾ ≤ 1)",
        depth=net.depth,
        bias=net.bias,
    )


def prove_induction(granted: tuple[str, ...] = ALL_HYPOTHESES) -> Proof:
    """The step from depth L to L + 1, for every L ≥ 3, with the middle transfer opaque.

    Hypothesis H(L): the last hidden pre-activation zₙ of the depth-L net has
    ∂zₙ/∂x[j] = Σₘ Q[n, m] s⁽¹⁾[m] θ⁽⁰⁾[m, j], with Q free of θ⁽⁰⁾ and of the
    read-out (at L = 3, Q[n, m] = θ⁽¹⁾[n, m]).  sympy differentiates one more
    layer on top of an opaque zₙ: the new pre-activation satisfies H(L + 1)
    with Q′[ν, m] = Σₙ θ[ν, n] s[n] Q[n, m], and Aᵢⱼ of the depth-(L + 1) net
    gives, by A1 and A2, the same bracket as the L = 3 proof.
    """
    b = _Builder(granted)
    pos = {"integer": True, "positive": True}
    i, j, m, n, nu = (sp.Symbol(name, **pos) for name in ("i", "j", "m", "n", "nu"))
    k1, kl, knew = (sp.Symbol(name, **pos) for name in ("k1", "k_L", "k_new"))
    xj = sp.Symbol("x_j")
    theta0, mid, out = (sp.IndexedBase(name) for name in ("theta0", "theta_L", "theta_out"))
    s1, s_old, s_new = (sp.IndexedBase(name) for name in ("s1", "s_L", "s_new"))
    Q = sp.IndexedBase("Q")
    z = sp.Function("z")  # the depth-L net's last pre-activation at unit n, as x[j] varies
    sigma = sp.Function("sigma")
    hypothesis = sp.Sum(Q[n, m] * s1[m] * theta0[m, j], (m, 1, k1))
    s_h = b.add(
        "sympy",
        "hypothesis H(L): the depth-L net's last pre-activation has this "
        "gradient (at L = 3, Q[n, m] = θ⁽¹⁾[n, m])",
        (),
        sp.Derivative(z(n, xj), xj),
        hypothesis,
    )
    new_pre = sp.Sum(mid[nu, n] * sigma(z(n, xj)), (n, 1, kl))
    psi = sp.Sum(out[i, nu] * sigma(new_pre), (nu, 1, knew))
    s_psi = b.add("sympy", "one more layer on top: ψᵢ of depth L + 1", (), sp.Symbol("psi_i"), psi)
    xi = sp.Dummy("xi")
    table = {
        sp.Subs(sp.Derivative(sigma(xi), xi), xi, z(n, xj)): s_old[n],
        sp.Derivative(sigma(z(n, xj)), z(n, xj)): s_old[n],
        sp.Subs(sp.Derivative(sigma(xi), xi), xi, new_pre): s_new[nu],
        sp.Derivative(z(n, xj), xj): hypothesis,
    }
    grad = rules.flatten_sums(rules.freeze(new_pre.diff(xj).xreplace(table), {}))
    transfer = sp.Sum(mid[nu, n] * s_old[n] * Q[n, m], (n, 1, kl))
    claimed = rules.flatten_sums(sp.Sum(transfer * s1[m] * theta0[m, j], (m, 1, k1)))
    if not _same_sum(grad, claimed):
        raise rules.RuleRefused(f"induction: the new pre-activation is not of the H form: {grad}")
    s_q = b.add(
        "linearity",
        "sympy differentiates the new pre-activation: H(L + 1) holds with "
        "Q′[ν, m] = Σₙ θ[ν, n] s[n] Q[n, m] (finite sums exchanged)",
        (s_h,),
        sp.Derivative(z(nu, xj), xj),
        claimed,
        "Prop. 4",
    )
    raw = psi.diff(xj)
    s_raw = b.add(
        "sympy", "sympy differentiates ψᵢ by x[j] (z opaque)", (s_psi,), sp.Symbol("J_ij"), raw
    )
    jac = rules.flatten_sums(rules.freeze(raw.xreplace(table), {}))
    s_flat = b.add(
        "freeze",
        "σ′ named by layer and unit, ∂zₙ/∂x[j] by H(L); one sum over (m, n, ν)",
        (s_raw, s_h),
        sp.Symbol("J_ij"),
        jac,
    )
    antisym = rules.difference_of_sums(jac, jac.xreplace({i: j, j: i}))
    s_a = b.add("linearity", "Aᵢⱼ = Jᵢⱼ − Jⱼᵢ as one sum", (s_flat,), sp.Symbol("A_ij"), antisym)
    coeff = rules.coefficient_of_paths(antisym.function, [s1, s_old, s_new], (m, n, nu))
    s_c = b.add(
        "A1",
        "Aᵢⱼ ≡ 0: every path's coefficient vanishes (the σ′ inside Q count as part of the path)",
        (s_a,),
        sp.Symbol("c"),
        coeff,
    )
    product, bracket = rules.cancel_middle(coeff, [Q, mid])
    s_b = b.add(
        "A2",
        "c = P·B: divide by the path's middle product P ≠ 0",
        (s_c,),
        sp.Symbol("B"),
        bracket,
        factor=product,
    )
    rules.tie(bracket, out, theta0, i, j, nu, m)
    s_t = b.add(
        "tie",
        "B is the L = 3 bracket with ν for n: the tying, Eq. 8 and connectivity of the "
        "L = 3 proof apply unchanged at depth L + 1",
        (s_b, s_q),
        paper="Theorem 5 (proof)",
    )
    a_, c_, u = sp.IndexedBase("a"), sp.IndexedBase("c"), sp.IndexedBase("u")
    family = {
        theta0[m, i]: a_[m] * u[i],
        theta0[m, j]: a_[m] * u[j],
        out[i, nu]: c_[nu] * u[i],
        out[j, nu]: c_[nu] * u[j],
    }
    value = sp.expand(antisym.function.xreplace(family))
    if value != 0:
        raise rules.RuleRefused(f"sufficiency: the parallel family leaves the term {value}")
    b.add(
        "sympy",
        "conversely, with θ⁽⁰⁾[m, j] = a[m] u[j], θ⁽ᴸ⁾[i, ν] = c[ν] u[i] every path's term of "
        "Aᵢⱼ expands to 0 (Q opaque): Aᵢⱼ ≡ 0 for every σ, no hypothesis used",
        (s_a, s_t),
        sp.Symbol("A_ij"),
        value,
    )
    return Proof(
        "For every L ≥ 3: if the depth-L net has H(L), so has the depth-(L + 1) net, and its "
        "constraints are the L = 3 constraints with ν for n",
        "every L ≥ 3 (induction step)",
        tuple(b.steps),
        "H(L) ⇒ H(L + 1), same constraint B",
    )


def _same_sum(a: sp.Expr, b: sp.Expr) -> bool:
    """Two finite sums over the same ranges, in any order, with the same summand (Fubini)."""
    if not (isinstance(a, sp.Sum) and isinstance(b, sp.Sum)):
        return False
    return set(a.limits) == set(b.limits) and sp.expand(a.function - b.function) == 0


def widths_label(depth: int) -> str:
    """The hidden widths of a depth-L net as the statement names them.

    >>> widths_label(2), widths_label(3), widths_label(12)
    ('k₁', 'k₁, k₂', 'k₁ … k₁₁')
    """
    sub = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
    names = [f"k{k}".translate(sub) for k in range(1, depth)]
    return ", ".join(names) if len(names) <= 3 else f"{names[0]} … {names[-1]}"


def parallel_statement(depth: int) -> str:
    """The corrected theorem at depth ``depth`` ≥ 3, as the proof states it."""
    return (
        f"For every d ≥ 1 and all widths {widths_label(depth)}: under A1 and A3, a ψ with "
        f"L = {depth} is curl-free only if its input weights are parallel within each "
        "connected component of the nonzero-path graph (all of them, when A2 holds for every "
        "(n, m)), the output weights pointing the same way (trivial branch θ⁽ᴸ⁻¹⁾ = 0 aside); "
        "conversely every ψ with parallel input and output weights is curl-free, for every σ"
    )


def prove_base_case(bias: bool = False) -> Proof:
    """H(3): sympy differentiates the L = 3 net's last pre-activation; Q[n, m] = θ⁽¹⁾[n, m]."""
    b = _Builder(())
    net = parametric_network(3, bias)
    z = net.pre[2]
    assert z is not None
    s_z = b.add("sympy", "the L = 3 net's last hidden pre-activation zₙ", (), sp.Symbol("z_n"), z)
    raw = collapse_deltas(z.diff(net.x[net.j]))
    grad = rules.flatten_sums(rules.freeze(rules.in_ranges(raw, net.sizes), frozen_slopes(net)))
    m, n = net.hidden
    theta0, theta1 = net.weights[0], net.weights[1]
    expected = sp.Sum(theta1[n, m] * net.slopes[0][m] * theta0[m, net.j], (m, 1, net.widths[0]))
    if not _same_sum(grad, expected):
        raise rules.RuleRefused(f"induction base: ∂zₙ/∂x[j] is not of the H form: {grad}")
    b.add(
        "sympy",
        "sympy differentiates zₙ by x[j]: H(3) holds with Q[n, m] = θ⁽¹⁾[n, m]",
        (s_z,),
        sp.Derivative(sp.Function("z")(n, sp.Symbol("x_j")), sp.Symbol("x_j")),
        grad,
    )
    return Proof(
        "H(3): the L = 3 net's last pre-activation has "
        "∂zₙ/∂x[j] = Σₘ θ⁽¹⁾[n, m] s⁽¹⁾[m] θ⁽⁰⁾[m, j]",
        "L = 3 (induction base)",
        tuple(b.steps),
        "H(3)",
        depth=3,
        bias=bias,
    )


@cache
def general_proof(
    depth: int, granted: tuple[str, ...] = ALL_HYPOTHESES, bias: bool = False
) -> Proof:
    """The proof for ``depth``: explicit up to :data:`MAX_EXPLICIT_DEPTH`, else L = 3, induction.

    Deeper nets combine the L = 3 proof, the base case H(3) and the induction
    step H(L) ⇒ H(L + 1) (whose constraint is the L = 3 one, so the L = 3
    conclusion carries over to every depth).
    """
    if depth <= MAX_EXPLICIT_DEPTH:
        return prove_depth(depth, granted, bias)
    base = prove_depth(3, granted, bias)
    parts = (base, prove_base_case(bias), prove_induction(granted))
    return Proof(
        parallel_statement(depth),
        f"L = {depth}, from L = 3 and the induction step",
        (),
        base.conclusion,
        parts=parts,
        depth=depth,
        bias=bias,
    )
