"""Golden files and their comparison as JSON: the stored document, ``verify`` and ``snapshot``.

A golden file is the ``check --format json`` document without the volatile keys
(:func:`ptheorem.run.golden.canonical_document`), plus the recipe that made it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ptheorem.io.files import show_path
from ptheorem.output.json.check import SCHEMA_VERSION
from ptheorem.run.golden import Constraint, GoldenDiff, canonical_document


def golden_text(doc: dict[str, Any], recipe: dict[str, Any] | None = None) -> str:
    """The text of a golden file: canonical document, sorted keys, final newline.

    ``recipe`` (``{"method": …, "seed": …}``, what ``snapshot`` ran) is stored
    under the ``recipe`` key, so ``verify`` re-derives the file the same way.
    """
    data = canonical_document(doc) | ({"recipe": recipe} if recipe is not None else {})
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def diff_to_dict(diff: GoldenDiff) -> dict[str, Any]:
    """The JSON form of a diff (``check --expect`` and ``verify --format json``)."""

    def constraint(c: Constraint) -> dict[str, Any]:
        return {"units": list(c.units), "pair": list(c.pair), "equation": c.equation}

    return {
        "matches": diff.matches,
        "summary": diff.summary(),
        "added_constraints": [constraint(c) for c in diff.added],
        "removed_constraints": [constraint(c) for c in diff.removed],
        "changes": [
            {
                "section": c.section,
                "path": c.path,
                "kind": c.kind,
                "expected": c.expected,
                "actual": c.actual,
            }
            for c in diff.changes
        ],
    }


def verify_to_dict(entries: list[dict[str, Any]], directory: Path) -> dict[str, Any]:
    """The ``verify --format json`` document (:class:`~ptheorem.output.json.models.VerifyDocument`):
    one entry per golden file, and the counts."""
    from ptheorem.output.json.models import VerifyDocument

    files = [
        {
            "file": e["file"],
            "key": e["key"],
            "method": e["method"],
            "status": e["status"],
            "error": e["detail"] if e["status"] in ("error", "inconclusive") else None,
            "diff": None if e["diff"] is None else diff_to_dict(e["diff"]),
            "seconds": round(e["seconds"], 6),
        }
        for e in entries
    ]
    kinds = ("match", "differ", "inconclusive", "error")
    counts = {s: sum(1 for e in entries if e["status"] == s) for s in kinds}
    return VerifyDocument.model_validate(
        {
            "schema_version": SCHEMA_VERSION,
            "directory": show_path(directory),
            "files": files,
            "summary": {"files": len(entries), **counts},
        }
    ).to_dict()


def snapshot_to_dict(entries: list[dict[str, Any]], directory: Path) -> dict[str, Any]:
    """The ``snapshot --format json`` document
    (:class:`~ptheorem.output.json.models.SnapshotDocument`): one entry per file written."""
    from ptheorem.output.json.models import SnapshotDocument

    keys = ("file", "method", "status", "written", "error")
    return SnapshotDocument.model_validate(
        {
            "schema_version": SCHEMA_VERSION,
            "directory": show_path(directory),
            "files": [{k: e[k] for k in keys} for e in entries],
        }
    ).to_dict()
