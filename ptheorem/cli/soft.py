"""``ptheorem soft``: how small can the asymmetry get as input weights are allowed closer?"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ptheorem.cli.common import (
    DenseMinOption,
    ForceOption,
    FormatOption,
    MaskOption,
    MaxWeightOption,
    NoColorOption,
    OutputFormat,
    ProgressOption,
    SearchDepthOption,
    SearchDimOption,
    SearchSeedOption,
    TimeoutOption,
    WidthsOption,
    activation_option,
    check_timeout,
    emit_json,
    print_all,
    registrar,
)
from ptheorem.model.status import exit_code

EPILOG = (
    "Exit status: 5 supported (numeric evidence only), 3 inconclusive (round-off reached), "
    "2 bad input."
)
EXAMPLES = (
    "ptheorem soft -L 3 -d 2 --activation tanh",
    "ptheorem soft -L 3 -d 2 --activation swish --angles 45,10,2,0.5 --restarts 8",
    "ptheorem soft -L 4 -d 3 --widths 3 --activation gelu --format json",
    "ptheorem soft -L 3 -d 2 --activation tanh --export soft.svg",
)


def soft(
    depth: SearchDepthOption,
    dim: SearchDimOption,
    activation: Annotated[str, activation_option("σ by name.")],
    widths: WidthsOption = None,
    angles: Annotated[
        str, typer.Option(help="Minimum angles between input weights, degrees, comma-separated.")
    ] = "90,45,20,10,5,2,1,0.5",
    mask: MaskOption = None,
    restarts: Annotated[
        int, typer.Option(help="Random restarts per angle (plus a warm start from the last).")
    ] = 4,
    seed: SearchSeedOption = 0,
    dense_min: DenseMinOption = 0.25,
    max_weight: MaxWeightOption = 2.0,
    timeout: TimeoutOption = 300.0,
    output: FormatOption = OutputFormat.human,
    progress: ProgressOption = True,
    export: Annotated[
        str | None,
        typer.Option(
            help="Also draw the log-log plot with the fitted line to FILE.svg, FILE.png or "
            "FILE.pdf (needs the [plot] extra); black on white without colour.",
            metavar="FILE",
        ),
    ] = None,
    force: ForceOption = False,
    no_color: NoColorOption = False,
) -> int:
    """Minimise the asymmetry for each allowed angle between input weights; fit its scaling.

    Answers "how close to a gradient can a net with non-parallel inputs be?":
    one row per angle (smallest √NAsym reached), a log-scale chart and the exponent
    p of √NAsym ≈ c·angle^p.
    """
    import time

    from ptheorem.counterexamples.search.core import angle_reachable, search_config, search_spec
    from ptheorem.counterexamples.soft import parse_angles

    check_timeout(timeout)
    if export is not None:
        from ptheorem.io.files import check_target
        from ptheorem.output.text.softplot import check_plot_target

        check_plot_target(export)
        check_target(export, "--export", force)
    deadline = time.monotonic() + timeout
    chosen = parse_angles(angles)
    spec = search_spec(depth, dim, widths, activation)
    reachable = [a for a in chosen if angle_reachable(a, spec)]
    config = search_config(
        spec,
        mask,
        restarts=restarts,
        seed=seed,
        min_angle=reachable[-1] if reachable else 90.0 / spec.widths[0],
        dense_min=dense_min,
        max_weight=max_weight,
    )
    report = _run(config, chosen, progress, no_color, deadline)
    if output is OutputFormat.json:
        from ptheorem.output.json.soft import soft_to_dict

        emit_json(soft_to_dict(report))
    else:
        from ptheorem.output.text.soft import render_soft

        print_all(render_soft(report), no_color)
    if export is not None:
        _plot(report, export, no_color)
    return int(exit_code(report.status))


def _plot(report: Any, path: str, no_color: bool) -> None:
    from ptheorem.io.files import show_path
    from ptheorem.output.text.console import colour_wanted
    from ptheorem.output.text.softplot import soft_figure

    written = soft_figure(report, path, colour=colour_wanted(no_color))
    typer.echo(f"ptheorem: wrote {show_path(written)}", err=True)


register = registrar(soft, EPILOG, EXAMPLES)


def _run(
    config: Any, angles: tuple[float, ...], progress: bool, no_color: bool, deadline: float
) -> Any:
    from ptheorem.cli.search import run_with_progress
    from ptheorem.counterexamples.soft import run_soft

    total = len(angles) * (config.restarts + 1)
    return run_with_progress(
        "soft",
        total,
        lambda report: run_soft(config, angles, report, deadline),
        progress,
        no_color,
    )
