"""How far from a gradient can ψ get while its two input weights keep an angle (numeric).

The demo's table comes from :func:`ptheorem.counterexamples.soft.run_soft` in a tiny
setting (three angles, one restart each); this module only turns its report into
the :class:`~ptheorem.explain.model.SoftTable` the renderers draw.  Theorem 5
predicts a positive minimum at every angle > 0: only parallel input weights
reach a gradient.
"""

from __future__ import annotations

from collections.abc import Sequence

from ptheorem.counterexamples.search.core import SearchConfig
from ptheorem.counterexamples.soft import run_soft
from ptheorem.explain.model import SoftRow, SoftTable
from ptheorem.model.spec import NetworkSpec


def soft_table(angles: Sequence[float] = (45.0, 15.0, 5.0), seed: int = 0) -> SoftTable:
    """The demo's soft-analysis table: ``run_soft`` on an L = 3, d = 2 tanh net, computed now.

    One restart per angle (plus the warm start from the previous angle), seeded.
    """
    spec = NetworkSpec(3, 2, (2, 2), activation="tanh")
    config = SearchConfig(spec=spec, restarts=1, seed=seed, min_angle=min(angles))
    report = run_soft(config, tuple(angles))
    rows = tuple(
        SoftRow(r.angle, r.root, r.fresh_root)
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
        spec=spec,
        points=config.points,
        seed=seed,
        rows=rows,
        method="ptheorem.counterexamples.soft.run_soft, 1 restart per angle: minimised over all "
        "weights with the input weights at least α apart",
        angle_label="input weights ≥ α apart",
        value_label="min √NAsym",
        summary=f"The minimum shrinks with α but stays positive: {trend}. Only parallel input "
        "weights (α = 0) reach a gradient, as Theorem 5 says.",
    )
