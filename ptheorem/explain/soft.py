"""The demo's soft-analysis table: a view of a soft report (:mod:`ptheorem.counterexamples.soft`).

The report is computed by :mod:`ptheorem.run.teaching` (``run_soft`` in a tiny
setting: three angles, one restart each); this module only turns it into the
:class:`~ptheorem.explain.model.SoftTable` the renderers draw.  Theorem 5
predicts a positive minimum at every angle > 0: only parallel input weights
reach a gradient.
"""

from __future__ import annotations

from typing import Any

from ptheorem.explain.model import SoftTable, SoftTableRow


def soft_table(report: Any, config: Any) -> SoftTable:
    """The :class:`SoftTable` of a soft report and the search configuration it ran with."""
    rows = tuple(
        SoftTableRow(r.angle, r.root, r.fresh_root)
        for r in report.rows
        if r.reachable and r.root is not None
    )
    fit = report.fit
    trend = (
        f"√NAsym ≈ c·α^p with p = {fit.exponent:.2f} ({report.fit_note})"
        if fit is not None
        else report.fit_note
    )
    return SoftTable(
        spec=config.spec,
        points=config.points,
        seed=config.seed,
        rows=rows,
        method="the search of ptheorem soft, 1 restart per angle: minimised over "
        "all weights with the input weights at least α apart",
        angle_label="input weights ≥ α apart",
        value_label="min √NAsym",
        summary=f"The minimum shrinks with α but stays positive: {trend}. Only parallel input "
        "weights (α = 0) reach a gradient, as Theorem 5 says.",
    )
