"""``check``: choose the route (general, instance, numeric), run it under its budget.

``auto`` answers a generic or smooth σ without a mask from the general proof
(:mod:`ptheorem.general`), which holds for every d and width, and runs the
instance derivation beside it as a cross-check when the cost model says it
fits the ``--timeout`` budget (in this process when the estimate is small, in a
killable worker otherwise: :func:`ptheorem.budget.run_estimated`).  A mask
needs the instance route (the parametric proof assumes every middle weight
free).  The result's notes say which route was taken and why.
"""

from __future__ import annotations

import dataclasses
import time
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ptheorem.model.errors import BudgetExceededError, InputError, PtheoremError
from ptheorem.model.result import INDEPENDENCE, CheckResult, HypothesisUse, Witness
from ptheorem.model.spec import GENERIC_ACTIVATION, NetworkSpec
from ptheorem.model.status import Basis, Evidence, Status
from ptheorem.tolerances import BUDGET_GRACE

if TYPE_CHECKING:
    from ptheorem.audit.core import Progress
    from ptheorem.budget import Deadline
    from ptheorem.general.check import CrossCheck
    from ptheorem.general.proof import Proof
    from ptheorem.io.mask import Mask

DEFAULT_TIMEOUT = 60.0
#: Path functions sampled when checking A1 for a named smooth σ.
INDEPENDENCE_PATHS = 256


class Method(StrEnum):
    """``--method`` values."""

    #: The general proof when it applies (cross-checked by the instance route in budget).
    auto = "auto"
    #: The general proof only, instantiated at the sizes (no cross-check).
    general = "general"
    #: The instance derivation at the given sizes (sympy on concrete matrices).
    instance = "instance"
    #: The instance route, under its former name.
    symbolic = "symbolic"
    #: Numeric evidence only (random smooth σ, sampled points).
    numeric = "numeric"


def run_check(
    spec: NetworkSpec,
    method: Method = Method.auto,
    timeout: float = DEFAULT_TIMEOUT,
    seed: int = 0,
    points: int | None = None,
    per_path_limit: int = 0,
    mask: Mask | None = None,
    progress: Progress | None = None,
) -> CheckResult:
    """Check ``spec`` with ``method``; raises on bad input or (instance) an exhausted budget.

    A named σ outside the paper's hypothesis (polynomial, piecewise linear) goes to
    the counterexample search; a smooth named σ gets the symbolic proof plus a
    numeric check of its path-function independence (A1).  ``progress(stage, 0,
    0)`` is called as each stage starts (the CLI's status line).
    """
    if not timeout > 0:
        raise InputError(f"--timeout must be a positive number of seconds (got {timeout:g})")
    from ptheorem.budget import Deadline

    deadline = Deadline.after(timeout)
    act = None
    if spec.activation != GENERIC_ACTIVATION:
        from ptheorem.activations import ActivationKind, get_activation

        act = get_activation(spec.activation)
        # L = 1 has no σ and d = 1 is vacuous: the symbolic answer holds for every σ.
        sigma_matters = spec.depth > 1 and spec.dim > 1
        if sigma_matters and act.kind is not ActivationKind.SMOOTH and method is not Method.numeric:
            from ptheorem.budget import run_with_budget
            from ptheorem.counterexamples.staged import hypothesis_check

            # The searches stop themselves at the budget; the child is killed a grace later.
            args = (spec, act, mask, seed, timeout)
            seconds = timeout + BUDGET_GRACE
            _stage(progress, "counterexample search")
            return run_with_budget(hypothesis_check, args, seconds, "search")  # type: ignore[no-any-return]
    if mask is not None and method in (Method.numeric, Method.general):
        raise InputError(
            f"--mask is checked by the instance derivation; drop --method {method.value}"
        )
    if method is Method.numeric:
        _stage(progress, "numeric method")
        return _numeric(spec, seed, points, (), deadline)
    generic = dataclasses.replace(spec, activation=GENERIC_ACTIVATION)
    result: CheckResult | None = None
    notes: tuple[str, ...] = ()
    if mask is None and method in (Method.auto, Method.general):
        cross = deadline if method is Method.auto else None
        result, notes = _general(generic, cross, per_path_limit, progress)
    elif method is Method.auto:
        notes = ("auto chose the instance derivation: a mask fixes middle weights to 0",)
    if result is None:
        from ptheorem.symbolic.cost import check_budget

        check_budget(spec, timeout)
        _stage(progress, "instance derivation")
        try:
            result = _symbolic(generic, deadline.remaining(), per_path_limit, mask)
        except BudgetExceededError:
            raise BudgetExceededError(
                f"the symbolic budget of {timeout:g} s ran out in the instance derivation"
            ) from None
    result = dataclasses.replace(result, notes=(*notes, *result.notes))
    result = dataclasses.replace(result, spec=spec, mask=mask.source if mask else None)
    if act is not None and act.kind is ActivationKind.SMOOTH:
        from ptheorem.budget import run_with_budget

        seconds = max(deadline.remaining(), BUDGET_GRACE)
        sampled = (result, act, mask, seed)
        _stage(progress, f"A1 sampling (σ = {act.label})")
        result = run_with_budget(_with_independence, sampled, seconds, "A1 sampling")
    if mask is not None and not result.details.solution.rank.single:
        _stage(progress, "component witness")
        result = with_component_witness(result, act, mask, seed)
    return result


