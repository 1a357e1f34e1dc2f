"""Pieces every command shares: output format, exit codes, emitting results."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import typer

from ptheorem.errors import InputError
from ptheorem.exitcodes import ExitCode


class OutputFormat(StrEnum):
    """``--format`` values."""

    human = "human"
    json = "json"


def choice(enum: Any, value: str, option: str) -> Any:
    """Parse ``value`` into ``enum`` or raise a one-line :class:`InputError`."""
    try:
        return enum(value)
    except ValueError:
        names = ", ".join(e.value for e in enum)
        raise InputError(f"{option} must be one of {names} (got {value!r})") from None


def exit_code_for(result: Any) -> ExitCode:
    """The exit code of a check result's verdict."""
    from ptheorem.result import Status

    return {
        Status.CONFIRMED: ExitCode.OK,
        Status.REFUTED: ExitCode.REFUTED,
        Status.INCONCLUSIVE: ExitCode.INCONCLUSIVE,
    }[result.verdict.status]


def emit_json(data: dict[str, Any]) -> None:
    """Write one JSON document (sorted keys) to stdout."""
    from ptheorem.serialize import dumps

    typer.echo(dumps(data))


def print_all(renderables: list[Any], no_color: bool) -> None:
    """Print rich renderables on a console from the one console factory."""
    from ptheorem.render.console import make_console

    console = make_console(no_color)
    for item in renderables:
        console.print(item)


def print_line(text: str, no_color: bool) -> None:
    """Print one unwrapped line (for ``--quiet``)."""
    from ptheorem.render.console import make_console

    make_console(no_color).print(text, markup=False, soft_wrap=True)
