"""Files the user already has are not overwritten without --force, and writes leave no
temporary file behind, even when the writer is killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ptheorem.cli import app
from ptheorem.io.files import atomic_open, write_atomic

ENV = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}
WITNESS = ["check", "-L", "3", "-d", "2", "--widths", "4", "--mask", "blocks:2", "-q"]


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=ENV)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        [*WITNESS, "--witness"],
        ["search", "-L", "3", "-d", "2", "--widths", "3,1", "--activation", "square",
         "--no-progress", "--witness"],
        ["explain", "-L", "2", "-d", "2", "--export"],
    ],
    ids=["check --witness", "search --witness", "explain --export"],
)  # fmt: skip
def test_an_existing_output_is_refused_before_the_run_and_kept(
    tmp_path: Path, args: list[str]
) -> None:
    suffix = ".md" if "--export" in args else ".json"
    target = tmp_path / f"mine{suffix}"
    target.write_text("my notes\n")
    code, out, err = _run(*args, str(target))
    assert code == 2 and out == "" and "exists; pass --force to overwrite it" in err
    assert target.read_text() == "my notes\n"
    code, _, err = _run(*args, str(target), "--force")
    assert code in (0, 1), err
    assert target.read_text() != "my notes\n"


def test_a_directory_or_fifo_is_not_a_witness_file(tmp_path: Path) -> None:
    (tmp_path / "d.json").mkdir()
    code, _, err = _run(*WITNESS, "--witness", str(tmp_path / "d.json"), "--force")
    assert code == 2 and "is a directory; give a file name" in err
    os.mkfifo(tmp_path / "f.json")
    code, _, err = _run(*WITNESS, "--witness", str(tmp_path / "f.json"), "--force")
    assert code == 2 and "FIFO" in err


def test_snapshot_refreshes_golden_files_but_keeps_a_foreign_one(tmp_path: Path) -> None:
    grid = ["--grid", "depth=1..2,dim=2", "--jobs", "1"]
    code, _, err = _run("snapshot", str(tmp_path), *grid)
    assert code == 0, err
    golden = tmp_path / "L2_d2_w2_nobias.json"
    data = json.loads(golden.read_text())
    data["verdict"]["status"] = "refuted"
    golden.write_text(json.dumps(data))  # an outdated golden file: refreshed
    foreign = tmp_path / "L1_d2_w0_nobias.json"
    foreign.write_text("not a golden file\n")
    code, _, err = _run("snapshot", str(tmp_path), *grid)
    assert code == 2 and "is not a golden file; move it, or pass --force" in err
    assert foreign.read_text() == "not a golden file\n"
    code, out, err = _run("snapshot", str(tmp_path), *grid, "--force")
    assert code == 0, err
    assert json.loads(foreign.read_text())["config"]["depth"] == 1
    assert json.loads(golden.read_text())["verdict"]["status"] == "proved"


def test_a_temporary_left_by_a_dead_writer_is_removed_by_the_next_write(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    stale = tmp_path / f".notes.md.ptheorem-{int(dead.stdout)}-00ff00ff.tmp"
    stale.write_text("half")
    other = tmp_path / f".other.md.ptheorem-{int(dead.stdout)}-00ff00ff.tmp"
    other.write_text("not ours to judge")
    write_atomic(tmp_path / "notes.md", "done\n")
    assert (tmp_path / "notes.md").read_text() == "done\n"
    assert not stale.exists() and other.exists()


KILLED_WRITER = """
import sys, time
from pathlib import Path
from ptheorem.io.files import atomic_open
with atomic_open(Path(sys.argv[1])) as fh:
    fh.write("x" * 1_000_000)
    print("writing", flush=True)
    time.sleep(60)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals")
def test_a_writer_killed_mid_write_leaves_no_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(target)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline() == "writing\n"
    time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert list(tmp_path.iterdir()) == []


def test_atomic_open_writes_binary_too(tmp_path: Path) -> None:
    with atomic_open(tmp_path / "b.bin", binary=True) as fh:
        fh.write(b"\x00\xff")
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\xff"
    assert [p.name for p in tmp_path.iterdir()] == ["b.bin"]
