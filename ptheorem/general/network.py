"""The ψ network with symbolic sizes: indexed weights, nested sums, and its Jacobian by sympy.

Sizes d, k₁, …, k_{L−1} are positive-integer Symbols and the weights are
``IndexedBase`` objects: θ⁽⁰⁾[m, j], θ⁽ᵏ⁾[·, ·], θ⁽ᴸ⁻¹⁾[i, n].  ψᵢ is a nested
``Sum``; sympy differentiates it with respect to x[j] and ``doit`` collapses
the KroneckerDelta sums.  Nothing here writes the Jacobian down: it is what
sympy returns, normalised by the rules of :mod:`ptheorem.general.rules`.

>>> net = parametric_network(2)
>>> net.psi
Sum(sigma(Sum(theta0[m, j_]*x[j_], (j_, 1, d)))*theta1[i, m], (m, 1, k1))
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

#: Hidden-layer index names, first (m) to last (n), as in the paper.
_MIDDLE = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "kappa", "lambda_", "mu")


def _positive(name: str) -> sp.Symbol:
    return sp.Symbol(name, integer=True, positive=True)


def hidden_indices(depth: int) -> tuple[sp.Symbol, ...]:
    """Summation indices of the hidden layers, first to last: m, α, β, …, n.

    >>> hidden_indices(4)
    (m, alpha, n)
    """
    hidden = depth - 1
    if hidden <= 0:
        return ()
    if hidden == 1:
        return (_positive("m"),)
    if hidden - 2 > len(_MIDDLE):
        middle = tuple(_positive(f"u{k}") for k in range(2, hidden))
    else:
        middle = tuple(_positive(name) for name in _MIDDLE[: hidden - 2])
    return (_positive("m"), *middle, _positive("n"))


@dataclass(frozen=True)
class ParametricNetwork:
    """ψ: Rᵈ → Rᵈ with ``depth`` weight layers and every size a Symbol.

    ``pre[k]`` is the pre-activation of hidden layer k (1-based; ``pre[0]`` is
    None), an expression whose free index is ``hidden[k - 1]``; σ′ of that
    expression is frozen to ``s[k][hidden[k - 1]]``.
    """

    depth: int
    dim: sp.Symbol
    widths: tuple[sp.Symbol, ...]
    x: sp.IndexedBase
    weights: tuple[sp.IndexedBase, ...]
    slopes: tuple[sp.IndexedBase, ...]
    sigma: sp.FunctionClass
    i: sp.Symbol
    j: sp.Symbol
    hidden: tuple[sp.Symbol, ...]
    pre: tuple[sp.Expr | None, ...]
    psi: sp.Expr
    bias: bool = False

    @property
    def sizes(self) -> dict[sp.Symbol, sp.Symbol]:
        """Each index with its upper bound (every index runs from 1)."""
        out = {self.i: self.dim, self.j: self.dim}
        out |= dict(zip(self.hidden, self.widths, strict=True))
        return out

    @property
    def middle(self) -> tuple[sp.IndexedBase, ...]:
        """The middle weight layers θ⁽¹⁾ … θ⁽ᴸ⁻²⁾ (empty for L ≤ 2)."""
        return self.weights[1:-1]


def parametric_network(depth: int, bias: bool = False) -> ParametricNetwork:
    """Build ψᵢ(x) = Σₙ θ⁽ᴸ⁻¹⁾[i, n] σ(… σ(Σⱼ θ⁽⁰⁾[m, j] x[j]) …) with symbolic sizes.

    With ``bias``, every layer k adds b⁽ᵏ⁾[unit] to its output (pre-activations
    and ψ alike); sympy's derivative drops them.
    """
    if depth < 1:
        raise ValueError("depth must be at least 1")
    d = _positive("d")
    widths = tuple(_positive(f"k{k}") for k in range(1, depth))
    x = sp.IndexedBase("x")
    sigma = sp.Function("sigma")
    weights = tuple(sp.IndexedBase(f"theta{k}") for k in range(depth))
    slopes = tuple(sp.IndexedBase(f"s{k}") for k in range(1, depth))
    i, j, inner = _positive("i"), _positive("j"), _positive("j_")
    hidden = hidden_indices(depth)
    offsets = tuple(sp.IndexedBase(f"b{k}") for k in range(depth))

    def offset(k: int, unit: sp.Symbol) -> sp.Expr:
        return offsets[k][unit] if bias else sp.S.Zero

    pre: list[sp.Expr | None] = [None]
    if depth == 1:
        psi = sp.Sum(weights[0][i, inner] * x[inner], (inner, 1, d)) + offset(0, i)
    else:
        z = sp.Sum(weights[0][hidden[0], inner] * x[inner], (inner, 1, d)) + offset(0, hidden[0])
        pre.append(z)
        for k in range(1, depth - 1):
            z = sp.Sum(
                weights[k][hidden[k], hidden[k - 1]] * sigma(z), (hidden[k - 1], 1, widths[k - 1])
            ) + offset(k, hidden[k])
            pre.append(z)
        psi = sp.Sum(weights[-1][i, hidden[-1]] * sigma(z), (hidden[-1], 1, widths[-1]))
        psi += offset(depth - 1, i)
    return ParametricNetwork(
        depth, d, widths, x, weights, slopes, sigma, i, j, hidden, tuple(pre), psi, bias
    )


def jacobian_entry(net: ParametricNetwork) -> sp.Expr:
    """Jᵢⱼ = ∂ψᵢ/∂x[j] as sympy computes it, each KroneckerDelta sum evaluated by ``doit``.

    sympy's ``diff`` leaves Σⱼ′ θ[m, j′] δ(j, j′) unevaluated; ``doit`` on exactly
    those sums (the innermost ones holding a KroneckerDelta) collapses them, and
    leaves the outer sums alone instead of trying closed forms for them (which
    costs seconds and changes nothing: they have none).

    >>> entry = jacobian_entry(parametric_network(2))
    >>> entry.has(sp.KroneckerDelta), entry.atoms(sp.Piecewise) != set()
    (False, True)
    """
    return collapse_deltas(net.psi.diff(net.x[net.j]))


def collapse_deltas(expr: sp.Expr) -> sp.Expr:
    """``doit`` on every innermost sum that holds a KroneckerDelta, and nowhere else."""

    def collapsible(e: sp.Basic) -> bool:
        return (
            isinstance(e, sp.Sum)
            and e.function.has(sp.KroneckerDelta)
            and not e.function.has(sp.Sum)
        )

    return expr.replace(collapsible, lambda e: e.doit())


def frozen_slopes(net: ParametricNetwork) -> dict[sp.Expr, sp.Expr]:
    """σ′(pre-activation of hidden layer k at unit u) ↦ s⁽ᵏ⁾[u], as sympy writes σ′ (``Subs``)."""
    xi = sp.Dummy("xi")
    out = {}
    for k in range(1, net.depth):
        z = net.pre[k]
        assert z is not None
        derivative = sp.Subs(sp.Derivative(net.sigma(xi), xi), xi, z)
        out[derivative] = net.slopes[k - 1][net.hidden[k - 1]]
    return out
