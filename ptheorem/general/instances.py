"""Instances of the general proof: concrete sizes substituted into its constraints.

The parametric proof derives the coefficient c(i, j; m, …, n) of every backward
path (its A1 step).  Substituting concrete indices, and the concrete network's
weight symbols ``theta{k}_{out}_{in}`` for the indexed weights, gives the
constraints the instance derivation (:mod:`ptheorem.symbolic.derive`) finds
path by path; masked middle weights become 0.  The tests compare the two as
canonical sets.

>>> from ptheorem.general.proof import prove_depth
>>> sorted(map(str, instance_constraints(prove_depth(2), 2, (1,))))
['-theta0_1_1*theta1_2_1 + theta0_1_2*theta1_1_1']
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations, product
from typing import Any

import sympy as sp

from ptheorem.general.network import hidden_indices
from ptheorem.general.proof import Proof


def path_coefficient(proof: Proof) -> sp.Expr:
    """The coefficient c(i, j; path) the proof's A1 step extracted (L ≥ 2), or A (L = 1)."""
    for step in proof.steps:
        if step.by == "A1":
            return step.rhs
    last = proof.steps[-1]
    return last.lhs - last.rhs


def instance_constraints(
    proof: Proof,
    dim: int,
    widths: Sequence[int],
    masks: Sequence[Any] | None = None,
) -> list[sp.Expr]:
    """The proof's path constraints at concrete sizes, as expressions in concrete weight symbols.

    ``masks[k - 1][o][i]`` false fixes middle weight θ⁽ᵏ⁾[o, i] (1-based o, i) to 0.
    """
    depth = len(widths) + 1
    coeff = path_coefficient(proof)
    pos = {"integer": True, "positive": True}
    i, j = sp.Symbol("i", **pos), sp.Symbol("j", **pos)
    hidden = hidden_indices(depth)
    out = []
    for a, b in combinations(range(1, dim + 1), 2):
        for units in product(*(range(1, w + 1) for w in widths)):
            value = coeff.xreplace({i: a, j: b, **dict(zip(hidden, units, strict=True))})
            value = value.replace(lambda e: isinstance(e, sp.Indexed), lambda e: _weight(e, masks))
            if value != 0:
                out.append(value)
    return out


def _weight(e: sp.Indexed, masks: Sequence[Any] | None) -> sp.Expr:
    layer = int(str(e.base)[len("theta") :])
    out, inp = (int(v) for v in e.indices)
    if masks is not None and 1 <= layer <= len(masks) and not masks[layer - 1][out - 1][inp - 1]:
        return sp.S.Zero
    return sp.Symbol(f"theta{layer}_{out}_{inp}")


def reduced_bracket(proof: Proof) -> tuple[sp.Expr, Proof]:
    """The reduced constraint B the proof derives (Eq. 6), and the explicit proof it is from.

    L ≥ 3: the bracket left after cancelling the middle product (step A2);
    L = 2: the path coefficient (step A1); L = 1: θ⁽⁰⁾[i, j] − θ⁽⁰⁾[j, i].  A
    proof by induction (L > 6) carries the L = 3 bracket.
    """
    explicit = proof.parts[0] if proof.parts else proof
    for by in ("A2", "A1"):
        for step in explicit.steps:
            if step.by == by:
                return step.rhs, explicit
    last = explicit.steps[-1]
    return last.lhs - last.rhs, explicit


#: A polynomial as sorted terms, each its (name, exponent) factors followed by its coefficient.
Key = tuple[tuple[Any, ...], ...]


