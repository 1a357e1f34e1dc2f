"""The one console factory: every rich Console is made here.

Colour follows the ecosystem: ``NO_COLOR`` and ``TERM=dumb`` turn it off,
``COLUMNS`` sets the width (rich reads both), and ``--no-color`` wins.

A stream that cannot encode Unicode (``PYTHONIOENCODING=ascii``, an ASCII-only
terminal) gets ASCII: rich draws ASCII boxes for such a stream by itself, and the
``ptheorem-ascii`` codec error handler (:func:`use_ascii_fallback`) spells every
other character as ``--ascii`` does (:func:`ptheorem.output.text.notation.to_ascii`:
θ → theta, ≥ → >=), so nothing crashes and nothing is printed as ``\\u03b8``.
"""

from __future__ import annotations

import codecs
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


#: The codec error handler that spells what a stream cannot encode in ASCII.
ASCII_FALLBACK = "ptheorem-ascii"


def _ascii_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: the unencodable run ``exc.object[start:end]`` in ASCII.

    The next character is passed along as context (``θx`` → ``theta x``, as ``to_ascii``
    spaces a Greek letter from a following name); bytes of a file name that were not
    UTF-8 (lone surrogates) are shown as ``\\xNN``.

    >>> "σ′ ≥ θ₁x".encode("ascii", ASCII_FALLBACK)
    b"sigma' >= theta_1 x"
    """
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    from ptheorem.io.files import printable
    from ptheorem.output.text.notation import to_ascii

    run = printable(exc.object[exc.start : exc.end])
    after = exc.object[exc.end : exc.end + 1]
    if after and after.isascii():
        text = to_ascii(run + after)[: -len(after)]
    else:
        text = to_ascii(run)
    return text, exc.end


def can_encode(stream: Any, text: str = "θσ≥━") -> bool:
    """Whether ``stream`` (its ``encoding``) can write ``text``; True when it has none."""
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return True
    try:
        text.encode(encoding)
    except (UnicodeError, LookupError):
        return False
    return True


def ascii_for(stream: Any, text: str) -> str:
    """``text`` as ``stream`` can write it: in ASCII (as ``--ascii`` spells it) if its
    encoding cannot write ``text``.  For text written past the stream's own encoder
    (click's ``echo`` writes UTF-8 bytes to a stream it thinks misconfigured)."""
    if can_encode(stream, text):
        return text
    return text.encode("ascii", ASCII_FALLBACK).decode("ascii")


def use_ascii_fallback(stream: Any) -> str | None:
    """Make ``stream`` spell what it cannot encode in ASCII (see the module doc).

    Returns the stream's former error handler to restore, or None if nothing changed
    (the stream encodes Unicode, or cannot be reconfigured).
    """
    if can_encode(stream) or not hasattr(stream, "reconfigure"):
        return None
    old = getattr(stream, "errors", None) or "strict"
    try:
        stream.reconfigure(errors=ASCII_FALLBACK)
    except (ValueError, OSError, AttributeError):
        return None
    return str(old)


codecs.register_error(ASCII_FALLBACK, _ascii_fallback)


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
