"""How many BLAS threads the matrix products use (threadpoolctl): the audit, the path SVDs.

On a busy 2-core machine an unbounded OpenBLAS pool thrashes: one 1040 × 256 SVD
took 2.6 s with 2 threads against 0.01 s with 1 (benchmarks/bench_audit.py).  The
audit therefore runs inside :func:`blas_threads`, which sets the BLAS pools for
the duration of the call and restores them afterwards.  By default it leaves them
as they are: the command line pins BLAS to one thread before numpy loads (same
input, same bytes; :mod:`ptheorem.cli.main`), a Python caller keeps its own
setting.  Without threadpoolctl it does nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from ptheorem.model.errors import InputError


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


@contextmanager
def blas_threads(threads: int | None) -> Iterator[int | None]:
    """Set the BLAS thread pools to ``threads`` inside the block (None: leave them as they are)."""
    if threads is None:
        yield None
        return
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise InputError(f"--threads must be a positive integer (got {threads!r})")
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl is a dependency
        yield threads
        return
    with threadpool_limits(limits=threads, user_api="blas"):
        yield threads


def blas_info() -> str:
    """``openblas 0.3.x, 2 threads`` for the BLAS numpy uses (for benchmarks and notes)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:  # pragma: no cover
        return "threadpoolctl not installed"
    pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
    return "; ".join(
        f"{p.get('internal_api')} {p.get('version')}, {p.get('num_threads')} threads" for p in pools
    )
