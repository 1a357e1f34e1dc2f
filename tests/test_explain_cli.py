"""``ptheorem explain`` through typer's CliRunner: steps, pacing, ASCII, sizes, compare."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner, Result

from ptheorem.cli import app

ENV: dict[str, str | None] = {
    "COLUMNS": "80",
    "NO_COLOR": None,
    "FORCE_COLOR": None,
    "TERM": "xterm-256color",
    "PTHEOREM_DEBUG": None,
}


def run(*args: str, input: str | None = None) -> Result:
    result = CliRunner().invoke(app, list(args), env=ENV, input=input)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_explain_prints_all_eleven_steps() -> None:
    result = run("explain", "-L", "3", "-d", "2", "--no-color")
    assert result.exit_code == 0, result.stderr
    for k in range(1, 12):
        assert f"Step {k}/11 · " in result.stdout
    assert "\x1b[" not in result.stdout


def test_step_never_waits_without_a_terminal() -> None:
    """CliRunner's stdin is no TTY: --step prints everything and asks nothing."""
    result = run("explain", "-L", "2", "-d", "2", "--step", "--no-color")
    assert result.exit_code == 0, result.stderr
    assert "Step 11/11" in result.stdout
    assert "next step" not in result.stdout


def test_step_waits_for_enter_in_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ptheorem.cli.explain.interactive", lambda: True)
    result = run("explain", "-L", "2", "-d", "2", "--step", "--no-color", input="\n" * 11)
    assert result.stdout.count("next step") == 10  # the title and step 1 come at once
    assert "Step 11/11" in result.stdout


def test_step_q_quits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ptheorem.cli.explain.interactive", lambda: True)
    result = run("explain", "-L", "2", "-d", "2", "--step", "--no-color", input="q\n")
    assert result.exit_code == 0
    assert "Step 1/11" in result.stdout
    assert "Step 2/11" not in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("explain", "-L", "3", "-d", "2", "--ascii"),
        ("explain", "-L", "2", "-d", "3", "--ascii", "--bias"),
        ("explain", "-L", "3", "-d", "2", "--ascii", "--mask", "blocks:2"),
        ("explain", "-L", "3", "-d", "2", "--ascii", "--activation", "tanh"),
        ("explain", "-d", "2", "--compare", "2,3", "--ascii"),
        ("explain", "-L", "4", "-d", "2", "--ascii"),
    ],
    ids=" ".join,
)
def test_ascii_output_is_ascii(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.exit_code in (0, 1), result.stderr
    bad = sorted({c for c in result.stdout if not c.isascii()})
    assert not bad, bad


def test_compare_shows_vector_against_matrix() -> None:
    result = run("explain", "-d", "2", "--compare", "2,3", "--no-color")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "L=2, d=2, widths (2)" in out and "L=3, d=2, widths (2, 2)" in out
    assert "S is a vector" in out and "S is a matrix" in out
    assert "input weights free" in out and "input weights parallel" in out


def test_mask_refutes_with_exit_1() -> None:
    result = run("explain", "-L", "3", "-d", "2", "--mask", "blocks:2", "--no-color")
    assert result.exit_code == 1
    assert "verdict: refuted" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-L", "3", "-d", "3", "--widths", "9"), "explain is for small nets: 81 backward paths"),
        (("-d", "2"), "--depth is required"),
        (("-d", "2", "--compare", "2"), "exactly two depths"),
        (("-d", "2", "--compare", "2,x"), "--compare takes two depths"),
        (("-L", "3", "-d", "2", "--activation", "nope"), "unknown activation"),
        (("-L", "2", "-d", "2", "--mask", "blocks:2"), "--mask needs middle weight layers"),
        (("-L", "3", "-d", "2", "--export", "notes.pdf"), "unknown file type '.pdf'"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else v,
)
def test_bad_input_is_one_line_exit_2(args: tuple[str, ...], message: str) -> None:
    result = run("explain", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_explain_has_help() -> None:
    result = run("explain", "--help")
    assert result.exit_code == 0
    assert "--compare" in result.stdout and "--export" in result.stdout
