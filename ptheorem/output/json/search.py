"""Plain JSON data of ``search`` and ``soft`` results (keys sorted on output by ``dumps``).

Everything except ``timings`` is a function of the options and the seed, so
two runs with the same seed give the same document.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from ptheorem.counterexamples.search.core import SearchConfig, SearchResult
from ptheorem.io.netfile import network_to_json
from ptheorem.model.claims import claim_for
from ptheorem.model.status import Evidence, Status
from ptheorem.model.version import __version__

SCHEMA_VERSION = "2.0"


def config_dict(config: SearchConfig) -> dict[str, Any]:
    """The options a search ran with."""
    spec = config.spec
    return {
        "depth": spec.depth,
        "dim": spec.dim,
        "widths": list(spec.widths),
        "activation": spec.activation,
        "mask": None if config.mask is None else config.mask.source,
        "restarts": config.restarts,
        "seed": config.seed,
        "min_angle": config.min_angle,
        "dense_min": config.dense_min,
        "max_weight": config.max_weight,
        "points": config.points,
    }


def evidence(result: SearchResult) -> Evidence:
    """What the verdict rests on: the certificate's kind for a witness, else numeric."""
    if result.status is Status.REFUTED and result.certificate is not None:
        if result.certificate.kind == "exact":
            return Evidence.EXACT_CERTIFICATE
    return Evidence.NUMERIC


def witness_extra(result: SearchResult) -> dict[str, Any]:
    """Extra keys of a witness file: the certificate and how the witness was found."""
    return {
        "certificate": _certificate(result),
        "search": {
            "config": config_dict(result.config),
            "claim": claim_for(result.config.spec),
            "min_angle_reached": math.degrees(result.best.min_angle),
            "nasym_root": result.fresh_root,
            "notes": list(result.notes),
        },
    }


def search_to_dict(result: SearchResult, witness_file: str | None = None) -> dict[str, Any]:
    """The ``search --format json`` document
    (:class:`~ptheorem.output.json.models.SearchDocument`)."""
    from ptheorem.output.json.models import SearchDocument

    best = result.best
    data = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "ptheorem", "version": __version__},
        "command": "search",
        "config": config_dict(result.config),
        "verdict": {
            "claim": claim_for(result.config.spec),
            "status": result.status,
            "evidence": evidence(result),
            "summary": result.summary,
            "witness_found": result.witness is not None,
        },
        "best": {
            "nasym_root_sample": best.root,
            "nasym_root": result.fresh_root,
            "min_angle_reached": math.degrees(best.min_angle),
            "network": network_to_json(best.network),
        },
        "certificate": result.certificate,
        "witness_file": witness_file,
        "restarts": list(result.restarts),
        "tolerances": dict(result.tolerances),
        "notes": list(result.notes),
        "partial": result.partial,
        "timings": {k: round(v, 6) for k, v in result.timings.items()},
    }
    return SearchDocument.model_validate(data).to_dict()


def _certificate(result: SearchResult) -> dict[str, Any] | None:
    return None if result.certificate is None else dataclasses.asdict(result.certificate)
