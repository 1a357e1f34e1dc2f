"""``check`` by the general route: the parametric proof, instantiated at the given sizes.

The proof of :mod:`ptheorem.general.proof` holds for every d and every width,
so a concrete configuration (generic or smooth σ, no mask) is answered by
instantiating it: the cost does not depend on d or the widths.  What the
instance adds is only its sizes, checked against the proof's ranges, and the
count of constraints the proof stands for there.

>>> from ptheorem.model.spec import NetworkSpec
>>> result = general_check(NetworkSpec(3, 1000, (4096, 4096)))
>>> result.verdict.status.value, result.verdict.method, result.verdict.assumptions
('proved', 'general', ('A1', 'A2', 'A3'))
>>> result.details.instantiation.constraints
8380219392000
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ptheorem.general.proof import ALL_HYPOTHESES, Proof, general_proof
from ptheorem.model.claims import claim_for
from ptheorem.model.result import (
    INDEPENDENCE,
    INPUT_NONZERO,
    MIDDLE_NONZERO,
    CheckResult,
    HypothesisUse,
    Verdict,
)
from ptheorem.model.spec import NetworkSpec
from ptheorem.model.status import Basis, Evidence, Status

#: What the verdict says the proof covers (the last line of every rendering).
SCOPE = "proved for every d ≥ 2 and every width"

_ASSUMPTIONS = {"A1": INDEPENDENCE, "A2": MIDDLE_NONZERO, "A3": INPUT_NONZERO}
_A2_DETAIL = (
    "every middle weight is a free symbol: each path's middle product is a nonzero monomial, "
    "assumed nonzero at the weights (true for almost every weight)"
)


@dataclass(frozen=True)
class Instantiation:
    """The general proof at concrete sizes: which sizes, and how many constraints it stands for.

    ``constraints`` counts the reduced constraints B(i, j; n, m) = 0 with i < j
    (Eq. 6): k₁·k_{L−1}·d(d−1)/2 for L ≥ 3, k₁·d(d−1)/2 for L = 2, d(d−1)/2 for L = 1.
    """

    sizes: tuple[tuple[str, int], ...]
    constraints: int


@dataclass(frozen=True)
class CrossCheck:
    """The instance derivation run beside the general proof, and whether the two agree.

    ``ran`` is False when the instance route did not fit the budget (``detail``
    says why); ``agrees`` is None then.  ``instance`` is the instance route's
    :class:`~ptheorem.symbolic.check.SymbolicDetails` when it ran.
    """

    ran: bool
    agrees: bool | None
    detail: str
    seconds: float | None = None
    instance: object = None


@dataclass(frozen=True)
class GeneralDetails:
    """The general route's objects, for renderers and serializers."""

    proof: Proof
    instantiation: Instantiation
    cross_check: CrossCheck | None = None


def instantiate(proof: Proof, spec: NetworkSpec) -> Instantiation:
    """The proof at ``spec``'s sizes; refuses a spec the proof is not about.

    >>> from ptheorem.general.proof import prove_depth
    >>> instantiate(prove_depth(2), NetworkSpec(2, 3, (5,)))
    Instantiation(sizes=(('d', 3), ('k1', 5)), constraints=15)
    >>> instantiate(prove_depth(2), NetworkSpec(3, 3, (5, 5)))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    ValueError: the proof is about L = 2, not L = 3
    """
    if proof.depth != spec.depth:
        raise ValueError(f"the proof is about L = {proof.depth}, not L = {spec.depth}")
    if proof.bias != spec.bias:
        kind = "with" if proof.bias else "without"
        raise ValueError(f"the proof is about networks {kind} biases")
    if spec.dim < 1 or any(w < 1 for w in spec.widths):
        raise ValueError("every size must be a positive integer")
    sizes = (("d", spec.dim), *((f"k{k}", w) for k, w in enumerate(spec.widths, start=1)))
    pairs = spec.dim * (spec.dim - 1) // 2
    if spec.depth == 1:
        constraints = pairs
    elif spec.depth == 2:
        constraints = spec.widths[0] * pairs
    else:
        constraints = spec.widths[0] * spec.widths[-1] * pairs
    return Instantiation(sizes, constraints)


