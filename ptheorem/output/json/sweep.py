"""The ``sweep --format json`` document: every row, what was skipped, and the counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ptheorem.io.files import show_path
from ptheorem.output.json.check import SCHEMA_VERSION
from ptheorem.run.sweep import STATUSES, Row


def sweep_to_dict(
    rows: Sequence[Row],
    grid: str,
    wall: float,
    skipped: int,
    interrupted: bool,
    out: Path | None,
) -> dict[str, Any]:
    """The document (:class:`~ptheorem.output.json.models.SweepDocument`): rows in grid
    order, the summary counts per status, the wall time."""
    from ptheorem.output.json.models import SweepDocument

    counts = Counter(r.status for r in rows)
    data = {
        "schema_version": SCHEMA_VERSION,
        "grid": grid,
        "rows": [r.to_dict() for r in rows],
        "skipped": skipped,
        "interrupted": interrupted,
        "out": None if out is None else show_path(out),
        "summary": {
            "configurations": len(rows),
            **{s: counts[s] for s in STATUSES},
            "wall_seconds": round(wall, 3),
        },
    }
    return SweepDocument.model_validate(data).to_dict()
