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
