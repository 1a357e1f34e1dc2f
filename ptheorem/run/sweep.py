"""Sweeps: check many configurations in parallel and yield one row per configuration.

:func:`run_sweep` runs :func:`check_one` for each network in a
``ProcessPoolExecutor`` and yields :class:`Outcome` objects as they finish
(completion order, not input order).  Rows are plain frozen data; the
:class:`RowWriter` appends them to a JSON Lines or CSV file, flushing each, so an
interrupted sweep keeps every finished row, and :func:`read_done` tells a
resumed sweep which configurations are already there.

Workers ignore SIGINT: on Ctrl-C the parent stops them (SIGTERM, which makes
a worker kill its own symbolic child on the way out) and keeps what finished.
If the parent dies without that (SIGKILL, SIGTERM), each worker notices its
lifeline pipe close and stops the same way, so no worker outlives a sweep.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing as mp
import os
import signal
import threading
import time
import warnings
from collections.abc import Callable, Generator, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ptheorem.model.errors import BudgetExceededError, InputError, PtheoremError
from ptheorem.model.spec import NetworkSpec
from ptheorem.model.status import Status
from ptheorem.run.golden import file_stem

#: Row fields, in CSV column order (``widths`` is written ``2-2`` there).
CSV_COLUMNS = (
    "key",
    "depth",
    "dim",
    "widths",
    "bias",
    "activation",
    "status",
    "method",
    "evidence",
    "seconds",
    "error",
)
#: Row ``status`` values: the verdict's (:class:`ptheorem.model.status.Status`), or ``error``
#: when the check could not run.
STATUSES = (*(s.value for s in Status), "error")


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
class Row:
    """One configuration's result: verdict status, method, evidence, time, error."""

    spec: NetworkSpec
    status: str
    method: str | None
    evidence: str | None
    seconds: float
    error: str | None = None

    @property
    def key(self) -> str:
        """The configuration's name, e.g. ``L3_d2_w2-2_nobias``."""
        return file_stem(self.spec)

    def to_dict(self) -> dict[str, Any]:
        """The JSON Lines form of the row."""
        s = self.spec
        return {
            "key": self.key,
            "config": {
                "depth": s.depth,
                "dim": s.dim,
                "widths": list(s.widths),
                "bias": s.bias,
                "activation": s.activation,
            },
            "status": self.status,
            "method": self.method,
            "evidence": self.evidence,
            "seconds": round(self.seconds, 6),
            "error": self.error,
        }

    def content(self) -> dict[str, Any]:
        """The row without its timing: equal across runs of the same configuration."""
        data = self.to_dict()
        del data["seconds"]
        return data


@dataclass(frozen=True)
class Outcome:
    """A finished configuration: its row and, when asked for, its check document."""

    row: Row
    document: dict[str, Any] | None = None


#: Turns a check result into the document a golden file stores (given by the caller, e.g.
#: :func:`ptheorem.output.json.check.check_to_dict`; a module-level function, so it pickles).
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


def _worker_init(lifeline: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_stop)
    # The symbolic budget forks next to the watcher thread (safe: it only waits).
    warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
    threading.Thread(target=_watch_parent, args=(lifeline,), daemon=True).start()


def _watch_parent(lifeline: Any) -> None:
    """Stop the worker when the sweep process is gone, even killed: its pipe end closes."""
    try:
        lifeline.recv_bytes()
    except (EOFError, OSError):
        pass
    _worker_stop()


def _worker_stop(*_: object) -> None:
    """SIGTERM in a worker: kill its symbolic budget child, then exit at once."""
    for child in mp.active_children():
        child.kill()
    os._exit(143)


def _context() -> Any:
    # forkserver: no fork of a parent that runs threads (rich's progress refresh).
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["ptheorem.run.sweep", "ptheorem.run.check", "numpy", "sympy"])
        return ctx
    return mp.get_context("spawn")  # pragma: no cover - not POSIX


def run_sweep(
    specs: Iterable[NetworkSpec],
    options: SweepOptions,
    jobs: int,
    document: Document | None = None,
) -> Generator[Outcome, None, None]:
    """Yield an :class:`Outcome` per configuration as each finishes, ``jobs`` at a time.

    Closing the generator (or an exception, e.g. ``KeyboardInterrupt``, while
    it waits) cancels what has not started and stops the workers.
    """
    for _, outcome in run_tasks([(s, options) for s in specs], jobs, document):
        yield outcome


