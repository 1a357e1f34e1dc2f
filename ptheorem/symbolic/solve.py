"""Solve the reduced constraints for the weight-tying S (Eq. 2, 7) and run Eq. 8.

Each constraint group couples one output column o = θ⁽ᴸ⁻¹⁾ₙ (unknowns) with
one input row v = θ⁽⁰⁾ₘ.  Its equations are linear in o; sympy computes their
null space over the field of rational functions in v.  A one-dimensional null
space spanned by v is the tying o = S v.  Groups that share an output column
are chained by Eq. 8, which sympy solves for the next input row; substituting
that into every 2 × 2 minor of θ⁽⁰⁾ shows the rank is at most one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import sympy as sp
from sympy.polys.matrices import DomainMatrix

from ptheorem.symbolic import naming
from ptheorem.symbolic.derive import ConstraintGroup, Derivation
from ptheorem.symbolic.network import SymbolicNetwork


@dataclass(frozen=True)
class Tying:
    """The solution of one group: ``output = S · input`` when ``tied``."""

    units: tuple[int, ...]
    output: tuple[sp.Expr, ...]
    input: tuple[sp.Expr, ...]
    symbol: sp.Symbol
    nullity: int
    tied: bool


@dataclass(frozen=True)
class Eq8:
    """Eq. 8 for output unit n and first-layer units m, m′, solved for θ⁽⁰⁾ₘ′."""

    n: int
    m: int
    m_prime: int
    equation: tuple[sp.Expr, ...]
    solution: dict[sp.Symbol, sp.Expr]


@dataclass(frozen=True)
class RankArgument:
    """Rank of the input-weight matrix on the solution set, per component.

    ``components`` groups first-layer units linked through shared output
    columns; within each, ``minors_checked`` 2 × 2 minors were substituted and
    ``minors_vanish`` says whether all became identically 0.
    """

    components: tuple[tuple[int, ...], ...]
    eq8: tuple[Eq8, ...]
    minors_checked: int
    minors_vanish: bool


@dataclass(frozen=True)
class Solution:
    """S and what it implies.  ``kind`` is none, symmetric, vector or matrix."""

    kind: str
    tyings: tuple[Tying, ...]
    S: sp.ImmutableMatrix | None
    symmetric: dict[sp.Symbol, sp.Expr]
    rank: RankArgument | None

    @property
    def all_tied(self) -> bool:
        """Every group's null space is the line spanned by its input row."""
        return all(t.tied for t in self.tyings)


def solve(net: SymbolicNetwork, derivation: Derivation) -> Solution:
    """Solve the derivation's reduced constraints with sympy."""
    spec = net.spec
    if spec.dim == 1:
        return Solution("none", (), None, {}, None)
    if spec.depth == 1:
        w = net.weights[0]
        equations = [e for g in derivation.groups for e in g.equations]
        lower = [
            w[e.j - 1, e.i - 1] for e in equations if isinstance(w[e.j - 1, e.i - 1], sp.Symbol)
        ]
        sol = sp.solve([e.reduced for e in equations], lower, dict=True)
        return Solution("symmetric", (), None, sol[0] if sol else {}, None)
    w_out, w_in = net.weights[-1], net.weights[0]
    cache: dict[tuple[sp.Expr, ...], tuple[int, bool]] = {}
    tyings = []
    for group in derivation.groups:
        n, m = group.units[0], group.units[-1]
        output = tuple(w_out[:, n - 1])
        inp = tuple(w_in[m - 1, :])
        nullity, tied = _group_nullspace(group, output, inp, cache)
        tyings.append(Tying(group.units, output, inp, _s_symbol(group.units), nullity, tied))
    if spec.depth == 2:
        S = sp.ImmutableMatrix([t.symbol for t in tyings])
        components = tuple((t.units[-1],) for t in tyings)
        rank = RankArgument(components, (), 0, True)
        return Solution("vector", tuple(tyings), S, {}, rank)
    last, first = spec.widths[-1], spec.widths[0]
    S = sp.ImmutableMatrix(last, first, lambda a, b: sp.Symbol(naming.tying_name(a + 1, b + 1)))
    rank = _rank_argument(net, tyings)
    return Solution("matrix", tuple(tyings), S, {}, rank)


def _s_symbol(units: tuple[int, ...]) -> sp.Symbol:
    return sp.Symbol(naming.tying_name(*units))


