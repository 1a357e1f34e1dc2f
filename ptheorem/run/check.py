"""``check``: choose the method (symbolic, numeric, auto), run it under its budget.

``auto`` runs the symbolic proof when the configuration is inside the symbolic
size limits and falls back to the numeric evidence otherwise, or when the
symbolic budget runs out; the result's notes say which was chosen and why.
"""

from __future__ import annotations

import dataclasses
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ptheorem.model.errors import BudgetExceededError, InputError, SizeLimitError
from ptheorem.model.result import INDEPENDENCE, CheckResult, HypothesisUse, Witness
from ptheorem.model.spec import GENERIC_ACTIVATION, NetworkSpec
from ptheorem.model.status import Basis, Evidence, Status
from ptheorem.tolerances import AUTO_FALLBACK_RESERVE, BUDGET_GRACE

if TYPE_CHECKING:
    from ptheorem.budget import Deadline
    from ptheorem.io.mask import Mask

DEFAULT_TIMEOUT = 60.0
#: Path functions sampled when checking A1 for a named smooth σ.
INDEPENDENCE_PATHS = 256


class Method(StrEnum):
    """``--method`` values."""

    symbolic = "symbolic"
    numeric = "numeric"
    auto = "auto"


def run_check(
    spec: NetworkSpec,
    method: Method = Method.auto,
    timeout: float = DEFAULT_TIMEOUT,
    seed: int = 0,
    points: int | None = None,
    per_path_limit: int = 0,
    mask: Mask | None = None,
) -> CheckResult:
    """Check ``spec`` with ``method``; raises on bad input or (symbolic) an exhausted budget.

    A named σ outside the paper's hypothesis (polynomial, piecewise linear) goes to
    the counterexample search; a smooth named σ gets the symbolic proof plus a
    numeric check of its path-function independence (A1).
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
            return run_with_budget(hypothesis_check, args, seconds, "search")  # type: ignore[no-any-return]
    if mask is not None and method is Method.numeric:
        raise InputError("--mask is checked symbolically; drop --method numeric")
    if method is Method.numeric:
        return _numeric(spec, seed, points, (), deadline)
    from ptheorem.symbolic.limits import check_limits

    generic = dataclasses.replace(spec, activation=GENERIC_ACTIVATION)
    if method is Method.auto:
        try:
            check_limits(spec)
        except SizeLimitError as exc:
            if mask is not None:
                raise SizeLimitError(f"--mask needs the symbolic method, but {exc}") from None
            return _numeric(spec, seed, points, (f"auto chose numeric: {exc}",), deadline)
    fallback = method is Method.auto and mask is None
    symbolic_budget = timeout - (min(timeout / 2, AUTO_FALLBACK_RESERVE) if fallback else 0.0)
    try:
        result = _symbolic(generic, symbolic_budget, per_path_limit, mask)
    except BudgetExceededError as exc:
        if not fallback:
            raise
        note = f"{exc}; fell back to the numeric method"
        return _numeric(spec, seed, points, (note,), deadline)
    result = dataclasses.replace(result, spec=spec, mask=mask.source if mask else None)
    if method is Method.auto:
        note = "auto chose symbolic: the configuration is within the symbolic size limits"
        result = dataclasses.replace(result, notes=(*result.notes, note))
    if act is not None and act.kind is ActivationKind.SMOOTH:
        from ptheorem.budget import run_with_budget

        seconds = max(deadline.remaining(), BUDGET_GRACE)
        sampled = (result, act, mask, seed)
        result = run_with_budget(_with_independence, sampled, seconds, "A1 sampling")
    if mask is not None and not result.details.solution.rank.single:
        result = with_component_witness(result, act, mask, seed)
    return result


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
    import sympy  # noqa: F401 - imported before the fork so the child starts warm

    from ptheorem.budget import run_with_budget
    from ptheorem.symbolic.check import symbolic_check

    keep = None if mask is None else mask.layers
    return run_with_budget(symbolic_check, (spec, per_path_limit, keep), timeout)  # type: ignore[no-any-return]


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
