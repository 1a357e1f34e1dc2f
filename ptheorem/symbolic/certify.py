"""Sufficiency: substitute a solution family into the network itself and certify ψ is a gradient.

The family is a substitution of weight symbols (:class:`Family`): the symmetric
θ⁽⁰⁾ (L = 1), the tied read-out θ⁽¹⁾ₘ = Sₘ θ⁽⁰⁾ₘ of the solved groups (L = 2),
or, for L ≥ 3, one direction u per connected component the rank argument
found: θ⁽⁰⁾ₘ = aₘ u, θ⁽ᴸ⁻¹⁾ₙ = cₙ u.  ψ on the family is the network's own
``psi()`` with that substitution applied to every layer.  Three facts are
computed, each of which can fail:

* every reduced constraint vanishes on the family (``constraints``): each is
  multiplied out with the family substituted, as a polynomial in the symbols;
* J − Jᵀ ≡ 0 (``antisymmetric``): J is sympy's Jacobian of that ψ, expanded
  (small nets), or the chain of the network's sympy layer Jacobians with the
  family substituted, multiplied out in a sparse polynomial ring in which the
  frozen σ′ are independent variables (a polynomial identity, so it holds for
  every x); above :data:`RING_TERM_LIMIT` it is reported as not checked;
* ∇φ = ψ for the potential φ printed (``potential``).  φ integrates, per
  component, the network read along the line τu; sympy differentiates it by
  Leibniz's rule with each integrand held as an opaque gₖ(τ) (checked free of
  x) and then expanded, and the result is compared with the family's ψ after
  sympy has shown each first-layer pre-activation equals aₘ·uᵀx + bₘ.

>>> from ptheorem.model.spec import NetworkSpec
>>> from ptheorem.symbolic.derive import derive
>>> from ptheorem.symbolic.network import build_network
>>> from ptheorem.symbolic.solve import solve
>>> net = build_network(NetworkSpec(3, 2, (2, 2)))
>>> der = derive(net)
>>> suf = certify(net, der, family_for(net, solve(net, der)))
>>> suf.constraints_vanish, suf.antisymmetric, suf.potential_checked, suf.jacobian_method
(True, True, True, 'from ψ, expanded')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from itertools import combinations
from typing import Any

import sympy as sp

from ptheorem.symbolic.derive import Derivation
from ptheorem.symbolic.monomials import Substitution
from ptheorem.symbolic.network import SymbolicNetwork, jacobian
from ptheorem.symbolic.shared import (
    graph_nodes,
    integral,
    join_integrals,
    split_integrals,
    xreplace,
)
from ptheorem.symbolic.solve import Solution

#: J − Jᵀ is taken from ψ's sympy Jacobian, expanded, up to this many backward paths …
#: (sympy's ``diff`` through nested σ builds ``Subs`` objects: ~0.2 s at 16 paths, d = 4)
EXPAND_PATH_LIMIT = 8
#: … and this input dimension; beyond, from the layer Jacobians in a polynomial ring …
EXPAND_DIM_LIMIT = 3
#: … as long as the expanded J has at most this many terms (paths × d²); beyond, not checked.
RING_TERM_LIMIT = 200_000


@dataclass(frozen=True)
class Family:
    """A substitution of weight symbols that should make ψ a gradient.

    ``lines`` lists, for the parallel family, each component's first-layer
    units, last-hidden units and direction u; ``scales`` the tied family's
    (hidden unit, Sₘ) pairs.  Both are empty for the other families.
    """

    name: str
    substitution: dict[sp.Symbol, sp.Expr]
    parameters: tuple[sp.Symbol, ...]
    lines: tuple[tuple[tuple[int, ...], tuple[int, ...], tuple[sp.Symbol, ...]], ...] = ()
    scales: tuple[tuple[int, sp.Symbol], ...] = ()


@dataclass(frozen=True)
class Sufficiency:
    """The certificate that the family is curl-free, with its potential φ.

    ``antisymmetric`` is None when J − Jᵀ was too large to expand
    (``jacobian_method`` then says so).
    """

    family: str
    substitution: dict[sp.Symbol, sp.Expr]
    parameters: tuple[sp.Symbol, ...]
    constraints_vanish: bool
    antisymmetric: bool | None
    jacobian_method: str
    potential: sp.Expr
    potential_checked: bool

    @property
    def holds(self) -> bool:
        """Every check that ran passed, and ψ = ∇φ (which alone makes ψ a gradient)."""
        return (
            self.constraints_vanish and self.potential_checked and self.antisymmetric is not False
        )

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle φ's integrals apart: loading rebuilds them without sympy's tree walk."""
        shell, parts = split_integrals(self.potential)
        others = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "potential"}
        return (_unpickle, (others, shell, parts))


