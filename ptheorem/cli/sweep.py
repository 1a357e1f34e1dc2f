"""``ptheorem sweep``: check a grid of configurations in parallel, rows saved as they finish."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ptheorem.cli.common import (
    GridMethodOption,
    GridTimeoutOption,
    JobsOption,
    NoColorOption,
    OutputFormat,
    ProgressOption,
    SchedulerOption,
    SeedOption,
    TableFormatOption,
    emit_json,
    grid_plan,
    print_all,
    registrar,
)
from ptheorem.model.exitcodes import ExitCode

EPILOG = (
    "Grid syntax: KEY=VALUES items separated by ',' (or ';'), alternatives with '|', "
    "inclusive ranges with '..'; keys depth, dim, widths (default: dim), bias (no or yes), "
    "activation. Exit status: 1 any refuted, else 2 any could not be checked, else 3 any "
    "inconclusive, else 5 any supported (numeric evidence only), else 0 all proved; 130 "
    "interrupted (finished rows are kept)."
)
EXAMPLES = (
    "ptheorem sweep --grid 'depth=2..6,dim=2..6,widths=2..4'",
    "ptheorem sweep --grid 'depth=3,dim=2|4|8' --jobs 2 --out rows.jsonl",
    "ptheorem sweep --grid 'depth=2..6,dim=2..6' --resume rows.jsonl",
    "ptheorem sweep --grid 'depth=3,dim=3,activation=tanh|relu' --out rows.csv",
    "ptheorem sweep --grid 'depth=2..6,dim=2..6' --scheduler tcp://host:8786",
)


def sweep(
    grid: Annotated[
        str,
        typer.Option("--grid", "-g", help="Configurations, e.g. 'depth=2..6,dim=2|3,widths=2..4'."),
    ],
    method: GridMethodOption = "auto",
    jobs: JobsOption = None,
    scheduler: SchedulerOption = None,
    timeout: GridTimeoutOption = 60.0,
    seed: SeedOption = 0,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Append rows to FILE.jsonl or FILE.csv as each one finishes."
        ),
    ] = None,
    resume: Annotated[
        Path | None,
        typer.Option(
            help="Skip configurations already in this row file and append to it "
            "(unless --out names another)."
        ),
    ] = None,
    output: TableFormatOption = OutputFormat.human,
    progress: ProgressOption = True,
    no_color: NoColorOption = False,
) -> int:
    """Check every configuration of a grid in parallel; one row each, saved as it finishes."""
    import time

    from ptheorem.run.executor import choose_executor
    from ptheorem.run.golden import file_stem
    from ptheorem.run.sweep import read_done, row_format

    specs, options, workers = grid_plan(grid, method, timeout, jobs, seed)
    executor = choose_executor(jobs, scheduler, workers)
    done: set[str] = set()
    if resume is not None:
        done = read_done(resume, (file_stem(s) for s in specs))
        out = out or resume
    if out is not None:
        row_format(out)
    todo = [s for s in specs if file_stem(s) not in done]
    rows: list[Any] = []
    interrupted = False
    start = time.perf_counter()
    rows, interrupted = _run(todo, options, executor, out, progress, no_color)
    wall = time.perf_counter() - start
    order = {s: k for k, s in enumerate(specs)}
    rows.sort(key=lambda r: order[r.spec])
    skipped = len(specs) - len(todo)
    _report(rows, grid, wall, skipped, interrupted, out, output, no_color)
    if interrupted:
        from ptheorem.io.files import show_path

        typer.echo(
            f"ptheorem: interrupted after {len(rows)} of {len(todo)} configurations"
            + (f"; finished rows are in {show_path(out)}" if out else ""),
            err=True,
        )
        return 130
    return int(_exit_code(rows))


register = registrar(sweep, EPILOG, EXAMPLES)


def _run(
    todo: list[Any],
    options: Any,
    executor: Any,
    out: Path | None,
    progress: bool,
    no_color: bool,
) -> tuple[list[Any], bool]:
    """Run the sweep, writing and counting rows; returns the rows and whether interrupted.

    The row file is opened once the workers run (or the cluster answered), so a
    scheduler that cannot be reached leaves no file behind.
    """
    from contextlib import ExitStack

    from ptheorem.run.sweep import RowWriter, sweep_pool

    rows: list[Any] = []
    with ExitStack() as stack:
        try:
            # The workers are forked first, before the progress bar starts its thread.
            outcomes = stack.enter_context(sweep_pool([(s, options) for s in todo], executor))
            writer = None if out is None else stack.enter_context(RowWriter(out))
            bar = task = None
            if progress and todo:
                from ptheorem.output.text.sweep import make_progress

                bar = stack.enter_context(make_progress(no_color))
                task = bar.add_task("sweep", total=len(todo), last="")
            for _, outcome in outcomes:
                row = outcome.row
                if writer is not None:
                    writer.write(row)
                rows.append(row)
                if bar is not None:
                    bar.update(task, advance=1, last=f"{row.key} {row.status}")
        except KeyboardInterrupt:
            return rows, True
    return rows, False


def _report(
    rows: list[Any],
    grid: str,
    wall: float,
    skipped: int,
    interrupted: bool,
    out: Path | None,
    output: OutputFormat,
    no_color: bool,
) -> None:
    if output is OutputFormat.json:
        from ptheorem.output.json.sweep import sweep_to_dict

        emit_json(sweep_to_dict(rows, grid, wall, skipped, interrupted, out))
        return
    from ptheorem.io.files import show_path
    from ptheorem.output.text.sweep import render_sweep

    title = f"ptheorem sweep --grid '{grid}'"
    print_all(
        render_sweep(
            rows, title, wall, skipped, interrupted, None if out is None else show_path(out)
        ),
        no_color,
    )


def _exit_code(rows: list[Any]) -> ExitCode:
    from ptheorem.model.status import Status, exit_code
    from ptheorem.run.sweep import exit_status

    outcome = exit_status(rows)
    return ExitCode.USAGE if outcome == "error" else exit_code(Status(outcome))
