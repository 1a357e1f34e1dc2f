"""Derive the indexwise backward-path constraints from the network (Eq. 1, 5, Prop. 4).

Nothing here writes the paper's constraint down.  The chain of layer Jacobians
comes from :meth:`SymbolicNetwork.layer_jacobians`; the constraints are the
coefficients of A = J − Jᵀ in the frozen σ′ symbols, and the middle product is
divided out of each term, as the paper goes from Eq. 5 to Eq. 6.

By construction J is multilinear in the frozen symbols (each hidden layer
contributes one diagonal factor D⁽ᵏ⁾ = diag σ′⁽ᵏ⁾), so the
coefficient of σ′⁽ᴸ⁻¹⁾ₙ σ′⁽¹⁾ₘ in Aᵢⱼ is the (i, j) entry of
∂²A/∂σ′⁽ᴸ⁻¹⁾ₙ∂σ′⁽¹⁾ₘ.  That block carries the *middle transfer* Pₙₘ, the sum
over the middle paths n → m of their weight and σ′ products; its monomials in
the middle σ′ symbols are the individual backward paths.

>>> from ptheorem.model.spec import NetworkSpec
>>> from ptheorem.symbolic.network import build_network
>>> der = derive(build_network(NetworkSpec(3, 2, (1, 1))))
>>> (g,) = der.groups
>>> g.units, g.middle, g.equations[0].raw
((1, 1), theta1_1_1, -theta0_1_1*theta1_1_1*theta2_2_1 + theta0_1_2*theta1_1_1*theta2_1_1)
>>> g.equations[0].reduced
-theta0_1_1*theta2_2_1 + theta0_1_2*theta2_1_1
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import sympy as sp

from ptheorem.symbolic.monomials import minus, plus, quotient
from ptheorem.symbolic.network import LayerJacobians, SymbolicNetwork
from ptheorem.symbolic.sparse import Rows, chain

#: Above this many backward paths per (i, j), paths are counted, not enumerated.
PER_PATH_LIMIT = 4096
#: The example Jacobian entry is expanded only up to this many paths.
ENTRY_PATH_LIMIT = 256


@dataclass(frozen=True)
class Equation:
    """One indexwise constraint for the output/input pair (i, j), i < j.

    ``raw`` is the coefficient of the group's σ′ monomial in Aᵢⱼ (Eq. 5);
    ``reduced`` is what remains after dividing out the middle product (Eq. 6).
    """

    i: int
    j: int
    raw: sp.Expr
    reduced: sp.Expr


@dataclass(frozen=True)
class PathConstraint:
    """The constraint of one backward-path pair (i, n, …, m, j) / (j, n, …, m, i)."""

    i: int
    j: int
    units: tuple[int, ...]
    middle_product: sp.Expr
    raw: sp.Expr

    @property
    def path(self) -> tuple[int, ...]:
        """The backward path from output i to input j through the hidden units."""
        return (self.i, *self.units, self.j)

    @property
    def mirror(self) -> tuple[int, ...]:
        """The mirrored path (j, n, …, m, i)."""
        return (self.j, *self.units, self.i)


@dataclass(frozen=True)
class ConstraintGroup:
    """All constraints that share the endpoint hidden units.

    ``units`` is (n, m) for L ≥ 3 (last and first hidden unit), (m,) for L = 2
    and () for L = 1.  ``paths`` counts the middle paths n → m with nonzero
    weights that the group stands for; ``middle`` is their transfer Pₙₘ.
    """

    units: tuple[int, ...]
    paths: int
    middle: sp.Expr
    equations: tuple[Equation, ...]
    per_path: tuple[PathConstraint, ...] | None


@dataclass(frozen=True)
class Derivation:
    """The frozen Jacobian and the constraints it yields."""

    layer_jacobians: LayerJacobians
    jacobian_entry: sp.Expr | None
    groups: tuple[ConstraintGroup, ...]
    constraint_count: int
    pairs: tuple[tuple[int, int], ...]

    @property
    def equation_count(self) -> int:
        """Distinct reduced equations (one per group and output/input pair)."""
        return sum(len(g.equations) for g in self.groups)


def _path_counts(net: SymbolicNetwork) -> list[list[int]]:
    """Middle-path counts n → m over nonzero weights of layers 1 … L−2 (exact ints)."""
    depth = net.spec.depth
    width1 = net.spec.widths[0]
    counts = [[int(a == b) for b in range(width1)] for a in range(width1)]
    for k in range(1, depth - 1):
        w = net.weights[k]
        counts = [
            [sum(counts[a][b] for a in range(w.shape[1]) if w[o, a] != 0) for b in range(width1)]
            for o in range(w.shape[0])
        ]
    return counts


def _divide_out(raw: sp.Expr, middle: sp.Expr) -> sp.Expr:
    """Divide every term of ``raw`` by the middle product; it cancels (Eq. 5 → 6).

    The quotients and their sum are the objects sympy's ``/`` and ``Add`` give
    (:mod:`.monomials` builds them directly when they are monomials).
    """
    return plus([quotient(term, middle) for term in sp.Add.make_args(raw)])


def derive(net: SymbolicNetwork, per_path_limit: int = 0) -> Derivation:
    """Derive the constraints of ``net`` from its sympy layer Jacobians.

    Per-path constraints are enumerated when the paths per (i, j) are at most
    ``per_path_limit`` (0: groups only, the fast default).
    """
    spec = net.spec
    lj = net.layer_jacobians()
    pairs = tuple(combinations(range(1, spec.dim + 1), 2))
    if spec.depth == 1:
        linear = _linear_group(lj, pairs)
        entry = jacobian_entry(lj, 1, 2)
        return Derivation(lj, entry, (linear,), len(linear.equations), pairs)

    affine = [Rows.from_matrix(m) for m in lj.affine]
    activation = [Rows.from_matrix(m) for m in lj.activation]
    w_out, w_in = affine[-1], affine[0]
    first, last = lj.frozen_by_layer[0], lj.frozen_by_layer[-1]
    if spec.depth == 2:
        middle = Rows.diagonal([sp.S.One] * len(first))
        outer: list[tuple[int, ...]] = [(u,) for u in range(len(first))]
    else:
        inner: list[Rows] = [affine[-2]]
        for k in range(spec.depth - 2, 1, -1):
            inner += [activation[k - 1], affine[k - 1]]
        middle = chain(inner)
        outer = [(n, m) for n in range(len(last)) for m in range(len(first))]

    counts = _path_counts(net) if spec.depth >= 3 else None
    middle_syms = [s for layer in lj.frozen_by_layer[1:-1] for s in layer]
    # ∂²J/∂σ′⁽ᴸ⁻¹⁾ₙ∂σ′⁽¹⁾ₘ = (θ⁽ᴸ⁻¹⁾ ∂D⁽ᴸ⁻¹⁾/∂σ′ₙ P)(∂D⁽¹⁾/∂σ′ₘ θ⁽⁰⁾): each factor once per unit.
    lefts = {n: chain([w_out, _d(activation[-1], last[n]), middle]) for n in {u[0] for u in outer}}
    rights = {m: chain([_d(activation[0], first[m]), w_in]) for m in {u[-1] for u in outer}}
    groups: list[ConstraintGroup] = []
    total = 0
    for units in outer:
        n, m = units[0], units[-1]
        paths = counts[n][m] if counts is not None else 1
        if paths == 0:
            continue
        block = lefts[n].matmul(rights[m])
        equations = []
        for i, j in pairs:
            raw = minus(block[i - 1, j - 1], block[j - 1, i - 1])
            reduced = _divide_out(raw, middle[n, m])
            if reduced != 0:
                equations.append(Equation(i, j, raw, reduced))
        if not equations:
            continue
        label = tuple(u + 1 for u in units)
        per_path = None
        if per_path_limit and spec.path_count <= per_path_limit:
            per_path = _per_path(label, middle[n, m], middle_syms, equations)
        groups.append(ConstraintGroup(label, paths, middle[n, m], tuple(equations), per_path))
        total += paths * len(equations)
    return Derivation(lj, jacobian_entry(lj, 1, 2), tuple(groups), total, pairs)


def _d(matrix: Rows, symbol: sp.Symbol) -> Rows:
    """Entrywise ∂/∂symbol of the nonzero entries."""
    return matrix.applyfunc(lambda e: e.diff(symbol))


def jacobian_entry(lj: LayerJacobians, i: int, j: int) -> sp.Expr | None:
    """The frozen ∂ⱼψᵢ, expanded into its backward paths (row i of the chain, column j)."""
    mats = _full_chain(lj)
    paths = 1
    for act in lj.activation:
        paths *= act.shape[0]
    if mats[0].shape[0] < max(i, j) or paths > ENTRY_PATH_LIMIT:
        return None
    row = chain([Rows.from_matrix(mats[0]).row(i - 1), *map(Rows.from_matrix, mats[1:])])
    return sp.expand(row[0, j - 1])


def _full_chain(lj: LayerJacobians) -> list[sp.ImmutableMatrix]:
    mats: list[sp.ImmutableMatrix] = [lj.affine[-1]]
    for k in range(len(lj.activation), 0, -1):
        mats += [lj.activation[k - 1], lj.affine[k - 1]]
    return mats


def _linear_group(lj: LayerJacobians, pairs: tuple[tuple[int, int], ...]) -> ConstraintGroup:
    w = lj.affine[0]
    equations = []
    for i, j in pairs:
        raw = w[i - 1, j - 1] - w[j - 1, i - 1]
        if raw != 0:
            equations.append(Equation(i, j, raw, raw))
    per_path = tuple(PathConstraint(e.i, e.j, (), sp.Integer(1), e.raw) for e in equations)
    return ConstraintGroup((), 1, sp.Integer(1), tuple(equations), per_path)


def _per_path(
    units: tuple[int, ...],
    middle: sp.Expr,
    middle_syms: list[sp.Symbol],
    equations: list[Equation],
) -> tuple[PathConstraint, ...]:
    """Enumerate the group's backward paths: the monomials of Pₙₘ in the middle σ′."""
    if middle_syms:
        poly = sp.Poly(middle, *middle_syms)
        terms = [(monom, coeff) for monom, coeff in poly.terms()]
    else:
        terms = [((), middle)]
    out = []
    for monom, coeff in sorted(terms):
        chosen = [s for s, e in zip(middle_syms, monom, strict=True) if e]
        inner = tuple(int(str(s).rsplit("_", 1)[1]) for s in reversed(chosen))
        path_units = (units[0], *inner, units[-1]) if len(units) == 2 else units
        for e in equations:
            out.append(PathConstraint(e.i, e.j, path_units, coeff, sp.expand(coeff * e.reduced)))
    return tuple(out)
