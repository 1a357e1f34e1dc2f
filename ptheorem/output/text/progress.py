"""A transient stage display on stderr for long audits (rich), shown only where it helps.

It appears once the work has run for :data:`DELAY` seconds (a fast audit never
flashes a bar), only when stderr is a terminal (never in CI logs, pipes or
``CliRunner``), and the CLI does not ask for it with ``--format json`` or
``--no-progress``.  stdout is untouched, and the display is removed when done.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ptheorem.output.text.console import make_console

#: Seconds of work before the display appears.
DELAY = 1.0

Report = Callable[[str, int, int], None]


@contextmanager
def stage_display(no_color: bool, delay: float = DELAY) -> Iterator[Report | None]:
    """Yield ``report(stage, done, total)`` driving the display, or None off a terminal."""
    console = make_console(no_color, stderr=True)
    if not console.is_terminal:
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    bar = Progress(
        SpinnerColumn(),
        TextColumn("[bold]audit[/bold] {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    lock = threading.Lock()
    state = {"shown": False, "closed": False}
    stages = ["starting"]
    tasks = [bar.add_task("starting", total=None)]

    def show() -> None:
        with lock:
            if not state["closed"]:
                bar.start()
                state["shown"] = True

    timer = threading.Timer(delay, show)
    timer.daemon = True
    timer.start()

    def report(stage: str, done: int, total: int) -> None:
        if stage != stages[-1]:  # a new stage: its own task, elapsed time and total
            bar.remove_task(tasks[-1])
            stages.append(stage)
            tasks.append(bar.add_task(stage, total=total or None))
        bar.update(tasks[-1], completed=done, total=total or None)

    try:
        yield report
    finally:
        timer.cancel()
        with lock:
            state["closed"] = True
            if state["shown"]:
                bar.stop()
