"""Named inference rules for the steps sympy does not take by itself.

Each rule checks that its input has the rule's pattern and raises
:class:`RuleRefused` when it does not, so a proof built from them cannot
silently apply a rule outside its scope.  A rule returns its conclusion; the
side conditions it relies on and the hypotheses it consumes are listed in
:data:`RULES`, and the proof records them at every application.

>>> n, m = sp.symbols("n m", integer=True, positive=True)
>>> s1, s2, c = sp.IndexedBase("s1"), sp.IndexedBase("s2"), sp.IndexedBase("c")
>>> coefficient_of_paths(s2[n] * s1[m] * c[n, m], [s1, s2], (m, n))
c[n, m]
>>> coefficient_of_paths(s2[n] * s1[m] * c[n, m] * s1[m], [s1, s2], (m, n))  # doctest: +ELLIPSIS
Traceback (most recent call last):
  ...
ptheorem.general.rules.RuleRefused: A1 (coefficient extraction): ... s1[m]**2*s2[n]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from ptheorem.model.errors import PtheoremError


class RuleRefused(PtheoremError):
    """A rule was applied to an input outside its pattern; the proof step is not taken."""


@dataclass(frozen=True)
class Rule:
    """A named inference rule: what it concludes, and what it needs."""

    name: str
    statement: str
    side_conditions: tuple[str, ...]
    hypotheses: tuple[str, ...]


RULES = {
    "ranges": Rule(
        "index ranges",
        "a Piecewise whose first condition is j ≤ d (j an index running over 1 … d) is its "
        "first branch",
        ("the condition is exactly the declared upper bound of a summation or free index",),
        (),
    ),
    "linearity": Rule(
        "linearity of Σ",
        "a·Σᵤ b = Σᵤ a·b when a does not contain u; Σ f − Σ g = Σ (f − g) over the same ranges",
        ("the factor is free of the inner index", "the ranges are identical"),
        (),
    ),
    "freeze": Rule(
        "freezing σ′",
        "σ′ at the pre-activation of hidden layer k, unit u, is named s⁽ᵏ⁾[u]",
        ("every σ′ in the expression is at a known pre-activation",),
        (),
    ),
    "A1": Rule(
        "coefficient extraction",
        "from Σ_paths s(path)·c(path) ≡ 0 in x, with the path functions s(path) linearly "
        "independent, every coefficient c(path) = 0",
        (
            "s(path) is one σ′ per hidden layer, at the path's units",
            "c(path) contains no σ′",
        ),
        ("A1",),
    ),
    "A2": Rule(
        "cancelling the middle product",
        "from P·B = 0 with P the product of the middle weights on the path and P ≠ 0, B = 0",
        ("P is a product of middle weights only", "B contains no middle weight", "P ≢ 0"),
        ("A2",),
    ),
    "tie": Rule(
        "2×2 minors give the tying",
        "if every 2×2 minor uᵢvⱼ − uⱼvᵢ of [u; v] vanishes and v ≠ 0, then u = S·v for a scalar S",
        ("B(i, j) is exactly the (i, j) minor of [θ⁽ᴸ⁻¹⁾[·, n]; θ⁽⁰⁾[m, ·]]",),
        ("A3",),
    ),
    "link": Rule(
        "linking through a shared output column",
        "θ⁽ᴸ⁻¹⁾ₙ = Sₙₘ θ⁽⁰⁾ₘ and θ⁽ᴸ⁻¹⁾ₙ = Sₙₘ′ θ⁽⁰⁾ₘ′ with Sₙₘ′ ≠ 0 give "
        "θ⁽⁰⁾ₘ′ = (Sₙₘ/Sₙₘ′) θ⁽⁰⁾ₘ: the rows are parallel",
        ("both tyings share the output column n", "Sₙₘ′ ≠ 0 (the trivial branch aside)"),
        (),
    ),
    "connect": Rule(
        "connectivity",
        "rows linked pairwise along the edges of a connected graph are all parallel: rank 1 "
        "on each connected component of the nonzero-path graph",
        (
            "the tying was derived with n and m free indices over their whole ranges, so "
            "every pair (n, m) is an edge: the graph is complete bipartite, hence connected",
        ),
        (),
    ),
}


def in_ranges(expr: sp.Expr, bounds: dict[sp.Symbol, sp.Expr]) -> sp.Expr:
    """Rule ``ranges``: replace every Piecewise((e, j ≤ d), (…, True)) by e.

    Refused when a Piecewise's first condition is not an index's declared bound.

    >>> j, d = sp.symbols("j d", integer=True, positive=True)
    >>> in_ranges(sp.Piecewise((j, d >= j), (0, True)), {j: d})
    j
    """

    def branch(p: sp.Piecewise) -> sp.Expr:
        (first, cond), *_ = p.args
        if not (isinstance(cond, sp.core.relational.Relational) and _is_bound(cond, bounds)):
            raise RuleRefused(f"index ranges: {cond} is not an index's declared range")
        return first

    return expr.replace(lambda e: isinstance(e, sp.Piecewise), branch)


def _is_bound(cond: sp.core.relational.Relational, bounds: dict[sp.Symbol, sp.Expr]) -> bool:
    """``j ≤ d`` (or ``d ≥ j``) for an index j whose range is 1 … d."""
    if isinstance(cond, sp.LessThan):
        low, high = cond.lhs, cond.rhs
    elif isinstance(cond, sp.GreaterThan):
        low, high = cond.rhs, cond.lhs
    else:
        return False
    return low in bounds and bounds[low] == high


def flatten_sums(expr: sp.Expr) -> sp.Expr:
    """Rule ``linearity``: a·Σᵤ b → Σᵤ a·b, innermost first, until sums are not nested in products.

    >>> a, b, u = sp.symbols("a b u", integer=True, positive=True)
    >>> k, f = sp.Symbol("k"), sp.IndexedBase("f")
    >>> flatten_sums(a * sp.Sum(f[u], (u, 1, k)))
    Sum(a*f[u], (u, 1, k))
    """
    if not expr.args:
        return expr
    args = [flatten_sums(a) for a in expr.args]
    if isinstance(expr, sp.Sum):
        inner, *limits = args
        if isinstance(inner, sp.Sum):
            return sp.Sum(inner.function, *inner.limits, *limits)
        return sp.Sum(inner, *limits)
    if isinstance(expr, sp.Mul):
        sums = [a for a in args if isinstance(a, sp.Sum)]
        if len(sums) > 1:
            raise RuleRefused("linearity of Σ: a product of two sums is not a single path sum")
        if sums:
            (s,) = sums
            rest = sp.Mul(*[a for a in args if a is not s])
            for var, *_ in s.limits:
                if rest.has(var):
                    raise RuleRefused(f"linearity of Σ: the factor {rest} contains the index {var}")
            return sp.Sum(rest * s.function, *s.limits)
    return expr.func(*args)


def difference_of_sums(first: sp.Expr, second: sp.Expr) -> sp.Expr:
    """Rule ``linearity``: Σ f − Σ g = Σ (f − g) over identical ranges (plain terms as they are)."""
    if isinstance(first, sp.Sum) and isinstance(second, sp.Sum):
        if first.limits != second.limits:
            raise RuleRefused("linearity of Σ: the two sums run over different ranges")
        return sp.Sum(first.function - second.function, *first.limits)
    if isinstance(first, sp.Sum) or isinstance(second, sp.Sum):
        raise RuleRefused("linearity of Σ: one side is a sum, the other is not")
    return first - second


def freeze(expr: sp.Expr, table: dict[sp.Expr, sp.Expr]) -> sp.Expr:
    """Rule ``freeze``: every σ′ (sympy's ``Subs(Derivative(σ(ξ), ξ), ξ, z))``) by its symbol.

    Refused when some σ′ sits at a pre-activation the table does not know.
    """
    out = expr.xreplace(table)
    left = [a for a in out.atoms(sp.Subs) if a.has(sp.Derivative)]
    if left:
        raise RuleRefused(f"freezing σ′: no symbol for {left[0]}")
    return out


def coefficient_of_paths(
    summand: sp.Expr, slopes: Sequence[sp.IndexedBase], indices: Sequence[sp.Symbol]
) -> sp.Expr:
    """Rule A1: the coefficient c of Σ s(path)·c(path) ≡ 0, which must then vanish.

    ``indices`` are the hidden units of the path, first layer first; s(path)
    must be exactly Πₖ s⁽ᵏ⁾[indices[k−1]].  Refused when c still contains a σ′
    or the path function has another shape.
    """
    term = sp.factor_terms(summand)
    coeff, path = term.as_independent(*slopes, as_Add=False)
    expected = sp.Mul(*[s[u] for s, u in zip(slopes, indices, strict=True)])
    if path != expected:
        raise RuleRefused(
            "A1 (coefficient extraction): the path function is not one σ′ per hidden layer at "
            f"the path's units: {path}"
        )
    if any(coeff.has(s) for s in slopes):
        raise RuleRefused(f"A1 (coefficient extraction): the coefficient contains a σ′: {coeff}")
    return coeff


def cancel_middle(
    coefficient: sp.Expr, middle: Sequence[sp.IndexedBase]
) -> tuple[sp.Expr, sp.Expr]:
    """Rule A2: split c = P·B (P the middle weights' product) and return (P, B), B must vanish.

    Refused when P is 0, when B still contains a middle weight, or when P holds
    anything but middle weights.
    """
    term = sp.factor_terms(coefficient)
    rest, product = term.as_independent(*middle, as_Add=False)
    if product == 0 or coefficient == 0:
        raise RuleRefused("A2 (cancellation): the middle product is 0, nothing can be divided")
    if any(rest.has(w) for w in middle):
        raise RuleRefused(f"A2 (cancellation): {rest} still contains a middle weight")
    factors = sp.Mul.make_args(product)
    if not all(
        isinstance(f, sp.Indexed)
        and f.base in middle
        or isinstance(f, sp.Pow)
        and isinstance(f.base, sp.Indexed)
        and f.base.base in middle
        for f in factors
    ):
        raise RuleRefused(f"A2 (cancellation): {product} is not a product of middle weights")
    return product, rest


def tie(
    bracket: sp.Expr,
    last: sp.IndexedBase,
    first: sp.IndexedBase,
    i: sp.Symbol,
    j: sp.Symbol,
    n: sp.Expr,
    m: sp.Expr,
) -> sp.Expr:
    """Rule tie: B(i, j) must be the (i, j) minor of [θ⁽ᴸ⁻¹⁾[·, n]; θ⁽⁰⁾[m, ·]]; returns the minor.

    The conclusion θ⁽ᴸ⁻¹⁾[i, n] = S[n, m] θ⁽⁰⁾[m, i] needs A3 (θ⁽⁰⁾ₘ ≠ 0).
    """
    minor = last[i, n] * first[m, j] - last[j, n] * first[m, i]
    if sp.expand(bracket - minor) != 0 and sp.expand(bracket + minor) != 0:
        raise RuleRefused(f"tie: {bracket} is not a 2×2 minor of [θ⁽ᴸ⁻¹⁾[·, {n}]; θ⁽⁰⁾[{m}, ·]]")
    return minor


def link(
    tying_m: tuple[sp.Expr, sp.Expr, sp.Expr],
    tying_mp: tuple[sp.Expr, sp.Expr, sp.Expr],
    first: sp.IndexedBase,
    i: sp.Symbol,
) -> sp.Expr:
    """Rule link: tyings (n, m, Sₙₘ) and (n, m′, Sₙₘ′) sharing n give θ⁽⁰⁾[m′, i] via θ⁽⁰⁾[m, i].

    sympy solves Sₙₘ θ⁽⁰⁾[m, i] − Sₙₘ′ θ⁽⁰⁾[m′, i] = 0 for θ⁽⁰⁾[m′, i] (linear in it:
    ``simplify=False`` gives the same quotient without ``simplify``, which costs
    ~0.1 s and imports ``sympy.physics``; the next step checks it by cancelling).
    """
    (n, m, s_m), (n2, mp, s_mp) = tying_m, tying_mp
    if n != n2:
        raise RuleRefused(f"link: the tyings use different output columns {n} and {n2}")
    if s_mp == 0:
        raise RuleRefused("link: Sₙₘ′ = 0 is the trivial branch")
    equation = s_m * first[m, i] - s_mp * first[mp, i]
    (solution,) = sp.solve(equation, first[mp, i], simplify=False)
    return solution


def connect(
    tying: tuple[sp.Expr, sp.Expr], n: sp.Symbol, m: sp.Symbol, bounds: dict[sp.Symbol, sp.Expr]
) -> str:
    """Rule connect: a tying derived for free (n, m) links every pair, so one component.

    ``tying`` is the relation (θ⁽ᴸ⁻¹⁾[i, n], S[n, m]·θ⁽⁰⁾[m, i]) of the tie step;
    refused when n or m is not a free index over its declared range (a tying
    derived for particular units links only those).

    >>> n, m, k1, k2 = sp.symbols("n m k1 k2", integer=True, positive=True)
    >>> t2, t0, S = sp.IndexedBase("theta2"), sp.IndexedBase("theta0"), sp.IndexedBase("S")
    >>> i = sp.Symbol("i", integer=True, positive=True)
    >>> connect((t2[i, n], S[n, m] * t0[m, i]), n, m, {n: k2, m: k1})
    'complete bipartite on n = 1 … k2, m = 1 … k1: connected'
    >>> connect((t2[i, 1], S[1, m] * t0[m, i]), n, m, {n: k2, m: k1})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    ptheorem.general.rules.RuleRefused: connect: ...
    """
    lhs, rhs = tying
    for index in (n, m):
        if not (isinstance(index, sp.Symbol) and index in bounds):
            raise RuleRefused(f"connect: {index} is not a free index with a declared range")
        if not (lhs.has(index) or rhs.has(index)) or not rhs.has(index):
            raise RuleRefused(f"connect: the tying {lhs} = {rhs} is not for every {index}")
    if not lhs.has(n):
        raise RuleRefused(f"connect: the tying {lhs} = {rhs} is not for every {n}")
    return f"complete bipartite on {n} = 1 … {bounds[n]}, {m} = 1 … {bounds[m]}: connected"
