"""Rich rendering of sweeps: the progress bar (stderr) and the summary table."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ptheorem.output.text.console import STATUS_STYLE as VERDICT_STYLE
from ptheorem.run.sweep import STATUSES, Row

#: A row's style: its verdict's colour, or magenta when the check could not run.
STATUS_STYLE = {str(k): v for k, v in VERDICT_STYLE.items()} | {"error": "bold magenta"}


def make_progress(no_color: bool, label: str = "sweep") -> Any:
    """A progress bar on stderr: done/total, percentage, elapsed time and ETA (terminal only)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from ptheorem.output.text.progress import progress_bar

    return progress_bar(
        no_color,
        TextColumn(f"[bold]{label}[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("elapsed"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[last]}", style="dim"),
    )


def counts_line(rows: list[Row]) -> str:
    """``12 configurations: 10 proved, 2 inconclusive`` (statuses in a fixed order)."""
    counts = Counter(r.status for r in rows)
    parts = [f"{counts[s]} {s}" for s in STATUSES if counts[s]]
    noun = "configuration" if len(rows) == 1 else "configurations"
    return f"{len(rows)} {noun}: " + (", ".join(parts) or "none")


def render_sweep(
    rows: list[Row],
    title: str,
    wall: float,
    skipped: int = 0,
    interrupted: bool = False,
    out: str | None = None,
) -> list[Any]:
    """The summary table (one row per configuration, in grid order) and summary lines."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left")
    table.add_column("configuration")
    table.add_column("verdict")
    table.add_column("method")
    table.add_column("evidence")
    table.add_column("time", justify="right")
    errors = any(r.error for r in rows)
    if errors:
        table.add_column("error", overflow="fold")
    for r in rows:
        cells: list[str | Text] = [
            r.key,
            Text(r.status, style=STATUS_STYLE[r.status]),
            r.method or "-",
            r.evidence or "-",
            f"{r.seconds:.2f} s",
        ]
        table.add_row(*cells, *([r.error or ""] if errors else []))
    result: list[Any] = [table] if rows else []
    busy = sum(r.seconds for r in rows)
    line = f"{counts_line(rows)}; {busy:.1f} s of checks in {wall:.1f} s wall time"
    result.append(Text(line, style="bold"))
    if skipped:
        result.append(Text(f"skipped {skipped} configurations already done (--resume)"))
    if out:
        result.append(Text(f"rows written to {out}", style="dim"))
    if interrupted:
        result.append(Text("interrupted: finished rows were kept", style="bold yellow"))
    return result
