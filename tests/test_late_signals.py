"""A signal that lands after the run is over leaves its verdict and exit code alone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="POSIX signals")

#: Runs a command, then sends itself the signal while the interpreter shuts down.
LATE = """
import atexit, os, signal, sys
from ptheorem.cli import app
atexit.register(lambda: os.kill(os.getpid(), signal.{name}))
sys.argv = ["ptheorem", "check", "-L", "2", "-d", "2", "-q"]
app()
"""


@pytest.mark.parametrize("name", ["SIGINT", "SIGTERM"])
def test_a_signal_during_shutdown_does_not_change_the_outcome(name: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", LATE.format(name=name)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, (result.returncode, result.stderr)
    assert result.stdout.startswith("proved: L=2, d=2")
    assert "KeyboardInterrupt" not in result.stderr and "Traceback" not in result.stderr


def test_a_signal_before_the_end_still_interrupts() -> None:
    """Only the finished run ignores signals: SIGINT during the work still ends it with 130."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "ptheorem", "check", "-L", "3", "-d", "16", "--method", "instance"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        time.sleep(2.5)  # imports done, the instance derivation (several seconds) running
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "interrupted" in err
