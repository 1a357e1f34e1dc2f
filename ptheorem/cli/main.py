"""The ``ptheorem`` command line: parse options, call the core, present the result.

sympy, numpy and rich are imported inside the commands, so ``--help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from ptheorem.model.errors import BudgetExceededError, InputError, PtheoremError
from ptheorem.model.exitcodes import ExitCode
from ptheorem.model.version import __version__


def _wants_json(argv: list[str]) -> bool:
    for k, a in enumerate(argv):
        if a in ("--format", "-f") and k + 1 < len(argv) and argv[k + 1] == "json":
            return True
        if a in ("--format=json", "-fjson", "-f=json"):
            return True
    return False


def _fail(message: str, code: int, as_json: bool, exc: BaseException) -> int:
    if as_json:
        from ptheorem.output.json.check import dumps, error_dict

        typer.echo(dumps(error_dict(exc, code)))
    typer.echo(f"ptheorem: error: {message}", err=True)
    return code


class PtheoremGroup(TyperGroup):
    """Maps every failure to one line on stderr and an :class:`ExitCode`."""

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
                code = _fail("interrupted", 130, as_json, e)
        except (typer.Abort, KeyboardInterrupt) as e:
            code = _fail("interrupted", 130, as_json, e)
        except typer.TyperException as e:
            ctx = getattr(e, "ctx", None)
            if type(e).__name__ == "NoArgsIsHelpError" and ctx is not None:
                typer.echo(ctx.get_help())
                code = int(ExitCode.USAGE)
                if standalone_mode:
                    sys.exit(code)
                return code
            hint = f" (see '{ctx.command_path} --help')" if ctx else ""
            code = _fail(e.format_message() + hint, int(ExitCode.USAGE), as_json, e)
        except BudgetExceededError as e:
            code = _fail(str(e), int(ExitCode.INCONCLUSIVE), as_json, e)
        except (InputError, PtheoremError) as e:
            code = _fail(str(e), int(ExitCode.USAGE), as_json, e)
        except Exception as e:  # noqa: BLE001 - a bug: one line, traceback on request
            if os.environ.get("PTHEOREM_DEBUG"):
                raise
            message = f"internal error: {type(e).__name__}: {e} (PTHEOREM_DEBUG=1 shows more)"
            code = _fail(message, int(ExitCode.INTERNAL), as_json, e)
        if standalone_mode:
            sys.exit(code)
        return code


app = typer.Typer(
    cls=PtheoremGroup,
    help="Check Saremi (2019): a ψ network with more than one hidden layer is a "
    "gradient field only if its input weights are parallel.",
    epilog="Exit codes: 0 proved, 1 refuted, 2 usage or input error, 3 inconclusive, "
    "4 internal error, 5 supported (numeric evidence only, not a proof), 130 interrupted.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
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
