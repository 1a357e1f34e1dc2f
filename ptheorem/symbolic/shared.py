"""sympy operations on ψ's expressions that visit each shared subexpression once.

ψ's forward pass shares every hidden unit with all units of the next layer, so
its expression is a small graph of objects but a tree with widthᴸ leaves.
sympy walks the tree: ``xreplace``, and the ``Integral`` constructor, which looks
for Piecewise to fold (seconds at L = 10, again whenever a pickled result is
loaded).  The helpers here walk the graph instead and give the same objects.

>>> import sympy as sp
>>> t, x = sp.symbols("t x")
>>> f = sp.Function("sigma")(t) + t
>>> integral(f, (t, 0, x)) == sp.Integral(f, (t, 0, x))
True
>>> shell, parts = split_integrals(integral(f, (t, 0, x)) + x)
>>> join_integrals(shell, parts) == sp.Integral(f, (t, 0, x)) + x
True
>>> xreplace(f * f.args[0], {t: x}) == (f * f.args[0]).xreplace({t: x})
True
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sympy as sp

_SHELL = sp.Dummy("f")


def integral(f: sp.Expr, *limits: Any) -> sp.Expr:
    """``sp.Integral(f, *limits)``, without the constructor's tree walk when f has no Piecewise.

    For a plain expression f (not NaN, not itself an Integral, no ``_eval_Integral``)
    without a Piecewise to fold, the constructor stores f next to its processed
    limits; the limits are processed by sympy on a one-symbol shell.  Anything
    else goes to ``sp.Integral``.
    """
    shell = sp.Integral(_SHELL, *limits)
    plain = isinstance(f, sp.Expr) and f is not sp.S.NaN and not isinstance(f, sp.Integral)
    if not plain or shell.function != _SHELL or hasattr(f, "_eval_Integral") or has_piecewise(f):
        return sp.Integral(f, *limits)
    out = sp.Expr.__new__(sp.Integral, f, *shell.limits)
    out.is_commutative = f.is_commutative
    return out


def graph_nodes(e: sp.Basic, stop: type | None = None) -> Iterator[sp.Basic]:
    """Every object of ``e`` once (shared subexpressions included once), not inside ``stop``."""
    seen = {id(e)}
    stack = [e]
    while stack:
        node = stack.pop()
        yield node
        if stop is not None and isinstance(node, stop):
            continue
        for arg in node.args:
            if id(arg) not in seen:
                seen.add(id(arg))
                stack.append(arg)


def xreplace(e: sp.Basic, rule: dict[Any, Any]) -> sp.Basic:
    """``e.xreplace(rule)``, rebuilding each shared subexpression once."""
    done: dict[int, tuple[sp.Basic, bool]] = {}

    def walk(node: sp.Basic) -> tuple[sp.Basic, bool]:
        hit = done.get(id(node))
        if hit is None:
            if node in rule:
                hit = (rule[node], True)
            else:
                args = [walk(a) if isinstance(a, sp.Basic) else (a, False) for a in node.args]
                changed = any(c for _, c in args)
                hit = (node.func(*[a for a, _ in args]), True) if changed else (node, False)
            done[id(node)] = hit
        return hit

    return walk(e)[0]


def has_piecewise(e: sp.Basic) -> bool:
    """Whether a Piecewise occurs in ``e``."""
    return any(isinstance(node, sp.Piecewise) for node in graph_nodes(e))


def split_integrals(e: sp.Expr) -> tuple[sp.Expr, tuple[tuple[sp.Dummy, sp.Expr, Any], ...]]:
    """``e`` with each Integral replaced by a Dummy, and (Dummy, integrand, limits) for each."""
    found = [node for node in graph_nodes(e, stop=sp.Integral) if isinstance(node, sp.Integral)]
    names = {node: sp.Dummy("integral") for node in found}
    parts = tuple((name, node.function, node.limits) for node, name in names.items())
    return e.xreplace(names), parts


def join_integrals(shell: sp.Expr, parts: tuple[tuple[sp.Dummy, sp.Expr, Any], ...]) -> sp.Expr:
    """Undo :func:`split_integrals`, rebuilding each Integral with :func:`integral`."""
    return shell.xreplace({name: integral(f, *limits) for name, f, limits in parts})
