"""``ptheorem snapshot``: write one golden derivation file per configuration of a grid."""

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
    SchedulerOption,
    SeedOption,
    TableFormatOption,
    emit_json,
    grid_plan,
    print_all,
    registrar,
)
from ptheorem.model.errors import InputError
from ptheorem.model.exitcodes import ExitCode

EPILOG = (
    "Each file is the 'check --format json' document without timings, tool version and "
    "notes, plus the route its derivation took (verify re-runs it), named after its "
    "configuration (L3_d2_w2-2_nobias.json); files are written atomically and DIR is "
    "created. Re-run to refresh a set after an intended change, then review the diff; a "
    "file of that name that is not a golden file is overwritten only with --force. "
    "Exit status: 0 every file written, 2 a configuration could not be derived, "
    "3 a symbolic budget ran out."
)
EXAMPLES = (
    "ptheorem snapshot golden --grid 'depth=1..4,dim=1..4'",
    "ptheorem snapshot examples/ci/golden --grid 'depth=1..4,dim=2|3'",
    "ptheorem snapshot golden --grid 'depth=3,dim=3,activation=tanh' -m numeric",
)


def snapshot(
    directory: Annotated[Path, typer.Argument(help="Directory of golden files (created).")],
    grid: Annotated[
        str, typer.Option("--grid", "-g", help="Configurations, e.g. 'depth=1..4,dim=1..4'.")
    ],
    method: GridMethodOption = "auto",
    jobs: JobsOption = None,
    scheduler: SchedulerOption = None,
    timeout: GridTimeoutOption = 60.0,
    seed: SeedOption = 0,
    force: Annotated[
        bool,
        typer.Option("--force", help="Also overwrite files of those names that are not golden."),
    ] = False,
    output: TableFormatOption = OutputFormat.human,
    no_color: NoColorOption = False,
) -> int:
    """Write one golden file per configuration of a grid, for 'verify' and 'check --expect'."""
    from contextlib import closing

    from ptheorem.io.files import show_path
    from ptheorem.output.json.check import check_to_dict
    from ptheorem.run.executor import choose_executor
    from ptheorem.run.sweep import run_sweep

    specs, options, workers = grid_plan(grid, method, timeout, jobs, seed)
    executor = choose_executor(jobs, scheduler, workers)
    if directory.exists() and not directory.is_dir():
        raise InputError(f"{show_path(directory)} exists and is not a directory")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create {show_path(directory)}: {exc.strerror}") from None
    if not force:
        for spec in specs:
            _refuse_foreign(directory / f"{_stem(spec)}.json")
    order = {s: k for k, s in enumerate(specs)}
    from ptheorem.output.text.progress import stage_display

    entries = []
    wanted = output is not OutputFormat.json
    with (
        stage_display(no_color, label="snapshot", enabled=wanted) as report,
        closing(run_sweep(specs, options, executor, check_to_dict)) as outcomes,
    ):
        for outcome in outcomes:
            entries.append(_write(directory, outcome, options.seed))
            if report is not None:
                report("golden files written", len(entries), len(specs))
    entries.sort(key=lambda e: order[e["spec"]])
    _report(entries, directory, output, no_color)
    failed = [e for e in entries if e["written"] == "failed"]
    if any(e["status"] == "error" for e in failed):
        return int(ExitCode.USAGE)
    return int(ExitCode.INCONCLUSIVE) if failed else int(ExitCode.OK)


register = registrar(snapshot, EPILOG, EXAMPLES)


def _stem(spec: Any) -> str:
    from ptheorem.run.golden import file_stem

    return file_stem(spec)


def _existing(path: Path) -> str | None:
    """The text of an existing golden file at ``path`` (None if there is none); a
    directory, FIFO or other non-regular file there is a one-line error."""
    import os

    from ptheorem.io.files import read_text
    from ptheorem.tolerances import MAX_GOLDEN_BYTES

    if not os.path.lexists(path):
        return None
    try:
        return read_text(path, "golden file", MAX_GOLDEN_BYTES)
    except InputError:
        if path.is_file():
            return ""  # unreadable as a golden file: not one
        raise


def _refuse_foreign(path: Path) -> None:
    """An existing file that is not a golden file is not overwritten without --force."""
    import json

    from ptheorem.io.files import show_path

    text = _existing(path)
    if text is None:
        return
    try:
        data = json.loads(text)
        golden = isinstance(data, dict) and {"config", "verdict", "constraints"} <= data.keys()
    except (ValueError, RecursionError):
        golden = False
    if not golden:
        raise InputError(
            f"{show_path(path)} exists and is not a golden file; move it, or pass --force"
        )


def _write(directory: Path, outcome: Any, seed: int) -> dict[str, Any]:
    """Write one golden file (atomically, only if its text changed); return its table entry.

    The file stores the route its derivation took, which ``verify`` takes again.
    """
    from ptheorem.io.files import show_path, write_atomic
    from ptheorem.output.json.golden import golden_text
    from ptheorem.run.golden import recipe_for

    row = outcome.row
    name = f"{_stem(row.spec)}.json"
    entry = {"file": name, "spec": row.spec, "method": row.method, "status": row.status}
    if outcome.document is None:
        return entry | {"written": "failed", "error": row.error}
    path = directory / name
    recipe = recipe_for(outcome.document, seed)
    entry["method"] = recipe["route"]
    text = golden_text(outcome.document, recipe)
    old = _existing(path)
    if old != text:
        try:
            write_atomic(path, text)
        except OSError as exc:
            raise InputError(f"cannot write {show_path(path)}: {exc.strerror or exc}") from None
    state = "created" if old is None else ("unchanged" if old == text else "updated")
    return entry | {"written": state, "error": None}


def _report(
    entries: list[dict[str, Any]], directory: Path, output: OutputFormat, no_color: bool
) -> None:
    if output is OutputFormat.json:
        from ptheorem.output.json.golden import snapshot_to_dict

        emit_json(snapshot_to_dict(entries, directory))
        return
    from ptheorem.io.files import show_path
    from ptheorem.output.text.golden import render_snapshot

    print_all(render_snapshot(entries, show_path(directory)), no_color)
