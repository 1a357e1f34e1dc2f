"""Sweeps: check many configurations in parallel and yield one row per configuration.

:func:`run_sweep` runs :func:`check_one` for each network on an executor
(:mod:`ptheorem.run.executor`: forked local worker processes, :mod:`ptheorem.run.pool`,
or the workers of a dask cluster, :mod:`ptheorem.run.cluster`) and yields
:class:`Outcome` objects as they finish (completion order, not input order).  Rows
and row files live in :mod:`ptheorem.run.rows` (re-exported here): the
:class:`RowWriter` appends each row as one line as it finishes, so an interrupted
sweep keeps every finished row, and :func:`read_done` tells a resumed sweep which
configurations are already there.

Every local worker is stopped and reaped when the sweep ends, on success, on error,
on Ctrl-C and on SIGTERM; a killed sweep takes its workers with it (see
:mod:`ptheorem.run.pool`).  On a cluster, the tasks still pending are cancelled and
the client is closed instead.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

from ptheorem.model.errors import BudgetExceededError, PtheoremError
from ptheorem.model.spec import NetworkSpec
from ptheorem.run.executor import Executor, execute
from ptheorem.run.pool import WorkerFailure
from ptheorem.run.rows import (
    CSV_COLUMNS,
    STATUSES,
    Row,
    RowWriter,
    csv_record,
    exit_status,
    read_done,
    read_rows,
    repair_tail,
    row_format,
)

__all__ = [
    "CSV_COLUMNS",
    "STATUSES",
    "Document",
    "Executor",
    "Outcome",
    "Row",
    "RowWriter",
    "SweepOptions",
    "check_one",
    "csv_record",
    "default_jobs",
    "exit_status",
    "read_done",
    "read_rows",
    "repair_tail",
    "row_format",
    "run_sweep",
    "run_tasks",
    "sweep_pool",
]

#: Imported before local workers are forked, so each starts warm (no per-worker imports).
PRELOAD = ("numpy", "sympy", "ptheorem.run.check", "ptheorem.symbolic.check")


@dataclass(frozen=True)
class SweepOptions:
    """How each configuration is checked (the ``check`` options)."""

    method: str = "auto"
    timeout: float = 60.0
    seed: int = 0
    points: int | None = None
    #: ``--mask`` source (``blocks:K`` or a file), parsed per configuration.
    mask: str | None = None


@dataclass(frozen=True)
class Outcome:
    """A finished configuration: its row and, when asked for, its check document."""

    row: Row
    document: dict[str, Any] | None = None


#: Turns a check result into the document a golden file stores (given by the caller, e.g.
#: :func:`ptheorem.output.json.check.check_to_dict`; it runs in the worker, which is a fork).
Document = Callable[[Any], dict[str, Any]]


def check_one(
    spec: NetworkSpec, options: SweepOptions, document: Document | None = None
) -> Outcome:
    """Check one configuration; every failure becomes an ``error`` (or budget) row."""
    from ptheorem.run.check import Method, run_check

    start = time.perf_counter()
    try:
        extra: dict[str, Any] = {}
        if options.mask is not None:
            from ptheorem.io.mask import parse_mask

            extra["mask"] = parse_mask(options.mask, spec)
        method = Method(options.method)
        result = run_check(spec, method, options.timeout, options.seed, options.points, **extra)
    except BudgetExceededError as exc:
        row = Row(spec, "inconclusive", options.method, None, time.perf_counter() - start, str(exc))
        return Outcome(row)
    except PtheoremError as exc:
        row = Row(spec, "error", None, None, time.perf_counter() - start, str(exc))
        return Outcome(row)
    except Exception as exc:  # noqa: BLE001 - one bad configuration must not end the sweep
        message = f"internal error: {type(exc).__name__}: {exc}"
        return Outcome(Row(spec, "error", None, None, time.perf_counter() - start, message))
    seconds = time.perf_counter() - start
    v = result.verdict
    row = Row(spec, v.status.value, v.method, v.evidence.value, seconds)
    if document is None:
        return Outcome(row)
    return Outcome(row, document(result))


def default_jobs() -> int:
    """The CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _check_task(document: Document | None, task: tuple[NetworkSpec, SweepOptions]) -> Outcome:
    """One task of a sweep (module level: a cluster receives it pickled)."""
    spec, options = task
    return check_one(spec, options, document)


@contextmanager
def sweep_pool(
    tasks: Sequence[tuple[NetworkSpec, SweepOptions]],
    executor: Executor,
    document: Document | None = None,
) -> Iterator[Iterator[tuple[int, Outcome]]]:
    """Start the workers now (before any progress-bar thread) or connect to the cluster;
    yield the ``(task index, outcome)`` iterator; on leaving, however it is left, stop
    and reap every local worker (or cancel the cluster's pending tasks and disconnect)."""
    run = partial(_check_task, document)
    with execute(executor, run, tasks, PRELOAD) as results:
        yield ((k, _outcome(result, tasks[k][0])) for k, result in results)


def run_sweep(
    specs: Iterable[NetworkSpec],
    options: SweepOptions,
    executor: Executor,
    document: Document | None = None,
) -> Generator[Outcome, None, None]:
    """Yield an :class:`Outcome` per configuration as each finishes, on ``executor``.

    Closing the generator (or an exception, e.g. ``KeyboardInterrupt``, while
    it waits) stops and reaps the workers (or cancels the cluster's tasks).
    """
    for _, outcome in run_tasks([(s, options) for s in specs], executor, document):
        yield outcome


def run_tasks(
    tasks: Sequence[tuple[NetworkSpec, SweepOptions]],
    executor: Executor,
    document: Document | None = None,
) -> Generator[tuple[int, Outcome], None, None]:
    """Like :func:`run_sweep`, with options per task; yields ``(task index, outcome)``."""
    with sweep_pool(tasks, executor, document) as outcomes:
        yield from outcomes


def _outcome(result: Any, spec: NetworkSpec) -> Outcome:
    if isinstance(result, WorkerFailure):
        return Outcome(Row(spec, "error", None, None, 0.0, f"worker failed: {result.message}"))
    return result  # type: ignore[no-any-return]
