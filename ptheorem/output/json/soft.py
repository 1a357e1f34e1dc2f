"""The ``soft --format json`` document: one row per angle, the scaling fit and the verdict."""

from __future__ import annotations

from typing import Any

from ptheorem.counterexamples.soft import SoftReport
from ptheorem.model.status import Evidence
from ptheorem.model.version import __version__
from ptheorem.output.json.search import SCHEMA_VERSION, config_dict


def soft_to_dict(report: SoftReport) -> dict[str, Any]:
    """The ``soft --format json`` document (:class:`~ptheorem.output.json.models.SoftDocument`)."""
    from ptheorem.output.json.models import SoftDocument

    data = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "ptheorem", "version": __version__},
        "command": "soft",
        "config": {k: v for k, v in config_dict(report.config).items() if k != "min_angle"},
        "rows": list(report.rows),
        "verdict": {
            "status": report.status,
            "evidence": Evidence.NUMERIC,
            "summary": report.summary,
        },
        "fit": report.fit,
        "fit_note": report.fit_note,
        "partial": report.partial,
        "timings": {k: round(v, 6) for k, v in report.timings.items()},
    }
    return SoftDocument.model_validate(data).to_dict()
