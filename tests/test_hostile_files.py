"""Hostile input files: each gives exit 2 and one line naming the problem, never a traceback.

The corpus is ``tests/data/hostile`` (made by its ``make.py``, manifest ``expected.json``);
a directory, a FIFO, a symlink loop and names that are not UTF-8 are made per test by
``make_special``.  Every input file is left exactly as it was.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ptheorem.cli import app

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
MANIFEST: list[dict[str, Any]] = json.loads((HOSTILE / "expected.json").read_text("utf-8"))
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}


def _maker() -> Any:
    spec = importlib.util.spec_from_file_location("hostile_make", HOSTILE / "make.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _digest(path: str) -> str | None:
    """The file's SHA-256 (None for a FIFO, a directory, a loop: never opened here)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return None


def _check(entry: dict[str, Any], file: str, json_mode: bool) -> None:
    args = [file if a == "{file}" else a for a in entry["args"]]
    if json_mode:
        args += ["--format", "json"]
    before = _digest(file)
    result = CliRunner().invoke(app, args, env=ENV)
    lines = result.stderr.splitlines()
    assert result.exit_code == entry["exit_code"], (args, result.stdout, result.stderr)
    assert len(lines) == 1 and lines[0].startswith("ptheorem: error: "), result.stderr
    assert entry["message"] in lines[0], lines[0]
    assert "Traceback" not in result.stdout + result.stderr
    if json_mode:
        error = json.loads(result.stdout)["error"]
        assert error["exit_code"] == entry["exit_code"] and entry["message"] in error["message"]
    else:
        assert result.stdout == ""
    assert _digest(file) == before  # inputs are only read


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
@pytest.mark.parametrize("json_mode", [False, True], ids=["human", "json"])
def test_each_hostile_file_gives_its_one_line_error(entry: dict[str, Any], json_mode: bool) -> None:
    _check(entry, str(HOSTILE / entry["file"]), json_mode)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="FIFOs and byte file names")
def test_directories_fifos_loops_and_non_utf8_names(tmp_path: Path) -> None:
    for entry in _maker().make_special(tmp_path):
        for json_mode in (False, True):
            _check(entry, entry["file"], json_mode)


def test_the_corpus_is_what_its_script_makes(tmp_path: Path) -> None:
    manifest = _maker().make(tmp_path)
    assert manifest == MANIFEST
    for entry in manifest:
        made, committed = tmp_path / entry["file"], HOSTILE / entry["file"]
        assert made.read_bytes() == committed.read_bytes(), entry["file"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="byte file names")
@pytest.mark.parametrize("encoding", [None, "utf-8"], ids=["default", "PYTHONIOENCODING=utf-8"])
def test_a_non_utf8_name_is_printed_escaped_and_json_stays_utf8(
    tmp_path: Path, encoding: str | None
) -> None:
    """The name is escaped as \\xNN on stderr and in the JSON error; stdout is valid UTF-8."""
    name = os.fsencode(tmp_path) + b"/missing\xff.npz"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONIOENCODING"}
    if encoding:
        env["PYTHONIOENCODING"] = encoding
    proc = subprocess.run(
        [sys.executable, "-m", "ptheorem", "audit", name, "--format", "json"],
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    out = proc.stdout.decode("utf-8")  # raises if a raw 0xFF byte got through
    assert "missing\\\\xff.npz: no such file" in out
    err = proc.stderr.decode("utf-8").splitlines()
    assert len(err) == 1 and "missing\\xff.npz: no such file" in err[0]
    assert json.loads(out)["error"]["exit_code"] == 2
