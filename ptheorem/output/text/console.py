"""The one console factory: every rich Console is made here.

Colour follows the ecosystem: ``NO_COLOR`` and ``TERM=dumb`` turn it off,
``COLUMNS`` sets the width (rich reads both), and ``--no-color`` wins.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from ptheorem.model.status import Status

#: The colour of each verdict status, for every renderer.
STATUS_STYLE = {
    Status.PROVED: "bold green",
    Status.REFUTED: "bold red",
    Status.SUPPORTED: "bold cyan",
    Status.INCONCLUSIVE: "bold yellow",
}


def colour_wanted(no_color: bool) -> bool:
    """Whether colour may be used, before asking whether the stream is a terminal."""
    if no_color or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return True


def make_console(
    no_color: bool = False, stderr: bool = False, file: IO[str] | None = None, **kw: Any
) -> Any:
    """A rich Console honouring the colour rules above."""
    from rich.console import Console

    if not colour_wanted(no_color):
        kw.setdefault("color_system", None)
        kw.setdefault("no_color", True)
    console = Console(stderr=stderr, file=file, highlight=False, **kw)
    console.on_broken_pipe = _broken_pipe  # type: ignore[method-assign]
    return console


@contextmanager
def broken_pipe_raises() -> Iterator[None]:
    """Within: every rich Console (also those typer makes for ``--help``) raises
    ``BrokenPipeError`` on a closed stream instead of rich's ``SystemExit(1)``."""
    from rich.console import Console

    old = Console.on_broken_pipe
    Console.on_broken_pipe = lambda self: _broken_pipe()  # type: ignore[method-assign]
    try:
        yield
    finally:
        Console.on_broken_pipe = old  # type: ignore[method-assign]


def _broken_pipe() -> None:
    """A closed stdout (``| head -1``) is raised, not turned into rich's ``exit 1`` (which
    reads as "refuted"); :mod:`ptheorem.cli.main` maps it to 141 once, for every command."""
    import errno

    raise BrokenPipeError(errno.EPIPE, "the output stream was closed")
