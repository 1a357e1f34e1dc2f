"""``--scheduler``: sweeps, snapshots, verify and search restarts on a dask cluster.

Each test starts (or shares) a ``LocalCluster`` in this process and compares what the
cluster gives with the local run: the same rows (timings aside), failures in their
rows, ``--resume``, budgets held on daemonic worker processes and on worker threads,
and nothing left running after an interrupt.  Skipped, with the reason, where dask
is not installed; the errors for a missing dask or an unreachable scheduler are
tested everywhere.
"""

from __future__ import annotations

import json
import math
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from ptheorem.cli import app
from ptheorem.counterexamples.search import SearchConfig, run_search
from ptheorem.model.errors import InputError, PtheoremError
from ptheorem.model.spec import NetworkSpec
from ptheorem.run import cluster as cluster_module
from ptheorem.run.executor import Cluster, Local, choose_executor, execute
from ptheorem.run.pool import WorkerFailure
from ptheorem.run.sweep import read_rows

HAVE_DASK = find_spec("distributed") is not None
needs_dask = pytest.mark.skipif(
    not HAVE_DASK, reason="dask.distributed is not installed (pip install 'ptheorem[dask]')"
)

ENV = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}
#: Proved (general route) rows of every depth.
GRID = "depth=1..3,dim=2|3"
#: supported (numeric), inconclusive (the budget of --timeout 1 runs out at d = 400 in the
#: forked budget child) and error (d = 5000 is over the numeric size limit) rows.
MIXED = ("--grid", "depth=2,dim=2|400|5000", "--method", "numeric", "--timeout", "1")


def run(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def content(rows: list[dict[str, Any]]) -> list[str]:
    """Rows without timings, sorted, as comparable strings."""
    return sorted(
        json.dumps({k: v for k, v in r.items() if k != "seconds"}, sort_keys=True) for r in rows
    )


def _daemonic() -> bool:
    return bool(mp.current_process().daemon)


@pytest.fixture(scope="module")
def processes() -> Iterator[Any]:
    """Two nanny-started (daemonic) worker processes; a task that kills its worker is
    reported at once (no retries on other workers)."""
    if not HAVE_DASK:
        pytest.skip("dask.distributed is not installed (pip install 'ptheorem[dask]')")
    from multiprocessing import resource_tracker

    import dask
    from distributed import Client, LocalCluster

    tracker_was_running = resource_tracker._resource_tracker._fd is not None  # type: ignore[attr-defined]
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
    with cluster:
        with Client(cluster, set_as_default=False) as client:
            # What the budget has to cope with: workers that may not start children.
            assert all(client.run(_daemonic).values())
        yield cluster
    _stop_resource_tracker(tracker_was_running)


def _stop_resource_tracker(was_running: bool) -> None:
    """Stop the resource tracker that starting the nanny's spawned workers started
    (CPython's tests do so too): later tests check that they leave no child process."""
    from multiprocessing import resource_tracker

    if not was_running:
        resource_tracker._resource_tracker._stop()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def threads() -> Iterator[Any]:
    """One worker with two threads inside this process (no nanny, no pickling)."""
    if not HAVE_DASK:
        pytest.skip("dask.distributed is not installed (pip install 'ptheorem[dask]')")
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0"
    ) as cluster:
        yield cluster


def sweep_rows(tmp_path: Path, name: str, *args: str) -> tuple[int, list[dict[str, Any]]]:
    out = tmp_path / f"{name}.jsonl"
    result = run("sweep", *args, "--out", str(out), "--no-progress")
    assert result.stderr.count("\n") <= 1, result.stderr
    return result.exit_code, read_rows(out) if out.exists() else []


# --------------------------------------------------------------------------- the rows


@needs_dask
def test_sweep_on_worker_processes_gives_the_local_rows(processes: Any, tmp_path: Path) -> None:
    code, local = sweep_rows(tmp_path, "local", "--grid", GRID, "--jobs", "2")
    dask_code, remote = sweep_rows(
        tmp_path, "dask", "--grid", GRID, "--scheduler", processes.scheduler_address
    )
    assert code == dask_code == 0
    assert len(remote) == 6 and content(remote) == content(local)


