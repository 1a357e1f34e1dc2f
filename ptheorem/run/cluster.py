"""Tasks on an existing ``dask.distributed`` cluster (``--scheduler ADDRESS``).

dask is optional (``pip install 'ptheorem[dask]'``) and imported only here, only when
a scheduler is named.  :func:`connect` gives up after :data:`CONNECT_TIMEOUT` seconds
with a one-line error; every task is submitted at once and the cluster's workers
decide how many run together.

On the workers, each task runs :func:`on_worker`: a dask worker started by a nanny
is a *daemonic* process, and Python refuses children to daemonic processes, yet the
per-task budget (:mod:`ptheorem.budget`) forks a killable child for the long work.
So a task first marks its worker process non-daemonic (it only decides whether
*its* children are terminated at exit; the worker's nanny still owns the worker),
and the budget holds on the cluster as it does locally.  In a threaded worker the
child is forked from the task's thread and dies with it (``PR_SET_PDEATHSIG``).

Leaving :func:`cluster_results` or :func:`restart_runner`, on success, on an error,
on Ctrl-C or SIGTERM, cancels every task still pending or running and closes the
client.  (A task that is already running on a worker thread cannot be interrupted
by dask: it stops at its own budget, and its result is dropped.)
"""

from __future__ import annotations

import asyncio
import importlib.util
import multiprocessing as mp
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ptheorem.model.errors import InputError, PtheoremError
from ptheorem.run.pool import WorkerFailure

#: Seconds to reach the scheduler before giving up (an address that does not answer).
CONNECT_TIMEOUT = 5.0
#: Seconds closing the client may take (it never blocks the end of a run for longer).
CLOSE_TIMEOUT = 5.0
INSTALL_HINT = "pip install 'ptheorem[dask]'"

#: Runs ``fn(k)`` for ``k`` in ``range(count)``, yielding the results in index order.
Runner = Callable[[Callable[[int], Any], int], Generator[Any, None, None]]


_MISSING = f"--scheduler needs dask.distributed, which is not installed: {INSTALL_HINT}"


def require_dask() -> None:
    """A one-line error naming the extra when dask.distributed is not installed (without
    importing it: a command checks this before it writes anything)."""
    if importlib.util.find_spec("distributed") is None:
        raise InputError(_MISSING)


def _distributed() -> Any:
    """The ``distributed`` module, or a one-line error naming the extra to install."""
    try:
        import distributed
    except ImportError:
        raise InputError(_MISSING) from None
    return distributed


@contextmanager
def connect(address: str) -> Iterator[Any]:
    """A ``distributed.Client`` of the scheduler at ``address``, closed on leaving.

    A bad address, a scheduler that does not answer within :data:`CONNECT_TIMEOUT`
    seconds, or one without a worker, is a one-line :class:`InputError`.
    """
    distributed = _distributed()
    try:
        # Probe first: a Client that fails half-way through its constructor is closed
        # only by the garbage collector, with a traceback and a wait at exit.
        asyncio.run(_probe(distributed, address))
        client = distributed.Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except Exception as exc:  # noqa: BLE001 - bad address, refused, timed out: one line
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise InputError(
            f"--scheduler {address}: cannot reach a dask scheduler there ({detail}); "
            "is 'dask scheduler' running and the address right?"
        ) from None
    try:
        _wait_for_a_worker(client, address)
        _same_version(client, address)
        yield client
    finally:
        try:
            client.close(timeout=CLOSE_TIMEOUT)
        except Exception:  # noqa: BLE001 - a scheduler gone by now: nothing left to close
            pass


def _wait_for_a_worker(client: Any, address: str) -> None:
    """A one-line error if no worker joins within :data:`CONNECT_TIMEOUT` seconds (the
    tasks would wait for one for ever)."""
    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
    except Exception:  # noqa: BLE001 - TimeoutError, or the scheduler went away
        raise InputError(
            f"--scheduler {address}: the dask scheduler has no worker (none joined within "
            f"{CONNECT_TIMEOUT:g} s); start some with 'dask worker {address}'"
        ) from None


def worker_version() -> str:
    """The ptheorem version a worker runs (called there by :func:`_same_version`)."""
    from ptheorem.model.version import __version__

    return __version__


