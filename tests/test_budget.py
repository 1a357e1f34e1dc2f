"""The symbolic budget's worker process must not outlive the ptheorem process."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

import pytest

#: Runs a 60 s job under a 120 s budget; prints the parent's pid, then the worker's.
SCRIPT = """
import os, sys, time
from ptheorem.budget import run_with_budget

def slow():
    print(os.getpid(), flush=True)
    time.sleep(60)

print(os.getpid(), flush=True)
run_with_budget(slow, (), 120)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); count it as gone.
    with contextlib.suppress(OSError), open(f"/proc/{pid}/stat") as f:
        return f.read().split()[2] != "Z"
    return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork + /proc")
def test_worker_dies_with_a_terminated_parent() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None
        parent = int(proc.stdout.readline())
        worker = int(proc.stdout.readline())
        assert parent == proc.pid and worker != parent
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 3
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(worker), f"worker {worker} outlived its terminated parent {parent}"
    finally:
        # Clean up everything this test started (its own process group), by id.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=10)  # reaps the child and closes both pipes