@needs_dask
@pytest.mark.parametrize("where", ["processes", "threads"])
def test_failures_and_budgets_are_rows_on_the_cluster(
    where: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """A task over the size limit is an error row, a task over its --timeout an
    inconclusive row (the budget's forked child runs on a daemonic worker process, or
    from a worker thread), and the other tasks still give their rows."""
    cluster = request.getfixturevalue(where)
    code, local = sweep_rows(tmp_path, "local", *MIXED, "--jobs", "2")
    dask_code, remote = sweep_rows(
        tmp_path, "dask", *MIXED, "--scheduler", cluster.scheduler_address
    )
    assert code == dask_code == 2  # an error row
    assert content(remote) == content(local)
    by_key = {r["key"]: r for r in remote}
    assert by_key["L2_d2_w2_nobias"]["status"] == "supported"
    budget = by_key["L2_d400_w400_nobias"]
    assert budget["status"] == "inconclusive" and "budget of 1 s ran out" in budget["error"]
    assert budget["seconds"] < 30  # the budget held: the child was killed at 1 s
    assert by_key["L2_d5000_w5000_nobias"]["status"] == "error"


@needs_dask
def test_resume_with_a_scheduler_runs_only_the_missing_rows(processes: Any, tmp_path: Path) -> None:
    out = tmp_path / "rows.jsonl"
    first = run("sweep", "--grid", "depth=2,dim=2|3", "-j", "1", "-o", str(out), "--no-progress")
    assert first.exit_code == 0
    with out.open("a", encoding="utf-8") as f:
        f.write('{"key": "L3_d2_w2-2_nob')  # torn by a killed writer: run again
    again = run(
        "sweep", "--grid", GRID, "--resume", str(out), "--no-progress",
        "--scheduler", processes.scheduler_address,
    )  # fmt: skip
    assert again.exit_code == 0, again.stderr
    assert "skipped 2 configurations already done" in again.stdout
    assert "4 configurations: 4 proved" in again.stdout
    _, local = sweep_rows(tmp_path, "local", "--grid", GRID, "-j", "2")
    assert content(read_rows(out)) == content(local)  # each key once, the same rows


@needs_dask
def test_snapshot_and_verify_on_the_cluster(processes: Any, tmp_path: Path) -> None:
    address = processes.scheduler_address
    grid = "depth=1..3,dim=2"
    local, remote = tmp_path / "local", tmp_path / "remote"
    assert run("snapshot", str(local), "--grid", grid, "-j", "2").exit_code == 0
    assert run("snapshot", str(remote), "--grid", grid, "--scheduler", address).exit_code == 0
    names = sorted(p.name for p in local.iterdir())
    assert names == sorted(p.name for p in remote.iterdir()) and len(names) == 3
    for name in names:
        assert (local / name).read_bytes() == (remote / name).read_bytes()
    ok = run("verify", str(remote), "--scheduler", address, "-f", "json")
    assert ok.exit_code == 0 and all(e["status"] == "match" for e in json.loads(ok.stdout)["files"])
    # A golden file that no longer matches is found on the cluster too.
    path = remote / names[-1]
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["verdict"]["status"] = "refuted"
    path.write_text(json.dumps(doc), encoding="utf-8")
    bad = run("verify", str(remote), "--scheduler", address)
    assert bad.exit_code == 1 and "1 differ" in bad.stdout


@needs_dask
@pytest.mark.parametrize(
    ("activation", "widths", "status"),
    [("square", "3,1", "refuted"), ("tanh", "2", "inconclusive")],
)
def test_search_restarts_on_the_cluster_give_the_local_result(
    processes: Any, activation: str, widths: str, status: str
) -> None:
    """A witness at restart 4 of 5 (the last is cancelled), and a search that finds none."""
    args = ["search", "-L", "3", "-d", "2", "--widths", widths, "--activation", activation]
    args += ["--restarts", "5", "-f", "json", "--no-progress"]
    local = run(*args)
    remote = run(*args, "--scheduler", processes.scheduler_address)
    assert local.exit_code == remote.exit_code
    a, b = json.loads(local.stdout), json.loads(remote.stdout)
    assert a["verdict"]["status"] == status
    a.pop("timings"), b.pop("timings")
    assert a == b


def test_search_folds_restarts_in_index_order_whatever_the_runner() -> None:
    """The fold takes a runner; a runner that computes the restarts out of order (as a
    cluster does) and hands them over in index order changes nothing."""
    config = SearchConfig(NetworkSpec(3, 2, (2, 2), False, "tanh"), restarts=4, max_iter=20)

    def backwards(restart: Any, count: int) -> Any:
        done = {k: restart(k) for k in reversed(range(count))}
        yield from (done[k] for k in range(count))

    a, b = run_search(config), run_search(config, runner=backwards)
    assert [r.root for r in a.restarts] == [r.root for r in b.restarts]
    assert (a.status, a.summary, a.fresh_root) == (b.status, b.summary, b.fresh_root)


def test_a_runner_that_finds_the_budget_gone_makes_the_search_stop() -> None:
    config = SearchConfig(NetworkSpec(3, 2, (2, 2), False, "tanh"), restarts=4, max_iter=20)
    with pytest.raises(PtheoremError, match="budget ran out before any"):
        run_search(config, deadline=time.monotonic() - 1.0)


# --------------------------------------------------------------------------- failures


def _sqrt(x: float) -> float:
    return math.sqrt(x)  # ValueError for x < 0


def _die(x: float) -> float:
    if x == 13:
        os._exit(3)  # the worker process dies
    return x


@needs_dask
def test_a_task_that_raises_or_kills_its_worker_is_a_failure_and_the_rest_go_on(
    processes: Any,
) -> None:
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers lack tests/
    try:
        where = Cluster(processes.scheduler_address)
        with execute(where, _sqrt, [4.0, -1.0, 9.0]) as results:
            got = dict(results)
        assert got[0] == 2.0 and got[2] == 3.0
        assert isinstance(got[1], WorkerFailure) and "math domain error" in got[1].message
        # Last, so a task queued on the same worker runs (and finishes) before it.
        with execute(where, _die, [1.0, 2.0, 13]) as results:
            died = dict(results)
        assert died[0] == 1.0 and died[1] == 2.0
        assert isinstance(died[2], WorkerFailure) and "worker process died" in died[2].message
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


def _nap(x: float) -> float:
    time.sleep(x)
    return x


def _leftover(cluster: Any, clients: int) -> str:
    """What is left on the scheduler: '' once no task and no client but the ones there were
    are left (waits up to 30 s), else the tasks' states and the clients."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if not cluster.scheduler.tasks and len(cluster.scheduler.clients) <= clients:
            return ""
        time.sleep(0.05)
    states = sorted(ts.state for ts in cluster.scheduler.tasks.values())
    return f"tasks {states}, clients {sorted(cluster.scheduler.clients)} (had {clients})"


@needs_dask
def test_ctrl_c_cancels_every_pending_task_and_closes_the_client(threads: Any) -> None:
    clients = len(threads.scheduler.clients)
    items = [0.0] + [2.0] * 30
    with pytest.raises(KeyboardInterrupt):
        with execute(Cluster(threads.scheduler_address), _nap, items) as results:
            next(results)
            assert threads.scheduler.tasks  # still running or waiting
            raise KeyboardInterrupt
    assert not _leftover(threads, clients)


def _nap_unless_first(k: int) -> int:
    time.sleep(0.0 if k == 0 else 2.0)
    return k


@needs_dask
def test_closing_a_restart_runner_cancels_its_tasks_while_the_client_stays(threads: Any) -> None:
    clients = len(threads.scheduler.clients)
    with cluster_module.restart_runner(threads.scheduler_address) as runner:
        outcomes = runner(_nap_unless_first, 20)
        assert next(outcomes) == 0  # the search found its witness: the rest are not needed
        outcomes.close()
        assert not _leftover(threads, clients + 1)  # no task left, our client still connected
    assert not _leftover(threads, clients)


@needs_dask
def test_sigterm_cancels_the_sweep_on_the_cluster(processes: Any, tmp_path: Path) -> None:
    clients = len(processes.scheduler.clients)
    out = tmp_path / "rows.jsonl"
    grid = "depth=3..6,dim=3|4,widths=3|4,bias=no|yes"  # slow: 32 instance derivations
    args = [sys.executable, "-m", "ptheorem", "sweep", "--grid", grid, "--method", "instance"]
    args += ["--scheduler", processes.scheduler_address, "--out", str(out), "--no-progress"]
    proc = subprocess.Popen(
        args, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while not (out.exists() and out.read_text(encoding="utf-8").count("\n") >= 1):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 143, stderr
    assert "interrupted after" in stderr
    assert not _leftover(processes, clients)
    assert len(read_rows(out)) < 32


# --------------------------------------------------------------------------- bad input


def test_scheduler_without_dask_is_one_line_naming_the_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    for args in (
        ["sweep", "--grid", "depth=2,dim=2", "-o", str(tmp_path / "rows.jsonl")],
        ["snapshot", str(tmp_path / "golden"), "--grid", "depth=2,dim=2"],
        ["search", "-L", "3", "-d", "2", "--activation", "tanh"],
    ):
        result = run(*args, "--scheduler", "tcp://127.0.0.1:8786", "--no-color")
        assert result.exit_code == 2
        assert result.stderr == (
            "ptheorem: error: --scheduler needs dask.distributed, which is not installed: "
            "pip install 'ptheorem[dask]'\n"
        )
    assert not (tmp_path / "rows.jsonl").exists()  # nothing half-written
    assert not (tmp_path / "golden").exists()
    # Without --scheduler, nothing needs dask.
    assert run("sweep", "--grid", "depth=2,dim=2", "-j", "1", "--no-progress").exit_code == 0


@needs_dask
def test_an_unreachable_scheduler_is_one_line_within_the_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cluster_module, "CONNECT_TIMEOUT", 0.5)
    for address, why in [
        ("tcp://127.0.0.1:1", "Timed out trying to connect"),
        ("nonsense", "missing port number"),
        ("foo://host:1", "unknown address scheme"),
    ]:
        start = time.monotonic()
        result = run("sweep", "--grid", "depth=2,dim=2", "--scheduler", address)
        assert time.monotonic() - start < 10
        assert result.exit_code == 2
        assert result.stderr.startswith(f"ptheorem: error: --scheduler {address}: cannot reach")
        assert why in result.stderr and result.stderr.count("\n") == 1


@needs_dask
def test_a_scheduler_without_workers_is_one_line_not_a_wait(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from distributed import LocalCluster

    monkeypatch.setattr(cluster_module, "CONNECT_TIMEOUT", 0.5)
    out = tmp_path / "rows.jsonl"
    with LocalCluster(n_workers=0, processes=False, dashboard_address=":0") as empty:
        address = empty.scheduler_address
        result = run("sweep", "--grid", "depth=2,dim=2", "--scheduler", address, "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr == (
        f"ptheorem: error: --scheduler {address}: the dask scheduler has no worker (none "
        f"joined within 0.5 s); start some with 'dask worker {address}'\n"
    )
    assert not out.exists()


@needs_dask
def test_workers_on_another_ptheorem_version_are_refused(
    threads: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows are the same as a local run's only when the workers run the same ptheorem."""
    monkeypatch.setattr(cluster_module, "worker_version", lambda: "0.0.1")
    result = run("sweep", "--grid", "depth=2,dim=2", "--scheduler", threads.scheduler_address)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "dask workers run ptheorem 0.0.1, this is" in result.stderr

    def broken() -> str:
        raise ModuleNotFoundError("No module named 'ptheorem'")

    monkeypatch.setattr(cluster_module, "worker_version", broken)
    result = run("sweep", "--grid", "depth=2,dim=2", "--scheduler", threads.scheduler_address)
    assert result.exit_code == 2
    assert "a dask worker cannot run ptheorem (No module named 'ptheorem')" in result.stderr


def test_scheduler_and_jobs_are_one_or_the_other(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster_module, "require_dask", lambda: None)
    assert choose_executor(None, None, 3) == Local(3)
    assert choose_executor(None, " tcp://h:1 ", 3) == Cluster("tcp://h:1")
    with pytest.raises(InputError, match="give one or the other"):
        choose_executor(2, "tcp://h:1", 2)
    with pytest.raises(InputError, match="needs an address"):
        choose_executor(None, "  ", 2)
    result = run("verify", "nowhere", "--jobs", "2", "--scheduler", "tcp://h:1")
    assert result.exit_code == 2 and "give one or the other" in result.stderr
