"""The ``ptheorem`` command line: parse options, call the core, present the result.

sympy, numpy and rich are imported inside the commands, so ``--help`` stays fast.

Every way a run can end is mapped here, once: a result (its exit code), a usage or
input error (exit 2, one line on stderr, a JSON error document on stdout in JSON
mode), a budget that ran out (exit 3), Ctrl-C (exit 130) and SIGTERM (exit 143, after
the same clean-up: worker processes stopped, finished rows kept), and an output stream
closed by its reader (``| head -1``): exit 141 (128 + SIGPIPE, what a shell reports for a
process killed by the signal), quietly, never a verdict code.  Running out of
memory, input nested too deeply, an operating-system error on a file and text that
cannot be encoded are input errors (exit 2), never tracebacks.

Start-up: while a command runs, the cyclic garbage collector's youngest
generation is collected every :data:`GC_THRESHOLD` allocations instead of every
700 (sympy loads inside the commands, after this is set).  Importing sympy and
building its expressions allocate hundreds of thousands of long-lived objects
and almost no cyclic garbage, and the default threshold scans them over and
over (measured: 6 % of the CPU time of ``check --depth 3 --dim 4``; 12 % with
no collector at all).  Memory stays bounded: a collection still runs every
:data:`GC_THRESHOLD` allocations of container objects.

Same input, same bytes: BLAS runs on one thread in ptheorem's processes (set here,
before numpy is imported), so reductions are summed in one order whatever the
machine's ``OPENBLAS_NUM_THREADS``; the JSON output does not depend on it.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

#: BLAS thread variables pinned to 1 (see the module doc).
BLAS_THREAD_VARIABLES = (
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
)
if "numpy" not in sys.modules:  # the pin only works before numpy loads BLAS
    for _name in BLAS_THREAD_VARIABLES:
        os.environ[_name] = "1"
#: Allocations between two collections of the garbage collector's youngest generation.
GC_THRESHOLD = 200_000

import typer  # noqa: E402
from typer.core import TyperGroup  # noqa: E402

from ptheorem.io.files import json_for, printable, show_path  # noqa: E402
from ptheorem.model.errors import (  # noqa: E402
    BudgetExceededError,
    InputError,
    PtheoremError,
    Terminated,
)
from ptheorem.model.exitcodes import ExitCode  # noqa: E402
from ptheorem.model.version import __version__  # noqa: E402
from ptheorem.output.text.console import (  # noqa: E402
    ascii_for,
    can_encode,
    use_ascii_fallback,
)


def _wants_json(argv: list[str]) -> bool:
    """Whether ``--format json`` is in effect: the last ``--format`` given wins, as in typer.

    >>> _wants_json(["check", "-f", "json"]), _wants_json(["-f", "json", "--format=human"])
    (True, False)
    """
    wanted = False
    for k, a in enumerate(argv):
        if a == "--":
            break
        if a in ("--format", "-f") and k + 1 < len(argv):
            wanted = argv[k + 1] == "json"
        elif a.startswith("--format="):
            wanted = a == "--format=json"
        elif a.startswith("-f") and len(a) > 2:
            wanted = a in ("-fjson", "-f=json")
    return wanted


def _fail(message: str, code: int, as_json: bool, exc: BaseException) -> int:
    """Report a run that did not give a result: one line on stderr (and JSON on stdout)."""
    message = printable(" ".join(message.split()))
    if as_json:
        from ptheorem.output.json.check import dumps, error_dict

        doc = error_dict(exc, code)
        doc["error"]["message"] = message
        typer.echo(json_for(sys.stdout, dumps(doc)))
    typer.echo(ascii_for(sys.stderr, f"ptheorem: error: {message}"), err=True)
    return code


def _os_message(exc: OSError) -> str:
    """An operating-system error on a file, in one line that names the file."""
    what = exc.strerror or type(exc).__name__
    if exc.filename is None:
        return f"{what}: {exc}" if exc.strerror is None else what
    return f"{show_path(exc.filename)}: {what}"


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Collect the youngest generation every :data:`GC_THRESHOLD` allocations (module doc)."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], GC_THRESHOLD), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


@contextmanager
def _escaping_output() -> Iterator[None]:
    """Text that cannot be encoded is written in ASCII or escaped, never crashes.

    A stream that cannot encode Unicode at all (``PYTHONIOENCODING=ascii``) spells it
    in ASCII as ``--ascii`` does (:func:`ptheorem.output.text.console.use_ascii_fallback`);
    elsewhere a non-UTF-8 file name is written with backslash escapes.
    """
    old: list[tuple[Any, Any]] = []
    for stream in (sys.stdout, sys.stderr):
        errors = getattr(stream, "errors", None)
        if not can_encode(stream):
            former = use_ascii_fallback(stream)
            if former is not None:
                old.append((stream, former))
        elif hasattr(stream, "reconfigure") and errors in ("strict", "surrogateescape"):
            with contextlib.suppress(Exception):
                stream.reconfigure(errors="backslashreplace")
                old.append((stream, errors))
    try:
        yield
    finally:
        for stream, errors in old:
            with contextlib.suppress(Exception):
                stream.flush()  # what is buffered is written with the handler it was meant for
                stream.reconfigure(errors=errors)


def _broken_pipe() -> int:
    """The reader closed stdout (or stderr): end quietly with 128 + SIGPIPE.

    Both streams are pointed at ``/dev/null`` first, so nothing else is written and
    the interpreter's last flush cannot print "Exception ignored … BrokenPipeError".
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            os.dup2(devnull, stream.fileno())
    os.close(devnull)
    return int(ExitCode.BROKEN_PIPE)


