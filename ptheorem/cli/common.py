"""Pieces every command shares: option types, output format, exit codes, emitting results.

The ``*Option`` aliases are ``Annotated`` types for parameters that several commands
declare with the same flags and the same help; a command gives the default itself
(``seed: SeedOption = 0``).  Where commands mean different things by one flag (``--depth``
is any L for ``check`` but L ≥ 3 for ``search``), there is one alias per meaning.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Annotated, Any, Literal

import typer
from typer.core import TyperCommand

from ptheorem.model.errors import InputError
from ptheorem.model.exitcodes import ExitCode
from ptheorem.model.status import exit_code


class OutputFormat(StrEnum):
    """``--format`` values."""

    human = "human"
    json = "json"


# The network: --depth, --dim, --widths, --bias, --mask.
_DEPTH = typer.Option("--depth", "-L", help="Weight layers L (L=2: one hidden layer).")
DepthOption = Annotated[int, _DEPTH]
OptionalDepthOption = Annotated[int | None, _DEPTH]
DimOption = Annotated[int, typer.Option("--dim", "-d", help="Input and output dimension d.")]
WidthsOption = Annotated[
    str | None,
    typer.Option(help="Hidden widths: one int for all layers, or a comma list. Default: d."),
]
BiasOption = Annotated[bool, typer.Option("--bias/--no-bias", help="Give every layer a bias.")]
MaskOption = Annotated[
    str | None,
    typer.Option(help="Zero middle weights: blocks:K or a .json/.npz file of 0/1 matrices."),
]

# The weight search (search, soft): the counterexample setting L ≥ 3, d ≥ 2.
SearchDepthOption = Annotated[int, typer.Option("--depth", "-L", help="Weight layers L (≥ 3).")]
SearchDimOption = Annotated[
    int, typer.Option("--dim", "-d", help="Input and output dimension d (≥ 2).")
]
SearchSeedOption = Annotated[
    int, typer.Option(min=0, help="Seed of the starts and sample points (≥ 0).")
]
DenseMinOption = Annotated[
    float,
    typer.Option("--dense-min", help="Floor δ on |middle weight| (0: free middle weights)."),
]
MaxWeightOption = Annotated[
    float, typer.Option("--max-weight", help="Cap M on |middle weight| when δ > 0.")
]

# Checking: the numeric method's seed; a grid's method, budget and workers.
SeedOption = Annotated[
    int, typer.Option(min=0, help="Seed of the numeric method's random draws (≥ 0).")
]
#: ``--timeout``: the budget of a command that can run long (exit 3 when it runs out).
TimeoutOption = Annotated[
    float,
    typer.Option(help="Budget in seconds: the run stops and exits 3 (inconclusive) at the limit."),
]
#: ``--method`` values: those of :class:`ptheorem.run.check.Method` (a test keeps them
#: equal), spelled here so ``--help`` and shell completion do not import the checker.
MethodName = Literal["auto", "general", "instance", "symbolic", "numeric"]
METHOD_HELP = (
    "auto: the general proof, cross-checked by the instance derivation when it fits "
    "--timeout; general: the proof only; instance (or symbolic): the derivation at the sizes; "
    "numeric: evidence only."
)
#: ``--method`` of ``check``.
MethodOption = Annotated[MethodName | None, typer.Option("--method", "-m", help=METHOD_HELP)]
GridMethodOption = Annotated[
    MethodName, typer.Option("--method", "-m", help=METHOD_HELP + " Per configuration.")
]

#: Built-in σ names (the registry of :mod:`ptheorem.activations`, kept equal by a test),
#: spelled here so ``--help`` and completion do not import numpy; swish takes ``:beta``.
ACTIVATION_NAMES = ("swish", "tanh", "softplus", "sin", "gelu", "relu", "square", "cube", "linear")
#: The σ of the symbolic derivation: any σ (``check`` and ``explain`` only).
GENERIC = "generic"


def complete_activation(incomplete: str) -> list[str]:
    """Shell completion of ``--activation``: the names that start with what was typed.

    >>> complete_activation("s")
    ['swish', 'swish:', 'softplus', 'sin', 'square']
    """
    names = [GENERIC, *ACTIVATION_NAMES]
    out = []
    for name in names:
        if name.startswith(incomplete.strip().lower()):
            out += [name, f"{name}:"] if name == "swish" else [name]
    return out


def activation_option(help: str, generic: bool = False) -> Any:
    """The ``--activation NAME[:beta]`` option: help lists the names, completion offers them
    (``generic`` too when the command takes it); the command parses the value itself
    (:func:`ptheorem.activations.get_activation`: one-line errors)."""
    names = ([GENERIC] if generic else []) + [
        "swish[:beta]" if n == "swish" else n for n in ACTIVATION_NAMES
    ]
    return typer.Option(
        "--activation",
        help=f"{help} NAME: {', '.join(names)}.",
        metavar="NAME[:beta]",
        autocompletion=complete_activation,
    )


GridTimeoutOption = Annotated[
    float,
    typer.Option(help="Budget per configuration, in seconds (it is inconclusive if it runs out)."),
]
JobsOption = Annotated[
    int | None, typer.Option("--jobs", "-j", help="Worker processes (default: all CPUs).")
]
#: ``--scheduler``: run the tasks on an existing dask cluster instead of local workers.
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        metavar="ADDRESS",
        help="Run the tasks on the dask.distributed scheduler at ADDRESS, e.g. "
        "tcp://host:8786 (needs pip install 'ptheorem[dask]'); default: local worker processes.",
    ),
]

#: ``--force``: overwrite an existing output file (refused without it).
ForceOption = Annotated[
    bool, typer.Option("--force", help="Overwrite an existing output file (refused otherwise).")
]

# Output.
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="human (rich) or json.")]
TableFormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="human (rich table) or json.")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print the verdict line only.")]
ProgressOption = Annotated[
    bool, typer.Option("--progress/--no-progress", help="Show the progress bar on stderr.")
]
AsciiOption = Annotated[
    bool, typer.Option("--ascii", help="ASCII only: no Unicode box drawing or Greek.")
]
NoColorOption = Annotated[
    bool, typer.Option("--no-color", help="No colour, whatever the terminal.")
]


class PtheoremCommand(TyperCommand):
    """A command whose help, printed into a closed pipe, raises ``BrokenPipeError``
    (mapped to exit 141 in :mod:`ptheorem.cli.main`) instead of exiting 1."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from ptheorem.output.text.console import broken_pipe_raises

        with broken_pipe_raises():
            super().format_help(ctx, formatter)