def run_tasks(
    tasks: Sequence[tuple[NetworkSpec, SweepOptions]],
    jobs: int,
    document: Document | None = None,
) -> Generator[tuple[int, Outcome], None, None]:
    """Like :func:`run_sweep`, with options per task; yields ``(task index, outcome)``."""
    if jobs < 1:
        raise InputError(f"--jobs must be ≥ 1 (got {jobs})")
    if not tasks:
        return
    ctx = _context()
    # Workers hold the read end; only this process holds the write end.
    lifeline, keep_alive = ctx.Pipe(duplex=False)
    executor = ProcessPoolExecutor(
        max_workers=min(jobs, len(tasks)),
        mp_context=ctx,
        initializer=_worker_init,
        initargs=(lifeline,),
    )
    pending: dict[Future[Outcome], int] = {}
    queue = iter(range(len(tasks)))

    def submit(k: int) -> None:
        spec, options = tasks[k]
        pending[executor.submit(check_one, spec, options, document)] = k

    finished = False
    try:
        # Submit a little ahead of the workers, so cancelling leaves little to drop.
        for k in queue:
            submit(k)
            if len(pending) >= 2 * jobs:
                break
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in sorted(done, key=pending.__getitem__):
                k = pending.pop(fut)
                yield k, _outcome(fut, tasks[k][0])
                nxt = next(queue, None)
                if nxt is not None:
                    submit(nxt)
        finished = True
    finally:
        if not finished:
            _stop(executor, pending)
        executor.shutdown(wait=finished, cancel_futures=True)
        keep_alive.close()
        lifeline.close()


def _outcome(fut: Future[Outcome], spec: NetworkSpec) -> Outcome:
    try:
        return fut.result()
    except Exception as exc:  # noqa: BLE001 - e.g. a worker killed by the OS
        return Outcome(Row(spec, "error", None, None, 0.0, f"worker failed: {exc}"))


def _stop(executor: ProcessPoolExecutor, pending: dict[Future[Outcome], int]) -> None:
    for fut in pending:
        fut.cancel()
    processes = getattr(executor, "_processes", None) or {}
    for proc in list(processes.values()):
        if proc.is_alive():
            proc.terminate()
    for proc in list(processes.values()):
        proc.join(2)


# --------------------------------------------------------------------------- row files


def row_format(path: Path) -> str:
    """``jsonl`` or ``csv`` from the file's extension; a one-line error otherwise."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    raise InputError(
        f"{path}: use a .jsonl (JSON Lines) or .csv file name (got {suffix or 'none'!r})"
    )


def csv_record(row: Row) -> dict[str, Any]:
    """The CSV form of a row (``widths`` joined with ``-``, empty for none)."""
    s = row.spec
    return {
        "key": row.key,
        "depth": s.depth,
        "dim": s.dim,
        "widths": "-".join(map(str, s.widths)),
        "bias": str(s.bias).lower(),
        "activation": s.activation,
        "status": row.status,
        "method": row.method or "",
        "evidence": row.evidence or "",
        "seconds": f"{row.seconds:.6f}",
        "error": row.error or "",
    }


class RowWriter:
    """Appends rows to a JSON Lines or CSV file, one whole line and a flush per row."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.format = row_format(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            repair_tail(path)
            new = not path.exists() or path.stat().st_size == 0
            self._file = path.open("a", encoding="utf-8", newline="")
        except OSError as exc:
            raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
        if self.format == "csv" and new:
            self._write(",".join(CSV_COLUMNS) + "\r\n")

    def write(self, row: Row) -> None:
        """Append one row and flush it to the operating system."""
        if self.format == "jsonl":
            line = json.dumps(row.to_dict(), sort_keys=True, ensure_ascii=False) + "\n"
        else:
            buf = io.StringIO()
            csv.DictWriter(buf, fieldnames=CSV_COLUMNS).writerow(csv_record(row))
            line = buf.getvalue()
        self._write(line)

    def _write(self, text: str) -> None:
        self._file.write(text)
        self._file.flush()

    def close(self) -> None:
        """Close the file."""
        self._file.close()

    def __enter__(self) -> RowWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def repair_tail(path: Path) -> None:
    """Cut a partial last line (from a killed writer) off ``path``, if there is one."""
    if not path.exists():
        return
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        with path.open("r+b") as f:
            f.truncate(data.rfind(b"\n") + 1)


def read_done(path: Path) -> set[str]:
    """The keys of the configurations already in a row file (empty if it does not exist)."""
    fmt = row_format(path)
    if not path.exists():
        return set()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines.pop()  # a partial row from an interrupted writer: not done
    done: set[str] = set()
    if fmt == "csv":
        reader = csv.DictReader(lines)
        if reader.fieldnames is not None and "key" not in reader.fieldnames:
            raise InputError(f"{path} is not a ptheorem sweep CSV (no 'key' column)")
        return {r["key"] for r in reader if r.get("key")}
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            done.add(str(data["key"]))
        except (json.JSONDecodeError, KeyError, TypeError):
            raise InputError(f"{path}:{n} is not a ptheorem sweep row") from None
    return done


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The JSON Lines rows of ``path`` (complete lines only)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    return [json.loads(x) for x in lines if x.endswith("\n") and x.strip()]


def exit_status(rows: Iterable[Row]) -> str:
    """The sweep's overall outcome, first of: refuted, error, inconclusive, supported, proved.

    >>> exit_status([])
    'proved'
    """
    statuses = {r.status for r in rows}
    for status in ("refuted", "error", "inconclusive", "supported"):
        if status in statuses:
            return status
    return "proved"