def _group_nullspace(
    group: ConstraintGroup,
    output: Sequence[sp.Expr],
    inp: Sequence[sp.Expr],
    cache: dict[tuple[sp.Expr, ...], tuple[int, bool]],
) -> tuple[int, bool]:
    """Null space of the group's equations in the output column; tied if it is span(v)."""
    U = sp.symbols(f"U1:{len(output) + 1}")
    V = sp.symbols(f"V1:{len(inp) + 1}")
    rename = {o: u for o, u in zip(output, U, strict=True) if isinstance(o, sp.Symbol)}
    rename |= {i: v for i, v in zip(inp, V, strict=True) if isinstance(i, sp.Symbol)}
    key = tuple(e.reduced.xreplace(rename) for e in group.equations)
    if key in cache:
        return cache[key]
    unknowns = [u for o, u in zip(output, U, strict=True) if isinstance(o, sp.Symbol)]
    K, _ = sp.linear_eq_to_matrix(list(key), unknowns)
    dm = DomainMatrix.from_Matrix(K).to_field()
    basis = dm.nullspace().to_Matrix()
    nullity = basis.shape[0]
    tied = False
    if nullity == 1 and len(unknowns) == len(U):
        b = basis.row(0)
        tied = all(
            sp.cancel(b[i] * V[j] - b[j] * V[i]) == 0 for i, j in combinations(range(len(V)), 2)
        ) and any(x != 0 for x in b)
    cache[key] = (nullity, tied)
    return nullity, tied


def _solve_for(unknowns: Sequence[sp.Symbol], equations: list[sp.Expr]) -> dict[sp.Symbol, sp.Expr]:
    """The unique solution of a linear system, by ``sp.linsolve``."""
    (solution,) = sp.linsolve(equations, list(unknowns))
    return dict(zip(unknowns, solution, strict=True))


def _components(tyings: Sequence[Tying]) -> list[list[int]]:
    """First-layer units linked through shared output columns (union-find)."""
    parent: dict[int, int] = {}

    def find(a: int) -> int:
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    by_n: dict[int, list[int]] = {}
    for t in tyings:
        by_n.setdefault(t.units[0], []).append(t.units[-1])
        find(t.units[-1])
    for ms in by_n.values():
        for m in ms[1:]:
            parent[find(m)] = find(ms[0])
    comps: dict[int, list[int]] = {}
    for m in sorted(parent):
        comps.setdefault(find(m), []).append(m)
    return sorted(comps.values())


def _rank_argument(net: SymbolicNetwork, tyings: Sequence[Tying]) -> RankArgument:
    """Eq. 8 along a spanning tree of each component, then every 2 × 2 minor of θ⁽⁰⁾."""
    w_in = net.weights[0]
    by_n: dict[int, list[Tying]] = {}
    for t in tyings:
        by_n.setdefault(t.units[0], []).append(t)
    d = net.spec.dim
    V, W = sp.symbols(f"V1:{d + 1}"), sp.symbols(f"W1:{d + 1}")
    s1, s2 = sp.symbols("s1 s2")
    template = _solve_for(W, [s1 * V[k] - s2 * W[k] for k in range(d)])
    eq8s: list[Eq8] = []
    checked, vanish = 0, True
    comps = _components(tyings)
    for comp in comps:
        ref = comp[0]
        subst: dict[sp.Symbol, sp.Expr] = {}
        reached = {ref}
        frontier = [ref]
        while frontier:
            m = frontier.pop()
            for n, ts in sorted(by_n.items()):
                if not any(t.units[-1] == m for t in ts):
                    continue
                tm = next(t for t in ts if t.units[-1] == m)
                for t in ts:
                    mp = t.units[-1]
                    if mp in reached:
                        continue
                    pairs = zip(tm.input, t.input, strict=True)
                    eq = tuple(tm.symbol * a - t.symbol * b for a, b in pairs)
                    local = {s1: tm.symbol, s2: t.symbol}
                    sol = {
                        t.input[k]: template[W[k]]
                        .xreplace(local)
                        .xreplace({V[i]: tm.input[i] for i in range(d)})
                        for k in range(d)
                        if isinstance(t.input[k], sp.Symbol)
                    }
                    vanish &= all(sp.expand(e.xreplace(sol)) == 0 for e in eq)
                    eq8s.append(Eq8(n, m, mp, eq, sol))
                    subst |= {k: v.xreplace(subst) for k, v in sol.items()}
                    reached.add(mp)
                    frontier.append(mp)
        rows = [w_in[m - 1, :].xreplace(subst) for m in comp]
        for r1, r2 in combinations(rows, 2):
            for a, b in combinations(range(d), 2):
                checked += 1
                vanish &= sp.cancel(r1[a] * r2[b] - r1[b] * r2[a]) == 0
    return RankArgument(tuple(tuple(c) for c in comps), tuple(eq8s), checked, vanish)
