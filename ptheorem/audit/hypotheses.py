"""The hypotheses of Theorem 5, checked on one concrete net.

H1 (A1)  path functions of the live paths linearly independent
         (:mod:`ptheorem.audit.independence`: exact scan, rank test, interval proof);
H2 (A2)  every pair (n, m) of a nonzero output column and input row joined by a
         path of nonzero middle weights (exact zeros);
H3 (Remark 1)  σ′ non-polynomial with infinitely many values;
H4       ψ non-trivial: θ⁽ᴸ⁻¹⁾ ≠ 0 and some live path (exact zeros);
H5 (A3)  every input row nonzero (exact zeros).

Every unit named in a detail is 1-based, as in the paper (see
:class:`~ptheorem.audit.report.AuditReport`).  ``Hypothesis.evidence`` uses the
values of :class:`ptheorem.model.status.Basis`.
"""

from __future__ import annotations

import numpy as np

from ptheorem.activations import Activation, remark1
from ptheorem.audit.graph import Connectivity
from ptheorem.audit.independence import LIST_LIMIT, listing
from ptheorem.audit.report import Degeneracy, Hypothesis, PathFunctionsFinding, one_based
from ptheorem.model.status import Basis
from ptheorem.model.words import plural
from ptheorem.numeric.network import ConcreteNetwork
from ptheorem.tolerances import is_zero


def check_h1(pf: PathFunctionsFinding | None) -> Hypothesis:
    """H1: the live path functions are linearly independent, with how that was established."""
    name, paper = "path-functions-independent", "A1"
    if pf is None:
        return Hypothesis("H1", name, paper, True, "no hidden layer: there are no path functions")
    if pf.live_paths == 0:
        return Hypothesis("H1", name, paper, True, "no live paths: nothing to be dependent")
    of = (
        f"sampled {pf.paths} of {pf.live_paths} live paths (evidence, not a proof)"
        if pf.sampled
        else f"all {pf.paths} live paths"
    )
    if pf.duplicates:
        of += f" ({pf.duplicates} repeating another path's function left out)"
    ratio = "" if pf.sv_ratio is None else f", s_min/s_max = {pf.sv_ratio:.2g}"
    rank = f"rank {pf.rank} of {of} on {pf.points} points{ratio}"
    if pf.dependence_proved:
        detail = f"path functions exactly dependent: {pf.dependences[0]}; {rank}"
        return Hypothesis("H1", name, paper, False, detail, Basis.EXACT.value)
    if not pf.independent:
        why = f": {pf.causes[0]}" if pf.causes else ""
        detail = f"path functions dependent on the sample{why}; {rank}"
        return Hypothesis("H1", name, paper, False, detail, Basis.NUMERIC.value)
    if pf.basis == Basis.VALIDATED.value and pf.certificate:
        detail = f"independent (validated): {pf.certificate}; {rank}"
        return Hypothesis("H1", name, paper, True, detail, Basis.VALIDATED.value)
    extra = f"; not validated: {pf.not_validated}" if pf.not_validated else ""
    return Hypothesis("H1", name, paper, True, f"{rank}{extra}", Basis.NUMERIC.value)


def check_h2(net: ConcreteNetwork, conn: Connectivity | None) -> Hypothesis:
    """H2: every nonzero output column n and input row m are joined by nonzero middle weights."""
    name, paper = "middle-weights-nonzero", "A2"
    if conn is None:
        return Hypothesis("H2", name, paper, True, "no hidden layer: no middle weights")
    if net.depth == 2:
        return Hypothesis(
            "H2", name, paper, True, "L = 2: no middle weights (each unit is its own path)"
        )
    count, bad = conn.disconnected(LIST_LIMIT)
    if not count:
        return Hypothesis(
            "H2",
            name,
            paper,
            True,
            "every (n, m) pair is joined by a path of nonzero middle weights",
        )
    pairs = ", ".join(f"({n + 1}, {m + 1})" for n, m in bad)
    if count > len(bad):
        pairs += f", … (+{count - len(bad)} more)"
    comps = len(conn.components)
    split = f", splitting the live units into {comps} components" if comps > 1 else ""
    have = "has" if count == 1 else "have"
    detail = (
        f"{plural(count, '(n, m) pair')} {have} no path of nonzero middle weights{split}: {pairs}"
    )
    return Hypothesis("H2", name, paper, False, detail)


def check_h3(act: Activation) -> Hypothesis:
    """H3: Remark 1 of the paper, as :func:`~ptheorem.activations.remark1` judges it."""
    met, detail = remark1(act)
    return Hypothesis("H3", "sigma-prime-infinitely-many-values", "Remark 1", met, detail)


def check_h4(degenerate: Degeneracy) -> Hypothesis:
    """H4: ψ is non-trivial (the theorem sets θ⁽ᴸ⁻¹⁾ = 0 aside), from exact zeros."""
    name, paper = "psi-non-trivial", "Theorem 5 (trivial case)"
    if degenerate.value:
        return Hypothesis("H4", name, paper, False, degenerate.reasons[0], Basis.EXACT.value)
    detail = "output weights nonzero, and a path of nonzero weights joins them to the inputs"
    return Hypothesis("H4", name, paper, True, detail, Basis.EXACT.value)


def check_h5(net: ConcreteNetwork) -> Hypothesis:
    """H5: every input row θ⁽⁰⁾ₘ is nonzero."""
    name, paper = "input-rows-nonzero", "A3"
    zero = [str(m) for m in one_based(np.flatnonzero(np.all(is_zero(net.weights[0]), axis=1)))]
    if not zero:
        return Hypothesis("H5", name, paper, True, "every input row of W0 is nonzero")
    return Hypothesis(
        "H5",
        name,
        paper,
        False,
        f"zero {'input row' if len(zero) == 1 else 'input rows'} of W0: {listing(zero)}",
    )
