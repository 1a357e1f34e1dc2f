"""``sympy.sstr(e, order="lex")``, printing each shared subexpression once.

ψ's forward pass shares every hidden unit with all units of the next layer, so
its expression tree repeats subtrees exponentially often while the objects in
memory form a small graph.  sympy's printer walks the tree; :class:`LexPrinter`
remembers the string of every compound object it has printed (by identity, so
the object is known to be the same) and reuses it.  The output is the same
string: a compound's string depends only on the compound, except for a
top-level Float, which is an atom and never remembered.

>>> import sympy as sp
>>> x, y = sp.symbols("x y")
>>> e = sp.sin(x + y) * (x + y) + 2
>>> LexPrinter().doprint(e) == sp.sstr(e, order="lex")
True
"""

from __future__ import annotations

from typing import Any

from sympy import Basic
from sympy.printing.str import StrPrinter


class LexPrinter(StrPrinter):
    """A ``StrPrinter`` with ``order="lex"`` that prints each compound object once."""

    def __init__(self) -> None:
        super().__init__({"order": "lex"})
        self._seen: dict[int, tuple[Basic, str]] = {}

    def _print(self, expr: Any, **kwargs: Any) -> str:
        if kwargs or not isinstance(expr, Basic) or not expr.args:
            return super()._print(expr, **kwargs)
        hit = self._seen.get(id(expr))
        if hit is None:
            hit = (expr, super()._print(expr))
            self._seen[id(expr)] = hit
        return hit[1]


def lex_str(e: Any) -> str:
    """``sympy.sstr(e, order="lex")``, in time proportional to e's distinct objects."""
    return LexPrinter().doprint(e)
