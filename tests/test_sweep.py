"""``ptheorem sweep``: parallel rows, --out JSON Lines/CSV, --resume, interrupt safety."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from ptheorem.cli import app
from ptheorem.model.errors import InputError
from ptheorem.run.golden import file_stem
from ptheorem.run.grid import parse_grid
from ptheorem.run.sweep import CSV_COLUMNS, read_done, read_rows

ENV = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}
GRID = "depth=1..3,dim=2|3"
KEYS = {
    "L1_d2_w0_nobias",
    "L1_d3_w0_nobias",
    "L2_d2_w2_nobias",
    "L2_d3_w3_nobias",
    "L3_d2_w2-2_nobias",
    "L3_d3_w3-3_nobias",
}
#: A grid slow enough (a few seconds with one worker) to interrupt part way.
SLOW_GRID = "depth=3..6,dim=3|4,widths=3|4,bias=no|yes"
#: Its first eight configurations.
RESUME_GRID = "depth=3,dim=3|4,widths=3|4,bias=no|yes"


def run(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def content(rows: list[dict[str, Any]]) -> set[str]:
    """Rows without timings, as comparable strings."""
    return {
        json.dumps({k: v for k, v in r.items() if k != "seconds"}, sort_keys=True) for r in rows
    }


def test_jobs_1_and_jobs_2_give_the_same_rows(tmp_path: Path) -> None:
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    r1 = run("sweep", "--grid", GRID, "--jobs", "1", "--out", str(one), "--no-progress")
    r2 = run("sweep", "--grid", GRID, "--jobs", "2", "--out", str(two))
    assert r1.exit_code == 0 and r2.exit_code == 0, r1.stdout + r2.stdout
    rows1, rows2 = read_rows(one), read_rows(two)
    assert {r["key"] for r in rows1} == KEYS
    assert content(rows1) == content(rows2)
    assert all(r["status"] == "proved" and r["method"] == "general" for r in rows1)
    assert "6 configurations: 6 proved" in r1.stdout
    assert "rows written to" in r1.stdout


def test_json_output_in_grid_order_and_progress_only_on_stderr(tmp_path: Path) -> None:
    result = run("sweep", "--grid", "depth=2..3,dim=2", "--jobs", "2", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)  # nothing but JSON on stdout
    assert [r["key"] for r in data["rows"]] == ["L2_d2_w2_nobias", "L3_d2_w2-2_nobias"]
    assert data["summary"]["proved"] == 2 and data["interrupted"] is False
    assert result.stderr == ""  # no progress bar off a terminal (a CI log)


def test_resume_skips_done_rows_and_appends(tmp_path: Path) -> None:
    out = tmp_path / "rows.jsonl"
    first = run("sweep", "--grid", "depth=2,dim=2|3", "--jobs", "1", "--out", str(out))
    assert first.exit_code == 0
    # A partial last line, as a killed writer leaves it: not done, and cut off.
    with out.open("a", encoding="utf-8") as f:
        f.write('{"key": "L3_d2_w2-2_nob')
    assert read_done(out) == {"L2_d2_w2_nobias", "L2_d3_w3_nobias"}
    again = run("sweep", "--grid", GRID, "--jobs", "2", "--resume", str(out), "--no-progress")
    assert again.exit_code == 0
    assert "skipped 2 configurations already done" in again.stdout
    assert "4 configurations: 4 proved" in again.stdout
    keys = [r["key"] for r in read_rows(out)]
    assert sorted(keys) == sorted(KEYS)  # each once
    assert out.read_text(encoding="utf-8").endswith("\n")
    done = run("sweep", "--grid", GRID, "--resume", str(out), "--no-progress")
    assert done.exit_code == 0 and "skipped 6" in done.stdout


def test_csv_out_and_resume(tmp_path: Path) -> None:
    out = tmp_path / "rows.csv"
    assert run("sweep", "--grid", "depth=2,dim=2", "-j", "1", "-o", str(out)).exit_code == 0
    result = run("sweep", "--grid", "depth=2..3,dim=2", "-j", "1", "--resume", str(out))
    assert result.exit_code == 0 and "skipped 1" in result.stdout
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [r["key"] for r in rows] == ["L2_d2_w2_nobias", "L3_d2_w2-2_nobias"]
    assert rows[1]["widths"] == "2-2" and rows[1]["status"] == "proved"


def test_failures_become_rows_and_set_the_exit_code(tmp_path: Path) -> None:
    result = run(
        "sweep", "--grid", "depth=2,dim=2|300", "--method", "instance", "-j", "1", "-f", "json"
    )
    assert result.exit_code == 3
    rows = {r["key"]: r for r in json.loads(result.stdout)["rows"]}
    assert rows["L2_d2_w2_nobias"]["status"] == "proved"
    bad = rows["L2_d300_w300_nobias"]
    assert bad["status"] == "inconclusive" and "budget" in bad["error"]


def test_usage_errors(tmp_path: Path) -> None:
    bad_ext = run("sweep", "--grid", GRID, "--out", str(tmp_path / "rows.txt"))
    assert bad_ext.exit_code == 2 and "use a .jsonl (JSON Lines) or .csv" in bad_ext.stderr
    assert run("sweep", "--grid", GRID, "--jobs", "0").exit_code == 2
    assert run("sweep", "--grid", GRID, "--method", "magic").exit_code == 2
    assert run("sweep", "--grid", "depth=2").exit_code == 2
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"key": "a"}\nnot json\n{"key": "b"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="broken.jsonl:2 is not a ptheorem sweep row"):
        read_done(broken)


# --------------------------------------------------------------------------- interrupts


def start_sweep(out: Path, cwd: Path) -> subprocess.Popen[str]:
    args = [sys.executable, "-m", "ptheorem", "sweep", "--grid", SLOW_GRID, "--jobs", "1"]
    return subprocess.Popen(
        [*args, "--out", str(out), "--no-progress", "--no-color"],
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: workers included
    )


def wait_for_rows(out: Path, proc: subprocess.Popen[str], rows: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if out.exists() and out.read_text(encoding="utf-8").count("\n") >= rows:
            return
        assert proc.poll() is None, "the sweep ended before it could be interrupted"
        time.sleep(0.05)
    pytest.fail("no rows appeared")


def live_in_group(pgid: int) -> list[int]:
    """Processes of a process group that are not zombies (Linux /proc; [] elsewhere)."""
    live = []
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        state, pgrp = fields[0], int(fields[2])
        if pgrp == pgid and state not in ("Z", "X"):
            live.append(int(entry.parent.name))
    return live


def assert_valid_jsonl(out: Path) -> list[str]:
    lines = out.read_text(encoding="utf-8").split("\n")
    complete, tail = lines[:-1], lines[-1]  # tail: "" or a partial row of a killed writer
    keys = [json.loads(line)["key"] for line in complete]
    assert len(keys) == len(set(keys))
    if tail:
        with pytest.raises(json.JSONDecodeError):
            json.loads(tail)
    return keys


def test_ctrl_c_keeps_the_finished_rows(tmp_path: Path) -> None:
    out = tmp_path / "rows.jsonl"
    proc = start_sweep(out, tmp_path)
    wait_for_rows(out, proc, 2)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    keys = assert_valid_jsonl(out)
    assert 2 <= len(keys) < 32
    assert "interrupted: finished rows were kept" in stdout
    assert f"ptheorem: interrupted after {len(keys)} of 32 configurations" in stderr


def test_killed_sweep_file_is_valid_and_resumable(tmp_path: Path) -> None:
    out = tmp_path / "rows.jsonl"
    proc = start_sweep(out, tmp_path)
    wait_for_rows(out, proc, 3)
    try:
        proc.kill()  # SIGKILL to the sweep process alone: no chance to clean up
        proc.wait(timeout=60)
        # Its workers notice (lifeline pipe) and stop, with their symbolic children.
        deadline = time.monotonic() + 20
        while live_in_group(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not live_in_group(proc.pid), "workers outlived the killed sweep"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=60)
    keys = assert_valid_jsonl(out)
    assert len(keys) >= 3
    # Resume a part of the grid (the first rows, in grid order with one worker).
    part = parse_grid(RESUME_GRID).specs()
    wanted = [file_stem(s) for s in part]
    already = [k for k in keys if k in wanted]
    result = run("sweep", "--grid", RESUME_GRID, "--jobs", "2", "--resume", str(out))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert f"skipped {len(already)} configurations" in result.stdout
    final = assert_valid_jsonl(out)
    assert final[: len(keys)] == keys and set(wanted) <= set(final)
