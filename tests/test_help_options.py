"""Help for CI users and shells: ``-h``, examples one per line that fit 80 columns,
``--method`` and ``--activation`` as choices that help lists and completion offers."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from typing import get_args

import pytest
import typer
from typer.testing import CliRunner

from ptheorem.activations import ACTIVATIONS
from ptheorem.cli import app
from ptheorem.cli.common import ACTIVATION_NAMES, EXAMPLE_WIDTH, MethodName, help_epilog
from ptheorem.cli.main import COMMANDS
from ptheorem.run.check import Method

ENV = {"COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}
GROUP = typer.main.get_command(app)


def help_of(*args: str, columns: int = 80) -> str:
    result = CliRunner().invoke(app, list(args), env=ENV | {"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_h_is_help(name: str) -> None:
    assert (GROUP.commands[name].help or "").strip(), f"{name} has no help text"
    assert help_of(name, "-h") == help_of(name, "--help")


def test_the_app_takes_h_too() -> None:
    assert help_of("-h") == help_of("--help")
    assert "-h" in help_of("check", "-h")  # and says so


@pytest.mark.parametrize("name", COMMANDS)
def test_examples_are_one_per_line_and_fit_80_columns(name: str) -> None:
    examples = importlib.import_module(f"ptheorem.cli.{name}").EXAMPLES
    assert examples, f"{name} has no examples"
    lines = [line.strip() for line in help_of(name, "--help").splitlines()]
    for example in examples:
        # each runs ptheorem itself: help names no other tool
        assert example.startswith("ptheorem ") and " | " not in example
        assert len(example) <= EXAMPLE_WIDTH
        assert example in lines, f"{example!r} is not one whole line of '{name} --help'"
    assert " | ptheorem" not in (GROUP.commands[name].epilog or "")


def test_sweep_help_shows_its_longest_example_whole_at_80_columns() -> None:
    lines = [line.rstrip() for line in help_of("sweep", "--help").splitlines()]
    assert "   ptheorem sweep --grid 'depth=3,dim=3,activation=tanh|relu' --out rows.csv" in lines


def test_an_overlong_or_bracketed_example_would_show() -> None:
    # rich markup would swallow "[...]"; the epilog escapes it
    assert help_epilog("", ["ptheorem schema [check]"]) == "Examples:\n  ptheorem schema \\[check]"


def test_help_names_no_tool_that_no_extra_installs() -> None:
    for name in COMMANDS:
        text = help_of(name, "--help")
        assert "check-jsonschema" not in text and "jq " not in text


def test_method_is_a_choice_that_help_lists() -> None:
    assert set(get_args(MethodName)) == {m.value for m in Method}
    for name in ("check", "sweep", "snapshot"):
        assert "<auto|general|instance|symbolic|numeric>" in help_of(name, "-h", columns=200)
    bad = CliRunner().invoke(app, ["check", "-L", "2", "-d", "2", "-m", "proof"], env=ENV)
    assert bad.exit_code == 2 and bad.stdout == ""
    assert bad.stderr.startswith("ptheorem: error: Invalid value for '--method' / '-m'")
    assert (
        "'proof' is not one of 'auto', 'general', 'instance', 'symbolic', 'numeric'" in bad.stderr
    )
    assert bad.stderr.count("\n") == 1


def test_activation_help_lists_the_registered_names() -> None:
    assert set(ACTIVATION_NAMES) == set(ACTIVATIONS)
    for name in ("check", "audit", "explain", "search", "soft"):
        text = " ".join(help_of(name, "--help", columns=200).split())
        assert "NAME[:beta]" in text
        for activation in ("tanh", "gelu", "relu", "square"):
            assert activation in text
    assert "generic" in " ".join(help_of("check", "--help").split())
    bad = CliRunner().invoke(app, ["check", "-L", "2", "-d", "2", "--activation", "tanhh"])
    assert bad.exit_code == 2 and "unknown activation 'tanhh'" in bad.stderr


def _complete(words: str) -> list[str]:
    env = {
        **os.environ,
        "_PTHEOREM_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    code = "import sys; from ptheorem.cli import app; sys.argv = ['ptheorem']; app()"
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


def test_completion_offers_methods_and_activations() -> None:
    assert _complete("ptheorem check --method ") == [m.value for m in Method]
    assert _complete("ptheorem sweep -m n") == ["numeric"]
    assert _complete("ptheorem check --activation ta") == ["tanh"]
    assert _complete("ptheorem soft --activation sw") == ["swish", "swish:"]
