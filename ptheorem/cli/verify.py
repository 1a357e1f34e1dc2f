"""``ptheorem verify``: re-derive every golden file of a directory and compare.

Also home of :func:`report_expect`, the ``check --expect GOLDEN.json`` step.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from ptheorem.cli.common import (
    JobsOption,
    NoColorOption,
    OutputFormat,
    SchedulerOption,
    TableFormatOption,
    check_timeout,
    emit_json,
    registrar,
    worker_count,
)
from ptheorem.model.errors import InputError
from ptheorem.model.exitcodes import ExitCode

EPILOG = (
    "Each golden file (written by 'ptheorem snapshot' or taken from 'check --format json') "
    "is re-derived by the route it records (general+instance, general, instance, numeric, "
    "hypothesis) and compared: constraints (canonical sympy strings), S, verdict and "
    "assumptions; timings, tool version and notes are ignored. Exit status: 0 all match, "
    "1 any differ, 2 bad directory or golden file (or a configuration that cannot be "
    "derived), 3 inconclusive: a budget ran out, or did not fit the recorded route."
)
EXAMPLES = (
    "ptheorem verify examples/ci/golden",
    "ptheorem verify golden --jobs 2 --format json",
    "ptheorem verify golden --timeout 300",
)


def verify(
    directory: Annotated[Path, typer.Argument(help="Directory of golden *.json files.")],
    jobs: JobsOption = None,
    scheduler: SchedulerOption = None,
    timeout: Annotated[
        float,
        typer.Option(help="Budget per golden file (re-derivation, then comparison), in seconds."),
    ] = 60.0,
    output: TableFormatOption = OutputFormat.human,
    no_color: NoColorOption = False,
) -> int:
    """Re-derive every golden file in a directory and report which still match."""
    from contextlib import closing

    from ptheorem.run.executor import choose_executor
    from ptheorem.run.golden import load_golden, recipe_of, spec_of
    from ptheorem.run.sweep import SweepOptions, run_tasks

    executor = choose_executor(jobs, scheduler, worker_count(jobs))
    check_timeout(timeout)
    files = golden_files(directory)
    goldens = [load_golden(f) for f in files]
    tasks = []
    recipes = [recipe_of(doc) for doc in goldens]
    for doc, recipe in zip(goldens, recipes, strict=True):
        options = SweepOptions(
            recipe["method"],
            timeout,
            recipe.get("seed", 0),
            mask=recipe.get("mask"),
        )
        tasks.append((spec_of(doc), options))
    entries: list[dict[str, Any]] = [{} for _ in files]
    from ptheorem.output.json.check import check_to_dict
    from ptheorem.output.text.progress import stage_display

    wanted = output is not OutputFormat.json
    with (
        stage_display(no_color, label="verify", enabled=wanted) as report,
        closing(run_tasks(tasks, executor, check_to_dict)) as outcomes,
    ):
        for done, (k, outcome) in enumerate(outcomes, 1):
            entries[k] = _entry(files[k], goldens[k], recipes[k], outcome, timeout)
            if report is not None:
                report("golden files re-derived", done, len(files))
    _report(entries, directory, output, no_color)
    return int(_exit_code(entries))


register = registrar(verify, EPILOG, EXAMPLES)


def _entry(
    path: Path, golden: dict[str, Any], recipe: dict[str, Any], outcome: Any, timeout: float
) -> dict[str, Any]:
    """One row of the verify table: re-derived document compared with the golden one.

    The entry shows the golden file's route (``recipe``), which the re-derivation took
    again; when it could not (the budget did not fit the instance cross-check) the
    file is inconclusive, not different.  The comparison has its own budget of
    ``timeout`` seconds (a hostile golden file cannot hang verify).
    """
    from ptheorem.model.errors import BudgetExceededError
    from ptheorem.run.golden import compare_within, file_stem, route_problem

    row = outcome.row
    entry: dict[str, Any] = {
        "file": path.name,
        "key": file_stem(row.spec),
        "method": recipe["route"],
        "seconds": row.seconds,
    }
    if outcome.document is None:
        status = "inconclusive" if row.status == "inconclusive" else "error"
        return entry | {"status": status, "detail": row.error or row.status, "diff": None}
    problem = route_problem(recipe, outcome.document)
    if problem is not None:
        return entry | {"status": "inconclusive", "detail": problem, "diff": None}
    try:
        diff = compare_within(golden, outcome.document, timeout)
    except BudgetExceededError as exc:
        return entry | {"status": "inconclusive", "detail": str(exc), "diff": None}
    status = "match" if diff.matches else "differ"
    return entry | {"status": status, "detail": diff.summary(), "diff": diff}


def golden_files(directory: Path) -> list[Path]:
    """The ``*.json`` files of a golden directory, sorted; one-line errors otherwise."""
    if not directory.exists():
        raise InputError(f"golden directory {directory} does not exist")
    if not directory.is_dir():
        raise InputError(f"{directory} is not a directory")
    files = sorted(p for p in directory.glob("*.json") if p.is_file())
    if not files:
        raise InputError(f"no golden files (*.json) in {directory}; write them with snapshot")
    return files


def _exit_code(entries: list[dict[str, Any]]) -> ExitCode:
    statuses = {e["status"] for e in entries}
    if "differ" in statuses:
        return ExitCode.REFUTED
    if "error" in statuses:
        return ExitCode.USAGE
    return ExitCode.INCONCLUSIVE if "inconclusive" in statuses else ExitCode.OK


def _report(
    entries: list[dict[str, Any]], directory: Path, output: OutputFormat, no_color: bool
) -> None:
    if output is OutputFormat.json:
        from ptheorem.output.json.golden import verify_to_dict

        emit_json(verify_to_dict(entries, directory))
        return
    from ptheorem.io.files import show_path
    from ptheorem.output.text.golden import render_verify

    print_soft(render_verify(entries, show_path(directory)), no_color)


def print_soft(renderables: list[Any], no_color: bool) -> None:
    """Like ``print_all``, but long text lines (a constraint) are not broken at the width."""
    from ptheorem.output.text.console import make_console

    console = make_console(no_color)
    for item in renderables:
        console.print(item, soft_wrap=True)


def load_expected(path: str | None) -> dict[str, Any] | None:
    """``check --expect``: the golden document (before the check runs), or None."""
    if path is None:
        return None
    from ptheorem.run.golden import load_golden

    return load_golden(path)


def report_expect(
    result: Any,
    golden: dict[str, Any],
    path: str,
    as_json: bool,
    emit: Callable[[], None],
    no_color: bool,
    seconds: float = 60.0,
) -> int:
    """``check --expect``: print the check and its diff to ``golden``; 0 if equal, else 1.

    In JSON mode the check document gets an ``expect`` key with the diff.  The
    comparison runs under a budget of ``seconds`` (exit 3 when it runs out); a run
    that did not take the golden file's route (the instance cross-check did not fit
    the budget) is inconclusive too, never a difference.
    """
    from ptheorem.io.files import show_path
    from ptheorem.model.errors import BudgetExceededError
    from ptheorem.output.json.check import check_to_dict
    from ptheorem.output.json.golden import diff_to_dict
    from ptheorem.run.golden import compare_within, recipe_of, route_problem

    doc = check_to_dict(result)
    problem = route_problem(recipe_of(golden), doc)
    if problem is not None:
        raise BudgetExceededError(f"golden {show_path(path)}: {problem}")
    diff = compare_within(golden, doc, seconds)
    if as_json:
        emit_json(doc | {"expect": {"golden": show_path(path), **diff_to_dict(diff)}})
    else:
        from ptheorem.output.text.golden import render_diff

        emit()
        print_soft(render_diff(diff, show_path(path)), no_color)
    return int(ExitCode.OK if diff.matches else ExitCode.REFUTED)