def _same_version(client: Any, address: str) -> None:
    """A one-line error unless every worker runs this ptheorem version (else the rows
    could differ from a local run's)."""
    from ptheorem.model.version import __version__

    try:
        versions = client.run(worker_version)
    except Exception as exc:  # noqa: BLE001 - e.g. ptheorem not installed on a worker
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise InputError(
            f"--scheduler {address}: a dask worker cannot run ptheorem ({detail}); install "
            f"ptheorem {__version__} on every worker"
        ) from None
    other = sorted({v for v in versions.values() if v != __version__})
    if other:
        raise InputError(
            f"--scheduler {address}: dask workers run ptheorem {', '.join(other)}, this is "
            f"{__version__}; install the same version on every worker"
        )


async def _probe(distributed: Any, address: str) -> None:
    """Open and close one connection to ``address`` (raises when it cannot)."""
    args = distributed.Security().get_connection_args("client")
    comm = await distributed.comm.connect(address, timeout=CONNECT_TIMEOUT, **args)
    await comm.close()


def on_worker(fn: Callable[[Any], Any], item: Any) -> Any:
    """``fn(item)`` on a dask worker, after allowing the worker process children.

    A nanny's worker process is daemonic, and :mod:`multiprocessing` refuses to start
    children in a daemonic process, so the budget's forked child could not start.
    """
    process = mp.current_process()
    if process.daemon:
        process.daemon = False
    return fn(item)


def _failure(future: Any) -> WorkerFailure:
    """A finished-but-failed future as a one-line :class:`WorkerFailure`."""
    if future.status == "cancelled":
        return WorkerFailure("the task was cancelled on the cluster")
    exc = future.exception()
    name = type(exc).__name__
    if name == "KilledWorker":  # its message is a paragraph: the gist in one line
        return WorkerFailure("the dask worker process died while running it (KilledWorker)")
    return WorkerFailure(f"{name}: {exc}")


def _cancel(client: Any, futures: Sequence[Any]) -> None:
    """Cancel every future not yet done (pending or running)."""
    pending = [f for f in futures if not f.done()]
    if pending:
        try:
            client.cancel(pending, force=True)
        except Exception:  # noqa: BLE001 - the scheduler may be gone already
            pass


@contextmanager
def cluster_results(
    address: str, fn: Callable[[Any], Any], items: Sequence[Any]
) -> Iterator[Iterator[tuple[int, Any]]]:
    """Connect, submit ``fn(item)`` for every item, yield ``(index, result)`` as each
    finishes (a :class:`WorkerFailure` for a task that raised or whose worker died);
    cancel what is left and close the client on leaving."""
    distributed = _distributed()
    with connect(address) as client:
        futures = [client.submit(on_worker, fn, item, pure=False) for item in items]
        index = {f.key: k for k, f in enumerate(futures)}

        def results() -> Iterator[tuple[int, Any]]:
            for future in distributed.as_completed(futures, loop=client.loop):
                value: Any
                if future.status == "finished":
                    try:
                        value = future.result()
                    except Exception as exc:  # noqa: BLE001 - lost while fetched: a failure too
                        value = WorkerFailure(f"result could not be fetched: {exc}")
                else:
                    value = _failure(future)
                yield index[future.key], value

        try:
            yield results()
        finally:
            _cancel(client, futures)


@contextmanager
def restart_runner(address: str) -> Iterator[Runner]:
    """A :data:`Runner` on the cluster at ``address`` (connected now, closed on leaving).

    The runner submits every index at once and yields the results in index order;
    closing its iterator (the caller is done) cancels the rest.  A task that failed
    raises :class:`PtheoremError` naming it.
    """
    with connect(address) as client:

        def run(fn: Callable[[int], Any], count: int) -> Generator[Any, None, None]:
            futures = [client.submit(on_worker, fn, k, pure=False) for k in range(count)]
            try:
                for k, future in enumerate(futures):
                    try:
                        yield future.result()
                    except PtheoremError:
                        raise
                    except Exception:  # noqa: BLE001 - the worker's failure, in one line
                        message = _failure(future).message
                        raise PtheoremError(f"task {k} failed on the cluster: {message}") from None
            finally:
                _cancel(client, futures)

        yield run
