"""Sufficiency: substitute the solution family back and certify ψ is a gradient.

Three independent sympy facts are recorded:

* every reduced constraint vanishes on the family (``constraints_vanish``);
* J − Jᵀ ≡ 0 for the family's *own* Jacobian with σ′ unfrozen (``antisymmetric_zero``),
  either by expanding ``Matrix.jacobian`` of ψ (small sizes) or, for deep nets,
  from the factorisation J = u · (cᵀ M(x) a) · uᵀ that associativity gives;
* a potential φ with ∇φ = ψ, checked by sympy differentiation (``potential_checked``).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ptheorem.symbolic.derive import Derivation
from ptheorem.symbolic.network import SymbolicNetwork

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
        integrand = (sp.Matrix(c).T * net.hidden_from(sp.Matrix(a) * tau + bias0)[-1])[0]
        phi = sp.Integral(integrand, (tau, 0, ux)) + linear_part
        # ψ on the family: θ⁽⁰⁾x = (a uᵀ)x = a (uᵀx), and θ⁽ᴸ⁻¹⁾h = (u cᵀ)h = u (cᵀh).
        g_at_ux = (sp.Matrix(c).T * net.hidden_from(sp.Matrix(a) * ux + bias0)[-1])[0]
        psi = sp.Matrix(u) * g_at_ux
        if out_bias is not None:
            psi += out_bias
        # ∇φ by sympy's Leibniz rule on ∫₀^{uᵀx} g, then g(uᵀx) is the forward pass at uᵀx.
        abstract = sp.Integral(g_of(tau), (tau, 0, ux)) + linear_part
        grad = sp.Matrix([abstract.diff(xj) for xj in net.inputs]).xreplace({g_of(ux): g_at_ux})
        if spec.path_count <= EXPAND_PATH_LIMIT:
            jac, method = _antisym_jacobian(net.psi().xreplace(subst), x, spec.path_count)
        else:
            jac, method = _factored_jacobian(net, sp.Matrix(u), sp.Matrix(a), sp.Matrix(c))
    vanish = all(
        sp.expand(e.reduced.xreplace(subst)) == 0 for g in derivation.groups for e in g.equations
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


def _factored_jacobian(
    net: SymbolicNetwork, u: sp.Matrix, a: sp.Matrix, c: sp.Matrix
) -> tuple[sp.Matrix, str]:
    """J = θ⁽ᴸ⁻¹⁾ M θ⁽⁰⁾ = (u cᵀ) M (a uᵀ) = u (cᵀ M a) uᵀ, with M the sympy chain."""
    lj = net.layer_jacobians()
    unfrozen = [act.xreplace(lj.frozen) for act in lj.activation]
    m = unfrozen[-1]
    for k in range(len(unfrozen) - 1, 0, -1):
        m = m * lj.affine[k] * unfrozen[k - 1]
    kappa = (c.T * m * a)[0]
    return u * kappa * u.T, "factored"
