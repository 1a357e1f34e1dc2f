"""Step 11 of an explanation: the library's teaching constructions, as their audits judged them.

The constructions live in :mod:`ptheorem.counterexamples.library` and are audited by
:mod:`ptheorem.run.teaching`; this module only turns each audit report into the
:class:`~ptheorem.explain.model.WitnessResult` the renderers draw.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ptheorem.audit.geometry import max_pairwise_angle_deg
from ptheorem.explain.model import Block, Prose, Step, Witnesses, WitnessResult
from ptheorem.model.spec import NetworkSpec
from ptheorem.model.words import hypothesis_words


def row_angle(weight: np.ndarray) -> float | None:
    """Largest angle (degrees, in [0, 90]) between two nonzero rows; None with fewer than two."""
    rows = weight[np.any(weight != 0.0, axis=1)]
    return max_pairwise_angle_deg(rows) if rows.shape[0] >= 2 else None


def witness_result(construction: Any, net: Any, report: Any, method: str) -> WitnessResult:
    """The view of one audited construction (``report`` is its :class:`AuditReport`)."""
    return WitnessResult(
        name=construction.name,
        shape=f"{net.spec.label()}, σ {net.activation.label}",
        hypothesis=construction.breaks,
        construction=construction.summary,
        method=method,
        status=str(report.verdict.status),
        root=report.curl_free.root,
        degenerate=report.degenerate.value,
        points=report.curl_free.points,
        angle=row_angle(net.weights[0]),
        conclusion=report.verdict.explanation,
        hypotheses=tuple(
            f"{h.id} ({h.paper}): {hypothesis_words(h.name)}"
            for h in report.hypotheses
            if not h.holds
        ),
    )


def witness_step(spec: NetworkSpec, witnesses: Witnesses | None) -> Step:
    """Step 11: where the hypotheses bite, on tiny witnesses of this depth, audited live."""
    title = "Where the hypotheses bite"
    if spec.depth == 1 or spec.dim == 1 or witnesses is None:
        text = "No hypothesis is used here: with no hidden layer (or d = 1) the argument is exact."
        return Step("witnesses", 0, title, (Prose(text),))
    blocks: tuple[Block, ...] = (
        Prose(
            f"Each hypothesis is needed. Each tiny network below (depth {spec.depth}, d = 2, "
            "width 2) breaks one; the last is a random control. They are built and audited now."
        ),
        witnesses,
    )
    return Step("witnesses", 0, title, blocks)
