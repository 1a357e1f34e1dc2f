"""Polynomial σ: a closed-form witness whose second hidden layer sees one feature cᵀx.

With σ(t) = Σₖ σₖ tᵏ, unit n of the second hidden layer gets
zₙ(x) = Σₘ θ⁽¹⁾ₙₘ σ(⟨θ⁽⁰⁾ₘ, x⟩) = Σₖ σₖ Σₘ θ⁽¹⁾ₙₘ ⟨θ⁽⁰⁾ₘ, x⟩ᵏ.  If, for every
degree k with σₖ ≠ 0, Σₘ θ⁽¹⁾ₙₘ ⟨θ⁽⁰⁾ₘ, x⟩ᵏ = λₙₖ (cᵀx)ᵏ, then zₙ, and every
deeper unit, depends on x through cᵀx alone; with read-out columns rₙ c,
ψ(x) = c·g(cᵀx) is the gradient of ∫₀^{cᵀx} g.  These conditions are linear in
(θ⁽¹⁾ₙ, λₙ) once the input rows and c are fixed, so sympy solves them exactly
over QQ: input rows in general position (not parallel) give a witness with
integer weights, certified exactly.  It exists when the first hidden layer is
wide enough for the degrees σ uses (e.g. σ = square in d = 2 needs 3 units).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ptheorem.mask import Mask
from ptheorem.numeric.activations import Activation
from ptheorem.numeric.network import ConcreteNetwork
from ptheorem.spec import NetworkSpec


@dataclass(frozen=True, eq=False)
class FeatureSearch:
    """What the construction tried: draws of input rows, and the witness if one was built."""

    draws: int
    nullity: int
    witness: ConcreteNetwork | None


def feature_witness(
    spec: NetworkSpec,
    activation: Activation,
    mask: Mask | None = None,
    seed: int = 0,
    draws: int = 8,
) -> FeatureSearch:
    """Build a witness with integer weights, or say after ``draws`` tries that none was found."""
    import sympy as sp

    if spec.depth < 3 or spec.dim < 2 or spec.bias or spec.widths[0] < 2:
        return FeatureSearch(0, 0, None)
    t = sp.Symbol("t")
    poly = sp.Poly(sp.expand(activation.sympy(t)), t)
    degrees = [k for (k,), c in poly.terms() if k >= 1 and c != 0]
    x = sp.symbols(f"x1:{spec.dim + 1}")
    rng = np.random.default_rng([seed, 7])
    keep1 = None if mask is None else mask.for_layer(1)
    best = 0
    for draw in range(draws):
        rows = _rows(spec, rng)
        c = rng.integers(-3, 4, spec.dim)
        if not c.any() or any(_parallel(c, r) for r in rows):
            continue
        w1 = np.zeros((spec.widths[1], spec.widths[0]))
        ok = True
        for n in range(spec.widths[1]):
            row_keep = np.ones(spec.widths[0], dtype=bool) if keep1 is None else keep1[n]
            free = [int(m) for m in np.flatnonzero(row_keep)]
            row, nullity = _unit_row(x, rows, c, degrees, free, rng)
            best = max(best, nullity)
            if row is None:
                ok = False
                break
            w1[n, free] = row
        if not ok:
            continue
        weights = [np.array(rows, dtype=float), w1]
        for k in range(2, spec.depth - 1):
            w = rng.choice((-2.0, -1.0, 1.0, 2.0), size=(spec.sizes[k + 1], spec.sizes[k]))
            keep = None if mask is None else mask.for_layer(k)
            if keep is not None:
                w = np.where(keep, w, 0.0)
            weights.append(w)
        scales = rng.choice((-2.0, -1.0, 1.0, 2.0), size=spec.widths[-1])
        weights.append(np.outer(c.astype(float), scales))
        net = ConcreteNetwork(tuple(weights), (None,) * spec.depth, activation)
        return FeatureSearch(draw + 1, best, net)
    return FeatureSearch(draws, best, None)


def _rows(spec: NetworkSpec, rng: np.random.Generator) -> list[np.ndarray]:
    """Pairwise non-parallel integer input rows."""
    rows: list[np.ndarray] = []
    while len(rows) < spec.widths[0]:
        r = rng.integers(-3, 4, spec.dim)
        if r.any() and not any(_parallel(r, q) for q in rows):
            rows.append(r)
    return rows


def _parallel(a: np.ndarray, b: np.ndarray) -> bool:
    """Exactly parallel integer vectors (every 2 × 2 minor is 0)."""
    return bool(np.all(np.outer(a, b) == np.outer(b, a)))


def _unit_row(
    x: tuple[Any, ...],
    rows: list[np.ndarray],
    c: np.ndarray,
    degrees: list[int],
    free: list[int],
    rng: np.random.Generator,
) -> tuple[list[int] | None, int]:
    """Integer weights θ⁽¹⁾ₙ on the ``free`` units meeting the one-feature conditions.

    Returns (weights, nullity); weights is None unless a null vector with every
    weight nonzero and some λ nonzero (zₙ not constant) was found.
    """
    import sympy as sp

    from ptheorem.symbolic.solve import nullspace

    th = sp.symbols(f"w0:{len(free)}")
    lam = sp.symbols(f"lam0:{len(degrees)}")
    feature = sp.Add(*[int(ci) * xi for ci, xi in zip(c, x, strict=True)])
    equations: list[Any] = []
    for k, lk in zip(degrees, lam, strict=True):
        lhs = sp.Add(
            *[
                th[i] * sp.Add(*[int(v) * xi for v, xi in zip(rows[m], x, strict=True)]) ** k
                for i, m in enumerate(free)
            ]
        )
        equations.extend(sp.Poly(sp.expand(lhs - lk * feature**k), *x).coeffs())
    basis = nullspace(equations, [*th, *lam])
    for _ in range(16 if basis else 0):
        picks = rng.integers(1, 5, len(basis))
        combo = [
            sp.Add(*[int(a) * b[j] for a, b in zip(picks, basis, strict=True)])
            for j in range(len(th) + len(lam))
        ]
        den = sp.ilcm(*[sp.fraction(v)[1] for v in combo])
        ints = [int(v * den) for v in combo]
        weights, scales = ints[: len(th)], ints[len(th) :]
        if all(w != 0 for w in weights) and any(s != 0 for s in scales):
            return weights, len(basis)
    return None, len(basis)
