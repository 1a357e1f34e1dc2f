"""Run a computation under a hard time budget in a killable child process.

sympy has no timeout of its own, so the symbolic work runs in a forked child
that sends its pickled result back through a pipe; when the budget runs out the
parent kills the child (SIGKILL) and raises :class:`BudgetExceededError`.
The parent polls in short slices, so the budget is honoured within ~0.1 s.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import signal
import time
import traceback
from collections.abc import Callable
from typing import Any

from ptheorem.model.errors import BudgetExceededError, PtheoremError

POLL_SECONDS = 0.05


def _die_with_parent(parent_pid: int) -> None:
    """Ask Linux to SIGKILL this worker when its parent dies (no orphans after SIGTERM)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def _child(conn: Any, fn: Callable[..., Any], args: tuple[Any, ...], parent_pid: int) -> None:
    _die_with_parent(parent_pid)
    try:
        payload = ("ok", fn(*args))
    except PtheoremError as exc:
        payload = ("error", exc)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent as text
        payload = ("crash", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
    try:
        conn.send_bytes(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        conn.close()


def run_with_budget(fn: Callable[..., Any], args: tuple[Any, ...], seconds: float) -> Any:
    """Return ``fn(*args)`` computed in a child, or raise :class:`BudgetExceededError`."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args, os.getpid()), daemon=True)
    deadline = time.monotonic() + seconds
    proc.start()
    child.close()
    try:
        while not parent.poll(POLL_SECONDS):
            if time.monotonic() >= deadline:
                raise BudgetExceededError(f"the symbolic budget of {seconds:g} s ran out")
            if not proc.is_alive() and not parent.poll(0):
                raise PtheoremError(f"the symbolic worker died (exit code {proc.exitcode})")
        data = parent.recv_bytes()
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(1)
        parent.close()
    status, value = pickle.loads(data)
    if status == "ok":
        return value
    if status == "error":
        raise value
    raise PtheoremError(f"the symbolic worker crashed: {value.splitlines()[0]}")
