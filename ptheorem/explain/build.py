"""Build the :class:`Explanation` of one network from its symbolic check.

Every step quotes the objects the check computed (the derivation, the solution,
the sufficiency certificate); the prose only says what they are.  Step 11
audits tiny witness networks live with :func:`ptheorem.audit.run_audit` (see
:mod:`ptheorem.explain.witnesses`).
"""

from __future__ import annotations

from ptheorem.explain.common import Context
from ptheorem.explain.derivation_steps import (
    cancel_step,
    constraint_step,
    freeze_step,
    jacobian_step,
    network_step,
    paths_step,
)
from ptheorem.explain.model import Explanation, Step
from ptheorem.explain.solution_steps import (
    rank_step,
    sufficiency_step,
    tying_step,
    verdict_step,
)
from ptheorem.model.result import CheckResult
from ptheorem.model.spec import NetworkSpec
from ptheorem.symbolic.check import SymbolicDetails

#: Keys of the steps, in order.
STEP_KEYS = (
    "network",
    "jacobian",
    "freeze",
    "paths",
    "cancel",
    "constraint",
    "tying",
    "rank",
    "verdict",
    "sufficiency",
    "witnesses",
)


def build_explanation(
    spec: NetworkSpec,
    mask: str | None = None,
    witnesses: bool = True,
) -> Explanation:
    """Run the symbolic check of ``spec`` (small sizes) and explain it step by step.

    ``witnesses`` false leaves out the live audits of step 11 (the demo shows
    them once).
    """
    from ptheorem.explain.run import run_symbolic

    result = run_symbolic(spec, mask)
    return explain_result(result, mask, witnesses)


def explain_result(
    result: CheckResult, mask: str | None = None, witnesses: bool = True
) -> Explanation:
    """The :class:`Explanation` of a symbolic check result run with per-path enumeration."""
    details: SymbolicDetails = result.details
    ctx = Context(result, details)
    steps = [
        network_step(ctx, mask),
        jacobian_step(ctx),
        freeze_step(ctx),
        paths_step(ctx),
        cancel_step(ctx),
        constraint_step(ctx),
        tying_step(ctx),
        rank_step(ctx),
        verdict_step(ctx),
        sufficiency_step(ctx, mask),
    ]
    if witnesses:
        from ptheorem.explain.witnesses import witness_step

        steps.append(witness_step(result.spec))
    numbered = tuple(
        Step(s.key, k, s.title, s.blocks, s.summary) for k, s in enumerate(steps, start=1)
    )
    return Explanation(result.spec, mask, numbered, result.verdict)