def _unpickle(others: dict[str, Any], shell: sp.Expr, parts: Any) -> Sufficiency:
    """The pickled :class:`Sufficiency`, its potential rebuilt by :func:`join_integrals`."""
    return Sufficiency(**others, potential=join_integrals(shell, parts))


# --- families ----------------------------------------------------------------------------


def family_for(net: SymbolicNetwork, solution: Solution) -> Family:
    """The family the solution describes: symmetric (L = 1), tied (L = 2), parallel (L ≥ 3)."""
    if net.spec.depth == 1:
        return symmetric_family(net)
    if net.spec.depth == 2:
        return tied_family(solution)
    assert solution.rank is not None
    return parallel_family(net, [(c.first, c.last) for c in solution.rank.components])


def symmetric_family(net: SymbolicNetwork) -> Family:
    """θ⁽⁰⁾ symmetric: each lower entry replaced by its upper mirror."""
    w = net.weights[0]
    d = net.spec.dim
    subst = {
        w[j, i]: w[i, j]
        for i in range(d)
        for j in range(i + 1, d)
        if isinstance(w[j, i], sp.Symbol)
    }
    return Family("θ⁽⁰⁾ symmetric", subst, ())


def tied_family(solution: Solution) -> Family:
    """θ⁽¹⁾ₘ = Sₘ θ⁽⁰⁾ₘ for every tied group, with Sₘ the symbols the solution read off."""
    subst: dict[sp.Symbol, sp.Expr] = {}
    for t in solution.tyings:
        if t.tied:
            subst |= {o: t.symbol * v for o, v in zip(t.output, t.input, strict=True)}
    scales = tuple((t.m, t.symbol) for t in solution.tyings if t.tied)
    params = tuple(s for _, s in scales)
    return Family("θ⁽¹⁾ₘ = Sₘ θ⁽⁰⁾ₘ (tied), θ⁽⁰⁾ free", subst, params, scales=scales)


def parallel_family(
    net: SymbolicNetwork, components: Sequence[tuple[tuple[int, ...], tuple[int, ...]]]
) -> Family:
    """One direction u per component: θ⁽⁰⁾ₘ = aₘ u, θ⁽ᴸ⁻¹⁾ₙ = cₙ u for its units m, n."""
    d = net.spec.dim
    w0, wl = net.weights[0], net.weights[-1]
    subst: dict[sp.Symbol, sp.Expr] = {}
    params: list[sp.Symbol] = []
    lines = []
    for k, (first, last) in enumerate(components):
        tag = "" if len(components) == 1 else f"{k + 1}_"
        u = sp.symbols(f"u{tag}1:{d + 1}")
        for m in first:
            a = sp.Symbol(f"a{m}")
            subst |= {w0[m - 1, j]: a * u[j] for j in range(d)}
            params.append(a)
        for n in last:
            c = sp.Symbol(f"c{n}")
            subst |= {wl[i, n - 1]: c * u[i] for i in range(d)}
            params.append(c)
        params.extend(u)
        lines.append((tuple(first), tuple(last), tuple(u)))
    if len(components) == 1:
        name = "θ⁽⁰⁾ₘ = aₘ u, θ⁽ᴸ⁻¹⁾ₙ = cₙ u (parallel)"
    else:
        name = (
            f"θ⁽⁰⁾ₘ = aₘ uₖ, θ⁽ᴸ⁻¹⁾ₙ = cₙ uₖ (parallel within each of {len(components)} components)"
        )
    return Family(name, subst, tuple(params), tuple(lines))


# --- the certificate ---------------------------------------------------------------------


