"""Solve the reduced constraints for the weight tying S (Eq. 2, 7) and run Eq. 8.

Each constraint group couples one output column o = θ⁽ᴸ⁻¹⁾ₙ (the unknowns)
with one input row v = θ⁽⁰⁾ₘ.  Its equations are linear in o; sympy computes
their null space over the field of rational functions in v.  When that null
space is one line, spanned by a basis vector b shown to be λ·v (every 2 × 2
minor of [b; v] is 0, :mod:`.minors`), the group is *tied*: o = t·b = S·v with
Sₙₘ = t·λ, a free scale (Eq. 7).  S is read off these bases, one symbol per
tied group.

Eq. 8 is then built from the groups' own equations: for two input rows m, m′
linked through the same output column n, the tying θ⁽ᴸ⁻¹⁾ₙ = Sₙₘ θ⁽⁰⁾ₘ found
for group (n, m) is substituted into the equations of group (n, m′), which
become linear in θ⁽⁰⁾ₘ′.  Their null space, computed by sympy, must be the line
of θ⁽⁰⁾ₘ; then the tying of group (n, m′) fixes the scale, θ⁽⁰⁾ₘ′ =
(Sₙₘ/Sₙₘ′) θ⁽⁰⁾ₘ, as in the paper.  Along a spanning tree of each connected
component these relations are substituted into every 2 × 2 minor of the
component's rows of θ⁽⁰⁾; all of them are 0 (each tested exactly,
:mod:`.minors`) exactly when the rows are forced parallel.  An untied group, or
a group missing an equation, leaves a larger null space and the minors do not
vanish: the step fails.

>>> from ptheorem.model.spec import NetworkSpec
>>> from ptheorem.symbolic.derive import derive
>>> from ptheorem.symbolic.network import build_network
>>> net = build_network(NetworkSpec(3, 2, (2, 2)))
>>> sol = solve(net, derive(net))
>>> sol.all_tied, [c.first for c in sol.rank.components], sol.rank.rank_at_most_one
(True, [(1, 2)], True)
>>> sol.rank.eq8[0].solution
{theta0_2_1: S_1_1*theta0_1_1/S_1_2, theta0_2_2: S_1_1*theta0_1_2/S_1_2}
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp
from sympy.polys.matrices import DomainMatrix

from ptheorem.model.links import bipartite_components
from ptheorem.symbolic import naming
from ptheorem.symbolic.derive import ConstraintGroup, Derivation
from ptheorem.symbolic.minors import minors_vanish
from ptheorem.symbolic.monomials import Substitution
from ptheorem.symbolic.network import SymbolicNetwork

Units = tuple[int, ...]


@dataclass(frozen=True)
class Tying:
    """The solution of one group, as sympy computed it.

    ``basis`` spans the null space of the group's equations in the output
    column (``nullity`` vectors, entries in the input row's symbols).  The
    group is ``tied`` when that is one line through ``input``: then
    ``basis[0] = scale · input`` and ``output = symbol · input`` (Eq. 2 / 7),
    ``symbol`` being the free scale Sₙₘ of the line.
    """

    units: Units
    output: tuple[sp.Expr, ...]
    input: tuple[sp.Expr, ...]
    symbol: sp.Symbol
    nullity: int
    basis: tuple[tuple[sp.Expr, ...], ...]
    scale: sp.Expr | None
    tied: bool

    @property
    def n(self) -> int:
        """The last-hidden unit (the unit itself for L = 2)."""
        return self.units[0]

    @property
    def m(self) -> int:
        """The first-layer unit."""
        return self.units[-1]


@dataclass(frozen=True)
class Eq8:
    """Eq. 8 for output column n and input rows m, m′, built from group (n, m′)'s equations.

    ``equations`` are group (n, m′)'s reduced equations with the tying
    θ⁽ᴸ⁻¹⁾ₙ = Sₙₘ θ⁽⁰⁾ₘ of group (n, m) substituted; they are linear in θ⁽⁰⁾ₘ′.
    ``nullity`` is the dimension of their null space in θ⁽⁰⁾ₘ′ (computed),
    ``spanned`` whether it is the line of θ⁽⁰⁾ₘ, and ``solution`` θ⁽⁰⁾ₘ′ in
    terms of θ⁽⁰⁾ₘ (the general null vector, with fresh scales μ, when it is not).
    """

    n: int
    m: int
    m_prime: int
    equations: tuple[sp.Expr, ...]
    nullity: int
    spanned: bool
    solution: dict[sp.Symbol, sp.Expr]


@dataclass(frozen=True)
class Component:
    """First-layer units linked through shared output columns, and what Eq. 8 gives on them.

    ``S`` has one row per last-hidden unit in ``last`` and one column per
    first-layer unit in ``first``: Sₙₘ where group (n, m) is tied, 0 where n
    and m share no path.  ``failures`` says why a link could not be used.
    """

    first: Units
    last: Units
    S: sp.ImmutableMatrix
    eq8: tuple[Eq8, ...]
    failures: tuple[str, ...]
    minors_checked: int
    minors_vanish: bool

    @property
    def rank_at_most_one(self) -> bool:
        """Every link was followed and every 2 × 2 minor of the rows cancelled to 0."""
        return self.minors_vanish and not self.failures


@dataclass(frozen=True)
class RankArgument:
    """The rank of θ⁽⁰⁾ on the solution set, per connected component.

    ``unlinked`` lists first-layer units that no group mentions: no path of
    nonzero weights joins them to an output column, so no constraint binds them.
    """

    components: tuple[Component, ...]
    unlinked: Units

    @property
    def eq8(self) -> tuple[Eq8, ...]:
        """Every Eq. 8 solved, component by component."""
        return tuple(e for c in self.components for e in c.eq8)

    @property
    def minors_checked(self) -> int:
        """2 × 2 minors substituted, over all components."""
        return sum(c.minors_checked for c in self.components)

    @property
    def rank_at_most_one(self) -> bool:
        """Rank ≤ 1 was derived within every component."""
        return all(c.rank_at_most_one for c in self.components)

    @property
    def single(self) -> bool:
        """One component holds every first-layer unit."""
        return len(self.components) == 1 and not self.unlinked


@dataclass(frozen=True)
class Solution:
    """S and what it implies.  ``kind`` is none, symmetric, vector or matrix."""

    kind: str
    tyings: tuple[Tying, ...]
    symmetric: dict[sp.Symbol, sp.Expr]
    rank: RankArgument | None

    @property
    def all_tied(self) -> bool:
        """Every group's null space is the line spanned by its input row."""
        return all(t.tied for t in self.tyings)

    @property
    def S(self) -> sp.ImmutableMatrix | None:
        """S as read off the tied groups: a column (L = 2), or the one component's matrix."""
        if self.kind == "vector":
            return sp.ImmutableMatrix([t.symbol if t.tied else sp.nan for t in self.tyings])
        if self.kind == "matrix" and self.rank is not None and len(self.rank.components) == 1:
            return self.rank.components[0].S
        return None


def solve(net: SymbolicNetwork, derivation: Derivation) -> Solution:
    """Solve the derivation's reduced constraints with sympy."""
    spec = net.spec
    if spec.dim == 1:
        return Solution("none", (), {}, None)
    if spec.depth == 1:
        w = net.weights[0]
        equations = [e for g in derivation.groups for e in g.equations]
        lower = [
            w[e.j - 1, e.i - 1] for e in equations if isinstance(w[e.j - 1, e.i - 1], sp.Symbol)
        ]
        sol = sp.solve([e.reduced for e in equations], lower, dict=True)
        return Solution("symmetric", (), sol[0] if sol else {}, None)
    w_out, w_in = net.weights[-1], net.weights[0]
    cache: dict[tuple[sp.Expr, ...], tuple[int, tuple[tuple[sp.Expr, ...], ...]]] = {}
    tyings = tuple(
        _tying(g, tuple(w_out[:, g.units[0] - 1]), tuple(w_in[g.units[-1] - 1, :]), cache)
        for g in derivation.groups
    )
    if spec.depth == 2:
        components = tuple(
            Component((t.m,), (t.n,), sp.ImmutableMatrix([[t.symbol]]), (), (), 0, True)
            for t in tyings
        )
        unlinked = _unlinked(spec.widths[0], tyings)
        return Solution("vector", tyings, {}, RankArgument(components, unlinked))
    groups = {g.units: g for g in derivation.groups}
    return Solution("matrix", tyings, {}, rank_argument(net, tyings, groups))


def _unlinked(width: int, tyings: Sequence[Tying]) -> Units:
    linked = {t.m for t in tyings}
    return tuple(m for m in range(1, width + 1) if m not in linked)


def _tying(
    group: ConstraintGroup,
    output: tuple[sp.Expr, ...],
    inp: tuple[sp.Expr, ...],
    cache: dict[tuple[sp.Expr, ...], tuple[int, tuple[tuple[sp.Expr, ...], ...]]],
) -> Tying:
    """Null space of the group's equations in the output column, and whether it is span(input)."""
    U = sp.symbols(f"U1:{len(output) + 1}")
    V = sp.symbols(f"V1:{len(inp) + 1}")
    rename = {o: u for o, u in zip(output, U, strict=True) if isinstance(o, sp.Symbol)}
    rename |= {i: v for i, v in zip(inp, V, strict=True) if isinstance(i, sp.Symbol)}
    renamed = Substitution(rename)
    key = tuple(renamed.apply(e.reduced) for e in group.equations)
    if key not in cache:
        unknowns = [u for o, u in zip(output, U, strict=True) if isinstance(o, sp.Symbol)]
        cache[key] = (len(unknowns), nullspace(list(key), unknowns))
    count, canonical = cache[key]
    back = {v: i for i, v in zip(inp, V, strict=True)}
    basis = tuple(tuple(e.xreplace(back) for e in b) for b in canonical)
    symbol = sp.Symbol(naming.tying_name(*group.units))
    scale = None
    if len(basis) == 1 and count == len(output):
        scale = proportional(basis[0], inp)
    return Tying(group.units, output, inp, symbol, len(basis), basis, scale, scale is not None)


def nullspace(
    equations: Sequence[sp.Expr], unknowns: Sequence[sp.Symbol]
) -> tuple[tuple[sp.Expr, ...], ...]:
    """A basis of the solutions of homogeneous linear ``equations`` in ``unknowns``.

    Computed by sympy over the field of rational functions in every other symbol.

    >>> a, b, x, y = sp.symbols("a b x y")
    >>> nullspace([a * y - b * x], [x, y])
    ((1, b/a),)
    """
    if not unknowns:
        return ()
    K, rest = sp.linear_eq_to_matrix(list(equations), list(unknowns))
    if any(r != 0 for r in rest):
        raise ValueError("the equations are not homogeneous in the unknowns")
    if K.shape[0] == 0:
        K = sp.zeros(1, len(unknowns))
    basis = DomainMatrix.from_Matrix(K).to_field().nullspace().to_Matrix()
    return tuple(_normalised(list(basis.row(r))) for r in range(basis.shape[0]))


def _normalised(b: list[sp.Expr]) -> tuple[sp.Expr, ...]:
    """``b`` scaled so its first nonzero entry is 1 (the same line)."""
    pivot = next((e for e in b if e != 0), sp.S.One)
    return tuple(sp.cancel(e / pivot) for e in b)


def proportional(b: Sequence[sp.Expr], v: Sequence[sp.Expr]) -> sp.Expr | None:
    """λ with b = λ·v (every 2 × 2 minor of [b; v] is 0, b ≠ 0), else None.

    >>> x, y = sp.symbols("x y")
    >>> proportional([x / y, 1], [x, y])
    1/y
    >>> proportional([1, 1], [x, y]) is None
    True
    """
    if all(e == 0 for e in b):
        return None
    if not all(minors_vanish([b, v])):
        return None
    p = next(k for k, e in enumerate(b) if e != 0)
    return sp.cancel(b[p] / v[p])


def components_of(tyings: Sequence[Tying]) -> list[tuple[Units, Units]]:
    """(first units, last units) of each connected component of the (n, m) links."""
    return bipartite_components((t.n, t.m) for t in tyings)


def rank_argument(
    net: SymbolicNetwork, tyings: Sequence[Tying], groups: dict[Units, ConstraintGroup]
) -> RankArgument:
    """Eq. 8 along a spanning tree of each component, then every 2 × 2 minor of its rows."""
    w_in, w_out = net.weights[0], net.weights[-1]
    by_units = {t.units: t for t in tyings}
    cache: dict[tuple[sp.Expr, ...], tuple[tuple[sp.Expr, ...], ...]] = {}
    comps = []
    for first, last in components_of(tyings):
        S = sp.ImmutableMatrix([[_s_entry(by_units.get((n, m))) for m in first] for n in last])
        subst: dict[sp.Symbol, sp.Expr] = {}
        eq8s: list[Eq8] = []
        failures: list[str] = []
        untied: set[Units] = set()
        reached = {first[0]}
        frontier = [first[0]]
        while frontier:
            m = frontier.pop(0)
            for n in last:
                tm = by_units.get((n, m))
                if tm is None:
                    continue
                for mp in first:
                    tmp = by_units.get((n, mp))
                    if mp in reached or tmp is None:
                        continue
                    if not tm.tied or not tmp.tied:
                        untied |= {t.units for t in (tm, tmp) if not t.tied}
                        continue
                    e8 = _eq8(tm, tmp, groups[(n, mp)], tuple(w_out[:, n - 1]), cache)
                    if e8.nullity == 0:
                        failures.append(
                            f"Eq. 8 for n={n}, m={m}, m′={mp} forces θ⁽⁰⁾ₘ′ = 0 (against A3)"
                        )
                    eq8s.append(e8)
                    subst |= {k: v.xreplace(subst) for k, v in e8.solution.items()}
                    reached.add(mp)
                    frontier.append(mp)
        missed = [m for m in first if m not in reached]
        if missed:
            why = f"; untied groups on the way: {sorted(untied)}" if untied else ""
            failures.append(f"units {missed} are not reached through tied groups{why}")
        rows = [list(w_in[m - 1, :].xreplace(subst)) for m in first]
        checked, vanish = 0, True
        for zero in minors_vanish(rows):
            checked += 1
            vanish = vanish and zero
        comps.append(Component(first, last, S, tuple(eq8s), tuple(failures), checked, vanish))
    return RankArgument(tuple(comps), _unlinked(net.spec.widths[0], tyings))


def _s_entry(t: Tying | None) -> sp.Expr:
    if t is None:
        return sp.S.Zero
    return t.symbol if t.tied else sp.nan


def _eq8(
    tm: Tying,
    tmp: Tying,
    group: ConstraintGroup,
    output: tuple[sp.Expr, ...],
    cache: dict[tuple[sp.Expr, ...], tuple[tuple[sp.Expr, ...], ...]],
) -> Eq8:
    """Substitute group (n, m)'s tying into group (n, m′)'s equations; solve for θ⁽⁰⁾ₘ′."""
    tying = {o: tm.symbol * v for o, v in zip(output, tm.input, strict=True)}
    tied = Substitution(tying)
    equations = tuple(tied.apply(e.reduced) for e in group.equations)
    d = len(tm.input)
    V, W = sp.symbols(f"V1:{d + 1}"), sp.symbols(f"W1:{d + 1}")
    s = sp.Symbol("s")
    rename = {a: b for a, b in zip(tm.input, V, strict=True)}
    rename |= {a: b for a, b in zip(tmp.input, W, strict=True)} | {tm.symbol: s}
    renamed = Substitution(rename)
    key = tuple(renamed.apply(e) for e in equations)
    if key not in cache:
        cache[key] = nullspace(list(key), list(W))
    back = {b: a for a, b in rename.items()}
    basis = [tuple(e.xreplace(back) for e in b) for b in cache[key]]
    spanned = len(basis) == 1 and proportional(basis[0], tm.input) is not None
    if spanned:
        # θ⁽⁰⁾ₘ′ = μ θ⁽⁰⁾ₘ; group (n, m′)'s tying Sₙₘ′ θ⁽⁰⁾ₘ′ = Sₙₘ θ⁽⁰⁾ₘ fixes μ.
        mu = sp.Dummy("mu")
        p = next(k for k, v in enumerate(tm.input) if v != 0)
        _, value = sp.solve_linear(
            tmp.symbol * mu * tm.input[p] - tm.symbol * tm.input[p], symbols=[mu]
        )
        solution = {w: value * v for w, v in zip(tmp.input, tm.input, strict=True)}
    else:
        mus = [sp.Symbol(f"mu{k + 1}") for k in range(len(basis))]
        solution = {
            w: sum((mu * b[k] for mu, b in zip(mus, basis, strict=True)), sp.S.Zero)
            for k, w in enumerate(tmp.input)
        }
    return Eq8(tm.n, tm.m, tmp.m, equations, len(basis), spanned, solution)
