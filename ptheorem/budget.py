"""Run a computation under a hard time budget in a killable child process.

sympy has no timeout of its own (nor has a numpy call), so long work runs in a
forked child that sends its pickled result back through a pipe; when the budget
runs out the parent kills the child (SIGKILL) and raises
:class:`BudgetExceededError`.  The parent polls in short slices, so the budget is
honoured within ~0.1 s.  The child dies with its parent (Linux
``PR_SET_PDEATHSIG``), so no child outlives a killed ptheorem.

:class:`Deadline` is one budget shared by the steps of a command: each step gets
what is left of it.

Forking costs ~0.1–0.3 s (the child's copy-on-write of sympy's heap, imports it
does on its own, pickling the result back), more than small work itself takes.
:func:`run_estimated` therefore runs work whose cost model says it is small in
this process, where it cannot be killed: only work estimated at most
:data:`IN_PROCESS_SECONDS`, and at most a :data:`IN_PROCESS_SHARE` of the
budget.  The instance route's cost model
(:func:`ptheorem.symbolic.cost.estimated_seconds`) was within 0.3× to 1.7× of
every measurement, so such work would have to run ~3× over its model's worst
error before it could reach the budget.  Work that still ends past the deadline
is reported as a budget that ran out, as the worker would have been.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ptheorem.model.errors import BudgetExceededError, InputError, PtheoremError

POLL_SECONDS = 0.05
#: Work estimated at no more than this many seconds may run in this process.
IN_PROCESS_SECONDS = 0.5
#: ... and only if its estimate is at most this share of the budget left.
IN_PROCESS_SHARE = 0.1


@dataclass(frozen=True)
class Deadline:
    """The end of a command's budget of ``seconds`` (a ``time.monotonic()`` value)."""

    at: float
    seconds: float

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        """The deadline ``seconds`` from now."""
        return cls(time.monotonic() + seconds, seconds)

    def remaining(self) -> float:
        """Seconds left (0 when it has passed)."""
        return max(0.0, self.at - time.monotonic())

    def expired(self) -> bool:
        """Whether the budget has run out."""
        return time.monotonic() >= self.at

    def check(self, what: str) -> None:
        """Raise :class:`BudgetExceededError` if the budget has run out before ``what``."""
        if self.expired():
            raise BudgetExceededError(f"the budget of {self.seconds:g} s ran out before {what}")


def die_with_parent(parent_pid: int) -> None:
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
    die_with_parent(parent_pid)
    try:
        payload = ("ok", fn(*args))
    except PtheoremError as exc:
        payload = ("error", exc)
    except MemoryError as exc:
        detail = f" ({exc})" if str(exc) else ""
        payload = ("error", InputError(f"out of memory{detail}; try a smaller size"))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent as text
        payload = ("crash", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
    try:
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # noqa: BLE001 - a result that cannot travel is a crash too
        data = pickle.dumps(("crash", f"result could not be sent back: {exc}"))
    try:
        conn.send_bytes(data)
    finally:
        conn.close()


def in_process(estimate: float, seconds: float) -> bool:
    """Whether work estimated at ``estimate`` s may run unkillable within ``seconds`` s.

    >>> in_process(0.05, 60), in_process(0.05, 0.2), in_process(2.0, 600)
    (True, False, False)
    """
    return estimate <= IN_PROCESS_SECONDS and estimate <= IN_PROCESS_SHARE * seconds


def run_estimated(
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    seconds: float,
    estimate: float,
    what: str = "symbolic",
) -> Any:
    """``fn(*args)`` in this process if :func:`in_process` allows it, else in a budgeted worker.

    Raises :class:`BudgetExceededError` either way when ``seconds`` run out (in
    this process, only once ``fn`` returns: it cannot be stopped earlier).
    """
    if not in_process(estimate, seconds):
        return run_with_budget(fn, args, seconds, what)
    deadline = time.monotonic() + seconds
    value = fn(*args)
    if time.monotonic() > deadline:
        raise BudgetExceededError(f"the {what} budget of {seconds:g} s ran out")
    return value


def run_with_budget(
    fn: Callable[..., Any], args: tuple[Any, ...], seconds: float, what: str = "symbolic"
) -> Any:
    """Return ``fn(*args)`` computed in a child, or raise :class:`BudgetExceededError`.

    ``what`` names the work in the messages ("the symbolic budget of 60 s ran out").
    """
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    # Not a daemon: the child may run a budget of its own (it dies with us all the same).
    proc = ctx.Process(target=_child, args=(child, fn, args, os.getpid()), daemon=False)
    deadline = time.monotonic() + seconds
    proc.start()
    child.close()
    try:
        while not parent.poll(POLL_SECONDS):
            if time.monotonic() >= deadline:
                raise BudgetExceededError(f"the {what} budget of {seconds:g} s ran out")
            if not proc.is_alive() and not parent.poll(0):
                raise PtheoremError(f"the {what} worker died (exit code {proc.exitcode})")
        try:
            data = parent.recv_bytes()
        except EOFError:
            proc.join(1)
            raise PtheoremError(f"the {what} worker died (exit code {proc.exitcode})") from None
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
    raise PtheoremError(f"the {what} worker crashed: {value.splitlines()[0]}")
