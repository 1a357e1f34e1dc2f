"""The fast paths of the symbolic core against sympy's own operations, as properties.

``Rows.matmul`` must build exactly the entries sympy's ``Matrix`` product
builds; ``shared.xreplace`` and ``shared.integral`` must give the objects
``Expr.xreplace`` and ``sp.Integral`` give.  Random sparse symbolic matrices and
random expression graphs (with shared subexpressions, functions and Piecewise)
exercise them.  The monomial operations must give the objects sympy's ``*``,
``-``, ``Add``, ``/`` and ``xreplace`` give (same ``srepr``), on monomials and
on everything they must hand back to sympy (powers, functions, symbols with
assumptions, Dummies, unevaluated products); ``minors_vanish`` must agree with
``cancel`` minor by minor.
"""

from __future__ import annotations

import sympy as sp
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ptheorem.symbolic import monomials
from ptheorem.symbolic.minors import minors_vanish
from ptheorem.symbolic.shared import (
    graph_nodes,
    has_piecewise,
    integral,
    join_integrals,
    split_integrals,
)
from ptheorem.symbolic.shared import xreplace as shared_xreplace
from ptheorem.symbolic.sparse import Rows, chain

SYMBOLS = sp.symbols("a b c d e")
F = sp.Function("f")


@st.composite
def entries(draw) -> sp.Expr:
    """0, a small integer, a symbol, a product or a function of a symbol."""
    kind = draw(st.sampled_from(["zero", "int", "symbol", "product", "function"]))
    s = draw(st.sampled_from(SYMBOLS))
    if kind == "zero":
        return sp.S.Zero
    if kind == "int":
        return sp.Integer(draw(st.integers(-3, 3)))
    if kind == "symbol":
        return s
    if kind == "product":
        return s * draw(st.sampled_from(SYMBOLS)) * draw(st.integers(-2, 2))
    return F(s + draw(st.integers(0, 2)))


@st.composite
def matrices(draw, rows: int, cols: int) -> sp.Matrix:
    return sp.Matrix(rows, cols, [draw(entries()) for _ in range(rows * cols)])


@st.composite
def chains(draw) -> list[sp.Matrix]:
    dims = draw(st.lists(st.integers(1, 4), min_size=2, max_size=5))
    return [draw(matrices(dims[k], dims[k + 1])) for k in range(len(dims) - 1)]


@given(factors=chains())
@example(
    factors=[sp.Matrix([[SYMBOLS[0], 0], [SYMBOLS[1], SYMBOLS[2]]]), sp.Matrix([[SYMBOLS[3]], [1]])]
)
def test_rows_matmul_builds_the_entries_of_the_matrix_product(factors: list[sp.Matrix]) -> None:
    expected = factors[0]
    for m in factors[1:]:
        expected = expected * m
    got = chain([Rows.from_matrix(m) for m in factors]).to_matrix()
    assert got.shape == expected.shape
    # The same objects, entry by entry (not merely equal after simplification).
    assert all(g == e for g, e in zip(got, expected, strict=True))


@st.composite
def graphs(draw) -> sp.Expr:
    """An expression built bottom-up, so later nodes share earlier ones."""
    nodes: list[sp.Expr] = list(SYMBOLS[:3])
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["add", "mul", "f", "pow", "piecewise"]))
        a = draw(st.sampled_from(nodes))
        b = draw(st.sampled_from(nodes))
        if op == "add":
            nodes.append(a + b)
        elif op == "mul":
            nodes.append(a * b)
        elif op == "f":
            nodes.append(F(a))
        elif op == "pow":
            nodes.append(a ** draw(st.integers(2, 3)))
        else:
            nodes.append(sp.Piecewise((a, b > 0), (b, True)))
    return nodes[-1]


@given(e=graphs(), target=st.sampled_from(SYMBOLS[:3]), value=graphs())
def test_shared_xreplace_gives_sympys_object(e: sp.Expr, target: sp.Symbol, value: sp.Expr) -> None:
    rule = {target: value}
    assert shared_xreplace(e, rule) == e.xreplace(rule)


@given(e=graphs(), pick=st.integers(0, 50))
def test_shared_xreplace_of_a_subexpression_key(e: sp.Expr, pick: int) -> None:
    """Any subexpression (not only a symbol) as the key, as sympy's xreplace allows."""
    keys = sorted({n for n in graph_nodes(e) if isinstance(n, sp.Expr)}, key=sp.default_sort_key)
    rule = {keys[pick % len(keys)]: SYMBOLS[4]}
    assert shared_xreplace(e, rule) == e.xreplace(rule)


@given(e=graphs(), upper=graphs())
def test_integral_gives_sympys_integral(e: sp.Expr, upper: sp.Expr) -> None:
    t = sp.Dummy("t")
    f = e.xreplace({SYMBOLS[0]: t})
    built = integral(f, (t, 0, upper))
    assert built == sp.Integral(f, (t, 0, upper))
    assert has_piecewise(f) == f.has(sp.Piecewise)
    shell, parts = split_integrals(built + SYMBOLS[3])
    assert join_integrals(shell, parts) == built + SYMBOLS[3]


# --- monomials and minors ---------------------------------------------------------------

