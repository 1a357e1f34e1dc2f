"""Signs of life on stderr: on an interactive terminal only, after a delay, gone when done.

The display decision (:func:`ptheorem.output.text.progress.display_wanted`) is
tested with a fake TTY (a stream whose ``isatty()`` is true); CliRunner's
stderr is not a terminal, so every command leaves it empty, in human and in
JSON mode, whatever ``FORCE_COLOR`` says.
"""

from __future__ import annotations

import io
import os
import time
from pathlib import Path
from typing import Any

import pytest
from rich.progress import TextColumn
from typer.testing import CliRunner

from ptheorem.budget import run_with_budget
from ptheorem.cli import app
from ptheorem.model.spec import NetworkSpec
from ptheorem.output.text import progress as progress_module
from ptheorem.output.text.console import make_console
from ptheorem.run.check import Method, run_check

ENV: dict[str, str | None] = {
    "COLUMNS": "80",
    "NO_COLOR": "1",
    "TERM": "xterm",
    "FORCE_COLOR": None,
    "TTY_INTERACTIVE": None,
    "TTY_COMPATIBLE": None,
    "PTHEOREM_DEBUG": None,
}


class FakeTTY(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def _console_on(buffer: io.StringIO):  # type: ignore[no-untyped-def]
    def factory(no_color: bool = False, stderr: bool = False, **kw):  # type: ignore[no-untyped-def]
        return make_console(no_color, file=buffer, width=80)

    return factory


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENV.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)


# --- the decision ---------------------------------------------------------------------------


