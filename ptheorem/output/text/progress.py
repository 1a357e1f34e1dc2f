"""Signs of life on stderr for long work (rich), shown only where they help.

One decision for every display (:func:`display_wanted`): a display is drawn
only when stderr is an interactive terminal (never in CI logs, pipes, files or
``CliRunner``, even with ``FORCE_COLOR`` set, so no half-drawn bar or ``…``
fragment can end up in a log) and the command does not ask for none
(``--format json``, ``--no-progress``).
stdout is never touched.

* :func:`stage_display` is a transient status line (spinner, command, stage,
  elapsed time, a bar when the stage has a total) for ``check``, ``audit``,
  ``verify`` and ``snapshot``.  It appears once the work has run for
  :data:`DELAY` seconds (a fast run never flashes one) and is removed when done.
* :func:`progress_bar` is the bar of ``sweep``, ``search`` and ``soft``: off a
  terminal it is disabled (draws nothing, not even its final state).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ptheorem.output.text.console import make_console

#: Seconds of work before the status line appears.
DELAY = 1.0

Report = Callable[[str, int, int], None]


def display_wanted(console: Any, enabled: bool = True) -> bool:
    """Whether to draw a progress display on ``console`` (a stderr Console).

    Only if the command wants one (``enabled`` is False in JSON mode and with
    ``--no-progress``), and only on an interactive terminal: the stream itself
    must be a TTY (``FORCE_COLOR`` or ``TTY_COMPATIBLE`` make rich treat a CI
    log as a terminal for colour, not for animation), not ``TERM=dumb``, and
    ``TTY_INTERACTIVE=0`` turns it off (rich's ``is_interactive``).
    """
    isatty = getattr(console.file, "isatty", None)
    try:
        tty = bool(isatty is not None and isatty())
    except ValueError:  # a closed stream
        tty = False
    return enabled and tty and bool(console.is_interactive)


def progress_bar(no_color: bool, *columns: Any, transient: bool = False) -> Any:
    """A rich ``Progress`` on stderr with ``columns``; disabled unless :func:`display_wanted`."""
    from rich.progress import Progress

    console = make_console(no_color, stderr=True)
    return Progress(
        *columns, console=console, transient=transient, disable=not display_wanted(console)
    )


@contextmanager
def stage_display(
    no_color: bool, delay: float | None = None, label: str = "audit", enabled: bool = True
) -> Iterator[Report | None]:
    """Yield ``report(stage, done, total)`` driving a status line, or None when not wanted.

    ``label`` names the command on the line; ``total`` 0 means "no total known"
    (a spinner and the elapsed time, no bar); ``delay`` defaults to
    :data:`DELAY`.  The line is drawn by a thread of this module that holds
    :data:`_DRAWING` while it draws, and a fork (a budgeted worker) waits for
    that lock: a worker never starts with stderr locked half-way through a redraw.
    """
    console = make_console(no_color, stderr=True)
    if not display_wanted(console, enabled):
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
        TextColumn(f"[bold]{label}[/bold] {{task.description}}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        auto_refresh=False,
    )
    stages = ["starting"]
    tasks = [bar.add_task("starting", total=None)]
    done = threading.Event()
    shown = threading.Event()

    wait = DELAY if delay is None else delay

    def draw() -> None:
        if done.wait(wait):
            return
        with _DRAWING:
            if done.is_set():
                return
            bar.start()
            shown.set()
        while not done.wait(REFRESH_SECONDS):
            with _DRAWING:
                if not done.is_set():
                    bar.refresh()

    def report(stage: str, completed: int, total: int) -> None:
        with _DRAWING:
            if stage != stages[-1]:  # a new stage: its own task, elapsed time and total
                bar.remove_task(tasks[-1])
                stages.append(stage)
                tasks.append(bar.add_task(stage, total=total or None))
            bar.update(tasks[-1], completed=completed, total=total or None)

    drawer = threading.Thread(target=draw, name="ptheorem-status", daemon=True)
    drawer.start()
    try:
        yield report
    finally:
        with _DRAWING:
            done.set()
            if shown.is_set():
                bar.stop()
        drawer.join(1.0)


#: Held while a status line is drawn; a fork waits for it (see :func:`stage_display`).
_DRAWING = threading.RLock()
#: Seconds between two redraws of a status line (spinner and elapsed time).
REFRESH_SECONDS = 0.1
os.register_at_fork(
    before=_DRAWING.acquire, after_in_parent=_DRAWING.release, after_in_child=_DRAWING.release
)
