"""The symbolic check: build ψ, derive, solve for S, certify, and give the verdict.

The verdict is **proved** only when every step of the argument came out as the
claim needs it: every group tied (Eq. 2 / 7), rank ≤ 1 derived within every
component (Eq. 8 and the minors), one component holding every first-layer unit
(L ≥ 3), and the sufficiency certificate passing wherever it ran.  Anything
less is **inconclusive**, with the failing step named.  Zero middle weights
that split the units into several components make A2 fail: the symbolic
verdict is then inconclusive about the literal claim, and ``check`` attaches a
certified witness that refutes it (:mod:`ptheorem.run.check`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ptheorem.model.claims import claim_for
from ptheorem.model.result import (
    INDEPENDENCE,
    INPUT_NONZERO,
    MIDDLE_NONZERO,
    CheckResult,
    HypothesisUse,
    Verdict,
    assumed,
)
from ptheorem.model.spec import NetworkSpec
from ptheorem.model.status import Basis, Evidence, Status
from ptheorem.symbolic.certify import Sufficiency, certify, family_for
from ptheorem.symbolic.derive import Derivation, derive
from ptheorem.symbolic.network import SymbolicNetwork, build_network, weight_matrix
from ptheorem.symbolic.solve import Solution, solve


@dataclass(frozen=True)
class SymbolicDetails:
    """The symbolic method's objects, for renderers and serializers."""

    network: SymbolicNetwork
    derivation: Derivation
    solution: Solution
    sufficiency: Sufficiency | None


