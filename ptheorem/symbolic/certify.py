"""Sufficiency: substitute the solution family back and certify ψ is a gradient.

Three independent sympy facts are recorded:

* every reduced constraint vanishes on the family (``constraints_vanish``);
* J − Jᵀ ≡ 0 for the family's *own* Jacobian with σ′ unfrozen (``antisymmetric_zero``),
  either by expanding ``Matrix.jacobian`` of ψ (small sizes) or, for deep nets,
  from the factorisation J = u · (cᵀ M(x) a) · uᵀ that associativity gives;
* a potential φ with ∇φ = ψ, checked by sympy differentiation (``potential_checked``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import sympy as sp

from ptheorem.symbolic.derive import Derivation
from ptheorem.symbolic.network import LayerJacobians, SymbolicNetwork
from ptheorem.symbolic.shared import integral, join_integrals, split_integrals
from ptheorem.symbolic.sparse import Rows, chain

#: J − Jᵀ of the family is expanded entry by entry up to this many backward paths.
EXPAND_PATH_LIMIT = 4


@dataclass(frozen=True)
class Sufficiency:
    """The certificate that the family is curl-free, with its potential φ."""

    family: str
    substitution: dict[sp.Symbol, sp.Expr]
    parameters: tuple[sp.Symbol, ...]
    constraints_vanish: bool
    antisymmetric_zero: bool
    jacobian_method: str
    potential: sp.Expr
    potential_checked: bool

    @property
    def holds(self) -> bool:
        """All three checks passed."""
        return self.constraints_vanish and self.antisymmetric_zero and self.potential_checked

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle φ's integrals apart: loading rebuilds them without sympy's tree walk."""
        shell, parts = split_integrals(self.potential)
        others = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "potential"}
        return (_unpickle, (others, shell, parts))


def _unpickle(others: dict[str, Any], shell: sp.Expr, parts: Any) -> Sufficiency:
    """The pickled :class:`Sufficiency`, its potential rebuilt by :func:`join_integrals`."""
    return Sufficiency(**others, potential=join_integrals(shell, parts))


def certify(net: SymbolicNetwork, derivation: Derivation) -> Sufficiency:
    """Substitute the tied (L = 2), parallel (L ≥ 3) or symmetric (L = 1) family."""
    spec = net.spec
    x = sp.Matrix(net.inputs)
    tau = sp.Dummy("tau")
    out_bias = net.biases[-1]
    linear_part = (out_bias.T * x)[0] if out_bias is not None else sp.Integer(0)
    if spec.depth == 1:
        w = net.weights[0]
        subst = {
            w[j, i]: w[i, j]
            for i in range(spec.dim)
            for j in range(i + 1, spec.dim)
            if isinstance(w[j, i], sp.Symbol)
        }
        wf = w.xreplace(subst)
        family = "θ⁽⁰⁾ symmetric"
        params: tuple[sp.Symbol, ...] = ()
        phi = sp.Rational(1, 2) * (x.T * wf * x)[0] + linear_part
        psi = wf * x + (out_bias if out_bias is not None else sp.zeros(spec.dim, 1))
        jac = wf
        method = "exact"
    elif spec.depth == 2:
        w0, w1 = net.weights
        S = sp.symbols(f"S_1:{spec.widths[0] + 1}")
        subst = {w1[i, m]: S[m] * w0[m, i] for m in range(w1.shape[1]) for i in range(spec.dim)}
        family = "θ⁽¹⁾ₘ = Sₘ θ⁽⁰⁾ₘ (tied), θ⁽⁰⁾ free"
        params = S
        b0 = net.biases[0]
        pre = w0 * x + (b0 if b0 is not None else sp.zeros(w0.shape[0], 1))
        phi = (
            sum(
                (S[m] * sp.Integral(net.sigma(tau), (tau, 0, pre[m])) for m in range(w0.shape[0])),
                sp.Integer(0),
            )
            + linear_part
        )
        psi = net.psi().xreplace(subst)
        jac, method = _antisym_jacobian(psi, x, spec.path_count)
    else:
        d, w_first, w_last = spec.dim, spec.widths[0], spec.widths[-1]
        u = sp.symbols(f"u1:{d + 1}")
        a = sp.symbols(f"a1:{w_first + 1}")
        c = sp.symbols(f"c1:{w_last + 1}")
        w0, wl = net.weights[0], net.weights[-1]
        subst = {w0[m, j]: a[m] * u[j] for m in range(w_first) for j in range(d)}
        subst |= {wl[i, n]: c[n] * u[i] for n in range(w_last) for i in range(d)}
        family = "θ⁽⁰⁾ₘ = aₘ u, θ⁽ᴸ⁻¹⁾ₙ = cₙ u (parallel)"
        params = (*u, *a, *c)
        b0 = net.biases[0]
        bias0 = b0 if b0 is not None else sp.zeros(w_first, 1)
        ux = sum((ui * xi for ui, xi in zip(u, net.inputs, strict=True)), sp.Integer(0))
        # g(τ) = cᵀ h⁽ᴸ⁻¹⁾(a τ + b⁽⁰⁾): the network read along the line τ u.
        g_of = sp.Function("g")
        integrand = _read_along(net, c, [am * tau + bm for am, bm in zip(a, bias0, strict=True)])
        phi = integral(integrand, (tau, 0, ux)) + linear_part
        # ψ on the family: θ⁽⁰⁾x = (a uᵀ)x = a (uᵀx), and θ⁽ᴸ⁻¹⁾h = (u cᵀ)h = u (cᵀh).
        g_at_ux = _read_along(net, c, [am * ux + bm for am, bm in zip(a, bias0, strict=True)])
        psi = sp.Matrix([ui * g_at_ux for ui in u])
        if out_bias is not None:
            psi += out_bias
        # ∇φ by sympy's Leibniz rule on ∫₀^{uᵀx} g, then g(uᵀx) is the forward pass at uᵀx.
        abstract = sp.Integral(g_of(tau), (tau, 0, ux)) + linear_part
        grad = sp.Matrix([abstract.diff(xj) for xj in net.inputs]).xreplace({g_of(ux): g_at_ux})
        if spec.path_count <= EXPAND_PATH_LIMIT:
            jac, method = _antisym_jacobian(net.psi().xreplace(subst), x, spec.path_count)
        else:
            jac, method = _factored_jacobian(derivation.layer_jacobians, u, a, c)
    vanish = all(
        _vanishes(e.reduced.xreplace(subst)) for g in derivation.groups for e in g.equations
    )
    antisym = all(
        sp.expand(jac[i, j] - jac[j, i]) == 0
        for i in range(spec.dim)
        for j in range(i + 1, spec.dim)
    )
    if spec.depth <= 2:
        grad = sp.Matrix([phi.diff(xj) for xj in net.inputs])
    checked = all(sp.expand(grad[i] - psi[i], deep=False) == 0 for i in range(spec.dim))
    return Sufficiency(family, subst, params, vanish, antisym, method, phi, checked)


