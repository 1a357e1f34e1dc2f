"""The hypotheses of Theorem 5, checked on one concrete net, and why path functions depend.

H1 (A1)  path functions of the live paths linearly independent (numeric rank);
H2 (A2)  every pair (n, m) of a nonzero output column and input row joined by a
         path of nonzero middle weights;
H3 (Remark 1)  σ′ non-polynomial with infinitely many values;
H4       ψ non-trivial (the theorem sets θ⁽ᴸ⁻¹⁾ = 0 aside);
H5 (A3)  every input row nonzero.

Helpers such as :func:`redundant_units` return 0-based numpy indices; every unit
named in a detail or cause is 1-based, as in the paper (see
:class:`~ptheorem.audit.report.AuditReport`).
"""

from __future__ import annotations

import math

import numpy as np

from ptheorem.audit.graph import Connectivity
from ptheorem.audit.report import Degeneracy, Hypothesis, PathFunctionsFinding, one_based
from ptheorem.numeric.activations import Activation, ActivationKind, remark1
from ptheorem.numeric.network import ConcreteNetwork

#: Pairs / units listed by name in a detail line before "…".
LIST_LIMIT = 6


def listing(items: list[str] | tuple[str, ...], limit: int = LIST_LIMIT) -> str:
    """``a, b, c`` or ``a, b, … (+k more)``."""
    shown = ", ".join(items[:limit])
    return shown if len(items) <= limit else f"{shown}, … (+{len(items) - limit} more)"


def sigma_prime_even(act: Activation) -> bool:
    """Whether σ′(−t) = σ′(t) (tanh, sin, cube …): then negated units share σ′."""
    t = np.linspace(0.1, 3.0, 15)
    return bool(np.allclose(act.df(t), act.df(-t), rtol=1e-14, atol=0.0))


def redundant_units(net: ConcreteNetwork) -> list[tuple[int, tuple[int, ...]]]:
    """Groups of ≥ 2 units of one hidden layer with identical incoming weights and bias.

    Such units have the same pre-activation, so the same σ′, and the path
    functions through them coincide.  When σ′ is even, rows equal up to sign
    (with the bias) count too.  Returns (hidden layer k ≥ 1, 0-based units) pairs.
    """
    even = sigma_prime_even(net.activation)
    out = []
    for k, w in enumerate(net.weights[:-1]):
        b = net.biases[k]
        rows = np.column_stack([w, np.zeros(w.shape[0]) if b is None else b])
        if even:
            first = np.argmax(rows != 0, axis=1)
            signs = np.sign(rows[np.arange(rows.shape[0]), first])
            rows = rows * np.where(signs == 0, 1.0, signs)[:, None]
        _, inverse, counts = np.unique(rows, axis=0, return_inverse=True, return_counts=True)
        for g in np.flatnonzero(counts > 1):
            out.append((k + 1, tuple(int(u) for u in np.flatnonzero(inverse.ravel() == g))))
    return out


def polynomial_dimension(dim: int, degree: int, hidden: int) -> tuple[int, int]:
    """(D, C(d + D, d)): path functions of a degree-p polynomial σ are polynomials of degree ≤ D.

    σ′ has degree p − 1 and z_k has degree p^(k−1) in x, so a path function
    Π_k σ′(z_k) has degree Σ_k (p − 1)·p^(k−1) = p^(L−1) − 1.

    >>> polynomial_dimension(2, 2, 1)
    (1, 3)
    """
    top = degree**hidden - 1
    return top, math.comb(dim + top, dim)


def dependence_causes(
    net: ConcreteNetwork, slopes: list[np.ndarray] | None, paths: int
) -> tuple[str, ...]:
    """Reasons the path functions can be (or are) linearly dependent, strongest first."""
    act = net.activation
    causes = []
    if act.kind is ActivationKind.POLYNOMIAL:
        if act.degree == 1:
            causes.append("σ is linear: σ′ ≡ 1, so every path function is the constant 1")
        else:
            top, space = polynomial_dimension(net.dim, act.degree or 1, net.depth - 1)
            causes.append(
                f"σ = {act.label} is a polynomial: path functions are polynomials of degree "
                f"≤ {top} in {net.dim} variables, a space of dimension {space}"
                + (f" < {paths} paths" if space < paths else "")
            )
    elif act.kind is ActivationKind.PIECEWISE_LINEAR:
        causes.append(
            f"σ = {act.label} is piecewise linear: σ′ takes the values 0 and 1 only, so path "
            "functions are products of indicators, e.g. relu(t) − relu(−t) = t"
        )
    for layer, units in redundant_units(net):
        names = [str(u) for u in one_based(units)]
        causes.append(
            f"redundant units {listing(names)} in hidden layer {layer}: "
            "identical incoming weights and bias, so identical σ′"
        )
    if slopes is not None and not (act.kind is ActivationKind.POLYNOMIAL and act.degree == 1):
        for k, s in enumerate(slopes):
            flat = np.flatnonzero(np.all(s == s[:1], axis=0))
            if flat.size:
                dead = one_based(int(u) for u in flat if s[0, u] == 0.0)
                const = one_based(int(u) for u in flat if s[0, u] != 0.0)
                if dead:
                    causes.append(
                        f"units {listing([str(u) for u in dead])} of hidden layer {k + 1} have "
                        "σ′ = 0 at every sampled point (inactive)"
                    )
                if const:
                    causes.append(
                        f"units {listing([str(u) for u in const])} of hidden layer {k + 1} have "
                        "a constant σ′ on the sample (they act linearly there)"
                    )
    return tuple(causes)


