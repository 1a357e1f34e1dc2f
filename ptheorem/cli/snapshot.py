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
    "notes, named after its configuration (L3_d2_w2-2_nobias.json); files are written "
    "atomically and DIR is created. Re-run to refresh a set after an intended change, "
    "then review the diff. Examples: ptheorem snapshot golden --grid 'depth=1..4,dim=1..4' | "
    "ptheorem snapshot examples/ci/golden --grid 'depth=1..4,dim=2|3' | "
    "ptheorem snapshot golden --grid 'depth=3,dim=3,activation=tanh' --method numeric. "
    "Exit status: 0 every file written, 2 a configuration could not be derived, "
    "3 a symbolic budget ran out."
)


def snapshot(
    directory: Annotated[Path, typer.Argument(help="Directory of golden files (created).")],
    grid: Annotated[
        str, typer.Option("--grid", "-g", help="Configurations, e.g. 'depth=1..4,dim=1..4'.")
    ],
    method: GridMethodOption = "auto",
    jobs: JobsOption = None,
    timeout: GridTimeoutOption = 60.0,
    seed: SeedOption = 0,
    output: TableFormatOption = OutputFormat.human,
    no_color: NoColorOption = False,
) -> int:
    """Write one golden file per configuration of a grid, for 'verify' and 'check --expect'."""
    from contextlib import closing

    from ptheorem.output.json.check import check_to_dict
    from ptheorem.run.sweep import run_sweep

    specs, options, workers = grid_plan(grid, method, timeout, jobs, seed)
    if directory.exists() and not directory.is_dir():
        raise InputError(f"{directory} exists and is not a directory")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create {directory}: {exc.strerror}") from None
    order = {s: k for k, s in enumerate(specs)}
    with closing(run_sweep(specs, options, workers, check_to_dict)) as outcomes:
        recipe = {"method": options.method, "seed": options.seed}
        entries = [_write(directory, outcome, recipe) for outcome in outcomes]
    entries.sort(key=lambda e: order[e["spec"]])
    _report(entries, directory, output, no_color)
    failed = [e for e in entries if e["written"] == "failed"]
    if any(e["status"] == "error" for e in failed):
        return int(ExitCode.USAGE)
    return int(ExitCode.INCONCLUSIVE) if failed else int(ExitCode.OK)


register = registrar(snapshot, EPILOG)


def _write(directory: Path, outcome: Any, recipe: dict[str, Any]) -> dict[str, Any]:
    """Write one golden file (atomically, only if its text changed); return its table entry."""
    from ptheorem.io.files import write_atomic
    from ptheorem.output.json.golden import golden_text
    from ptheorem.run.golden import file_stem

    row = outcome.row
    name = f"{file_stem(row.spec)}.json"
    entry = {"file": name, "spec": row.spec, "method": row.method, "status": row.status}
    if outcome.document is None:
        return entry | {"written": "failed", "error": row.error}
    path = directory / name
    text = golden_text(outcome.document, recipe)
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if old != text:
        try:
            write_atomic(path, text)
        except OSError as exc:
            raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
    state = "created" if old is None else ("unchanged" if old == text else "updated")
    return entry | {"written": state, "error": None}


def _report(
    entries: list[dict[str, Any]], directory: Path, output: OutputFormat, no_color: bool
) -> None:
    if output is OutputFormat.json:
        from ptheorem.output.json.golden import snapshot_to_dict

        emit_json(snapshot_to_dict(entries, directory))
        return
    from ptheorem.output.text.golden import render_snapshot

    print_all(render_snapshot(entries, str(directory)), no_color)
