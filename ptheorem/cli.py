"""The ``ptheorem`` command line: parse options, call the core, present the result.

sympy, numpy and rich are imported inside the commands, so ``--help`` stays fast.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from ptheorem import __version__
from ptheorem.errors import BudgetExceededError, InputError, PtheoremError
from ptheorem.exitcodes import ExitCode


class OutputFormat(StrEnum):
    """``--format`` values."""

    human = "human"
    json = "json"


def _wants_json(argv: list[str]) -> bool:
    for k, a in enumerate(argv):
        if a in ("--format", "-f") and k + 1 < len(argv) and argv[k + 1] == "json":
            return True
        if a == "--format=json":
            return True
    return False


def _fail(message: str, code: int, as_json: bool, exc: BaseException) -> int:
    if as_json:
        from ptheorem.serialize import dumps, error_dict

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
            hint = f" (see '{e.ctx.command_path} --help')" if getattr(e, "ctx", None) else ""
            code = _fail(e.format_message() + hint, int(ExitCode.USAGE), as_json, e)
        except BudgetExceededError as e:
            code = _fail(str(e), int(ExitCode.INCONCLUSIVE), as_json, e)
        except (InputError, PtheoremError) as e:
            code = _fail(str(e), int(ExitCode.USAGE), as_json, e)
        if standalone_mode:
            sys.exit(code)
        return code


app = typer.Typer(
    cls=PtheoremGroup,
    help="Check Saremi (2019): a ψ network with more than one hidden layer is a "
    "gradient field only if its input weights are parallel.",
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


def _show_limit(text: str) -> int | None:
    if text == "all":
        return None
    try:
        value = int(text)
    except ValueError:
        raise InputError(f"--show-constraints takes a number or 'all' (got {text!r})") from None
    if value < 0:
        raise InputError(f"--show-constraints must be ≥ 0 (got {value})")
    return value


@app.command(
    epilog="Examples: ptheorem check --depth 3 --dim 4 | "
    "ptheorem check -L 2 -d 3 --widths 5 --format json | "
    "ptheorem check -L 4 -d 2 --widths 3,2,3 --show-constraints all"
)
def check(
    depth: Annotated[
        int, typer.Option("--depth", "-L", help="Weight layers L (L=2: one hidden layer).")
    ],
    dim: Annotated[int, typer.Option("--dim", "-d", help="Input and output dimension d.")],
    widths: Annotated[
        str | None,
        typer.Option(help="Hidden widths: one int for all layers, or a comma list. Default: d."),
    ] = None,
    bias: Annotated[
        bool, typer.Option("--bias/--no-bias", help="Give every layer a bias.")
    ] = False,
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="human (rich) or json.")
    ] = OutputFormat.human,
    show_constraints: Annotated[
        str, typer.Option(help="How many labelled constraints to show: N or 'all'.")
    ] = "3",
    per_path: Annotated[
        bool, typer.Option("--per-path", help="Also enumerate every backward path (small sizes).")
    ] = False,
    method: Annotated[
        str,
        typer.Option("--method", "-m", help="symbolic, numeric, or auto (symbolic if in reach)."),
    ] = "auto",
    timeout: Annotated[
        float, typer.Option(help="Symbolic budget in seconds; auto falls back to numeric.")
    ] = 60.0,
    activation: Annotated[
        str,
        typer.Option(help="σ: 'generic' (symbolic) or a named one, e.g. swish:2, tanh (numeric)."),
    ] = "generic",
    seed: Annotated[int, typer.Option(help="Seed of the numeric method's random draws.")] = 0,
    points: Annotated[
        int | None, typer.Option(help="Sample points of the numeric method (default: automatic).")
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print the verdict line only.")
    ] = False,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="No colour, whatever the terminal.")
    ] = False,
) -> int:
    """Derive the constraints for one network, solve for S, and give the verdict."""
    from ptheorem.check import Method, run_check
    from ptheorem.spec import NetworkSpec, parse_widths

    limit = _show_limit(show_constraints)
    chosen = _choice(Method, method, "--method")
    spec = NetworkSpec(
        depth,
        dim,
        parse_widths(widths, depth, dim) if depth >= 1 else (),
        bias,
        _activation_name(activation),
    )
    per_path_limit = 0
    if per_path:
        from ptheorem.symbolic.derive import PER_PATH_LIMIT

        if spec.path_count > PER_PATH_LIMIT:
            raise InputError(
                f"--per-path needs at most {PER_PATH_LIMIT} paths per (i, j); this net has "
                f"{spec.path_count}"
            )
        per_path_limit = PER_PATH_LIMIT
    try:
        result = run_check(spec, chosen, timeout, seed, points, per_path_limit)
    except KeyboardInterrupt:
        raise typer.Abort() from None
    _emit(result, output, limit, quiet, no_color)
    return int(exit_code_for(result))


def _choice(enum: Any, value: str, option: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        names = ", ".join(e.value for e in enum)
        raise InputError(f"{option} must be one of {names} (got {value!r})") from None


def _activation_name(text: str) -> str:
    """Validate ``--activation`` early (one-line error) and return its canonical spec."""
    from ptheorem.spec import GENERIC_ACTIVATION

    if text == GENERIC_ACTIVATION:
        return text
    from ptheorem.numeric.activations import get_activation

    return str(get_activation(text).spec)


def exit_code_for(result: Any) -> ExitCode:
    """The exit code of a check result's verdict."""
    from ptheorem.result import Status

    return {
        Status.CONFIRMED: ExitCode.OK,
        Status.REFUTED: ExitCode.REFUTED,
        Status.INCONCLUSIVE: ExitCode.INCONCLUSIVE,
    }[result.verdict.status]


def _emit(
    result: Any, output: OutputFormat, limit: int | None, quiet: bool, no_color: bool
) -> None:
    if output is OutputFormat.json:
        from ptheorem.serialize import check_to_dict, dumps

        typer.echo(dumps(check_to_dict(result)))
        return
    from ptheorem.render.check import render_check, verdict_line
    from ptheorem.render.console import make_console

    console = make_console(no_color)
    if quiet:
        console.print(verdict_line(result), markup=False, soft_wrap=True)
        return
    for item in render_check(result, limit):
        console.print(item)