def general_check(spec: NetworkSpec, granted: tuple[str, ...] = ALL_HYPOTHESES) -> CheckResult:
    """The verdict for ``spec`` (generic σ, no mask) from the general proof.

    Raises :class:`~ptheorem.general.rules.RuleRefused` when a step of the
    proof does not go through (a bug, or ``granted`` missing a hypothesis).
    """
    start = time.perf_counter()
    proof = general_proof(spec.depth, granted, spec.bias)
    timings = {"proof": time.perf_counter() - start}
    inst = instantiate(proof, spec)
    timings["total"] = time.perf_counter() - start
    details = GeneralDetails(proof, inst)
    return CheckResult(spec, _verdict(spec, proof), details, timings)


def proof_verdict(proof: Proof) -> Verdict:
    """The verdict of the general proof on its own: proved for every d ≥ 2 and every width."""
    depth = proof.depth if proof.depth is not None else 3
    parallel = depth >= 3
    conclusion = proof.conclusion
    return Verdict(
        proof.statement,
        Status.PROVED,
        parallel,
        "general",
        Evidence.SYMBOLIC_PROOF,
        f"L = {depth}: {conclusion}; {SCOPE}",
        _uses(proof),
    )


def _hypotheses(spec: NetworkSpec, proof: Proof) -> tuple[HypothesisUse, ...]:
    """The hypotheses the proof consumed, as assumptions of this verdict."""
    if spec.dim == 1:
        return ()
    return _uses(proof)


def _uses(proof: Proof) -> tuple[HypothesisUse, ...]:
    return tuple(
        HypothesisUse(_ASSUMPTIONS[h], True, Basis.ASSUMED, _detail(proof, h))
        for h in proof.hypotheses
    )


def _detail(proof: Proof, hypothesis: str) -> str:
    """Where the general proof consumes ``hypothesis``, e.g. ``step 8 of the general proof``."""
    places = []
    parts = proof.parts or (proof,)
    for k, part in enumerate(parts, start=1):
        for st in part.steps:
            if hypothesis in st.hypotheses:
                where = f"step {st.number}" + (f" of part {k}" if proof.parts else "")
                places.append(f"{where} (rule {st.by})")
    used = "used at " + ", ".join(places) + " of the general proof"
    return f"{_A2_DETAIL}; {used}" if hypothesis == "A2" else used


def _verdict(spec: NetworkSpec, proof: Proof) -> Verdict:
    hyps = _hypotheses(spec, proof)
    ids = tuple(h.id for h in hyps)
    under = f", under assumptions {', '.join(ids)}" if ids else ""
    head = f"L={spec.depth}, d={spec.dim}"
    by = f"; by the general proof ({SCOPE}), at widths ({', '.join(map(str, spec.widths))})"
    if spec.dim == 1:
        summary, parallel = f"{head}: vacuous, every ψ: R → R is a gradient", None
    elif spec.depth == 1:
        summary, parallel = f"{head}: curl-free exactly when θ⁽⁰⁾ is symmetric{by}", False
    elif spec.depth == 2:
        summary = f"{head}: weights only tied (θ⁽¹⁾ₘ = Sₘ θ⁽⁰⁾ₘ), input weights free{under}{by}"
        parallel = False
    else:
        summary = (
            f"{head}: input weights forced parallel (one feature in the first hidden layer)"
            f"{under}{by}"
        )
        parallel = True
    return Verdict(
        claim_for(spec),
        Status.PROVED,
        parallel,
        "general",
        Evidence.SYMBOLIC_PROOF,
        summary,
        hyps,
    )