def _stage(progress: Progress | None, name: str) -> None:
    """Tell ``progress`` (if any) that the stage ``name`` starts."""
    if progress is not None:
        progress(name, 0, 0)


def _general(
    spec: NetworkSpec,
    cross_deadline: Deadline | None,
    per_path_limit: int,
    progress: Progress | None = None,
) -> tuple[CheckResult | None, tuple[str, ...]]:
    """The general proof at ``spec``; cross-checked by the instance route if ``cross_deadline``.

    Returns no result (the caller takes the instance route) when a rule of the
    proof refuses, which would be a bug in the proof: the note says so.
    """
    from ptheorem.general.check import CrossCheck, general_check

    _stage(progress, "general proof")
    try:
        result = general_check(spec)
    except PtheoremError as exc:
        return None, (f"the general proof did not go through ({exc}); instance derivation used",)
    proof = result.details.proof
    note = "auto chose the general proof: generic (or smooth) σ and no mask"
    if cross_deadline is None:
        from ptheorem.run.golden import GENERAL_ONLY

        cross = CrossCheck(False, None, GENERAL_ONLY)
    else:
        _stage(progress, "instance cross-check")
        cross = _cross_check(spec, proof, cross_deadline, per_path_limit)
    details = dataclasses.replace(result.details, cross_check=cross)
    verdict = result.verdict
    if cross.ran and not cross.agrees:
        verdict = dataclasses.replace(
            verdict,
            status=Status.INCONCLUSIVE,
            input_weights_forced_parallel=None,
            summary=f"the general proof and the instance derivation disagree: {cross.detail}",
        )
    notes = (note,) if cross_deadline is not None else ()
    timings = {"proof": result.timings["proof"]}
    if cross.seconds is not None:
        timings["cross_check"] = cross.seconds
    timings["total"] = sum(timings.values())
    return dataclasses.replace(result, verdict=verdict, details=details, timings=timings), notes


def _cross_check(
    spec: NetworkSpec, proof: Proof, deadline: Deadline, per_path_limit: int
) -> CrossCheck:
    """Run the instance derivation in what is left of the budget; compare it with the proof.

    Small instances run in this process (:func:`ptheorem.budget.run_estimated`).
    """
    from ptheorem.budget import run_estimated
    from ptheorem.general.check import CrossCheck
    from ptheorem.symbolic.cost import equation_count, estimated_seconds

    timeout = deadline.seconds
    need = estimated_seconds(spec)
    left = deadline.remaining()
    if need > left:
        within = f"{timeout:g} s" if left > 0.9 * timeout else f"{left:.2g} s left of {timeout:g} s"
        return CrossCheck(
            False,
            None,
            f"not run: the instance derivation needs about {need:.3g} s for "
            f"{equation_count(spec)} reduced equations, more than the --timeout budget "
            f"({within})",
        )
    start = time.perf_counter()
    try:
        instance, agrees, detail = run_estimated(
            _instance_against_proof, (spec, proof, per_path_limit), deadline.remaining(), need
        )
    except BudgetExceededError:
        return CrossCheck(False, None, f"stopped: the --timeout budget of {timeout:g} s ran out")
    seconds = time.perf_counter() - start
    return CrossCheck(True, agrees, detail, seconds, instance)


def _instance_against_proof(
    spec: NetworkSpec, proof: Proof, per_path_limit: int
) -> tuple[Any, bool, str]:
    """In the budgeted worker: the instance derivation, and whether it says what the proof says."""
    from ptheorem.general.instances import agrees_with_instance
    from ptheorem.symbolic.check import symbolic_check

    result = symbolic_check(spec, per_path_limit)
    der = result.details.derivation
    equations = [e.reduced for g in der.groups for e in g.equations]
    same, detail = agrees_with_instance(proof, spec.dim, spec.widths, equations)
    verdict = result.verdict
    if verdict.status is not Status.PROVED:
        return (
            result.details,
            False,
            f"the instance derivation is {verdict.status.value}: " + (verdict.summary),
        )
    return result.details, same, f"instance derivation proved; {detail}"