def instance_reduced_constraints(proof: Proof, dim: int, widths: Sequence[int]) -> list[Key]:
    """The proof's reduced constraints B = 0 at concrete sizes, i < j, one per (n, m) pair.

    Each constraint is returned by its :func:`polynomial_key`: weights become the
    instance's symbols ``theta{k}_{out}_{in}`` (in a proof by induction the
    L = 3 read-out θ⁽²⁾ stands for the depth-L read-out).  sympy expands B once;
    the instances are read off its terms.

    >>> from ptheorem.general.proof import prove_depth
    >>> instance_reduced_constraints(prove_depth(3), 2, (1, 1))
    [((('theta0_1_1', 1), ('theta2_2_1', 1), 1), (('theta0_1_2', 1), ('theta2_1_1', 1), -1))]
    """
    depth = len(widths) + 1
    bracket, explicit = reduced_bracket(proof)
    pos = {"integer": True, "positive": True}
    i, j = sp.Symbol("i", **pos), sp.Symbol("j", **pos)
    hidden = hidden_indices(explicit.depth or depth)
    ends = (i, j, *((hidden[0], hidden[-1]) if len(hidden) >= 2 else hidden))
    spans = [range(1, widths[0] + 1), range(1, widths[-1] + 1)] if widths else []
    units = spans[: len(ends) - 2]
    rename = {explicit.depth - 1: depth - 1} if explicit.depth else {}
    terms: list[tuple[Any, list[tuple[int, tuple[int, ...], int]]]] = []
    for mono, coeff in sp.expand(bracket).as_coefficients_dict().items():
        factors = []
        for base, exp in mono.as_powers_dict().items():
            if not (isinstance(base, sp.Indexed) and exp.is_Integer):
                raise ValueError(f"the bracket is not a polynomial in the weights: {mono}")
            layer = int(str(base.base)[len("theta") :])
            if not all(v in ends for v in base.indices):
                raise ValueError(f"the bracket holds a weight with a foreign index: {base}")
            place = tuple(ends.index(v) for v in base.indices)
            factors.append((rename.get(layer, layer), place, int(exp)))
        terms.append((coeff, factors))
    out = []
    for a, b in combinations(range(1, dim + 1), 2):
        for chosen in product(*units):
            values = (a, b, *chosen)
            monomials = []
            for coeff, factors in terms:
                names = tuple(
                    sorted(
                        (f"theta{layer}_{values[p[0]]}_{values[p[1]]}", exp)
                        for layer, p, exp in factors
                    )
                )
                monomials.append((names, coeff))
            out.append(_normal(monomials))
    return out


def polynomial_key(e: sp.Expr) -> Key:
    """A polynomial in weight symbols as sorted (monomial, coefficient) pairs, up to sign.

    >>> a, b = sp.symbols("a b")
    >>> polynomial_key(a * b - b**2) == polynomial_key(-(a - b) * b)
    True
    """
    terms = sp.Add.make_args(e)
    if any(_nested(f) for t in terms for f in sp.Mul.make_args(t)):
        terms = sp.Add.make_args(sp.expand(e))
    monomials = []
    for t in terms:
        coeff, mono = t.as_coeff_Mul()
        names = tuple(sorted((str(b), int(x)) for b, x in mono.as_powers_dict().items()))
        monomials.append((names, coeff))
    return _normal(monomials)


def _nested(f: sp.Expr) -> bool:
    return bool(f.is_Add or (f.is_Pow and f.base.is_Add))


def _normal(monomials: list[tuple[tuple[tuple[str, int], ...], Any]]) -> Key:
    """Sorted terms, the sign fixed by the first term (constraints hold up to sign)."""
    monomials = [m for m in monomials if m[1] != 0]
    monomials.sort()
    if monomials and monomials[0][1] < 0:
        monomials = [(names, -c) for names, c in monomials]
    return tuple((*names, c) for names, c in monomials)


def agrees_with_instance(
    proof: Proof, dim: int, widths: Sequence[int], equations: Sequence[sp.Expr]
) -> tuple[bool, str]:
    """Whether the instance derivation's reduced equations are the proof's, as canonical sets."""
    ours = set(instance_reduced_constraints(proof, dim, widths))
    theirs = {polynomial_key(e) for e in equations}
    if ours == theirs:
        return True, f"the same {len(ours)} reduced constraint(s), as canonical sets"
    only_general = sorted(ours - theirs)
    only_instance = sorted(theirs - ours)
    example = (
        f"e.g. {only_general[0]} only in the general proof"
        if only_general
        else f"e.g. {only_instance[0]} only in the instance derivation"
    )
    return False, (
        f"the reduced constraints differ: {len(only_general)} only in the general proof, "
        f"{len(only_instance)} only in the instance derivation ({example})"
    )
