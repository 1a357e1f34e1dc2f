"""Products, sums and quotients of squarefree monomials, built directly in sympy's canonical form.

The instance derivation multiplies and subtracts tens of thousands of monomials
such as θ⁽²⁾ᵢₙ·θ⁽¹⁾ₙₘ·θ⁽⁰⁾ₘⱼ in distinct weight symbols (L = 3, d = 16: ~200 000
operations).  sympy's ``Mul`` and ``Add`` spend ~25 µs on each (``flatten``, the
cache, assumption queries), yet for these operands their result is known:

* a *monomial* here is a nonzero Rational c times distinct *plain* symbols
  (class ``Symbol``, default assumptions only).  sympy stores it as c itself (no
  symbol), the symbol itself (c = 1, one symbol) or ``Mul(c, s₁, …, sₖ)`` (c
  omitted when 1) with the symbols in ``Basic.compare`` order — for plain
  symbols, which share their class and assumptions, the order of their names;
* the product of two monomials without a common symbol is the monomial with
  coefficient c·c′ and the union of the symbols: ``Mul.flatten`` finds no
  powers to combine and sorts the symbols;
* a sum of monomials, each with at least one symbol and no two with the same
  symbols, is ``Add`` of the monomials themselves in ``Basic.compare`` order:
  ``Add.flatten`` finds no like terms to collect and rebuilds each term as it was;
* a monomial divided by one of its symbols is the monomial without it (its
  power drops to 0), and anything divided by 1 is itself.

Each function checks that its operands are monomials in canonical form (so a
``Mul`` built with ``evaluate=False`` is not taken for one) and hands anything
else to sympy's own operator; either way it returns the object sympy returns.
The tests compare them with sympy's operators on random operands.

>>> x, y, z = sp.symbols("x y z")
>>> times(2 * x, y * z), minus(x * y, z), quotient(-x * y, y), plus([z, x * y])
(2*x*y*z, x*y - z, -x, x*y + z)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cmp_to_key

import sympy as sp

Monomial = tuple[sp.Rational, tuple[sp.Symbol, ...]]

_ONE = sp.S.One
_SORT_KEY = cmp_to_key(sp.Basic.compare)
_PLAIN: dict[sp.Symbol, bool] = {}


def _plain(s: sp.Symbol) -> bool:
    """Whether ``s`` (of class ``Symbol``) has only the default assumption."""
    ok = _PLAIN.get(s)
    if ok is None:
        ok = _PLAIN[s] = s.assumptions0 == {"commutative": True}
    return ok


def parts(e: sp.Basic) -> Monomial | None:
    """(c, symbols) when ``e`` is a monomial in sympy's canonical form, else None.

    >>> x, y = sp.symbols("x y")
    >>> parts(-3 * x * y), parts(x), parts(sp.Rational(1, 2)), parts(x**2), parts(x + y)
    ((-3, (x, y)), (1, (x,)), (1/2, ()), None, None)
    """
    kind = type(e)
    if kind is sp.Symbol:
        return (_ONE, (e,)) if _plain(e) else None  # type: ignore[arg-type]
    if isinstance(e, sp.Rational):
        return None if e == 0 else (e, ())
    if kind is not sp.Mul:
        return None
    args = e.args
    head = args[0]
    if isinstance(head, sp.Rational):
        c, syms = head, args[1:]
        if c == 0 or c == 1 or not syms:
            return None
    else:
        c, syms = _ONE, args
        if len(syms) < 2:
            return None
    previous = ""
    for s in syms:
        if type(s) is not sp.Symbol or not _plain(s) or s.name <= previous:  # type: ignore[attr-defined]
            return None
        previous = s.name  # type: ignore[attr-defined]
    return c, syms  # type: ignore[return-value]


def build(c: sp.Rational, syms: Sequence[sp.Symbol]) -> sp.Expr:
    """The canonical object for c·s₁⋯sₖ (c ≠ 0, plain symbols with distinct names, sorted)."""
    if not syms:
        return c
    if c == 1:
        return syms[0] if len(syms) == 1 else sp.Mul._from_args(tuple(syms), True)
    return sp.Mul._from_args((c, *syms), True)


def times(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    """``a * b``."""
    pa, pb = parts(a), parts(b)
    if pa is None or pb is None:
        return a * b
    syms = sorted(pa[1] + pb[1], key=_name)
    if any(syms[k].name == syms[k + 1].name for k in range(len(syms) - 1)):
        return a * b
    return build(pa[0] * pb[0], syms)


def minus(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    """``a - b``."""
    pa, pb = parts(a), parts(b)
    if pa is None or pb is None or not pa[1] or not pb[1] or pa[1] == pb[1]:
        return a - b
    return _add([a, build(-pb[0], pb[1])])


def plus(terms: Sequence[sp.Expr]) -> sp.Expr:
    """``sp.Add(*terms)``."""
    if len(terms) == 1:
        return terms[0]  # Add of one argument is that argument
    supports = []
    for t in terms:
        p = parts(t)
        if p is None or not p[1]:
            return sp.Add(*terms)
        supports.append(p[1])
    if len(set(supports)) < len(supports):
        return sp.Add(*terms)
    return _add(list(terms))


def quotient(term: sp.Expr, factor: sp.Expr) -> sp.Expr:
    """``term / factor``."""
    if factor == 1:
        return term
    p = parts(term)
    if p is None or type(factor) is not sp.Symbol or not _plain(factor) or factor not in p[1]:
        return term / factor
    return build(p[0], [s for s in p[1] if s != factor])


class Substitution:
    """A symbol → monomial substitution applied to sums of monomials without sympy's rebuild.

    ``rule`` maps symbols to expressions, as for ``xreplace``.  :meth:`apply` is
    ``e.xreplace(rule)``; :meth:`expand` is the expanded polynomial
    ``sp.expand(e.xreplace(rule))`` as ``{symbols with multiplicity: coefficient}``
    (``{}`` for the zero polynomial), or None when ``e`` or a value it meets is
    not a monomial (the caller then asks sympy).

    >>> a, b, c, u, v = sp.symbols("a b c u v")
    >>> sub = Substitution({a: c * u, b: c * v})
    >>> sub.apply(a * v - b * u), sub.expand(a * v - b * u)
    (0, {})
    >>> sub.apply(2 * a - b), sub.expand(a * u + b * u)
    (2*c*u - c*v, {(c, u, u): 1, (c, u, v): 1})
    """

    def __init__(self, rule: dict[sp.Basic, sp.Basic]) -> None:
        self.rule = rule
        self._values: dict[sp.Symbol, Monomial | None] = {}
        # Only symbol keys: xreplace would also replace a matching subexpression.
        self._symbol_keys = all(type(k) is sp.Symbol for k in rule)

    def _value(self, s: sp.Symbol) -> Monomial | None:
        if s not in self._values:
            self._values[s] = parts(self.rule[s]) if s in self.rule else (_ONE, (s,))
        return self._values[s]

    def _terms(self, e: sp.Basic) -> list[tuple[sp.Rational, list[sp.Symbol]]] | None:
        """Each term of ``e`` with the rule applied: (coefficient, symbols by name)."""
        if not self._symbol_keys:
            return None
        out = []
        for t in sp.Add.make_args(e):
            p = parts(t)
            if p is None:
                return None
            c, syms = p
            new: list[sp.Symbol] = []
            for s in syms:
                v = self._value(s)
                if v is None:
                    return None
                if v[0] != 1:
                    c = c * v[0]
                new.extend(v[1])
            new.sort(key=_name)
            out.append((c, new))
        return out

    def apply(self, e: sp.Expr) -> sp.Expr:
        """``e.xreplace(rule)``."""
        terms = self._terms(e)
        if terms is None or any(
            syms[k].name == syms[k + 1].name for _, syms in terms for k in range(len(syms) - 1)
        ):
            return e.xreplace(self.rule)
        return plus([build(c, syms) for c, syms in terms])

    def expand(self, e: sp.Expr) -> dict[tuple[sp.Symbol, ...], sp.Rational] | None:
        """``sp.expand(e.xreplace(rule))`` as a polynomial in the symbols, or None."""
        terms = self._terms(e)
        if terms is None:
            return None
        poly: dict[tuple[sp.Symbol, ...], sp.Rational] = {}
        for c, syms in terms:
            key = tuple(syms)
            poly[key] = poly.get(key, 0) + c
        return {k: c for k, c in poly.items() if c != 0}


def _add(terms: list[sp.Expr]) -> sp.Expr:
    """``Add`` of monomials with distinct symbol sets (at least two of them)."""
    terms.sort(key=_SORT_KEY)
    return sp.Add._from_args(tuple(terms), True)


def _name(s: sp.Symbol) -> str:
    return s.name
