"""``check --activation`` for σ outside the paper's hypothesis (Remark 1).

Polynomial σ (square, cube, linear): σ′ takes infinitely many values but the path
functions are polynomials, so they are dependent and the indexwise step fails;
the exact x-monomial search over QQ looks for a counterexample.  Piecewise-linear
σ (ReLU): σ′ takes two values; the numeric null-space search looks for one.
A witness refutes the literal claim (exit 1); none found is inconclusive (exit 3),
never a confirmation, since the paper's argument does not cover these σ.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ptheorem.claims import claim_for
from ptheorem.mask import Mask
from ptheorem.numeric.activations import Activation, ActivationKind
from ptheorem.result import CheckResult, Evidence, Status, Verdict, Witness
from ptheorem.spec import NetworkSpec


@dataclass(frozen=True, eq=False)
class HypothesisDetails:
    """What the search for a counterexample did, for renderers and serializers."""

    activation: str
    kind: str
    search: str
    draws: int
    constraints: int | None
    nullity: int
    found: bool


def hypothesis_check(
    spec: NetworkSpec, activation: Activation, mask: Mask | None, seed: int
) -> CheckResult:
    """Search for a counterexample under a non-smooth or polynomial σ."""
    from ptheorem.hypotheses.certify import certify_witness

    start = time.perf_counter()
    notes: tuple[str, ...] = ()
    size = exact_size(spec, activation)
    if activation.kind is ActivationKind.POLYNOMIAL and size > EXACT_LIMIT:
        notes = (
            f"the exact polynomial search would handle about {size:,} monomial coefficients "
            f"(limit {EXACT_LIMIT:,}); the numeric null-space search ran instead",
        )
    if activation.kind is ActivationKind.POLYNOMIAL and size <= EXACT_LIMIT:
        from ptheorem.hypotheses.polynomial import polynomial_witness

        poly = polynomial_witness(spec, activation, mask, seed)
        net, search = poly.witness, "exact: x-monomial coefficients of J − Jᵀ, null space over QQ"
        draws, constraints, nullity = poly.draws, poly.monomial_constraints, poly.nullity
    else:
        from ptheorem.hypotheses.nullspace import nullspace_witness

        found = nullspace_witness(spec, activation, mask, seed)
        net, search = found.witness, "numeric: curl-free read-outs of random nets (null space)"
        draws, constraints, nullity = found.draws, None, found.best_dimension
    details = HypothesisDetails(
        activation.label,
        activation.kind.value,
        search,
        draws,
        constraints,
        nullity,
        net is not None,
    )
    head = f"L={spec.depth}, d={spec.dim}, σ = {activation.label}"
    witness = None
    if net is not None:
        cert = certify_witness(net, seed)
        holds = cert.holds
        evidence = Evidence.EXACT_CERTIFICATE if cert.kind == "exact" else Evidence.NUMERIC
        why = _why(activation)
        from ptheorem.hypotheses.live import claim_broken

        explanation = f"curl-free, yet {claim_broken(net)}; {why}"
        witness = Witness(net, cert, explanation)
        status = Status.REFUTED if holds else Status.INCONCLUSIVE
        summary = (
            f"{head}: counterexample found ({cert.kind} certificate): {why}"
            if holds
            else f"{head}: a candidate counterexample failed its {cert.kind} certificate "
            f"(√NAsym = {cert.nasym_root:.1e}); {why}"
        )
    else:
        evidence = Evidence.EXACT_CERTIFICATE if constraints is not None else Evidence.NUMERIC
        status = Status.INCONCLUSIVE
        summary = (
            f"{head}: no counterexample in {draws} random draws; the paper's indexwise step "
            f"does not apply to this σ, so this is not a confirmation"
        )
    verdict = Verdict(claim_for(spec), status, None, "hypothesis", evidence, summary, ())
    timings = {"total": time.perf_counter() - start}
    return CheckResult(
        spec, (), verdict, details, timings, notes, mask.source if mask else None, witness
    )


#: Most x-monomial coefficients (monomials × d × last width) searched exactly; sympy's
#: expansion of the nested polynomials takes about 2 s at this size on 2 cores.
EXACT_LIMIT = 2_000


def exact_size(spec: NetworkSpec, activation: Activation) -> int:
    """Monomial coefficients of J − Jᵀ the exact search handles: ψ has degree p^(L−1)."""
    from math import comb

    degree = (activation.degree or 1) ** (spec.depth - 1)
    return comb(spec.dim + degree, spec.dim) * spec.dim * spec.sizes[-2]


def _why(activation: Activation) -> str:
    if activation.kind is ActivationKind.POLYNOMIAL:
        return (
            f"σ = {activation.label} is a polynomial, so the path functions are polynomials "
            "in x and linearly dependent (hypothesis A1 fails)"
        )
    return (
        f"σ′ of {activation.label} takes finitely many values (Remark 1), so the path "
        "functions are dependent (hypothesis A1 fails)"
    )