def check_h1(pf: PathFunctionsFinding | None) -> Hypothesis:
    """H1: the live path functions are linearly independent (numeric rank)."""
    name, paper = "path-functions-independent", "A1"
    if pf is None:
        return Hypothesis("H1", name, paper, True, "no hidden layer: there are no path functions")
    if pf.paths == 0:
        return Hypothesis("H1", name, paper, True, "no live paths: nothing to be dependent")
    of = (
        f"{pf.paths} sampled of {pf.live_paths} live paths"
        if pf.sampled
        else f"all {pf.paths} live paths"
    )
    ratio = "" if pf.sv_ratio is None else f", s_min/s_max = {pf.sv_ratio:.2g}"
    if pf.independent:
        detail = f"rank {pf.rank} = {of} on {pf.points} points{ratio}"
        return Hypothesis("H1", name, paper, True, detail, "numeric")
    why = f": {pf.causes[0]}" if pf.causes else ""
    detail = f"path functions dependent{why}; rank {pf.rank} < {of} on {pf.points} points{ratio}"
    return Hypothesis("H1", name, paper, False, detail, "numeric")


def check_h2(net: ConcreteNetwork, conn: Connectivity | None) -> Hypothesis:
    """H2: every nonzero output column n and input row m are joined by nonzero middle weights."""
    name, paper = "middle-weights-nonzero", "A2"
    if conn is None:
        return Hypothesis("H2", name, paper, True, "no hidden layer: no middle weights")
    if net.depth == 2:
        return Hypothesis(
            "H2", name, paper, True, "L = 2: no middle weights (each unit is its own path)"
        )
    bad = conn.disconnected_pairs
    if not bad:
        return Hypothesis(
            "H2",
            name,
            paper,
            True,
            "every (n, m) pair is joined by a path of nonzero middle weights",
        )
    pairs = [f"({n + 1}, {m + 1})" for n, m in bad]
    comps = len(conn.components)
    split = f", splitting the live units into {comps} components" if comps > 1 else ""
    detail = (
        f"{len(bad)} (n, m) pair(s) have no path of nonzero middle weights{split}: {listing(pairs)}"
    )
    return Hypothesis("H2", name, paper, False, detail)


def check_h3(act: Activation) -> Hypothesis:
    """H3: Remark 1 of the paper, as :func:`~ptheorem.numeric.activations.remark1` judges it."""
    met, detail = remark1(act)
    return Hypothesis("H3", "sigma-prime-infinitely-many-values", "Remark 1", met, detail)


def check_h4(degenerate: Degeneracy) -> Hypothesis:
    """H4: ψ is non-trivial (the theorem sets θ⁽ᴸ⁻¹⁾ = 0 aside)."""
    name, paper = "psi-non-trivial", "Theorem 5 (trivial case)"
    if degenerate.value:
        evidence = "numeric" if "sampled points" in degenerate.reasons[0] else "exact"
        return Hypothesis("H4", name, paper, False, degenerate.reasons[0], evidence)
    detail = "output weights nonzero and J ≢ 0 on the sample"
    return Hypothesis("H4", name, paper, True, detail, "numeric")


def check_h5(net: ConcreteNetwork) -> Hypothesis:
    """H5: every input row θ⁽⁰⁾ₘ is nonzero."""
    name, paper = "input-rows-nonzero", "A3"
    zero = [str(m) for m in one_based(np.flatnonzero(~np.any(net.weights[0] != 0.0, axis=1)))]
    if not zero:
        return Hypothesis("H5", name, paper, True, "every input row of W0 is nonzero")
    return Hypothesis("H5", name, paper, False, f"zero input row(s) of W0: {listing(zero)}")
