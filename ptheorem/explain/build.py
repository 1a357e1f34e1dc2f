"""Build the :class:`Explanation` of one network from its symbolic check.

Every step quotes the objects the check computed (the derivation, the solution,
the sufficiency certificate); the prose only says what they are.  Step 11 shows
the witness audits :mod:`ptheorem.run.teaching` ran (see
:mod:`ptheorem.explain.witnesses`).  Nothing here computes.
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
from ptheorem.explain.model import Explanation, Step, Witnesses
from ptheorem.explain.solution_steps import (
    rank_step,
    sufficiency_step,
    tying_step,
    verdict_step,
)
from ptheorem.explain.witnesses import witness_step
from ptheorem.model.result import CheckResult
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


def explain_result(
    result: CheckResult,
    mask: str | None = None,
    audited: Witnesses | None = None,
    witnesses: bool = True,
) -> Explanation:
    """The :class:`Explanation` of a symbolic check result run with per-path enumeration.

    ``audited`` are the live witness audits of step 11; ``witnesses`` false leaves
    the step out.
    """
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
        steps.append(witness_step(result.spec, audited))
    numbered = tuple(
        Step(s.key, k, s.title, s.blocks, s.summary) for k, s in enumerate(steps, start=1)
    )
    return Explanation(result.spec, mask, numbered, result.verdict)