def certify(net: SymbolicNetwork, derivation: Derivation, family: Family) -> Sufficiency:
    """Substitute ``family`` into ``net`` and run the three checks (see the module docstring)."""
    subst = family.substitution
    psi = [xreplace(e, subst) for e in net.psi()]
    on_family = Substitution(subst)
    vanish = all(_vanishes_on(e.reduced, on_family) for g in derivation.groups for e in g.equations)
    antisym, method = _antisymmetric(net, derivation, psi, subst)
    phi, grad = _potential(net, family)
    checked = _matches(net, family, grad, psi)
    return Sufficiency(family.name, subst, family.parameters, vanish, antisym, method, phi, checked)


def _vanishes(e: sp.Expr) -> bool:
    """``sp.expand(e) == 0``, skipping the expansion when sympy already gives 0."""
    return e == 0 or sp.expand(e) == 0


def _vanishes_on(e: sp.Expr, family: Substitution) -> bool:
    """Whether ``e`` with the family substituted is the zero polynomial.

    A sum of monomials under a monomial substitution (every reduced constraint
    under every family built here) is multiplied out term by term as a
    dictionary of monomials; anything else is substituted and expanded by sympy.
    """
    poly = family.expand(e)
    if poly is None:
        return _vanishes(xreplace(e, family.rule))
    return not poly


def _antisymmetric(
    net: SymbolicNetwork, derivation: Derivation, psi: list[sp.Expr], subst: dict[sp.Symbol, Any]
) -> tuple[bool | None, str]:
    """Is J − Jᵀ ≡ 0 on the family?  (answer, how it was computed)."""
    spec = net.spec
    d = spec.dim
    pairs = list(combinations(range(d), 2))
    if spec.path_count <= EXPAND_PATH_LIMIT and d <= EXPAND_DIM_LIMIT:
        jac = jacobian(psi, net.inputs)
        return all(sp.expand(jac[i, j] - jac[j, i]) == 0 for i, j in pairs), "from ψ, expanded"
    terms = spec.path_count * d * d
    if terms > RING_TERM_LIMIT:
        return None, f"not checked (size: about {terms:,} terms > {RING_TERM_LIMIT:,})"
    jac_ring = _ring_chain(derivation, subst)
    return (
        all(jac_ring[i][j] == jac_ring[j][i] for i, j in pairs),
        "layer Jacobians, multiplied out",
    )


def _ring_chain(derivation: Derivation, subst: dict[sp.Symbol, Any]) -> list[list[Any]]:
    """J = θ⁽ᴸ⁻¹⁾ D⁽ᴸ⁻¹⁾ ⋯ D⁽¹⁾ θ⁽⁰⁾ from the sympy layer Jacobians, family substituted.

    Entries are elements of a sparse polynomial ring over QQ whose generators are
    every symbol left (weights, family parameters, frozen σ′), so equal entries
    are equal polynomials.
    """
    lj = derivation.layer_jacobians
    mats: list[sp.ImmutableMatrix] = [lj.affine[-1].xreplace(subst)]
    for k in range(len(lj.activation), 0, -1):
        mats.append(lj.activation[k - 1])
        mats.append(lj.affine[k - 1].xreplace(subst) if k == 1 else lj.affine[k - 1])
    gens = sorted(set().union(*(m.free_symbols for m in mats)), key=sp.default_sort_key)
    ring, *_ = sp.ring(gens, sp.QQ)
    rows = [
        [{j: ring(e) for j in range(m.shape[1]) if (e := m[i, j]) != 0} for i in range(m.shape[0])]
        for m in mats
    ]
    out = rows[0]
    for right in rows[1:]:
        prod = []
        for left in out:
            acc: dict[int, Any] = {}
            for k, a in left.items():
                for j, b in right[k].items():
                    acc[j] = acc.get(j, ring.zero) + a * b
            prod.append(acc)
        out = prod
    cols = mats[-1].shape[1]
    return [[row.get(j, ring.zero) for j in range(cols)] for row in out]


def _potential(net: SymbolicNetwork, family: Family) -> tuple[sp.Expr, list[sp.Expr]]:
    """φ as printed, and ∇φ computed by sympy."""
    spec = net.spec
    x = list(net.inputs)
    out_bias = net.biases[-1]
    linear = sp.Add(*[b * xi for b, xi in zip(out_bias, x, strict=True)]) if out_bias else 0
    if spec.depth == 1:
        w = net.weights[0].xreplace(family.substitution)
        phi = sp.Rational(1, 2) * (sp.Matrix(x).T * w * sp.Matrix(x))[0] + linear
        return phi, [phi.diff(xj) for xj in x]
    tau = sp.Dummy("tau")
    if spec.depth == 2:
        pre = net.affine(0, x)
        phi = linear + sp.Add(
            *[s * sp.Integral(net.sigma(tau), (tau, 0, pre[m - 1])) for m, s in family.scales]
        )
        return phi, [phi.diff(xj) for xj in x]
    return _line_potential(net, family, tau, linear)


