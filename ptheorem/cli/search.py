"""``ptheorem search``: look for a curl-free ψ whose input weights are not parallel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
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
    SchedulerOption,
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
from ptheorem.model.errors import InputError
from ptheorem.model.status import exit_code

EPILOG = (
    "Exit status: 1 refuted (a witness with an exact certificate), 3 inconclusive (a "
    "candidate with numeric evidence only, or none found: a search that finds nothing proves "
    "nothing), 2 bad input."
)
EXAMPLES = (
    "ptheorem search -L 3 -d 2 --widths 3,1 --activation square --witness w.json",
    "ptheorem search -L 3 -d 2 --activation tanh --restarts 32",
    "ptheorem search -L 3 -d 3 --activation tanh --scheduler tcp://host:8786",
    "ptheorem search -L 3 -d 2 --widths 2 --activation tanh --mask blocks:2",
)


def search(
    depth: SearchDepthOption,
    dim: SearchDimOption,
    activation: Annotated[str, activation_option("σ by name (not generic).")],
    widths: WidthsOption = None,
    mask: MaskOption = None,
    restarts: Annotated[
        int, typer.Option(help="Random restarts (the search stops at a witness).")
    ] = 16,
    scheduler: SchedulerOption = None,
    seed: SearchSeedOption = 0,
    min_angle: Annotated[
        float,
        typer.Option("--min-angle", help="Smallest angle between input weights, in degrees."),
    ] = 10.0,
    dense_min: DenseMinOption = 0.25,
    max_weight: MaxWeightOption = 2.0,
    witness: Annotated[
        Path | None,
        typer.Option(help="Write a certified witness to FILE.json (with its certificate) or .npz."),
    ] = None,
    force: ForceOption = False,
    timeout: TimeoutOption = 300.0,
    output: FormatOption = OutputFormat.human,
    progress: ProgressOption = True,
    no_color: NoColorOption = False,
) -> int:
    """Search for a curl-free ψ with non-parallel input weights (a counterexample).

    Minimises NAsym = Σ‖J − Jᵀ‖²/Σ‖J‖² over the weights with unit input weights at
    least --min-angle apart, middle weights in [δ, M] and the read-out solved exactly.
    """
    import time

    check_timeout(timeout)
    deadline = time.monotonic() + timeout
    from ptheorem.counterexamples.search.core import search_config, search_spec

    config = search_config(
        search_spec(depth, dim, widths, activation),
        mask,
        restarts=restarts,
        seed=seed,
        min_angle=min_angle,
        dense_min=dense_min,
        max_weight=max_weight,
    )
    if witness is not None:
        check_target(witness, force)
    result = _run(config, progress, no_color, deadline, scheduler)
    written = None
    if witness is not None and result.witness is not None:
        from ptheorem.io.files import show_path
        from ptheorem.io.netfile import save_network
        from ptheorem.output.json.search import witness_extra

        written = show_path(save_network(result.witness, witness, witness_extra(result)))
    if output is OutputFormat.json:
        from ptheorem.output.json.search import search_to_dict

        emit_json(search_to_dict(result, written))
    else:
        from ptheorem.output.text.search import render_search

        print_all(render_search(result, written), no_color)
    return int(exit_code(result.status))


register = registrar(search, EPILOG, EXAMPLES)


def check_target(path: Path, force: bool = False) -> None:
    """Fail early (exit 2) when a witness could not be written to ``path``: a missing or
    read-only folder, a directory or FIFO, or an existing file without ``--force``."""
    from ptheorem.io import files
    from ptheorem.io.netfile import FORMATS

    if path.suffix not in FORMATS:
        raise InputError(
            f"--witness {files.show_path(path)}: unknown network format {path.suffix!r} "
            "(use .npz or .json)"
        )
    files.check_target(path, "--witness", force)


def _run(
    config: Any, progress: bool, no_color: bool, deadline: float, scheduler: str | None
) -> Any:
    """The search, its restarts here one by one or all at once on the cluster at ``scheduler``."""
    from contextlib import ExitStack

    from ptheorem.counterexamples.search.core import RestartRunner, in_turn, run_search

    with ExitStack() as stack:
        runner: RestartRunner = in_turn
        if scheduler is not None:
            from ptheorem.run.cluster import restart_runner
            from ptheorem.run.executor import scheduler_address

            runner = stack.enter_context(restart_runner(scheduler_address(scheduler)))
        return run_with_progress(
            "search",
            config.restarts,
            lambda report: run_search(config, report, deadline, runner),
            progress,
            no_color,
        )


def run_with_progress(
    label: str,
    total: int,
    run: Callable[[Any], Any],
    progress: bool,
    no_color: bool,
) -> Any:
    """``run(report)``, with a progress bar of the best √NAsym on stderr if ``progress``.

    ``report(done, total, best)`` updates the bar; it is None without one.  Ctrl-C aborts.
    """
    try:
        if not progress:
            return run(None)
        from ptheorem.output.text.search import best_text, make_progress

        with make_progress(no_color, label) as bar:
            task = bar.add_task(label, total=total, best="")

            def report(done: int, total: int, best: float) -> None:
                bar.update(task, completed=done, total=total, best=best_text(best))

            return run(report)
    except KeyboardInterrupt:
        raise typer.Abort() from None