def _antisym_jacobian(psi: sp.Matrix, x: sp.Matrix, paths: int) -> tuple[sp.Matrix, str]:
    """The family's Jacobian by ``Matrix.jacobian`` (expanded when checked)."""
    return psi.jacobian(x), "expanded"


def _read_along(net: SymbolicNetwork, c: Sequence[sp.Symbol], pre: list[sp.Expr]) -> sp.Expr:
    """cᵀ h⁽ᴸ⁻¹⁾ for the first hidden pre-activation ``pre`` (the Matrix product's entry)."""
    last = net.hidden_entries(pre)[-1]
    return Rows.row_vector(c).matmul(Rows.column(last))[0, 0]


def _vanishes(e: sp.Expr) -> bool:
    """``sp.expand(e) == 0``, skipping the expansion when sympy already gives 0."""
    return e == 0 or sp.expand(e) == 0


def _factored_jacobian(
    lj: LayerJacobians, u: Sequence[sp.Symbol], a: Sequence[sp.Symbol], c: Sequence[sp.Symbol]
) -> tuple[sp.Matrix, str]:
    """J = θ⁽ᴸ⁻¹⁾ M θ⁽⁰⁾ = (u cᵀ) M (a uᵀ) = u (cᵀ M a) uᵀ, with M the sympy chain.

    ``lj`` are the derivation's own layer Jacobians, with σ′ unfrozen; cᵀ M a is
    multiplied from cᵀ rightwards, a vector times one matrix at a time.
    """
    unfrozen = [
        Rows.from_matrix(act).applyfunc(lambda e: e.xreplace(lj.frozen)) for act in lj.activation
    ]
    factors = [unfrozen[-1]]
    for k in range(len(unfrozen) - 1, 0, -1):
        factors += [Rows.from_matrix(lj.affine[k]), unfrozen[k - 1]]
    kappa = chain([Rows.row_vector(c), *factors, Rows.column(a)])[0, 0]
    scaled = Rows.column(u).applyfunc(lambda e: e * kappa)
    return scaled.matmul(Rows.row_vector(u)).to_matrix(), "factored"
