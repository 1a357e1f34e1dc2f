"""Polynomial σ: the x-monomial constraints, solved exactly over QQ for a witness.

With σ a polynomial the path functions are polynomials in x: they live in a
finite-dimensional space and are *not* independent, so the indexwise step of
the paper does not apply.  The exact condition is that every x-monomial
coefficient of J − Jᵀ vanishes.  ψ is linear in the read-out θ⁽ᴸ⁻¹⁾, so for
fixed integer weights of the other layers those coefficients are linear in
θ⁽ᴸ⁻¹⁾; sympy computes them and their null space over QQ.  A null vector whose
live input rows are not parallel is an exact counterexample.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ptheorem.activations import Activation
from ptheorem.io.mask import Mask
from ptheorem.model.spec import NetworkSpec
from ptheorem.numeric.network import ConcreteNetwork


@dataclass(frozen=True, eq=False)
class PolynomialSearch:
    """What the exact polynomial search did: constraints per draw and the witness."""

    draws: int
    monomial_constraints: int
    nullity: int
    witness: ConcreteNetwork | None


def polynomial_witness(
    spec: NetworkSpec,
    activation: Activation,
    mask: Mask | None = None,
    seed: int = 0,
    draws: int = 6,
) -> PolynomialSearch:
    """Search ``draws`` random integer nets for an exact non-parallel curl-free read-out."""
    import sympy as sp
    from sympy.polys.matrices import DomainMatrix

    from ptheorem.counterexamples.live import claim_broken

    rng = np.random.default_rng(seed)
    x = sp.symbols(f"x1:{spec.dim + 1}")
    d, n_last = spec.dim, spec.sizes[-2]
    constraints = nullity = 0
    for draw in range(draws):
        weights = _integer_weights(spec, mask, rng)
        hidden = _hidden(weights, activation, x, sp)
        grads = [[sp.Poly(h.diff(xj), *x) for xj in x] for h in hidden]
        unknowns = d * n_last
        rows: dict[tuple[int, int, tuple[int, ...]], list[int]] = {}
        for i in range(d):
            for j in range(i + 1, d):
                for n in range(n_last):
                    for mono, coeff in grads[n][j].terms():
                        rows.setdefault((i, j, mono), [0] * unknowns)[i * n_last + n] += coeff
                    for mono, coeff in grads[n][i].terms():
                        rows.setdefault((i, j, mono), [0] * unknowns)[j * n_last + n] -= coeff
        constraints = len(rows)
        if not rows:
            continue
        matrix = DomainMatrix(
            [[sp.QQ.from_sympy(sp.sympify(v)) for v in r] for r in rows.values()],
            (len(rows), unknowns),
            sp.QQ,
        )
        basis = matrix.nullspace().to_Matrix()
        nullity = basis.shape[0]
        if nullity == 0:
            continue
        combo = sum(
            (int(c) * basis.row(k) for k, c in enumerate(rng.integers(1, 4, nullity))),
            sp.zeros(1, unknowns),
        )
        denom = sp.ilcm(*[sp.fraction(v)[1] for v in combo]) if combo else 1
        w_last = np.array([float(v * denom) for v in combo]).reshape(d, n_last)
        net = ConcreteNetwork((*weights[:-1], w_last), (None,) * spec.depth, activation)
        psi = [sum((int(w_last[i, n]) * hidden[n] for n in range(n_last)), 0) for i in range(d)]
        trivial = all(sp.expand(p) == 0 for p in psi)  # ψ ≡ 0 is no counterexample
        if not trivial and claim_broken(net):
            return PolynomialSearch(draw + 1, constraints, nullity, net)
    return PolynomialSearch(draws, constraints, nullity, None)


def _integer_weights(
    spec: NetworkSpec, mask: Mask | None, rng: np.random.Generator
) -> list[np.ndarray]:
    sizes = spec.sizes
    out = []
    for k in range(spec.depth):
        w = rng.choice((-2.0, -1.0, 1.0, 2.0), size=(sizes[k + 1], sizes[k]))
        keep = mask.for_layer(k) if mask is not None else None
        if keep is not None:
            w = np.where(keep, w, 0.0)
        out.append(w)
    return out


def _hidden(weights: list[np.ndarray], activation: Activation, x: tuple, sp: object) -> list:
    """h⁽ᴸ⁻¹⁾(x) as exact sympy polynomials for integer weights."""
    h = list(x)
    for w in weights[:-1]:
        z = [sum((int(w[o, i]) * h[i] for i in range(w.shape[1])), 0) for o in range(w.shape[0])]
        h = [sp.expand(activation.sympy(zo)) for zo in z]  # type: ignore[attr-defined]
    return h
