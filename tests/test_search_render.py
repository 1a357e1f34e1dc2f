"""Rendering of ``soft`` (a fixed report on an 80-column console, colour off) and the bars."""

from __future__ import annotations

import io

from ptheorem.counterexamples.search import SearchConfig, SoftRow, fit_scaling
from ptheorem.counterexamples.soft import SoftReport
from ptheorem.model.spec import NetworkSpec
from ptheorem.output.text.console import make_console
from ptheorem.output.text.soft import log_bar, render_soft

ROWS = (
    SoftRow(90.0, False, None, None, 0, None),
    SoftRow(20.0, True, 4e-4, 5e-4, 5, 20.002),
    SoftRow(5.0, True, 2.5e-5, 3e-5, 5, 5.0005),
    SoftRow(1.0, True, 1e-6, 1.2e-6, 5, 1.0001),
    SoftRow(0.5, True, 1e-16, 2e-16, 5, 0.50005),
)

#: Regenerate by printing ``_render()`` after a deliberate change to the layout.
EXPECTED = """\
ptheorem soft  L=3, d=2, widths (3, 2), σ tanh
  middle |W| ∈ [0.25, 2], read-out ‖θ⁽ᴸ⁻¹⁾‖_F = 1 solved exactly

How close to a gradient can ψ get with non-parallel inputs?
 min angle ┃ min √NAsym ┃ fresh pts ┃ restarts ┃ log scale 1e-07 … 1e-03
━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━
       90° │          — │         — │        0 │ out of reach
       20° │     0.0004 │    0.0005 │        5 │ █████████████████████████▏
        5° │    2.5e-05 │     3e-05 │        5 │ ████████████████▊
        1° │      1e-06 │   1.2e-06 │        5 │ ███████
      0.5° │      1e-16 │     2e-16 │        5 │ round-off

scaling: √NAsym ≈ 1e-06·α^2.00 (α in degrees, R² = 1.000, fitted on 3 angles
from 1° to 20°)
inconclusive: √NAsym reached round-off (≤ 1e-12) at 0.5°: candidate curl-free
nets with input weights that far apart (certify them with `ptheorem search`)
each row is the smallest √NAsym the search reached: an upper bound on the true
minimum under these constraints
timings: total 1.50 s
"""


def _render() -> str:
    config = SearchConfig(NetworkSpec(3, 2, (3, 2), False, "tanh"), min_angle=10.0)
    fit, note = fit_scaling(ROWS)
    report = SoftReport(config, ROWS, fit, note, {"total": 1.5})
    buf = io.StringIO()
    console = make_console(no_color=True, file=buf, width=80)
    for item in render_soft(report):
        console.print(item)
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"


def test_soft_rendering_matches_the_golden_text() -> None:
    assert _render() == EXPECTED


def test_log_bar_edges() -> None:
    assert log_bar(None, 1e-8, 1.0) == ""
    assert log_bar(0.0, 1e-8, 1.0) == ""
    assert log_bar(10.0, 1e-8, 1.0, 4) == "████"
    assert log_bar(1e-12, 1e-8, 1.0, 4) == ""
    assert len(log_bar(1e-2, 1e-8, 1.0, 12)) == 9
