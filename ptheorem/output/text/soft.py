"""Rich rendering of ``soft``: the table with its log-scale bars, the scaling fit, the answer."""

from __future__ import annotations

import math
from typing import Any

from ptheorem.counterexamples.soft import SoftReport, SoftRow
from ptheorem.model.words import kind_words
from ptheorem.output.text.console import STATUS_STYLE
from ptheorem.output.text.search import constraints_line, header
from ptheorem.tolerances import ROUND_OFF

#: Width of the bars of the soft chart, in characters.
BAR_WIDTH = 28


def log_bar(value: float | None, low: float, high: float, width: int = BAR_WIDTH) -> str:
    """A bar whose length grows with log₁₀(value) from ``low`` (empty) to ``high`` (full).

    >>> log_bar(1e-4, 1e-8, 1.0, 8)
    '████'
    """
    if value is None or not value > 0:
        return ""
    span = math.log10(high) - math.log10(low)
    frac = 1.0 if span <= 0 else (math.log10(value) - math.log10(low)) / span
    cells = max(0.0, min(1.0, frac)) * width
    full = int(cells)
    parts = " ▏▎▍▌▋▊▉"
    rest = int((cells - full) * 8)
    return "█" * full + (parts[rest].strip() if rest else "")


def _decades(rows: tuple[SoftRow, ...]) -> tuple[float, float]:
    roots = [r.root for r in rows if r.root is not None and r.root > ROUND_OFF]
    if not roots:
        return 1e-16, 1.0
    low = 10.0 ** math.floor(math.log10(min(roots)) - 1)
    high = 10.0 ** math.ceil(math.log10(max(roots)))
    return low, max(high, low * 10)


def render_soft(report: SoftReport) -> list[Any]:
    """Renderables for ``soft``: the table with its log-scale bars, the fit, the answer."""
    from rich.table import Table
    from rich.text import Text

    config = report.config
    out = header("soft", config)[:1]
    out.append(Text("  " + constraints_line(config).split(", ", 1)[1], style="dim"))
    out.append(Text(""))
    low, high = _decades(report.rows)
    table = Table(show_edge=False, padding=(0, 1), title_justify="left")
    table.add_column("min angle", justify="right")
    table.add_column("min √NAsym", justify="right")
    table.add_column("fresh pts", justify="right")
    table.add_column("restarts", justify="right")
    table.add_column(f"log scale {low:.0e} … {high:.0e}")
    for r in report.rows:
        if not r.reachable or r.root is None or r.fresh_root is None:
            table.add_row(f"{r.angle:g}°", "—", "—", str(r.restarts), "out of reach")
            continue
        bar = "round-off" if r.root <= ROUND_OFF else log_bar(r.root, low, high)
        table.add_row(f"{r.angle:g}°", f"{r.root:.3g}", f"{r.fresh_root:.3g}", str(r.restarts), bar)
    out += [Text("How close to a gradient can ψ get with non-parallel inputs?", style="bold")]
    out += [table, Text("")]
    if report.fit is not None:
        f = report.fit
        out.append(
            Text(
                f"scaling: √NAsym ≈ {f.coefficient:.3g}·α^{f.exponent:.2f} "
                f"(α in degrees, R² = {f.r2:.3f}, {report.fit_note})"
            )
        )
    else:
        out.append(Text(report.fit_note, style="dim"))
    out.append(Text(f"{report.status.value}: {report.summary}", style=STATUS_STYLE[report.status]))
    out.append(
        Text(
            "each row is the smallest √NAsym the search reached: an upper bound on the true "
            "minimum under these constraints",
            style="dim",
        )
    )
    times = ", ".join(f"{kind_words(k)} {v:.2f} s" for k, v in report.timings.items())
    out.append(Text(f"timings: {times}", style="dim"))
    return out
