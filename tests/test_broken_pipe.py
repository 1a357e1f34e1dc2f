"""A reader that closes ptheorem's stdout (``| head -1``) ends the run quietly with 141.

141 is 128 + SIGPIPE, what a shell reports for a process the signal killed; it is
never a verdict code (1 would read as "refuted" under ``set -o pipefail``).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

ENV = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80", "PYTHONWARNINGS": "default"}


def _closed_stdout(args: list[str]) -> tuple[int, str]:
    """Run ``python -m ptheorem ARGS`` with stdout a pipe whose reader is already gone."""
    read, write = os.pipe()
    os.close(read)  # before the child starts: its first write meets a closed pipe
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "ptheorem", *args],
            stdout=write,
            stderr=subprocess.PIPE,
            env=ENV,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write)
    return proc.returncode, proc.stderr.decode("utf-8", "replace")


@pytest.mark.parametrize(
    "args",
    [
        ["check", "-L", "3", "-d", "4"],
        ["check", "-L", "3", "-d", "4", "--format", "json"],
        ["check", "-L", "3", "-d", "2", "--quiet"],
        ["--help"],
        ["check", "--help"],
        ["sweep", "--grid", "depth=1..2,dim=2", "--jobs", "1", "--no-progress"],
    ],
    ids=" ".join,
)
def test_a_closed_stdout_exits_141_and_says_nothing(args: list[str]) -> None:
    code, err = _closed_stdout(args)
    assert code == 141
    assert err == ""  # no traceback, no "Exception ignored … BrokenPipeError"


def test_a_shell_pipe_under_pipefail() -> None:
    # `true` leaves without reading, long before ptheorem writes: under pipefail the
    # pipeline's status is ptheorem's, and it is 141, not a verdict.
    command = f"set -o pipefail; {sys.executable} -m ptheorem check -L 3 -d 4 | true"
    proc = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, env=ENV, timeout=120, check=False
    )
    assert (proc.returncode, proc.stderr) == (141, "")
