"""No orphan, no hang: real processes, signals and budgets, checked in the process table by PID.

Each test starts ``python -m ptheorem …`` in its own session, records every descendant
process it sees while the run goes on (sweep workers, budget children), stops it with
SIGINT, SIGTERM, SIGKILL or its own ``--timeout``, and then requires every recorded PID
to be gone (a zombie waiting for init counts as gone).  Exit codes and the one line on
stderr are checked too: 130 for SIGINT, 143 for SIGTERM, 3 for a budget, within about a
second of the limit.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc, signals")

#: Inside every symbolic size limit, but seconds of sympy work.
SLOW = ["-L", "16", "-d", "10", "--widths", "8"]
#: A grid that keeps two workers busy for several seconds.
SLOW_GRID = "depth=3..6,dim=3|4,widths=3|4,bias=no|yes"
#: Interpreter start and imports, on top of a budget, on a busy 2-core machine.
START = 4.0


def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def alive(pid: int) -> bool:
    """Running (a zombie is not: it only waits to be reaped)."""
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def descendants(root: int) -> set[int]:
    """Every live process below ``root`` (children, grandchildren, …)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat(int(entry))
            if fields is not None and fields[0] != "Z":
                parents[int(entry)] = int(fields[2])
    found: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier} - found
        found |= frontier
    return found


class Run:
    """A ptheorem process and every descendant seen while it ran."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ptheorem", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=cwd,
            env=env,
            start_new_session=True,
        )
        self.seen: set[int] = set()
        self.start = time.monotonic()

    def watch(self, until: float, children: int = 0) -> None:
        """Record descendants until ``until`` seconds have passed (or enough are seen)."""
        while time.monotonic() - self.start < until and self.proc.poll() is None:
            self.seen |= descendants(self.proc.pid)
            if children and len(self.seen) >= children:
                return
            time.sleep(0.02)

    def finish(self, timeout: float = 60) -> tuple[int, str, str]:
        while self.proc.poll() is None and time.monotonic() - self.start < timeout:
            self.seen |= descendants(self.proc.pid)
            time.sleep(0.02)
        out, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, out, err

    def left_behind(self, grace: float = 3.0) -> set[int]:
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and any(alive(p) for p in self.seen):
            time.sleep(0.05)
        return {p for p in self.seen if alive(p)}

    def kill_all(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        for pid in self.seen:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(Exception):
            self.proc.communicate(timeout=10)


@contextlib.contextmanager
def ptheorem(args: list[str], cwd: Path) -> Iterator[Run]:
    run = Run(args, cwd)
    try:
        yield run
    finally:
        run.kill_all()


def _clean(err: str) -> None:
    assert "Traceback" not in err, err
    assert "leaked" not in err and "resource_tracker" not in err, err
    assert "InvalidStateError" not in err, err


@pytest.fixture(scope="module")
def golden(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Golden files of slow-ish configurations, for verify to re-derive."""
    directory = tmp_path_factory.mktemp("golden")
    grid = "depth=5..6,dim=4,widths=4,bias=no|yes"
    with ptheorem(["snapshot", str(directory), "--grid", grid, "--jobs", "2"], directory) as run:
        code, out, err = run.finish(240)
    assert code == 0, out + err
    return directory


def _interrupt_cases(tmp: Path, golden: Path) -> dict[str, list[str]]:
    return {
        "sweep": ["sweep", "--grid", SLOW_GRID, "--jobs", "2", "--out", str(tmp / "rows.jsonl")],
        "snapshot": ["snapshot", str(tmp / "gold"), "--grid", SLOW_GRID, "--jobs", "2"],
        "verify": ["verify", str(golden), "--jobs", "2"],
        "check": ["check", *SLOW, "--method", "symbolic"],
    }


@pytest.mark.parametrize("command", ["sweep", "snapshot", "verify", "check"])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_the_run_and_every_child(
    tmp_path: Path, golden: Path, command: str, sig: signal.Signals
) -> None:
    args = _interrupt_cases(tmp_path, golden)[command]
    with ptheorem(args, tmp_path) as run:
        expected = 1 if command == "check" else 2
        run.watch(START + 20, children=expected)
        assert run.proc.poll() is None, "finished before it could be interrupted"
        run.watch(time.monotonic() - run.start + 0.5)
        run.proc.send_signal(sig)
        code, out, err = run.finish()
        assert len(run.seen) >= expected, run.seen
        assert code == (130 if sig == signal.SIGINT else 143), err
        _clean(err)
        last = err.strip().splitlines()[-1]
        assert last.startswith("ptheorem:"), err
        assert not run.left_behind(), f"still running: {run.left_behind()}"


def test_a_killed_sweep_takes_its_workers_with_it(tmp_path: Path) -> None:
    args = ["sweep", "--grid", SLOW_GRID, "--jobs", "2", "--no-progress"]
    with ptheorem(args, tmp_path) as run:
        run.watch(START + 20, children=2)
        assert len(run.seen) >= 2 and run.proc.poll() is None
        run.proc.kill()
        run.finish()
        assert not run.left_behind(5.0), "workers outlived a SIGKILLed sweep"


def _wide_net(path: Path) -> Path:
    """A net whose audit takes many seconds (1500 units a layer)."""
    rng = np.random.default_rng(0)
    n = 1500
    np.savez(
        path,
        W0=rng.standard_normal((n, 3)),
        W1=rng.standard_normal((n, n)) * (rng.random((n, n)) < 0.01),
        W2=rng.standard_normal((n, n)),
        W3=rng.standard_normal((3, n)),
        activation=np.array("tanh"),
    )
    return path


@pytest.mark.parametrize("command", ["check", "audit", "search", "soft"])
def test_a_budget_ends_the_run_within_a_second_and_leaves_nothing(
    tmp_path: Path, command: str
) -> None:
    budget = 1.5
    args = {
        "check": ["check", *SLOW, "--method", "symbolic"],
        "audit": ["audit", str(_wide_net(tmp_path / "wide.npz"))],
        "search": ["search", "-L", "16", "-d", "3", "--activation", "tanh", "--restarts", "2"],
        "soft": ["soft", "-L", "12", "-d", "3", "--activation", "tanh", "--no-progress"],
    }[command]
    with ptheorem([*args, "--timeout", str(budget)], tmp_path) as run:
        code, out, err = run.finish()
        elapsed = time.monotonic() - run.start
        assert code == 3, out + err
        assert elapsed < budget + 1.0 + START, elapsed
        _clean(err)
        if command in ("check", "audit"):
            assert len(err.strip().splitlines()) == 1 and "budget" in err, err
        else:  # a partial result, or no result at all if no restart finished
            assert "budget ran out" in out + err, out + err
        assert not run.left_behind(), f"still running: {run.left_behind()}"
        assert not list(tmp_path.glob(".*.tmp"))
