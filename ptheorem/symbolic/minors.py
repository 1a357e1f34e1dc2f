"""Exact zero tests of 2 × 2 minors, in a polynomial ring instead of one ``cancel`` each.

The rank argument asks whether every 2 × 2 minor of some rows of rational
functions is 0 (L = 3, d = 16: the 14 400 minors of the 16 rows of θ⁽⁰⁾, and
120 per constraint group).  sympy answers one minor at a time with ``cancel``
after multiplying two sympy expressions.  Here each row is converted once into
ℚ[s₁, …, sₖ], the polynomials in the symbols of all the rows: its entries
become numerators Nᵣⱼ over one common denominator Dᵣ ≠ 0 (a common multiple of
the entries' denominators).  The minor of rows r, s and columns a, b is

    (Nᵣₐ N_sb − Nᵣ_b N_sa) / (Dᵣ D_s),

so it is 0 exactly when the polynomial Nᵣₐ N_sb − Nᵣ_b N_sa is 0 — the answer
``cancel`` gives, computed in sympy's sparse polynomial arithmetic.  Rows with
anything but symbols, rational numbers, sums, products and integer powers go
to ``cancel`` as before.

>>> x, y = sp.symbols("x y")
>>> list(minors_vanish([[x / y, 1, x], [x, y, x * y]]))
[True, True, True]
>>> list(minors_vanish([[1, 1], [x, y]])), list(minors_vanish([[x, x + 1], [x, x]]))
([False], [False])
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import combinations
from typing import Any

import sympy as sp
from sympy.polys.rings import PolyRing

Fraction = tuple[Any, Any]


def minors_vanish(rows: Sequence[Sequence[sp.Expr]]) -> Iterator[bool]:
    """Is each 2 × 2 minor of ``rows`` 0?  Pairs of rows in order, within them pairs of columns."""
    cleared = _cleared(rows)
    columns = list(combinations(range(len(rows[0]) if rows else 0), 2))
    for r, s in combinations(range(len(rows)), 2):
        for a, b in columns:
            if cleared is None:
                yield sp.cancel(rows[r][a] * rows[s][b] - rows[r][b] * rows[s][a]) == 0
            else:
                yield not (cleared[r][a] * cleared[s][b] - cleared[r][b] * cleared[s][a])


def _cleared(rows: Sequence[Sequence[sp.Expr]]) -> list[list[Any]] | None:
    """Each row's numerators Nᵣⱼ over one common denominator, or None (see the module docstring)."""
    rows = [[sp.sympify(e) for e in row] for row in rows]
    gens: set[sp.Basic] = set()
    for row in rows:
        for e in row:
            gens |= e.free_symbols
    if not gens:
        return None
    ring = PolyRing(sorted(gens, key=sp.default_sort_key), sp.QQ)
    index = {g: k for k, g in enumerate(ring.symbols)}
    out = []
    for row in rows:
        fractions = []
        for e in row:
            f = _fraction(e, ring, index)
            if f is None:
                return None
            fractions.append(f)
        common = ring.one
        for _, den in fractions:
            if common.rem(den):  # den does not divide the product so far
                common = common.lcm(den)
        out.append([num * common.exquo(den) for num, den in fractions])
    return out


def _fraction(e: sp.Basic, ring: PolyRing, index: dict[sp.Basic, int]) -> Fraction | None:
    """``e`` as (numerator, denominator ≠ 0) in ``ring``; None if not a rational function."""
    if isinstance(e, sp.Symbol) and e.is_commutative:
        return ring.gens[index[e]], ring.one
    if isinstance(e, sp.Rational):
        return ring.ground_new(ring.domain.from_sympy(e)), ring.one
    if isinstance(e, (sp.Add, sp.Mul)):
        parts = [_fraction(a, ring, index) for a in e.args]
        if any(p is None for p in parts):
            return None
        num, den = parts[0]  # type: ignore[misc]
        for n, d in parts[1:]:  # type: ignore[misc]
            if isinstance(e, sp.Mul):
                num, den = num * n, den * d
            elif d == den:
                num = num + n
            else:
                num, den = num * d + n * den, den * d
        return num, den
    if isinstance(e, sp.Pow) and isinstance(e.exp, sp.Integer):
        base = _fraction(e.base, ring, index)
        if base is None:
            return None
        k = int(e.exp)
        num, den = base if k >= 0 else base[::-1]
        if not den:
            return None
        return num ** abs(k), den ** abs(k)
    return None
