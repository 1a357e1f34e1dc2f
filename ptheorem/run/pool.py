"""Worker processes for sweeps: forked from this process, fed one task at a time, always reaped.

:class:`Pool` forks ``jobs`` workers when it starts.  Each worker already holds the
task list (it is a copy of this process), so the parent only sends a task's index
through the worker's pipe and receives the pickled result.  No executor thread, no
queue feeder thread, no semaphore, no forkserver and no resource tracker: nothing
that can print an ``InvalidStateError`` or "leaked semaphore" warning, and nothing
that imports ptheorem again from the current directory (a fork runs the very code
this process runs, whatever the working directory holds).

Signals and clean-up:

* Workers ignore SIGINT (Ctrl-C in a terminal reaches the whole process group): the
  parent decides.  SIGINT and SIGTERM are blocked in the parent while it forks, so
  a worker never starts with the parent's handlers.
* :meth:`Pool.stop` (on success, on error, on Ctrl-C or SIGTERM in the parent)
  sends SIGTERM — a worker then kills and reaps its own budget child
  (:mod:`ptheorem.budget`) and exits — waits up to :data:`STOP_GRACE` seconds,
  SIGKILLs what is left and reaps every worker by its PID.
* If the parent dies without that (SIGKILL), Linux kills each worker
  (``PR_SET_PDEATHSIG``), which in turn takes its budget child with it; elsewhere a
  worker stops at its next task, when it finds its pipe closed.

A worker that dies on its own (killed by the OS, say) gives a :class:`WorkerFailure`
for its task and is replaced, so the other tasks still run.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from ptheorem.budget import die_with_parent

#: Seconds a stopping worker gets to kill its own child and exit before SIGKILL.
STOP_GRACE = 1.0
_SIGNALS = {signal.SIGINT, signal.SIGTERM}


@dataclass(frozen=True)
class WorkerFailure:
    """A task whose worker raised or died: the reason, in one line."""

    message: str


@dataclass
class _Worker:
    proc: Any
    conn: Connection
    task: int | None = None


@contextmanager
def _signals_blocked() -> Iterator[None]:
    """Hold SIGINT/SIGTERM back (they are delivered afterwards) while forking or cleaning up."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not POSIX
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _stop_worker(*_: object) -> None:
    """SIGTERM in a worker: kill and reap its budget child, then exit at once."""
    for child in mp.active_children():
        child.kill()
        child.join(STOP_GRACE)
    os._exit(143)


def _serve(
    conn: Connection, run: Callable[[int], Any], inherited: list[Connection], parent: int
) -> None:
    """A worker's life: take task indices from ``conn`` until it closes, send results."""
    for other in inherited:  # the parent's ends of every pipe: EOF must mean "parent gone"
        other.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_worker)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
    die_with_parent(parent)
    while True:
        try:
            k = conn.recv()
        except (EOFError, OSError):
            break
        if k is None:
            break
        try:
            payload: tuple[str, Any] = ("ok", run(k))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent in one line
            payload = ("failed", f"{type(exc).__name__}: {exc}")
        try:
            data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - an unpicklable result is a failure too
            data = pickle.dumps(("failed", f"result could not be sent back: {exc}"))
        try:
            conn.send_bytes(data)
        except OSError:
            break
    os._exit(0)


class Pool:
    """``jobs`` forked workers computing ``run(k)`` for ``k`` in ``range(count)``.

    Use as a context manager (workers start on entry and are always stopped on exit);
    :meth:`results` yields ``(k, result)`` in completion order, ``result`` being a
    :class:`WorkerFailure` when the task raised or its worker died.
    """

    def __init__(self, run: Callable[[int], Any], count: int, jobs: int) -> None:
        self.run = run
        self.count = count
        self.jobs = max(1, min(jobs, count))
        self._workers: list[_Worker] = []
        self._ctx = mp.get_context("fork")

    def __enter__(self) -> Pool:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def pids(self) -> tuple[int, ...]:
        """The PIDs of the running workers."""
        return tuple(w.proc.pid for w in self._workers)

    def start(self) -> None:
        """Fork the workers (before any thread, e.g. a progress bar, is started)."""
        while len(self._workers) < self.jobs:
            self._spawn()

    def _spawn(self) -> _Worker:
        parent_end, child_end = self._ctx.Pipe(duplex=True)
        inherited = [w.conn for w in self._workers] + [parent_end]
        proc = self._ctx.Process(
            target=_serve, args=(child_end, self.run, inherited, os.getpid()), daemon=False
        )
        with _signals_blocked():
            proc.start()
        child_end.close()
        worker = _Worker(proc, parent_end)
        self._workers.append(worker)
        return worker

    def results(self) -> Iterator[tuple[int, Any]]:
        """Run every task; yield ``(k, result)`` as each finishes."""
        todo = deque(range(self.count))
        while todo or any(w.task is not None for w in self._workers):
            for w in self._workers:
                if w.task is None and todo:
                    self._send(w, todo.popleft())
            busy = [w for w in self._workers if w.task is not None]
            ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy])
            for w in busy:
                if w.conn in ready or w.proc.sentinel in ready:
                    finished = self._collect(w)
                    if finished is not None:
                        yield finished

    def _send(self, w: _Worker, k: int) -> None:
        w.task = k
        try:
            w.conn.send(k)
        except OSError:
            pass  # the worker is gone: its sentinel reports it

    def _collect(self, w: _Worker) -> tuple[int, Any] | None:
        """The finished task of ``w`` (a result, or a failure if it died), or None."""
        k = w.task
        assert k is not None
        try:
            if w.conn.poll():
                status, value = pickle.loads(w.conn.recv_bytes())
                w.task = None
                return k, value if status == "ok" else WorkerFailure(str(value))
        except (EOFError, OSError):
            pass
        if w.proc.is_alive():
            return None
        w.proc.join()
        w.conn.close()
        self._workers.remove(w)
        self._spawn()
        return k, WorkerFailure(f"worker process died (exit code {w.proc.exitcode})")

    def stop(self) -> None:
        """Stop every worker (SIGTERM, then SIGKILL after :data:`STOP_GRACE`) and reap it."""
        with _signals_blocked():
            workers, self._workers = self._workers, []
            for w in workers:
                w.conn.close()
                if w.proc.is_alive():
                    w.proc.terminate()
            deadline = time.monotonic() + STOP_GRACE
            for w in workers:
                w.proc.join(max(0.0, deadline - time.monotonic()))
            for w in workers:
                if w.proc.is_alive():
                    w.proc.kill()
                w.proc.join()
