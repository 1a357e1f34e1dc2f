"""The symbolic check: build ψ, derive, solve for S, certify, and give the verdict."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ptheorem.claims import claim_for
from ptheorem.result import (
    INDEPENDENCE,
    INPUT_NONZERO,
    MIDDLE_NONZERO,
    Assumption,
    CheckResult,
    Evidence,
    Status,
    Verdict,
)
from ptheorem.spec import NetworkSpec
from ptheorem.symbolic.certify import Sufficiency, certify
from ptheorem.symbolic.derive import Derivation, derive
from ptheorem.symbolic.limits import check_limits
from ptheorem.symbolic.network import SymbolicNetwork, build_network, weight_matrix
from ptheorem.symbolic.solve import Solution, solve

if TYPE_CHECKING:  # ptheorem.mask imports numpy (~100 ms), which the symbolic path never uses
    from ptheorem.mask import Mask


@dataclass(frozen=True)
class SymbolicDetails:
    """The symbolic method's objects, for renderers and serializers."""

    network: SymbolicNetwork
    derivation: Derivation
    solution: Solution
    sufficiency: Sufficiency | None


def assumptions_for(spec: NetworkSpec) -> tuple[Assumption, ...]:
    """The hypotheses the symbolic argument uses at this depth."""
    if spec.dim == 1 or spec.depth == 1:
        return ()
    if spec.depth == 2:
        return (INDEPENDENCE, INPUT_NONZERO)
    return (INDEPENDENCE, MIDDLE_NONZERO, INPUT_NONZERO)


def symbolic_check(
    spec: NetworkSpec, per_path_limit: int = 0, mask: Mask | None = None
) -> CheckResult:
    """Run the whole symbolic argument for ``spec`` and return its frozen result.

    ``mask`` fixes the masked middle weights to 0 before anything is derived.
    """
    check_limits(spec)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    net = build_network(spec, weights=_masked_weights(spec, mask))
    timings["build"] = time.perf_counter() - start
    t = time.perf_counter()
    derivation = derive(net, per_path_limit=per_path_limit)
    timings["derive"] = time.perf_counter() - t
    t = time.perf_counter()
    solution = solve(net, derivation)
    timings["solve"] = time.perf_counter() - t
    t = time.perf_counter()
    sufficiency = certify(net, derivation) if spec.dim > 1 else None
    timings["certify"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - start
    assumptions = assumptions_for(spec)
    verdict = _verdict(spec, solution, sufficiency, assumptions)
    details = SymbolicDetails(net, derivation, solution, sufficiency)
    return CheckResult(spec, assumptions, verdict, details, timings)


def _masked_weights(spec: NetworkSpec, mask: Mask | None) -> list[Any] | None:
    """Weight matrices with the masked middle entries fixed to 0 (others symbolic)."""
    if mask is None:
        return None
    weights: list[Any] = [None] * spec.depth
    for k, keep in enumerate(mask.layers, start=1):
        full = weight_matrix(k, spec.sizes[k + 1], spec.sizes[k])
        weights[k] = full.multiply_elementwise(type(full)(keep.astype(int).tolist()))
    return weights


def _verdict(
    spec: NetworkSpec,
    solution: Solution,
    sufficiency: Sufficiency | None,
    assumptions: tuple[Assumption, ...],
) -> Verdict:
    ids = tuple(a.id for a in assumptions)
    under = f", under assumptions {', '.join(ids)}" if ids else ""
    head = f"L={spec.depth}, d={spec.dim}"
    claim = claim_for(spec)
    proof = Evidence.SYMBOLIC_PROOF
    if spec.dim == 1:
        summary = f"{head}: vacuous, every ψ: R → R is a gradient"
        return Verdict(claim, Status.CONFIRMED, None, "symbolic", proof, summary, ids)
    sufficient = sufficiency is not None and sufficiency.holds
    if spec.depth == 1:
        lower = spec.dim * (spec.dim - 1) // 2
        ok = len(solution.symmetric) == lower and sufficient
        summary = f"{head}: curl-free exactly when θ⁽⁰⁾ is symmetric"
        return _status(claim, ok, False, summary, ids)
    rank = solution.rank
    assert rank is not None
    if spec.depth == 2:
        ok = solution.all_tied and all(len(c) == 1 for c in rank.components) and sufficient
        summary = f"{head}: weights only tied (θ⁽¹⁾ₘ = Sₘ θ⁽⁰⁾ₘ), input weights free{under}"
        return _status(claim, ok, False, summary, ids)
    single = len(rank.components) == 1 and len(rank.components[0]) == spec.widths[0]
    if solution.all_tied and rank.minors_vanish and not single:
        summary = (
            f"{head}: input weights parallel only within {len(rank.components)} "
            f"components, not across them{under}"
        )
        return Verdict(claim, Status.REFUTED, False, "symbolic", proof, summary, ids)
    ok = solution.all_tied and rank.minors_vanish and single and sufficient
    summary = (
        f"{head}: input weights forced parallel (one feature in the first hidden layer){under}"
    )
    return _status(claim, ok, True, summary, ids)


def _status(claim: str, ok: bool, parallel: bool, summary: str, ids: tuple[str, ...]) -> Verdict:
    if ok:
        return Verdict(
            claim, Status.CONFIRMED, parallel, "symbolic", Evidence.SYMBOLIC_PROOF, summary, ids
        )
    return Verdict(
        claim,
        Status.INCONCLUSIVE,
        None,
        "symbolic",
        Evidence.SYMBOLIC_PROOF,
        "the derivation did not reach the claimed form: " + summary,
        ids,
    )