def symbolic_check(
    spec: NetworkSpec, per_path_limit: int = 0, keep: Sequence[Any] | None = None
) -> CheckResult:
    """Run the whole symbolic argument for ``spec`` and return its frozen result.

    ``keep`` (one 0/1 matrix per middle weight layer, as ``Mask.layers``) fixes the
    masked middle weights to 0 before anything is derived.
    """
    timings: dict[str, float] = {}
    start = time.perf_counter()
    net = build_network(spec, weights=_masked_weights(spec, keep))
    timings["build"] = time.perf_counter() - start
    t = time.perf_counter()
    derivation = derive(net, per_path_limit=per_path_limit)
    timings["derive"] = time.perf_counter() - t
    t = time.perf_counter()
    solution = solve(net, derivation)
    timings["solve"] = time.perf_counter() - t
    t = time.perf_counter()
    sufficiency = None
    if spec.dim > 1:
        sufficiency = certify(net, derivation, family_for(net, solution))
    timings["certify"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - start
    verdict = judge(spec, solution, sufficiency)
    details = SymbolicDetails(net, derivation, solution, sufficiency)
    return CheckResult(spec, verdict, details, timings)


def _masked_weights(spec: NetworkSpec, keep: Sequence[Any] | None) -> list[Any] | None:
    """Weight matrices with the masked middle entries fixed to 0 (others symbolic)."""
    if keep is None:
        return None
    weights: list[Any] = [None] * spec.depth
    for k, layer in enumerate(keep, start=1):
        full = weight_matrix(k, spec.sizes[k + 1], spec.sizes[k])
        rows = [[int(bool(v)) for v in row] for row in layer]
        weights[k] = full.multiply_elementwise(type(full)(rows))
    return weights


def hypotheses_for(spec: NetworkSpec, solution: Solution) -> tuple[HypothesisUse, ...]:
    """The hypotheses the symbolic argument uses, and A2 as the derivation found it."""
    if spec.dim == 1 or spec.depth == 1:
        return ()
    if spec.depth == 2:
        return assumed(INDEPENDENCE, INPUT_NONZERO)
    assert solution.rank is not None
    first, last = spec.widths[0], spec.widths[-1]
    linked = {t.units for t in solution.tyings}
    missing = first * last - len(linked)
    if missing:
        a2 = HypothesisUse(
            MIDDLE_NONZERO,
            False,
            Basis.EXACT,
            f"{missing} of the {first * last} pairs (n, m) have no path of nonzero middle "
            f"weights, so the units split into {len(solution.rank.components)} component(s)"
            + (
                f" and {len(solution.rank.unlinked)} unit(s) reach no output"
                if solution.rank.unlinked
                else ""
            ),
        )
    else:
        a2 = HypothesisUse(
            MIDDLE_NONZERO,
            True,
            Basis.ASSUMED,
            "every middle transfer Pₙₘ is a nonzero polynomial (sympy), assumed nonzero at the "
            "weights: true for almost every weight",
        )
    return (assumed(INDEPENDENCE)[0], a2, assumed(INPUT_NONZERO)[0])


def judge(
    spec: NetworkSpec,
    solution: Solution,
    sufficiency: Sufficiency | None,
) -> Verdict:
    """The verdict on the paper's claim from what each step computed."""
    hyps = hypotheses_for(spec, solution)
    ids = tuple(h.id for h in hyps if h.holds)
    under = f", under assumptions {', '.join(ids)}" if ids else ""
    head = f"L={spec.depth}, d={spec.dim}"
    claim = claim_for(spec)

    def verdict(status: Status, parallel: bool | None, summary: str) -> Verdict:
        return Verdict(claim, status, parallel, "symbolic", Evidence.SYMBOLIC_PROOF, summary, hyps)

    if spec.dim == 1:
        return verdict(Status.PROVED, None, f"{head}: vacuous, every ψ: R → R is a gradient")
    problems = _problems(spec, solution, sufficiency)
    if spec.depth == 1:
        summary = f"{head}: curl-free exactly when θ⁽⁰⁾ is symmetric"
    elif spec.depth == 2:
        summary = f"{head}: weights only tied (θ⁽¹⁾ₘ = Sₘ θ⁽⁰⁾ₘ), input weights free{under}"
    else:
        assert solution.rank is not None
        if not solution.rank.single and not problems:
            parts = len(solution.rank.components) + len(solution.rank.unlinked)
            return verdict(
                Status.INCONCLUSIVE,
                None,
                f"{head}: input weights forced parallel only within each of {parts} "
                f"component(s), not across them (A2 fails); the literal claim needs a "
                f"witness to be refuted{under}",
            )
        summary = (
            f"{head}: input weights forced parallel (one feature in the first hidden layer){under}"
        )
    if problems:
        return verdict(
            Status.INCONCLUSIVE,
            None,
            "the derivation did not reach the claimed form ("
            + "; ".join(problems)
            + "): "
            + summary,
        )
    return verdict(Status.PROVED, spec.depth >= 3, summary)


def _problems(
    spec: NetworkSpec,
    solution: Solution,
    sufficiency: Sufficiency | None,
) -> list[str]:
    """Every step that did not come out as the claim needs, in words."""
    out = []
    if spec.depth == 1:
        lower = spec.dim * (spec.dim - 1) // 2
        if len(solution.symmetric) != lower:
            out.append(f"only {len(solution.symmetric)} of {lower} symmetry relations solved")
    else:
        untied = [t.units for t in solution.tyings if not t.tied]
        if untied:
            out.append(f"{len(untied)} group(s) not tied, e.g. {untied[0]}")
        if spec.depth >= 3 and solution.rank is not None:
            for c in solution.rank.components:
                if not c.rank_at_most_one:
                    why = c.failures[0] if c.failures else "a 2×2 minor does not vanish"
                    out.append(f"rank ≤ 1 not derived for units {c.first}: {why}")
    if sufficiency is not None and not sufficiency.holds:
        failed = [
            name
            for name, ok in (
                ("reduced constraints vanish", sufficiency.constraints_vanish),
                ("J − Jᵀ ≡ 0", sufficiency.antisymmetric is not False),
                ("∇φ = ψ", sufficiency.potential_checked),
            )
            if not ok
        ]
        out.append("sufficiency check failed: " + ", ".join(failed))
    return out
