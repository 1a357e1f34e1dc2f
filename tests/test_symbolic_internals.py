"""The fast paths of the symbolic core against sympy's own operations, as properties.

``Rows.matmul`` must build exactly the entries sympy's ``Matrix`` product
builds; ``shared.xreplace`` and ``shared.integral`` must give the objects
``Expr.xreplace`` and ``sp.Integral`` give.  Random sparse symbolic matrices and
random expression graphs (with shared subexpressions, functions and Piecewise)
exercise them.
"""

from __future__ import annotations

import sympy as sp
from hypothesis import example, given
from hypothesis import strategies as st

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
