"""Polynomial σ: a closed-form witness whose second hidden layer sees one feature cᵀx.

With σ(t) = Σₖ σₖ tᵏ, unit n of the second hidden layer gets
zₙ(x) = Σₘ θ⁽¹⁾ₙₘ σ(⟨θ⁽⁰⁾ₘ, x⟩) = Σₖ σₖ Σₘ θ⁽¹⁾ₙₘ ⟨θ⁽⁰⁾ₘ, x⟩ᵏ.  If, for every
degree k with σₖ ≠ 0, Σₘ θ⁽¹⁾ₙₘ ⟨θ⁽⁰⁾ₘ, x⟩ᵏ = λₙₖ (cᵀx)ᵏ, then zₙ, and every
deeper unit, depends on x through cᵀx alone; with read-out columns rₙ c,
ψ(x) = c·g(cᵀx) is the gradient of ∫₀^{cᵀx} g.  These conditions are linear in
(θ⁽¹⁾ₙ, λₙ) once the input rows and c are fixed, so sympy solves them exactly
over QQ: input rows in general position (not parallel) give a witness.  It
exists when the first hidden layer is wide enough for the degrees σ uses (e.g.
σ = square in d = 2 needs 3 units).

Every weight is a dyadic rational (an integer, or an integer over a power of
two), so the float64 network stored in a witness file is exactly the network
certified.  With a ``hint`` (the optimiser's near-witness) the construction
stays close to it: input rows and c are small-integer approximations of its
directions, and each free scale is the dyadic number nearest the hint's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ptheorem.activations import Activation
from ptheorem.io.mask import Mask
from ptheorem.model.spec import NetworkSpec
from ptheorem.numeric.network import ConcreteNetwork

#: Free scales taken from a hint are rounded to multiples of 2**-DYADIC_BITS (exact in float64).
DYADIC_BITS = 30


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
    hint: ConcreteNetwork | None = None,
) -> FeatureSearch:
    """Build a witness with dyadic weights, or say after ``draws`` tries that none was found.

    With ``hint`` there is one draw, guided by the hint (see the module docstring).
    """
    import sympy as sp

    if spec.depth < 3 or spec.dim < 2 or spec.bias or spec.widths[0] < 2:
        return FeatureSearch(0, 0, None)
    t = sp.Symbol("t")
    poly = sp.Poly(sp.expand(activation.sympy(t)), t)
    degrees = [k for (k,), c in poly.terms() if k >= 1 and c != 0]
    rng = np.random.default_rng([seed, 7])
    best = 0
    for draw in range(1 if hint is not None else draws):
        plan = _from_hint(hint) if hint is not None else _random_plan(spec, rng)
        if plan is None:
            break
        rows, c = plan
        if not c.any() or any(_parallel(c, r) for r in rows):
            continue
        w1 = np.zeros((spec.widths[1], spec.widths[0]))
        ok = True
        for n in range(spec.widths[1]):
            keep1 = None if mask is None else mask.for_layer(1)
            row_keep = np.ones(spec.widths[0], dtype=bool) if keep1 is None else keep1[n]
            free = [int(m) for m in np.flatnonzero(row_keep)]
            target = None if hint is None else hint.weights[1][n, free]
            row, nullity = _unit_row(spec.dim, rows, c, degrees, free, rng, target)
            best = max(best, nullity)
            if row is None:
                ok = False
                break
            w1[n, free] = row
        if not ok:
            continue
        weights = [np.array(rows, dtype=float), w1]
        for k in range(2, spec.depth - 1):
            if hint is not None:
                w = dyadic(hint.weights[k])
            else:
                w = rng.choice((-2.0, -1.0, 1.0, 2.0), size=(spec.sizes[k + 1], spec.sizes[k]))
            keep = None if mask is None else mask.for_layer(k)
            if keep is not None:
                w = np.where(keep, w, 0.0)
            weights.append(w)
        cf = c.astype(float)
        if hint is not None:
            scales = dyadic(hint.weights[-1].T @ cf / (cf @ cf))
        else:
            scales = rng.choice((-2.0, -1.0, 1.0, 2.0), size=spec.widths[-1])
        weights.append(np.outer(cf, scales))
        net = ConcreteNetwork(tuple(weights), (None,) * spec.depth, activation)
        return FeatureSearch(draw + 1, best, net)
    return FeatureSearch(draws if hint is None else 1, best, None)


def dyadic(values: Any) -> np.ndarray:
    """Values rounded to multiples of 2**-DYADIC_BITS: exact float64 dyadic rationals.

    >>> bool(dyadic(np.array([1 / 3]))[0] * 2**DYADIC_BITS == round(2**DYADIC_BITS / 3))
    True
    """
    scale = float(2**DYADIC_BITS)
    return np.round(np.asarray(values, dtype=float) * scale) / scale


def significant(value: float, bits: int) -> float:
    """``value`` rounded to ``bits`` significant bits (a dyadic rational).

    >>> significant(1 / 3, 4)
    0.34375
    """
    if value == 0.0:
        return 0.0
    mantissa, exponent = math.frexp(value)
    return math.ldexp(round(mantissa * 2**bits), exponent - bits)


def integer_direction(u: np.ndarray, largest: int = 12) -> np.ndarray:
    """The small-integer vector (entries ≤ ``largest``) whose line is closest to ``u``'s.

    >>> integer_direction(np.array([0.6, -0.8])).tolist()
    [3, -4]
    """
    u = u / np.max(np.abs(u))
    best, best_err = np.round(u).astype(int), np.inf
    for q in range(1, largest + 1):
        v = np.round(q * u).astype(int)
        if not v.any():
            continue
        err = float(np.linalg.norm(v / np.linalg.norm(v) - u / np.linalg.norm(u)))
        if err < best_err - 1e-12:
            best, best_err = v, err
    return best


def _from_hint(net: ConcreteNetwork) -> tuple[list[np.ndarray], np.ndarray] | None:
    """Dyadic input rows along the hint's (about its norms), and its read-out direction c.

    None when the hint's read-out columns are not on one line.
    """
    u, s, _ = np.linalg.svd(net.weights[-1])
    if s.size == 0 or not s[0] > 0 or (s.size > 1 and s[1] > 1e-6 * s[0]):
        return None
    rows = []
    for r in net.weights[0]:
        v = integer_direction(r, largest=64)
        # A power of two keeps the entries small dyadic rationals (and the null vectors small).
        shift = round(float(np.log2(np.linalg.norm(v) / np.linalg.norm(r))))
        rows.append(v / 2.0**shift)
    if any(_parallel(a, b) for k, a in enumerate(rows) for b in rows[k + 1 :]):
        return None
    return rows, integer_direction(u[:, 0], largest=64)


def _random_plan(
    spec: NetworkSpec, rng: np.random.Generator
) -> tuple[list[np.ndarray], np.ndarray]:
    """Pairwise non-parallel integer input rows and an integer direction c."""
    rows: list[np.ndarray] = []
    while len(rows) < spec.widths[0]:
        r = rng.integers(-3, 4, spec.dim)
        if r.any() and not any(_parallel(r, q) for q in rows):
            rows.append(r)
    return rows, rng.integers(-3, 4, spec.dim)


def _parallel(a: np.ndarray, b: np.ndarray) -> bool:
    """Exactly parallel vectors (every 2 × 2 minor is 0; exact for dyadic entries)."""
    return bool(np.all(np.outer(a, b) == np.outer(b, a)))


def _unit_row(
    dim: int,
    rows: list[np.ndarray],
    c: np.ndarray,
    degrees: list[int],
    free: list[int],
    rng: np.random.Generator,
    target: np.ndarray | None,
) -> tuple[np.ndarray | None, int]:
    """Dyadic weights θ⁽¹⁾ₙ on the ``free`` units meeting the one-feature conditions.

    Returns (weights, nullity); weights is None unless a null vector with every
    weight nonzero and some λ nonzero (zₙ not constant) was found.  Without a
    ``target`` a random integer combination of the null space is tried; with one,
    the combination nearest the target, with dyadic coefficients.
    """
    import sympy as sp

    from ptheorem.symbolic.solve import nullspace

    x = sp.symbols(f"x1:{dim + 1}")
    th = sp.symbols(f"w0:{len(free)}")
    lam = sp.symbols(f"lam0:{len(degrees)}")
    feature = sp.Add(*[int(ci) * xi for ci, xi in zip(c, x, strict=True)])
    equations: list[Any] = []
    for k, lk in zip(degrees, lam, strict=True):
        lhs = sp.Add(
            *[
                th[i]
                * sp.Add(*[sp.Rational(float(v)) * xi for v, xi in zip(rows[m], x, strict=True)])
                ** k
                for i, m in enumerate(free)
            ]
        )
        equations.extend(sp.Poly(sp.expand(lhs - lk * feature**k), *x).coeffs())
    basis = [_integer(b) for b in nullspace(equations, [*th, *lam])]
    if not basis:
        return None, 0
    if target is not None:
        parts = np.array([[float(v) for v in b[: len(th)]] for b in basis])
        coeffs, *_ = np.linalg.lstsq(parts.T, target, rcond=None)
        # Integer × (coefficient with few enough significant bits) stays a float64 exactly.
        room = 50 - max(int(abs(v)).bit_length() for b in basis for v in b) - len(basis)
        tries = [np.array([significant(float(a), max(room, 1)) for a in coeffs])]
    else:
        tries = [rng.integers(1, 5, len(basis)).astype(float) for _ in range(16)]
    for a in tries:
        exact = [
            sp.Add(*[sp.Rational(float(ai)) * b[j] for ai, b in zip(a, basis, strict=True)])
            for j in range(len(th) + len(lam))
        ]
        weights = np.array([float(v) for v in exact[: len(th)]])
        if any(sp.Rational(float(v)) != v for v in exact[: len(th)]):
            continue  # not exactly a float64: the stored net would not be this one
        if np.all(weights != 0) and any(v != 0 for v in exact[len(th) :]):
            return weights, len(basis)
    return None, len(basis)


def _integer(b: tuple[Any, ...]) -> list[Any]:
    """A null vector scaled to integer entries (the same line)."""
    import sympy as sp

    den = sp.ilcm(*[sp.fraction(v)[1] for v in b])
    return [v * den for v in b]
