"""Matrix products on plain rows, entry for entry as sympy's ``Matrix`` builds them.

A sympy ``Matrix`` product converts both factors to a sparse ``DomainMatrix``,
multiplies in the EXRAW domain and converts back.  The entries it produces are
``Add(*[a_ik * b_kj for every k with a_ik != 0 and b_kj != 0])`` (zero when no
such k).  The conversions, and the ``0 * a`` products it forms for every
nonzero entry to spot infinities, cost far more than the products themselves
on long chains of layer Jacobians.  :class:`Rows` builds the very same entries
from dictionaries of the nonzero ones.  It is meant for matrices of finite
expressions (weights, σ, σ′ and their products), where the infinity
bookkeeping never fires.  Products and sums of monomials are built directly in
sympy's canonical form (:mod:`.monomials`), the same objects ``*`` and ``Add`` give.

>>> import sympy as sp
>>> a, b, c, d = sp.symbols("a b c d")
>>> m = sp.Matrix([[a, 0], [b, c]])
>>> n = sp.Matrix([[d], [1]])
>>> Rows.from_matrix(m).matmul(Rows.from_matrix(n)).to_matrix() == m * n
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sympy as sp

from ptheorem.symbolic.monomials import plus, times


@dataclass(frozen=True)
class Rows:
    """A ``rows × cols`` matrix stored as one ``{column: nonzero entry}`` dict per row."""

    rows: tuple[dict[int, sp.Expr], ...]
    cols: int

    @classmethod
    def from_matrix(cls, matrix: sp.MatrixBase) -> Rows:
        """The nonzero entries of a sympy matrix."""
        r, c = matrix.shape
        flat = list(matrix)
        return cls(
            tuple({j: e for j in range(c) if (e := flat[i * c + j]) != 0} for i in range(r)), c
        )

    @classmethod
    def column(cls, entries: Sequence[sp.Expr]) -> Rows:
        """A column vector."""
        return cls(tuple({0: e} if e != 0 else {} for e in entries), 1)

    @classmethod
    def row_vector(cls, entries: Sequence[sp.Expr]) -> Rows:
        """A row vector (a 1 × n matrix)."""
        return cls(({j: e for j, e in enumerate(entries) if e != 0},), len(entries))

    @classmethod
    def diagonal(cls, entries: Sequence[sp.Expr]) -> Rows:
        """A square diagonal matrix."""
        n = len(entries)
        return cls(tuple({i: e} if e != 0 else {} for i, e in enumerate(entries)), n)

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, cols), as for a sympy matrix."""
        return len(self.rows), self.cols

    def __getitem__(self, key: tuple[int, int]) -> sp.Expr:
        i, j = key
        return self.rows[i].get(j, sp.S.Zero)

    def row(self, i: int) -> Rows:
        """Row ``i`` as a 1 × cols matrix."""
        return Rows((dict(self.rows[i]),), self.cols)

    def matmul(self, other: Rows) -> Rows:
        """``self * other`` with the entries sympy's ``Matrix`` product gives."""
        out = []
        for left in self.rows:
            terms: dict[int, list[sp.Expr]] = {}
            for k, a in left.items():
                for j, b in other.rows[k].items():
                    terms.setdefault(j, []).append(times(a, b))
            out.append({j: s for j, ts in sorted(terms.items()) if (s := plus(ts)) != 0})
        return Rows(tuple(out), other.cols)

    def applyfunc(self, f: Callable[[sp.Expr], sp.Expr]) -> Rows:
        """``f`` of every nonzero entry; ``f(0)`` must be 0 (true of ∂/∂s and of xreplace)."""
        return Rows(
            tuple({j: v for j, e in row.items() if (v := f(e)) != 0} for row in self.rows),
            self.cols,
        )

    def to_matrix(self) -> sp.ImmutableMatrix:
        """The sympy matrix."""
        return sp.ImmutableMatrix(len(self.rows), self.cols, lambda i, j: self[i, j])


def chain(factors: Sequence[Rows]) -> Rows:
    """``factors[0] * factors[1] * …``, multiplied left to right as Python evaluates it."""
    out = factors[0]
    for m in factors[1:]:
        out = out.matmul(m)
    return out
