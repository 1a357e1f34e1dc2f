"""``ptheorem search``: look for a curl-free ψ whose input weights are not parallel."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ptheorem.commands.common import OutputFormat, emit_json, print_all
from ptheorem.errors import InputError

EPILOG = (
    "Exit status: 1 witness found and certified (the claim is refuted for these "
    "constraints), 0 none found (evidence, not proof), 3 inconclusive (the best √NAsym "
    "sits between the tolerances), 2 bad input. Examples: "
    "ptheorem search -L 3 -d 2 --widths 3,1 --activation square --witness w.json | "
    "ptheorem search -L 3 -d 2 --activation tanh --restarts 32 | "
    "ptheorem search -L 3 -d 2 --widths 2 --activation tanh --mask blocks:2 --format json"
)


def register(app: typer.Typer) -> None:
    """Add ``search`` to the app."""
    app.command(epilog=EPILOG)(search)


def search(
    depth: Annotated[int, typer.Option("--depth", "-L", help="Weight layers L (≥ 3).")],
    dim: Annotated[int, typer.Option("--dim", "-d", help="Input and output dimension d (≥ 2).")],
    activation: Annotated[
        str, typer.Option(help="σ by name, e.g. square, tanh, swish:1.5 (not 'generic').")
    ],
    widths: Annotated[
        str | None,
        typer.Option(help="Hidden widths: one int for all layers, or a comma list. Default: d."),
    ] = None,
    mask: Annotated[
        str | None,
        typer.Option(help="Zero middle weights: blocks:K or a .json/.npz file of 0/1 matrices."),
    ] = None,
    restarts: Annotated[
        int, typer.Option(help="Random restarts (the search stops at a witness).")
    ] = 16,
    seed: Annotated[int, typer.Option(help="Seed of the starts and sample points.")] = 0,
    min_angle: Annotated[
        float,
        typer.Option("--min-angle", help="Smallest angle between input weights, in degrees."),
    ] = 10.0,
    dense_min: Annotated[
        float,
        typer.Option("--dense-min", help="Floor δ on |middle weight| (0: free middle weights)."),
    ] = 0.25,
    max_weight: Annotated[
        float, typer.Option("--max-weight", help="Cap M on |middle weight| when δ > 0.")
    ] = 2.0,
    witness: Annotated[
        Path | None,
        typer.Option(help="Write a certified witness to FILE.json (with its certificate) or .npz."),
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="human (rich) or json.")
    ] = OutputFormat.human,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Show the progress bar on stderr.")
    ] = True,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="No colour, whatever the terminal.")
    ] = False,
) -> int:
    """Search for a curl-free ψ with non-parallel input weights (a counterexample).

    Minimises NAsym = Σ‖J − Jᵀ‖²/Σ‖J‖² over the weights with unit input weights at
    least --min-angle apart, middle weights in [δ, M] and the read-out solved exactly.
    """
    from ptheorem.search.core import SearchConfig

    config = SearchConfig(
        spec=_spec(depth, dim, widths, activation),
        restarts=restarts,
        seed=seed,
        min_angle=min_angle,
        dense_min=dense_min,
        max_weight=max_weight,
    )
    if mask is not None:
        from dataclasses import replace

        from ptheorem.mask import parse_mask

        config = replace(config, mask=parse_mask(mask, config.spec))
    if witness is not None:
        check_target(witness)
    result = _run(config, progress, no_color)
    written = None
    if witness is not None and result.witness is not None:
        from ptheorem.netfile import save_network
        from ptheorem.search.report import witness_extra

        written = str(save_network(result.witness, witness, witness_extra(result)))
    if output is OutputFormat.json:
        from ptheorem.search.report import search_to_dict

        emit_json(search_to_dict(result, written))
    else:
        from ptheorem.render.search import render_search

        print_all(render_search(result, written), no_color)
    return int(_exit_code(result))


def _spec(depth: int, dim: int, widths: str | None, activation: str) -> Any:
    from ptheorem.numeric.activations import get_activation
    from ptheorem.spec import NetworkSpec, parse_widths

    act = get_activation(activation)
    if depth < 1:
        raise InputError(f"depth must be a positive integer (got {depth})")
    return NetworkSpec(depth, dim, parse_widths(widths, depth, dim), False, act.spec)


def check_target(path: Path) -> None:
    """Fail early (exit 2) when a witness could not be written to ``path``."""
    from ptheorem.netfile import FORMATS

    if path.suffix not in FORMATS:
        raise InputError(f"{path}: unknown network format {path.suffix!r} (use .npz or .json)")
    if not path.parent.exists():
        raise InputError(f"{path.parent}: no such folder")
    if path.is_dir():
        raise InputError(f"{path}: is a folder")


def _run(config: Any, progress: bool, no_color: bool) -> Any:
    from ptheorem.search.core import run_search

    try:
        if not progress:
            return run_search(config)
        from ptheorem.render.search import best_text, make_progress

        with make_progress(no_color, "search") as bar:
            task = bar.add_task("search", total=config.restarts, best="")

            def report(done: int, total: int, best: float) -> None:
                bar.update(task, completed=done, total=total, best=best_text(best))

            return run_search(config, report)
    except KeyboardInterrupt:
        raise typer.Abort() from None


def _exit_code(result: Any) -> int:
    from ptheorem.exitcodes import ExitCode
    from ptheorem.result import Status

    return int(
        {
            Status.REFUTED: ExitCode.REFUTED,
            Status.CONFIRMED: ExitCode.OK,
            Status.INCONCLUSIVE: ExitCode.INCONCLUSIVE,
        }[result.status]
    )