#: The longest example line: it fits an 80-column help (rich pads the epilog by one column
#: each side, and examples are indented by two).
EXAMPLE_WIDTH = 76


def help_epilog(text: str, examples: Sequence[str] = ()) -> str:
    """A command's epilog: ``text``, then its examples one per line (never joined with
    " | ", which reads as a shell pipe), escaped for typer's rich markup.

    >>> print(help_epilog("Exit codes: 0 ok.", ["ptheorem demo", "ptheorem demo --step"]))
    Exit codes: 0 ok.
    <BLANKLINE>
    Examples:
      ptheorem demo
      ptheorem demo --step
    """
    parts = [text] if text else []
    if examples:
        parts.append("Examples:\n" + "\n".join(f"  {e}" for e in examples))
    return "\n\n".join(parts).replace("[", "\\[")


def registrar(
    command: Callable[..., Any], epilog: str, examples: Sequence[str] = ()
) -> Callable[[typer.Typer], None]:
    """The ``register(app)`` of a command module: add ``command`` with its ``epilog`` and
    ``examples`` (each at most :data:`EXAMPLE_WIDTH` characters, so 80 columns show it
    whole; ``tests/test_help_options.py`` keeps them so)."""
    text = help_epilog(epilog, examples)

    def register(app: typer.Typer) -> None:
        app.command(epilog=text, cls=PtheoremCommand)(command)

    register.__doc__ = f"Add ``{command.__name__}`` to the app."
    return register


def choice(enum: Any, value: str, option: str) -> Any:
    """Parse ``value`` into ``enum`` or raise a one-line :class:`InputError`."""
    try:
        return enum(value)
    except ValueError:
        names = ", ".join(e.value for e in enum)
        raise InputError(f"{option} must be one of {names} (got {value!r})") from None


def check_timeout(timeout: float) -> None:
    """``--timeout`` must be a positive number of seconds.

    >>> check_timeout(0.5)
    """
    if not timeout > 0:
        raise InputError(f"--timeout must be a positive number of seconds (got {timeout:g})")


def grid_plan(
    grid: str, method: str, timeout: float, jobs: int | None, seed: int
) -> tuple[tuple[Any, ...], Any, int]:
    """What ``sweep`` and ``snapshot`` share: the grid's specs, the check options, workers."""
    from ptheorem.run.check import Method
    from ptheorem.run.grid import parse_grid
    from ptheorem.run.sweep import SweepOptions

    chosen = choice(Method, method, "--method")
    check_timeout(timeout)
    workers = worker_count(jobs)
    specs = parse_grid(grid).specs()
    return specs, SweepOptions(chosen.value, timeout, seed), workers


def worker_count(jobs: int | None) -> int:
    """``--jobs``, or every CPU when it is not given; at least 1."""
    from ptheorem.run.sweep import default_jobs
    from ptheorem.tolerances import MAX_JOBS_PER_CPU

    cpus = default_jobs()
    workers = cpus if jobs is None else jobs
    if workers < 1:
        raise InputError(f"--jobs must be ≥ 1 (got {workers})")
    limit = max(16, MAX_JOBS_PER_CPU * cpus)
    if workers > limit:
        raise InputError(
            f"--jobs {workers} is more than this machine's {cpus} CPU(s) can use (at most {limit})"
        )
    return workers


def exit_code_for(result: Any) -> ExitCode:
    """The exit code of a check result's verdict (see :func:`ptheorem.model.status.exit_code`)."""
    return exit_code(result.verdict.status)


def emit_json(data: dict[str, Any]) -> None:
    """Write one JSON document (sorted keys) to stdout."""
    import sys

    from ptheorem.io.files import json_for
    from ptheorem.output.json.check import dumps

    typer.echo(json_for(sys.stdout, dumps(data)))


def print_all(renderables: list[Any], no_color: bool) -> None:
    """Print rich renderables on a console from the one console factory."""
    from ptheorem.output.text.console import make_console

    console = make_console(no_color)
    for item in renderables:
        console.print(item)


def print_line(text: str, no_color: bool) -> None:
    """Print one unwrapped line (for ``--quiet``)."""
    from ptheorem.output.text.console import make_console

    make_console(no_color).print(text, markup=False, soft_wrap=True)
