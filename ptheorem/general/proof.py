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
from typing import Any

import sympy as sp

from ptheorem.general import rules
from ptheorem.general.network import ParametricNetwork, frozen_slopes, parametric_network

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
    ) -> int:
        """Record a step; a rule whose hypotheses are not granted is refused."""
        rule = rules.RULES.get(by)
        hyps = rule.hypotheses if rule is not None else ()
        missing = [h for h in hyps if h not in self.granted]
        if missing:
            raise rules.RuleRefused(f"{by}: needs hypothesis {', '.join(missing)}, not granted")
        number = len(self.steps) + 1
        self.steps.append(Step(number, by, claim, premises, hyps, lhs, rhs))
        return number


def prove_depth(depth: int, granted: tuple[str, ...] = ALL_HYPOTHESES) -> Proof:
    """The paper's argument for depth ``depth`` with every size symbolic.

    ``granted`` are the hypotheses the rules may use; a rule that needs another
    one refuses (:class:`~ptheorem.general.rules.RuleRefused`).
    """
    return prove_network(parametric_network(depth), granted)


def prove_network(net: ParametricNetwork, granted: tuple[str, ...] = ALL_HYPOTHESES) -> Proof:
    """The argument for one parametric network (a mutated one makes the proof refuse)."""
    depth = net.depth
    b = _Builder(granted)
    i, j, x = net.i, net.j, net.x
    s_psi = b.add("sympy", "the network, ψᵢ(x) as nested sums", lhs=sp.Symbol("psi_i"), rhs=net.psi)
    raw = net.psi.diff(x[j]).doit()
    s_raw = b.add(
        "sympy",
        "sympy differentiates ψᵢ by x[j]; KroneckerDelta sums collapse",
        (s_psi,),
        sp.Symbol("J_ij"),
        raw,
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
    )
    last, first = net.weights[-1], net.weights[0]
    m, n = net.hidden[0], net.hidden[-1]
    bracket, s_b = coeff, s_c
    if depth >= 3:
        product, bracket = rules.cancel_middle(coeff, net.middle)
        s_b = b.add(
            "A2",
            f"divide by the middle product {sp.sstr(product)} ≠ 0 (Eq. 5 → 6)",
            (s_c,),
            sp.Symbol("B"),
            bracket,
        )
    rules.tie(bracket, last, first, i, j, n, m)
    S = sp.IndexedBase("S")
    scale = S[n, m] if depth >= 3 else S[m]
    tying = {last[i, n]: scale * first[m, i], last[j, n]: scale * first[m, j]}
    s_t = b.add(
        "tie",
        f"every 2×2 minor of [θ⁽ᴸ⁻¹⁾[·, {n}]; θ⁽⁰⁾[{m}, ·]] vanishes (Eq. 7)",
        (s_b,),
        last[i, n],
        scale * first[m, i],
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
    )
    if depth == 2:
        b.add(
            "sympy",
            "each unit's read-out is tied to its own input row only: nothing links "
            "two input rows, the input weights stay free",
            (s_t,),
        )
        return Proof(
            "For every d ≥ 1 and all widths k₁: a ψ with L = 2 is curl-free only if every "
            "unit's read-out is tied to its input row, θ⁽¹⁾[i, m] = S[m] θ⁽⁰⁾[m, i] "
            "(Eq. 2); the input weights stay free",
            "L = 2",
            tuple(b.steps),
            "tied weights, free input weights",
        )
    return _finish(net, b, s_t, scale)


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
        f"Eq. 8 with the shared column n: θ⁽⁰⁾[m′, i] = {sp.sstr(row)}",
        (s_t,),
        first[mp, i],
        row,
    )
    a, c = sp.symbols("a c", integer=True, positive=True)
    minor = first[m, a] * first[mp, c] - first[m, c] * first[mp, a]
    value = sp.cancel(
        minor.xreplace({first[mp, a]: row.xreplace({i: a}), first[mp, c]: row.xreplace({i: c})})
    )
    if value != 0:
        raise rules.RuleRefused(f"link: the minor of rows m, m′ does not vanish: {value}")
    b.add("sympy", "every 2×2 minor of the rows m, m′ of θ⁽⁰⁾ cancels to 0", (s_l,), minor, value)
    b.add(
        "connect",
        "under A2 every (n, m) is linked, so every m shares n = 1 with every m′: "
        "one component, rank θ⁽⁰⁾ ≤ 1, and θ⁽ᴸ⁻¹⁾ₙ = Sₙ₁ θ⁽⁰⁾₁ points the same way",
        (s_l,),
    )
    return Proof(
        f"For every d ≥ 1 and all widths k₁ … k_{net.depth - 1}: a ψ with L = {net.depth} is "
        "curl-free only if its input weights are parallel within each connected component of "
        "the nonzero-path graph (all of them, when A2 holds for every (n, m)), the output "
        "weights pointing the same way (trivial branch θ⁽ᴸ⁻¹⁾ = 0 aside)",
        f"L = {net.depth}",
        tuple(b.steps),
        "input weights parallel (rank θ⁽⁰⁾ ≤ 1)",
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
        f"divide by the middle product {sp.sstr(product)} ≠ 0",
        (s_c,),
        sp.Symbol("B"),
        bracket,
    )
    rules.tie(bracket, out, theta0, i, j, nu, m)
    b.add(
        "tie",
        "B is the L = 3 bracket with ν for n: the tying, Eq. 8 and connectivity of the "
        "L = 3 proof apply unchanged at depth L + 1",
        (s_b, s_q),
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


def general_proof(depth: int, granted: tuple[str, ...] = ALL_HYPOTHESES) -> Proof:
    """The proof for ``depth``: explicit up to :data:`MAX_EXPLICIT_DEPTH`, else L = 3, induction."""
    if depth <= MAX_EXPLICIT_DEPTH:
        return prove_depth(depth, granted)
    base, step = prove_depth(3, granted), prove_induction(granted)
    return Proof(
        base.statement.replace("L = 3", f"L = {depth}"),
        f"L = {depth}, from L = 3 and the induction step",
        (),
        base.conclusion,
        parts=(base, step),
    )