#: Plain symbols whose name order differs from their creation order, and lookalikes that
#: are not plain (assumptions, a Dummy): the fast paths must leave those to sympy.
PLAIN = sp.symbols("theta2_1_1 theta10_1_2 x X b0_1 u")
OTHERS = (sp.Symbol("x", positive=True), sp.Dummy("u"), sp.Symbol("theta2_1_1", real=True))
COEFFICIENTS = [sp.S.One, sp.S.NegativeOne, sp.Integer(2), sp.Integer(-3), sp.Rational(2, 3)]


@st.composite
def operands(draw) -> sp.Expr:
    """Mostly monomials in plain symbols; sometimes anything the fast paths must refuse."""
    kind = draw(st.sampled_from(["monomial"] * 6 + ["other", "power", "f", "raw", "sum"]))
    c = draw(st.sampled_from(COEFFICIENTS))
    syms = draw(st.lists(st.sampled_from(PLAIN), max_size=4, unique=True))
    mono = sp.Mul(c, *syms)
    if kind == "monomial":
        return mono
    if kind == "other":
        return mono * draw(st.sampled_from(OTHERS))
    if kind == "power":
        return mono * draw(st.sampled_from(PLAIN)) ** draw(st.integers(-1, 2))
    if kind == "f":
        return mono * F(draw(st.sampled_from(PLAIN)))
    if kind == "sum":
        return mono + draw(st.sampled_from(PLAIN))
    if draw(st.booleans()):  # unevaluated products: symbols out of order, or a coefficient 1
        return sp.Mul(c, *syms[::-1], evaluate=False)
    return sp.Mul(sp.S.One, *syms, evaluate=False)


def same(got: sp.Basic, expected: sp.Basic) -> bool:
    """The same sympy object: equal, and built alike."""
    return got == expected and sp.srepr(got) == sp.srepr(expected)


@settings(max_examples=300)
@given(a=operands(), b=operands())
def test_monomial_products_and_differences_are_sympys(a: sp.Expr, b: sp.Expr) -> None:
    assert same(monomials.times(a, b), a * b)
    assert same(monomials.minus(a, b), a - b)
    assert same(monomials.quotient(a, b), a / b) if b != 0 else True


@settings(max_examples=300)
@given(terms=st.lists(operands(), min_size=1, max_size=5), pick=st.integers(0, 10))
def test_monomial_sums_and_quotients_are_sympys(terms: list[sp.Expr], pick: int) -> None:
    assert same(monomials.plus(terms), sp.Add(*terms))
    t = terms[0]
    factors = sorted(t.free_symbols, key=sp.default_sort_key) or [sp.S.One]
    factor = factors[pick % len(factors)]
    assert same(monomials.quotient(t, factor), t / factor)


@settings(max_examples=300)
@given(
    terms=st.lists(operands(), min_size=1, max_size=4),
    values=st.lists(operands(), min_size=len(PLAIN), max_size=len(PLAIN)),
    keep=st.lists(st.booleans(), min_size=len(PLAIN), max_size=len(PLAIN)),
)
def test_a_substitution_is_sympys_xreplace_and_expand(terms, values, keep) -> None:
    e = sp.Add(*terms)
    rule = {s: v for s, v, k in zip(PLAIN, values, keep, strict=True) if k and v != 0}
    sub = monomials.Substitution(rule)
    assert same(sub.apply(e), e.xreplace(rule))
    poly = sub.expand(e)
    expanded = sp.expand(e.xreplace(rule))
    if poly is not None:
        assert (not poly) == (expanded == 0)
        assert sp.expand(sp.Add(*[c * sp.Mul(*k) for k, c in poly.items()]) - expanded) == 0


def test_a_substitution_with_a_subexpression_key_is_sympys() -> None:
    x, y, u = PLAIN[2], PLAIN[3], PLAIN[5]
    rule = {x * y: u, x: y}
    assert same(monomials.Substitution(rule).apply(x * y + 2 * x), (x * y + 2 * x).xreplace(rule))


@st.composite
def rational_rows(draw) -> list[list[sp.Expr]]:
    """Rows of rational functions (sometimes a function value, left to ``cancel``)."""
    cols = draw(st.integers(1, 4))
    x, y = PLAIN[2], PLAIN[3]
    pool = [*PLAIN[:4], OTHERS[0], 2, sp.Rational(-1, 3), x**2, 1 / y, x / (y + 1), x + 1 / y]
    below = [sp.S.One, x, y, sp.Integer(3), y + 1, y**2]
    rows = []
    base = [draw(st.sampled_from(pool)) for _ in range(cols)]
    for _ in range(draw(st.integers(1, 4))):
        scale = draw(st.sampled_from(pool)) / draw(st.sampled_from(below))
        row = [scale * e for e in base]
        if draw(st.booleans()):  # break the proportionality somewhere
            k = draw(st.integers(0, cols - 1))
            row[k] = row[k] + draw(st.sampled_from([*pool, F(PLAIN[0]), sp.S.Zero]))
        rows.append([draw(st.sampled_from([sp.expand, sp.together, sp.sympify]))(e) for e in row])
    return rows


@settings(max_examples=200)
@given(rows=rational_rows())
def test_minors_vanish_agrees_with_cancel(rows: list[list[sp.Expr]]) -> None:
    expected = [
        sp.cancel(r[a] * s[b] - r[b] * s[a]) == 0
        for i, r in enumerate(rows)
        for s in rows[i + 1 :]
        for a in range(len(r))
        for b in range(a + 1, len(r))
    ]
    assert list(minors_vanish(rows)) == expected
