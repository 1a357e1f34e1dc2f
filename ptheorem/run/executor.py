"""Where a batch of tasks runs: forked local workers, or an existing dask cluster.

An executor is a frozen description of the place, chosen by the command line
(``--jobs`` / ``--scheduler``) and taken by the runners (:mod:`ptheorem.run.sweep`):

* :class:`Local` — ``jobs`` worker processes forked from this one
  (:mod:`ptheorem.run.pool`, as without a scheduler);
* :class:`Cluster` — the workers of a running ``dask.distributed`` scheduler at
  ``address`` (:mod:`ptheorem.run.cluster`; needs the ``[dask]`` extra).

:func:`execute` maps one function over a sequence of items there and yields
``(index, result)`` in completion order; a task that raised, or whose worker died,
gives a :class:`~ptheorem.run.pool.WorkerFailure` in its place and the others go on.

>>> choose_executor(None, None, workers=2)
Local(jobs=2)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ptheorem.model.errors import InputError


@dataclass(frozen=True)
class Local:
    """``jobs`` forked worker processes on this machine."""

    jobs: int


@dataclass(frozen=True)
class Cluster:
    """The workers of the ``dask.distributed`` scheduler at ``address``."""

    address: str


Executor = Local | Cluster


def choose_executor(jobs: int | None, scheduler: str | None, workers: int) -> Executor:
    """``--jobs`` (None when not given) and ``--scheduler`` as an executor.

    Without a scheduler, ``workers`` local processes (``--jobs`` counted, e.g. every
    CPU when it is not given); with one, the cluster's workers decide how many tasks
    run at once, so an explicit ``--jobs`` is refused (one line) rather than ignored.
    """
    if scheduler is None:
        if workers < 1:
            raise InputError(f"--jobs must be ≥ 1 (got {workers})")
        return Local(workers)
    if jobs is not None:
        raise InputError(
            "--jobs counts local worker processes; with --scheduler the cluster's workers "
            "run the tasks (give one or the other)"
        )
    from ptheorem.run.cluster import require_dask

    address = scheduler_address(scheduler)
    require_dask()  # before the command writes anything
    return Cluster(address)


def scheduler_address(scheduler: str) -> str:
    """``--scheduler`` stripped; a one-line error when it is empty.

    >>> scheduler_address(" tcp://host:8786 ")
    'tcp://host:8786'
    """
    address = scheduler.strip()
    if not address:
        raise InputError("--scheduler needs an address, e.g. tcp://scheduler-host:8786")
    return address


@contextmanager
def execute(
    executor: Executor,
    fn: Callable[[Any], Any],
    items: Sequence[Any],
    preload: Sequence[str] = (),
) -> Iterator[Iterator[tuple[int, Any]]]:
    """Start the workers (or connect), yield the ``(index, fn(items[index]))`` iterator,
    and on leaving, however it is left, stop and reap the workers (or cancel what is
    still pending on the cluster and close the connection).

    ``fn`` must be a module-level function (a cluster receives it pickled);
    ``preload`` names modules imported here before local workers are forked.
    """
    if not items:
        yield iter(())
        return
    if isinstance(executor, Cluster):
        from ptheorem.run.cluster import cluster_results

        with cluster_results(executor.address, fn, items) as results:
            yield results
        return
    from ptheorem.run.pool import Pool

    for name in preload:
        importlib.import_module(name)
    with Pool(lambda k: fn(items[k]), len(items), executor.jobs) as pool:
        yield pool.results()
