"""``check --activation`` for σ outside the paper's indexwise step: search for a witness.

Polynomial σ (square, cube, linear) meet Remark 1 (except linear) but their path
functions are polynomials of bounded degree, so they can be dependent; ReLU's σ′
takes two values.  The paper's argument does not apply, so ``check`` searches,
in order and within its ``--timeout`` budget:

1. polynomial σ: the exact read-out search over QQ (:mod:`.polynomial`), then
   the closed-form one-feature construction (:mod:`.feature`);
   ReLU: the numeric read-out null-space search (:mod:`.nullspace`);
2. the optimiser of ``ptheorem search`` (L ≥ 3, no bias), for the rest of the budget.

A witness with an exact certificate refutes the literal claim (exit 1).  A
candidate certified numerically only, or nothing found, is inconclusive (exit 3):
never a confirmation, since the paper's argument does not cover these σ.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ptheorem.activations import Activation, ActivationKind, remark1
from ptheorem.audit.certificate import Certificate
from ptheorem.io.mask import Mask
from ptheorem.model.claims import claim_for
from ptheorem.model.result import INDEPENDENCE, CheckResult, HypothesisUse, Verdict, Witness
from ptheorem.model.spec import NetworkSpec
from ptheorem.model.status import Basis, Evidence, Status
from ptheorem.numeric.network import ConcreteNetwork

#: Most x-monomial coefficients (monomials × d × last width) searched exactly; sympy's
#: expansion of the nested polynomials takes about 2 s at this size on 2 cores.
EXACT_LIMIT = 2_000


@dataclass(frozen=True)
class Attempt:
    """One search that ran: what it was, how many draws, and what came of it."""

    search: str
    draws: int
    outcome: str


@dataclass(frozen=True, eq=False)
class HypothesisDetails:
    """What the search for a counterexample did, for renderers and serializers."""

    activation: str
    kind: str
    remark1: bool
    attempts: tuple[Attempt, ...]
    found: bool


Found = tuple[ConcreteNetwork | None, Attempt]


def hypothesis_check(
    spec: NetworkSpec,
    activation: Activation,
    mask: Mask | None,
    seed: int,
    timeout: float = 60.0,
) -> CheckResult:
    """Search for a certified counterexample under a non-smooth or polynomial σ."""
    start = time.perf_counter()
    deadline = time.monotonic() + timeout
    attempts: list[Attempt] = []
    candidate: tuple[ConcreteNetwork, Certificate] | None = None
    witness: Witness | None = None
    notes: list[str] = []
    for stage in _stages(spec, activation, mask, seed, deadline, notes):
        if time.monotonic() >= deadline:
            notes.append(f"the {timeout:g} s budget ran out before: {stage.__doc__}")
            break
        net, attempt = stage()
        if net is None:
            attempts.append(attempt)
            continue
        cert = _certify(net, seed)
        outcome = (
            f"{attempt.outcome}; certificate {cert.kind}: {'holds' if cert.holds else 'fails'}"
        )
        attempts.append(Attempt(attempt.search, attempt.draws, outcome))
        if cert.holds and cert.kind == "exact":
            witness = Witness(net, cert, _explanation(net, activation))
            break
        if cert.holds and candidate is None:
            candidate = (net, cert)
    details = HypothesisDetails(
        activation.label,
        activation.kind.value,
        remark1(activation)[0],
        tuple(attempts),
        witness is not None,
    )
    verdict = _verdict(spec, activation, witness, candidate, attempts)
    if witness is None and candidate is not None:
        witness = Witness(candidate[0], candidate[1], _explanation(candidate[0], activation))
    timings = {"total": time.perf_counter() - start}
    return CheckResult(
        spec, verdict, details, timings, tuple(notes), mask.source if mask else None, witness
    )


def _certify(net: ConcreteNetwork, seed: int) -> Certificate:
    from ptheorem.audit.certificate import certify_curl_free

    return certify_curl_free(net, seed=seed)


def _stages(
    spec: NetworkSpec,
    activation: Activation,
    mask: Mask | None,
    seed: int,
    deadline: float,
    notes: list[str],
) -> list[Callable[[], Found]]:
    """The searches to run for this σ, cheapest and exact first."""
    stages: list[Callable[[], Found]] = []
    if activation.kind is ActivationKind.POLYNOMIAL:
        size = exact_size(spec, activation)
        if size <= EXACT_LIMIT:

            def exact() -> Found:
                """the exact read-out search over QQ"""
                from ptheorem.counterexamples.polynomial import polynomial_witness

                poly = polynomial_witness(spec, activation, mask, seed)
                return poly.witness, Attempt(
                    "exact: x-monomial coefficients of J − Jᵀ, read-out null space over QQ",
                    poly.draws,
                    f"{poly.monomial_constraints} monomial constraints, null space dimension "
                    f"{poly.nullity}" + ("" if poly.witness else ": no non-parallel witness"),
                )

            stages.append(exact)
        else:
            notes.append(
                f"the exact read-out search would handle about {size:,} monomial coefficients "
                f"(limit {EXACT_LIMIT:,}); skipped"
            )

        def feature() -> Found:
            """the one-feature construction over QQ"""
            from ptheorem.counterexamples.feature import feature_witness

            found = feature_witness(spec, activation, mask, seed)
            return found.witness, Attempt(
                "exact: second hidden layer sees one feature cᵀx (linear conditions over QQ)",
                found.draws,
                "built"
                if found.witness is not None
                else f"no dense solution (null space dimension {found.nullity}; the first hidden "
                "layer may be too narrow for the degrees σ uses)",
            )

        stages.append(feature)
    else:

        def nullspace() -> Found:
            """the numeric read-out null-space search"""
            from ptheorem.counterexamples.nullspace import nullspace_witness

            found = nullspace_witness(spec, activation, mask, seed)
            return found.witness, Attempt(
                "numeric: curl-free read-outs of random nets (null space)",
                found.draws,
                f"largest null space {found.best_dimension}"
                + ("" if found.witness else ": no non-parallel witness"),
            )

        stages.append(nullspace)
    if spec.depth >= 3 and spec.dim >= 2 and spec.widths[0] >= 2 and not spec.bias:

        def optimiser() -> Found:
            """the optimiser of `ptheorem search`"""
            import numpy as np

            from ptheorem.counterexamples.search.core import SearchConfig, run_search
            from ptheorem.model.errors import InputError

            name = "optimiser (ptheorem search)"
            try:
                config = SearchConfig(spec, mask, seed=seed)
                with np.errstate(all="ignore"):
                    result = run_search(config, deadline=deadline)
            except InputError as exc:
                return None, Attempt(name, 0, f"not run: {exc}")
            except np.linalg.LinAlgError:
                return None, Attempt(
                    name, 0, "stopped: floating point overflowed (σ of high degree at this depth)"
                )
            runs = len(result.restarts)
            return result.witness, Attempt(
                "optimiser (ptheorem search): NAsym minimised over the weights",
                runs,
                f"best √NAsym {result.fresh_root:.3g} on fresh points",
            )

        stages.append(optimiser)
    return stages


def _explanation(net: ConcreteNetwork, activation: Activation) -> str:
    from ptheorem.counterexamples.live import claim_broken

    return f"curl-free, yet {claim_broken(net)}; {_why(activation)}"


def _verdict(
    spec: NetworkSpec,
    activation: Activation,
    witness: Witness | None,
    candidate: tuple[ConcreteNetwork, Certificate] | None,
    attempts: list[Attempt],
) -> Verdict:
    head = f"L={spec.depth}, d={spec.dim}, σ = {activation.label}"
    claim = claim_for(spec)
    why = _why(activation)
    if witness is not None:
        a1 = HypothesisUse(
            INDEPENDENCE,
            False,
            Basis.EXACT,
            "the witness is curl-free with input weights the derivation forces parallel under "
            "A1, so its path functions are dependent",
        )
        return Verdict(
            claim,
            Status.REFUTED,
            False,
            "hypothesis",
            Evidence.EXACT_CERTIFICATE,
            f"{head}: counterexample found (exact certificate): {why}",
            (a1,),
        )
    if candidate is not None:
        root = candidate[1].nasym_root
        summary = (
            f"{head}: a candidate counterexample (√NAsym = {root:.1e}, numeric evidence only) "
            f"was found but not certified exactly; {why}"
        )
        return Verdict(claim, Status.INCONCLUSIVE, None, "hypothesis", Evidence.NUMERIC, summary)
    tried = sum(a.draws for a in attempts)
    summary = (
        f"{head}: no counterexample in {tried} draw(s) over {len(attempts)} search(es); the "
        "paper's indexwise step does not apply to this σ, so this is not a confirmation"
    )
    return Verdict(claim, Status.INCONCLUSIVE, None, "hypothesis", Evidence.NUMERIC, summary)


def exact_size(spec: NetworkSpec, activation: Activation) -> int:
    """Monomial coefficients of J − Jᵀ the exact search handles: ψ has degree p^(L−1)."""
    from math import comb

    degree = (activation.degree or 1) ** (spec.depth - 1)
    return comb(spec.dim + degree, spec.dim) * spec.dim * spec.sizes[-2]


def _why(activation: Activation) -> str:
    met, reason = remark1(activation)
    if activation.kind is ActivationKind.POLYNOMIAL:
        return (
            f"σ = {activation.label} is a polynomial, so the path functions are polynomials "
            f"in x and can be linearly dependent (A1 fails; Remark 1 {'met' if met else 'not met'})"
        )
    return f"{reason} (A1 fails)"