def _with_independence(result: CheckResult, act: Any, mask: Mask | None, seed: int) -> CheckResult:
    """Check A1 numerically for the named smooth σ: the verdict can then only be supported.

    The symbolic proof holds for every σ under A1; for this σ, A1 rests on the
    rank of sampled path functions at one seeded random draw of weights.
    """
    import numpy as np

    from ptheorem.numeric.metrics import sample_points
    from ptheorem.numeric.network import ConcreteNetwork
    from ptheorem.numeric.paths import path_count, path_rank

    rng = np.random.default_rng(seed)
    net = ConcreteNetwork.random(result.spec, act, rng)
    if mask is not None:
        net = ConcreteNetwork(mask.apply(net.weights), net.biases, act)
    if net.depth < 2:
        return result
    n_paths = min(path_count(net), INDEPENDENCE_PATHS)
    report = path_rank(
        net, sample_points(rng, 2 * n_paths + 16, net.dim), rng, max_paths=INDEPENDENCE_PATHS
    )
    detail = (
        f"σ = {act.label}: rank {report.rank} of {report.paths} path functions of one random "
        f"net (seed {seed}, {report.points} points, s_min/s_max {report.sv_ratio or 0:.1e}, "
        f"rtol {report.tolerance:.1e})"
    )
    a1 = HypothesisUse(INDEPENDENCE, report.full_rank, Basis.NUMERIC, detail)
    hyps = tuple(a1 if h.id == "A1" else h for h in result.verdict.hypotheses)
    verdict = dataclasses.replace(result.verdict, hypotheses=hyps)
    if result.verdict.status is Status.PROVED:
        status = Status.SUPPORTED if report.full_rank else Status.INCONCLUSIVE
        tail = (
            f"; proved for every σ under A1, and A1 holds for σ = {act.label} on numeric "
            "evidence only"
            if report.full_rank
            else f"; but A1 fails numerically for σ = {act.label}"
        )
        verdict = dataclasses.replace(verdict, status=status, summary=result.verdict.summary + tail)
    return dataclasses.replace(result, verdict=verdict)


def with_component_witness(result: CheckResult, act: Any, mask: Mask, seed: int = 0) -> CheckResult:
    """Attach a net with one input direction per part; the literal claim is refuted if the
    witness is certified exactly (used by ``check`` and ``explain`` alike)."""
    from ptheorem.activations import get_activation
    from ptheorem.audit.certificate import certify_curl_free
    from ptheorem.counterexamples.components import component_witness

    rank = result.details.solution.rank
    parts = [c.first for c in rank.components] + [(m,) for m in rank.unlinked]
    links = [(t.n, t.m) for t in result.details.solution.tyings]
    activation = act if act is not None else get_activation("tanh")
    net = component_witness(result.spec, mask, activation, parts, links, seed)
    cert = certify_curl_free(net, seed=seed)
    explanation = (
        f"zero middle weights split the first layer into {len(parts)} parts with different "
        "input directions (hypothesis A2 fails); ψ is still curl-free"
    )
    witness = Witness(net, cert, explanation)
    verdict = result.verdict
    if verdict.status is Status.INCONCLUSIVE and not _derivation_failed(result):
        exact = cert.holds and cert.kind == "exact"
        summary = (
            f"L={result.spec.depth}, d={result.spec.dim}: the literal claim fails: input "
            f"weights parallel only within each of {len(parts)} part(s), and a witness with one "
            f"direction per part is curl-free ({cert.kind} certificate)"
        )
        verdict = dataclasses.replace(
            verdict,
            status=Status.REFUTED if exact else Status.INCONCLUSIVE,
            input_weights_forced_parallel=False,
            evidence=Evidence.EXACT_CERTIFICATE if exact else verdict.evidence,
            summary=summary
            if exact
            else verdict.summary + "; the witness is not certified exactly",
        )
    return dataclasses.replace(result, verdict=verdict, witness=witness)


def _derivation_failed(result: CheckResult) -> bool:
    """Whether some step of the symbolic derivation did not come out (not only A2)."""
    sol = result.details.solution
    return not sol.all_tied or not sol.rank.rank_at_most_one


def _symbolic(
    spec: NetworkSpec, timeout: float, per_path_limit: int, mask: Mask | None
) -> CheckResult:
    """The instance route; in this process when small (:func:`ptheorem.budget.run_estimated`)."""
    import sympy  # noqa: F401 - imported before the fork so the child starts warm

    from ptheorem.budget import run_estimated
    from ptheorem.symbolic.check import symbolic_check
    from ptheorem.symbolic.cost import estimated_seconds

    keep = None if mask is None else mask.layers
    args = (spec, per_path_limit, keep)
    return run_estimated(symbolic_check, args, timeout, estimated_seconds(spec))  # type: ignore[no-any-return]


def _numeric(
    spec: NetworkSpec, seed: int, points: int | None, notes: tuple[str, ...], deadline: Deadline
) -> CheckResult:
    """The numeric method, in a child process under what is left of the budget."""
    from ptheorem.budget import run_with_budget
    from ptheorem.numeric.check import check_numeric_size, numeric_check

    check_numeric_size(spec)  # before anything is allocated or forked
    seconds = max(deadline.remaining(), BUDGET_GRACE / 2)
    try:
        result = run_with_budget(numeric_check, (spec, seed, points), seconds, "numeric")
    except BudgetExceededError:
        raise BudgetExceededError(
            f"the budget of {deadline.seconds:g} s ran out in the numeric method"
        ) from None
    return dataclasses.replace(result, notes=(*result.notes, *notes))
