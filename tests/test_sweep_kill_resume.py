"""Sweeps lose and duplicate nothing: SIGINT and SIGKILL at random moments, then --resume.

After every interruption the row file holds whole rows only (a torn last line, as a
killed writer may leave, is cut off and its configuration run again); at the end every
configuration of the grid appears exactly once.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ptheorem.run.golden import file_stem
from ptheorem.run.grid import parse_grid

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="POSIX signals")

GRID = "depth=3..5,dim=2|3,widths=2|3"
KEYS = {file_stem(s) for s in parse_grid(GRID).specs()}


def _sweep(out: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ptheorem",
            "sweep",
            "--grid",
            GRID,
            "--jobs",
            "2",
            "--no-progress",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        start_new_session=True,
    )


def _keys(path: Path) -> list[str]:
    text = path.read_text("utf-8") if path.exists() else ""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines.pop()  # a torn line, cut by the next run
    return [json.loads(line)["key"] for line in lines if line.strip()]


@pytest.mark.parametrize("seed", [1, 2])
def test_interrupted_and_killed_sweeps_resume_to_each_configuration_once(
    tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    out = tmp_path / "rows.jsonl"
    for k, sig in enumerate([signal.SIGINT, signal.SIGKILL, signal.SIGINT, signal.SIGKILL]):
        proc = _sweep(out, "--resume", str(out)) if k else _sweep(out, "--out", str(out))
        time.sleep(rng.uniform(1.0, 3.5))
        if proc.poll() is None:
            proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
        assert "Traceback" not in err, err
        if sig == signal.SIGINT and proc.returncode not in (0, 2, 3):
            assert proc.returncode == 130, err
        keys = _keys(out)
        assert len(keys) == len(set(keys)), f"duplicated rows after run {k}"
        if k == 1:  # what a writer killed mid-line would leave
            with out.open("a", encoding="utf-8") as f:
                f.write('{"key": "L3_d2_w2-2_nobias", "status": "pro')
    proc = _sweep(out, "--resume", str(out))
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    keys = _keys(out)
    assert sorted(keys) == sorted(KEYS), "every configuration exactly once"
    assert out.read_text("utf-8").endswith("\n")
