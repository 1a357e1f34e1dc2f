"""The one console factory: every rich Console is made here.

Colour follows the ecosystem: ``NO_COLOR`` and ``TERM=dumb`` turn it off,
``COLUMNS`` sets the width (rich reads both), and ``--no-color`` wins.
"""

from __future__ import annotations

import os
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
    return Console(stderr=stderr, file=file, highlight=False, **kw)
