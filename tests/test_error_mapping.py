"""One place maps every way a run can fail: memory, nesting, OS and encoding errors are usage
errors (exit 2, one line, a JSON document in JSON mode); a bug is exit 4; SIGTERM is 143."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from ptheorem.cli import app
from ptheorem.model.errors import Terminated

ENV = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}


def _raising(exc: BaseException) -> Any:
    def run(*args: Any, **kwargs: Any) -> Any:
        raise exc

    return run


@pytest.mark.parametrize(
    ("exc", "code", "needle"),
    [
        (MemoryError("Unable to allocate 32.0 GiB"), 2, "out of memory (Unable to allocate"),
        (RecursionError("maximum recursion depth exceeded"), 2, "input nested too deeply"),
        (IsADirectoryError(21, "Is a directory", "out.json"), 2, "out.json: Is a directory"),
        (
            PermissionError(13, "Permission denied", "/ro/w.json"),
            2,
            "/ro/w.json: Permission denied",
        ),
        (UnicodeEncodeError("utf-8", "\udcff", 0, 1, "surrogates"), 2, "cannot be handled"),
        (ZeroDivisionError("a bug"), 4, "internal error: ZeroDivisionError: a bug"),
        (Terminated(), 143, "terminated"),
        (KeyboardInterrupt(), 130, "interrupted"),
    ],
)
@pytest.mark.parametrize("json_mode", [False, True], ids=["human", "json"])
def test_each_failure_is_one_line_with_its_exit_code(
    monkeypatch: pytest.MonkeyPatch, exc: BaseException, code: int, needle: str, json_mode: bool
) -> None:
    monkeypatch.setattr("ptheorem.run.check.run_check", _raising(exc))
    args = ["check", "-L", "3", "-d", "2"] + (["--format", "json"] if json_mode else [])
    result = CliRunner().invoke(app, args, env=ENV)
    assert result.exit_code == code
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ptheorem: error: ") and needle in lines[0]
    if json_mode:
        error = json.loads(result.stdout)["error"]
        assert error["exit_code"] == code and needle in error["message"]
    else:
        assert result.stdout == ""


def test_the_last_format_wins_for_the_error_document_too() -> None:
    result = CliRunner().invoke(
        app, ["check", "-L", "0", "-d", "2", "-f", "json", "--format", "human"], env=ENV
    )
    assert result.exit_code == 2 and result.stdout == ""
