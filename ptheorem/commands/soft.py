"""``ptheorem soft``: how small can the asymmetry get as input weights are allowed closer?"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ptheorem.commands.common import OutputFormat, emit_json, print_all

EPILOG = (
    "Exit status: 0 done, 2 bad input. Examples: "
    "ptheorem soft -L 3 -d 2 --activation tanh | "
    "ptheorem soft -L 3 -d 2 --activation swish --angles 45,10,2,0.5 --restarts 8 | "
    "ptheorem soft -L 4 -d 3 --widths 3 --activation gelu --format json"
)


def register(app: typer.Typer) -> None:
    """Add ``soft`` to the app."""
    app.command(epilog=EPILOG)(soft)


def soft(
    depth: Annotated[int, typer.Option("--depth", "-L", help="Weight layers L (≥ 3).")],
    dim: Annotated[int, typer.Option("--dim", "-d", help="Input and output dimension d (≥ 2).")],
    activation: Annotated[str, typer.Option(help="σ by name, e.g. tanh, swish:1.5, gelu.")],
    widths: Annotated[
        str | None,
        typer.Option(help="Hidden widths: one int for all layers, or a comma list. Default: d."),
    ] = None,
    angles: Annotated[
        str, typer.Option(help="Minimum angles between input weights, degrees, comma-separated.")
    ] = "90,45,20,10,5,2,1,0.5",
    mask: Annotated[
        str | None,
        typer.Option(help="Zero middle weights: blocks:K or a .json/.npz file of 0/1 matrices."),
    ] = None,
    restarts: Annotated[
        int, typer.Option(help="Random restarts per angle (plus a warm start from the last).")
    ] = 4,
    seed: Annotated[int, typer.Option(help="Seed of the starts and sample points.")] = 0,
    dense_min: Annotated[
        float,
        typer.Option("--dense-min", help="Floor δ on |middle weight| (0: free middle weights)."),
    ] = 0.25,
    max_weight: Annotated[
        float, typer.Option("--max-weight", help="Cap M on |middle weight| when δ > 0.")
    ] = 2.0,
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
    """Minimise the asymmetry for each allowed angle between input weights; fit its scaling.

    Answers "how close to a gradient can a net with non-parallel inputs be?":
    one row per angle (smallest √NAsym reached), a log-scale chart and the exponent
    p of √NAsym ≈ c·angle^p.
    """
    from dataclasses import replace

    from ptheorem.commands.search import _spec
    from ptheorem.search.core import SearchConfig
    from ptheorem.search.soft import parse_angles

    chosen = parse_angles(angles)
    spec = _spec(depth, dim, widths, activation)
    from ptheorem.search.core import angle_reachable

    reachable = [a for a in chosen if angle_reachable(a, spec)]
    config = SearchConfig(
        spec=spec,
        restarts=restarts,
        seed=seed,
        min_angle=reachable[-1] if reachable else 90.0 / spec.widths[0],
        dense_min=dense_min,
        max_weight=max_weight,
    )
    if mask is not None:
        from ptheorem.mask import parse_mask

        config = replace(config, mask=parse_mask(mask, spec))
    report = _run(config, chosen, progress, no_color)
    if output is OutputFormat.json:
        from ptheorem.search.report import soft_to_dict

        emit_json(soft_to_dict(report))
    else:
        from ptheorem.render.search import render_soft

        print_all(render_soft(report), no_color)
    return 0


def _run(config: Any, angles: tuple[float, ...], progress: bool, no_color: bool) -> Any:
    from ptheorem.search.soft import run_soft

    try:
        if not progress:
            return run_soft(config, angles)
        from ptheorem.render.search import best_text, make_progress

        with make_progress(no_color, "soft") as bar:
            task = bar.add_task("soft", total=len(angles) * (config.restarts + 1), best="")

            def report(done: int, total: int, best: float) -> None:
                bar.update(task, completed=done, total=total, best=best_text(best))

            return run_soft(config, angles, report)
    except KeyboardInterrupt:
        raise typer.Abort() from None