def test_a_display_needs_a_tty_and_a_command_that_wants_one(
    clean_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    wanted = progress_module.display_wanted
    assert wanted(make_console(file=FakeTTY())) is True
    assert wanted(make_console(file=FakeTTY()), enabled=False) is False  # --format json
    assert wanted(make_console(file=io.StringIO())) is False  # a pipe, a file, a CI log
    # FORCE_COLOR makes rich call a log a terminal (for colour): still no animation
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert make_console(file=io.StringIO()).is_terminal
    assert wanted(make_console(file=io.StringIO())) is False
    monkeypatch.delenv("FORCE_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    assert wanted(make_console(file=FakeTTY())) is False
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("TTY_INTERACTIVE", "0")
    assert wanted(make_console(file=FakeTTY())) is False


def test_off_a_terminal_there_is_no_display(clean_env: None) -> None:
    with progress_module.stage_display(True) as report:  # pytest's stderr is not a terminal
        assert report is None


def test_a_slow_stage_shows_on_a_tty_and_a_fast_run_stays_silent(
    clean_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = FakeTTY()
    monkeypatch.setattr(progress_module, "make_console", _console_on(slow))
    with progress_module.stage_display(True, delay=0.0, label="check") as report:
        assert report is not None
        report("general proof", 0, 0)
        time.sleep(0.3)
    assert "check general proof" in slow.getvalue()
    fast = FakeTTY()
    monkeypatch.setattr(progress_module, "make_console", _console_on(fast))
    with progress_module.stage_display(True, delay=30.0) as report:
        assert report is not None
        report("geometry", 0, 0)
    assert fast.getvalue() == ""
    off = FakeTTY()
    monkeypatch.setattr(progress_module, "make_console", _console_on(off))
    with progress_module.stage_display(True, delay=0.0, enabled=False) as report:
        assert report is None
    assert off.getvalue() == ""


@pytest.mark.parametrize("stream", [FakeTTY, io.StringIO])
def test_the_bars_of_sweep_and_search_draw_nothing_off_a_terminal(
    clean_env: None, monkeypatch: pytest.MonkeyPatch, stream: type[io.StringIO]
) -> None:
    buffer = stream()
    monkeypatch.setattr(progress_module, "make_console", _console_on(buffer))
    with progress_module.progress_bar(True, TextColumn("bar {task.completed}")) as bar:
        task = bar.add_task("x", total=3)
        bar.update(task, completed=3)
    assert ("bar 3" in buffer.getvalue()) is (stream is FakeTTY)


def _pid() -> int:
    return os.getpid()


def test_a_worker_forked_while_the_status_line_draws_runs(
    clean_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = FakeTTY()
    monkeypatch.setattr(progress_module, "make_console", _console_on(screen))
    with progress_module.stage_display(True, delay=0.0, label="check") as report:
        assert report is not None
        report("instance cross-check", 0, 0)
        for _ in range(5):  # forks while the drawing thread redraws every 0.1 s
            assert run_with_budget(_pid, (), 30) != os.getpid()
            time.sleep(0.05)
    assert "instance cross-check" in screen.getvalue()


# --- the stages reported ----------------------------------------------------------------------


def test_check_reports_its_stages() -> None:
    seen: list[str] = []
    run_check(NetworkSpec(3, 3, (2, 3)), progress=lambda s, d, t: seen.append(s))
    assert seen == ["general proof", "instance cross-check"]
    seen.clear()
    run_check(NetworkSpec(2, 2, (2,)), Method.numeric, progress=lambda s, d, t: seen.append(s))
    assert seen == ["numeric method"]


def test_the_audit_reports_its_stages() -> None:
    import numpy as np

    import ptheorem

    seen: list[str] = []
    weights = [np.eye(2), np.array([[0.5, 0.0], [0.0, 2.0]]), np.eye(2)]
    ptheorem.audit(weights, activation="tanh", points=16, progress=lambda s, d, t: seen.append(s))
    assert seen[0] == "connectivity" and "curl-free sample" in seen and "path functions" in seen


def test_the_matrix_free_sample_reports_its_points(monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    import ptheorem
    from ptheorem.audit import sampling

    monkeypatch.setattr(sampling, "FULL_JACOBIAN_BUDGET", 0.0)
    rng = np.random.default_rng(0)
    weights = [rng.standard_normal((16, 12)), rng.standard_normal((12, 16))]
    seen: list[tuple[str, int, int]] = []
    ptheorem.audit(weights, activation="tanh", points=40, progress=lambda *a: seen.append(a))
    assert ("curl-free sample", 40, 40) in seen


# --- the commands -----------------------------------------------------------------------------


def _run(*args: str, env: dict[str, str | None] | None = None) -> Any:
    return CliRunner().invoke(app, list(args), env={**ENV, **(env or {})})


def test_check_shows_its_status_on_a_tty_but_not_in_json_mode(
    clean_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress_module, "DELAY", 0.0)
    screens: list[FakeTTY] = []

    def factory(no_color: bool = False, stderr: bool = False, **kw: Any) -> Any:
        screens.append(FakeTTY())
        return make_console(no_color, file=screens[-1], width=80)

    monkeypatch.setattr(progress_module, "make_console", factory)
    human = _run("check", "-L", "3", "-d", "4")
    assert human.exit_code == 0, human.stderr
    assert any("check" in s.getvalue() for s in screens)
    screens.clear()
    as_json = _run("check", "-L", "3", "-d", "4", "--format", "json")
    assert as_json.exit_code == 0, as_json.stderr
    assert all(s.getvalue() == "" for s in screens)


@pytest.mark.parametrize("env", [{}, {"FORCE_COLOR": "1"}])
def test_no_command_writes_progress_to_a_stderr_that_is_not_a_terminal(
    clean_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: dict[str, str]
) -> None:
    monkeypatch.setattr(progress_module, "DELAY", 0.0)  # a display would show at once
    golden = tmp_path / "golden"
    runs = [
        _run("check", "-L", "3", "-d", "4", env=env),
        _run("check", "-L", "2", "-d", "2", "--method", "numeric", env=env),
        _run("snapshot", str(golden), "--grid", "depth=2..3,dim=2", env=env),
        _run("verify", str(golden), env=env),
        _run("sweep", "--grid", "depth=2..3,dim=2", env=env),
    ]
    for result in runs:
        assert result.exit_code in (0, 5), result.stdout + result.stderr
        assert result.stderr == ""
