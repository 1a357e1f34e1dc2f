"""``soft --export FILE.svg|.png|.pdf``: √NAsym against the allowed angle, log–log, with the fit.

matplotlib is an optional extra (``pip install 'ptheorem[plot]'``); without it a
plot request is a one-line :class:`InputError` raised before any search runs
(:func:`check_plot_target`).  The terminal chart (``render_soft``) stays the default.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from ptheorem.counterexamples.soft import SoftReport
from ptheorem.model.errors import InputError
from ptheorem.tolerances import ROUND_OFF

#: Figure formats by file extension.
PLOT_FORMATS = (".svg", ".png", ".pdf")
#: What to install for plots.
PLOT_EXTRA = "pip install 'ptheorem[plot]'"


def plot_format(path: str | Path) -> str:
    """The figure format of ``path``; an :class:`InputError` for any other extension."""
    suffix = Path(path).suffix.lower()
    if suffix not in PLOT_FORMATS:
        raise InputError(
            f"--export: unknown figure type {suffix or '(none)'!r} for {str(path)!r}; "
            f"use one of {', '.join(PLOT_FORMATS)}"
        )
    return suffix


def check_plot_target(path: str | Path) -> None:
    """Refuse a plot that cannot be drawn (format, matplotlib missing) before any work."""
    plot_format(path)
    if importlib.util.find_spec("matplotlib") is None:
        raise InputError(f"--export {Path(path).name} needs matplotlib: {PLOT_EXTRA}")


def plot_points(report: SoftReport) -> list[tuple[float, float]]:
    """The (angle, √NAsym) pairs a log–log plot can show: reached, above round-off."""
    return [
        (r.angle, r.root)
        for r in report.rows
        if r.reachable and r.root is not None and r.root > ROUND_OFF and r.angle > 0
    ]


def soft_figure(report: SoftReport, path: str | Path, colour: bool = True) -> Path:
    """Draw the soft report to ``path`` (format by extension), written atomically.

    Markers are the smallest √NAsym reached at each allowed angle; the line is
    the fitted power law c·α^p (when there is a fit).  Without ``colour`` it is
    black on white, the fit dashed.
    """
    import io

    from ptheorem.io.files import atomic_open

    fmt = plot_format(path)
    check_plot_target(path)
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.0, 4.2))
    ax = fig.add_subplot()
    _draw(ax, report, colour)
    buf = io.BytesIO()
    meta: dict[str, Any] = {"svg": {"Date": None}, "pdf": {"CreationDate": None}}.get(fmt[1:], {})
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # SVG text stays editable text
        fig.savefig(buf, format=fmt[1:], bbox_inches="tight", metadata=meta or None)
    with atomic_open(Path(path), binary=True) as fh:
        fh.write(buf.getvalue())
    return Path(path)


def _draw(ax: Any, report: SoftReport, colour: bool) -> None:
    points = plot_points(report)
    marker, line = ("tab:blue", "tab:red") if colour else ("black", "black")
    if points:
        xs, ys = zip(*points, strict=True)
        ax.loglog(xs, ys, "o", color=marker, label="smallest √NAsym reached")
    fit = report.fit
    if fit is not None and points:
        lo, hi = min(xs), max(xs)
        grid = [lo * (hi / lo) ** (k / 50) for k in range(51)]
        ax.loglog(
            grid,
            [fit.coefficient * a**fit.exponent for a in grid],
            "-" if colour else "--",
            color=line,
            label=f"fit {fit.coefficient:.3g}·$\\alpha^{{{fit.exponent:.2f}}}$ (R² = {fit.r2:.3f})",
        )
    spec = report.config.spec
    ax.set_xlabel("allowed angle α between input weights (degrees)")
    ax.set_ylabel("min √NAsym")
    ax.set_title(f"ptheorem soft: {spec.label()}, σ {spec.activation}")
    ax.grid(True, which="both", alpha=0.3)
    if points:
        from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

        ax.xaxis.set_major_locator(FixedLocator(sorted(xs)))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}°"))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.legend(loc="lower right")
    else:
        ax.text(0.5, 0.5, "no angle above round-off", ha="center", transform=ax.transAxes)