def _line_potential(
    net: SymbolicNetwork, family: Family, tau: sp.Dummy, linear: sp.Expr
) -> tuple[sp.Expr, list[sp.Expr]]:
    """Σₖ ∫₀^{uₖᵀx} gₖ(τ) dτ, gₖ the network read along τuₖ, plus the constant units' part."""
    x = list(net.inputs)
    subst = family.substitution
    b0 = net.biases[0]
    width = net.spec.widths[0]
    placeholders = [sp.Dummy(f"q{m + 1}") for m in range(width)]
    abstract = linear
    shown = linear
    defs: dict[sp.Expr, sp.Expr] = {}
    live_last: set[int] = set()
    for k, (first, last, u) in enumerate(family.lines):
        s = sp.Add(*[ui * xi for ui, xi in zip(u, x, strict=True)])
        pre = list(placeholders)
        for m in first:
            a = sp.Symbol(f"a{m}")
            pre[m - 1] = a * tau + (b0[m - 1] if b0 is not None else 0)
        hidden = net.hidden_entries(pre)[-1]
        g_tau = sp.Add(*[sp.Symbol(f"c{n}") * hidden[n - 1] for n in last])
        if any(xi in _symbols(g_tau) for xi in x):
            raise AssertionError("the integrand depends on x")  # Leibniz's rule needs it free
        g = sp.Function(f"g{k + 1}")
        abstract += sp.Integral(g(tau), (tau, 0, s))
        shown += integral(g_tau, (tau, 0, s))
        defs[g(s)] = xreplace(g_tau, {tau: s})
        live_last |= set(last)
    # Last-hidden units no component reaches are constant in x: a linear potential.
    const = [n for n in range(1, net.spec.widths[-1] + 1) if n not in live_last]
    if const:
        hidden = net.hidden_entries(placeholders)[-1]
        wl = net.weights[-1]
        part = sp.Add(
            *[
                xreplace(wl[i, n - 1], subst) * hidden[n - 1] * x[i]
                for n in const
                for i in range(len(x))
            ]
        )
        abstract += part
        shown += part
    grad = [xreplace(abstract.diff(xj), defs) for xj in x]
    return shown, grad


def _symbols(e: sp.Expr) -> set[sp.Basic]:
    """Free symbols of ``e``, each shared subexpression visited once."""
    return {node for node in graph_nodes(e) if isinstance(node, sp.Symbol)}


def _matches(net: SymbolicNetwork, family: Family, grad: list[sp.Expr], psi: list[sp.Expr]) -> bool:
    """∇φ = ψ entry by entry, after sympy equates the first-layer pre-activations."""
    spec = net.spec
    if spec.depth >= 3:
        x = list(net.inputs)
        b0 = net.biases[0]
        pre = [xreplace(e, family.substitution) for e in net.affine(0, x)]
        canon: dict[sp.Expr, sp.Expr] = {}
        for first, _, u in family.lines:
            s = sp.Add(*[ui * xi for ui, xi in zip(u, x, strict=True)])
            for m in first:
                zeta = sp.Dummy(f"zeta{m}")
                line = sp.Symbol(f"a{m}") * s + (b0[m - 1] if b0 is not None else 0)
                if sp.expand(pre[m - 1] - line) != 0:
                    return False
                canon[pre[m - 1]] = zeta
                canon[line] = zeta
        grad = [xreplace(e, canon) for e in grad]
        psi = [xreplace(e, canon) for e in psi]
    return all(_distribute(g) - _distribute(p) == 0 for g, p in zip(grad, psi, strict=True))


def _distribute(e: sp.Expr) -> sp.Expr:
    """Every top-level product multiplied out over its sums (function arguments untouched)."""
    return sp.Add(*[sp.expand(t, deep=False) for t in sp.Add.make_args(e)])
