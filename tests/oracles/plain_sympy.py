"""The plain-sympy route to the constraints: the derivation a user would write by hand.

ψ is built whole as a sympy ``Matrix`` (masked middle weights set to 0), its
Jacobian taken with ``Matrix.jacobian``, A = J − Jᵀ expanded, every σ′ (sympy's
``Subs(Derivative(σ(ξ), ξ), ξ, z)``) frozen to a fresh symbol and the
coefficients read with ``Poly(...).coeffs()``.  It shares no code with
:mod:`ptheorem.symbolic` (only the weight names, so the sets can be compared),
and grows 5–11× per layer, so the tests use it for small nets only.
``benchmarks/bench_symbolic.py`` times ptheorem against it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy as sp


def weights_for(sizes: Sequence[int], masks: Sequence[Any] | None = None) -> list[sp.Matrix]:
    """θ⁽ᵏ⁾ as matrices of symbols ``theta{k}_{o}_{i}``; ``masks[k-1]`` zeroes middle layer k."""
    weights = []
    for k in range(len(sizes) - 1):
        keep = None if masks is None or not 1 <= k <= len(masks) else masks[k - 1]
        weights.append(
            sp.Matrix(
                sizes[k + 1],
                sizes[k],
                lambda o, i, k=k, keep=keep: (
                    sp.Symbol(f"theta{k}_{o + 1}_{i + 1}")
                    if keep is None or keep[o][i]
                    else sp.S.Zero
                ),
            )
        )
    return weights


def plain_constraints(
    sizes: Sequence[int], masks: Sequence[Any] | None = None, bias: bool = False
) -> list[sp.Expr]:
    """Coefficients of A = J − Jᵀ in the frozen σ′, the plain way (see the module docstring)."""
    d = sizes[0]
    x = sp.Matrix(sp.symbols(f"x1:{d + 1}"))
    sigma = sp.Function("sigma")
    weights = weights_for(sizes, masks)
    h = x
    for k, w in enumerate(weights[:-1]):
        z = w * h
        if bias:
            z += sp.Matrix([sp.Symbol(f"b{k}_{o + 1}") for o in range(w.shape[0])])
        h = z.applyfunc(sigma)
    psi = weights[-1] * h
    jac = psi.jacobian(x)
    antisym = [sp.expand(jac[i, j] - jac[j, i]) for i in range(d) for j in range(i + 1, d)]
    frozen: dict[Any, sp.Symbol] = {}
    for kind in (sp.Subs, sp.Derivative):
        for a in antisym:
            for s in sorted(a.atoms(kind), key=sp.default_sort_key):
                frozen.setdefault(s, sp.Symbol(f"ds{len(frozen)}"))
        antisym = [a.xreplace(frozen) for a in antisym]
    symbols = list(frozen.values())
    if not symbols:
        return [a for a in antisym if a != 0]
    return [c for a in antisym if a != 0 for c in sp.Poly(a, *symbols).coeffs()]


def canonical(exprs: Sequence[sp.Expr]) -> list[str]:
    """Sorted strings of the expanded expressions, each up to sign."""
    out = set()
    for e in exprs:
        e = sp.expand(e)
        out.add(min(sp.srepr(e), sp.srepr(-e)))
    return sorted(out)