class _Signals:
    """SIGTERM raises :class:`Terminated` in the main thread while a command runs."""

    def __init__(self) -> None:
        self.terminated = False
        self._old: Any = None

    def _on_term(self, signum: int, frame: Any) -> None:
        self.terminated = True
        raise Terminated()

    def __enter__(self) -> _Signals:
        if threading.current_thread() is threading.main_thread():
            self._old = signal.signal(signal.SIGTERM, self._on_term)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._old is not None:
            signal.signal(signal.SIGTERM, self._old)

    def finished(self) -> None:
        """The run is over: from here a late Ctrl-C or SIGTERM is ignored.

        The interpreter resets Python-level handlers to the default while it shuts
        down, so a signal landing then would kill the process (exit -2) after its
        verdict or rows were already written; an ignored signal stays ignored.
        """
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            self._old = None


class _OutputClosed(Exception):  # noqa: N818 - not an error: the reader went away
    """stdout or stderr was closed by its reader; raised past typer, which would exit 1."""


class PtheoremGroup(TyperGroup):
    """Maps every failure to one line on stderr and an :class:`ExitCode`."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        """Parse the command line (``--help`` is printed here)."""
        try:
            return super().make_context(*args, **kwargs)
        except BrokenPipeError:
            raise _OutputClosed() from None

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """typer's rich help, raising ``BrokenPipeError`` into a closed pipe."""
        from ptheorem.output.text.console import broken_pipe_raises

        with broken_pipe_raises():
            super().format_help(ctx, formatter)

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        as_json = _wants_json(argv)
        with _Signals() as signals, _escaping_output(), _fewer_collections():
            self._signals = signals
            code = self._run(argv, as_json, prog_name, complete_var, extra)
            if code == 130 and signals.terminated:  # a command that kept its rows
                code = 143
            if args is None and standalone_mode:  # the process itself, not a test runner
                signals.finished()
        if standalone_mode:
            sys.exit(code)
        return code

    def invoke(self, ctx: Any) -> Any:
        """Run the command; Ctrl-C becomes :class:`typer.Abort` (typer would exit silently)."""
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as exc:
            raise typer.Abort() from exc
        except BrokenPipeError:
            raise _OutputClosed() from None

    def _run(
        self,
        argv: list[str],
        as_json: bool,
        prog_name: str | None,
        complete_var: str | None,
        extra: dict[str, Any],
    ) -> int:
        """Run the command line; return the exit code (every outcome mapped, see module doc)."""
        try:
            rv = super().main(
                args=argv,
                prog_name=prog_name or "ptheorem",
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
            code = rv if isinstance(rv, int) else 0
        except typer.Exit as e:
            code = e.exit_code
            if code == 130:  # typer turns a KeyboardInterrupt outside our handlers into Exit(130)
                code = self._interrupted(as_json, e)
        except (typer.Abort, KeyboardInterrupt) as e:
            code = self._interrupted(as_json, e)
        except typer.TyperException as e:
            ctx = getattr(e, "ctx", None)
            if type(e).__name__ == "NoArgsIsHelpError" and ctx is not None:
                typer.echo(ctx.get_help())
                return int(ExitCode.USAGE)
            hint = f" (see '{ctx.command_path} --help')" if ctx else ""
            code = _fail(e.format_message() + hint, int(ExitCode.USAGE), as_json, e)
        except (_OutputClosed, BrokenPipeError):
            code = _broken_pipe()
        except BudgetExceededError as e:
            code = _fail(str(e), int(ExitCode.INCONCLUSIVE), as_json, e)
        except (InputError, PtheoremError) as e:
            code = _fail(str(e), int(ExitCode.USAGE), as_json, e)
        except MemoryError as e:
            detail = f" ({e})" if str(e) else ""
            message = f"out of memory{detail}; try a smaller size"
            code = _fail(message, int(ExitCode.USAGE), as_json, e)
        except RecursionError as e:
            code = _fail(f"input nested too deeply ({e})", int(ExitCode.USAGE), as_json, e)
        except UnicodeError as e:
            code = _fail(f"text that cannot be handled: {e}", int(ExitCode.USAGE), as_json, e)
        except OSError as e:
            code = _fail(_os_message(e), int(ExitCode.USAGE), as_json, e)
        except Exception as e:  # noqa: BLE001 - a bug: one line, traceback on request
            if os.environ.get("PTHEOREM_DEBUG"):
                raise
            message = f"internal error: {type(e).__name__}: {e} (PTHEOREM_DEBUG=1 shows more)"
            code = _fail(message, int(ExitCode.INTERNAL), as_json, e)
        return code

    def _interrupted(self, as_json: bool, exc: BaseException) -> int:
        signals = getattr(self, "_signals", None)
        chain: BaseException | None = exc
        while chain is not None and not isinstance(chain, Terminated):
            chain = chain.__cause__ or chain.__context__
        if chain is not None or (signals is not None and signals.terminated):
            return _fail("terminated", int(ExitCode.TERMINATED), as_json, exc)
        return _fail("interrupted", int(ExitCode.INTERRUPTED), as_json, exc)


app = typer.Typer(
    cls=PtheoremGroup,
    help="Check Saremi (2019): a ψ network with more than one hidden layer is a "
    "gradient field only if its input weights are parallel.",
    epilog="Exit codes: 0 proved, 1 refuted, 2 usage or input error, 3 inconclusive, "
    "4 internal error, 5 supported (numeric evidence only, not a proof), 130 interrupted, "
    "141 output closed by its reader, 143 terminated.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ptheorem {__version__}")
        raise typer.Exit(0)


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """ptheorem: a mechanical checker for 'On approximating ∇f with neural networks'."""


#: The command modules of :mod:`ptheorem.cli`, in help order; each defines ``register(app)``.
COMMANDS = (
    "audit", "check", "demo", "explain", "schema", "search", "snapshot", "soft", "sweep", "verify",
)  # fmt: skip


def _register_commands() -> None:
    """Each command module adds its command."""
    import importlib

    for name in COMMANDS:
        importlib.import_module(f"ptheorem.cli.{name}").register(app)


_register_commands()
