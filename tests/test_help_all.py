"""Every registered command (ours and colleagues') has help text and examples; completion works."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from ptheorem.cli import app

ENV = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}


def _is_group(cmd: Any) -> bool:
    return isinstance(getattr(cmd, "commands", None), dict)


def _commands(group: Any, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    """Every command of the app, nested groups (``add_typer``) included, by its argv path."""
    out: dict[tuple[str, ...], Any] = {}
    for name, cmd in group.commands.items():
        out[(*prefix, name)] = cmd
        if _is_group(cmd):
            out |= _commands(cmd, (*prefix, name))
    return out


#: Built from the typer app itself, so commands added by any module are covered.
COMMANDS = _commands(typer.main.get_command(app))


def test_the_app_has_its_commands() -> None:
    names = {path[0] for path in COMMANDS}
    assert {"check", "schema", "snapshot", "sweep", "verify"} <= names


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=" ".join)
def test_command_has_help_and_examples(path: tuple[str, ...]) -> None:
    cmd = COMMANDS[path]
    assert (cmd.help or "").strip(), f"ptheorem {' '.join(path)} has no help text (docstring)"
    if not _is_group(cmd):
        epilog = cmd.epilog or ""
        assert "Example" in epilog, f"ptheorem {' '.join(path)} has no examples in its epilog"
    result = CliRunner().invoke(app, [*path, "--help"], env=ENV)
    assert result.exit_code == 0, result.stdout + result.stderr
    first_line = (cmd.help or "").strip().splitlines()[0]
    assert first_line[:40] in " ".join(result.stdout.split())


def test_top_level_help_lists_every_command_and_completion() -> None:
    result = CliRunner().invoke(app, ["--help"], env=ENV)
    assert result.exit_code == 0
    for path in COMMANDS:
        if len(path) == 1:
            assert path[0] in result.stdout
    assert "--install-completion" in result.stdout
    assert "--show-completion" in result.stdout


def test_shell_completion_completes_command_names() -> None:
    env = {
        **os.environ,
        "_PTHEOREM_COMPLETE": "complete_bash",
        "COMP_WORDS": "ptheorem sw",
        "COMP_CWORD": "1",
    }
    code = "import sys; from ptheorem.cli import app; sys.argv = ['ptheorem']; app()"
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["sweep"]
