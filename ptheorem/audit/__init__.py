"""Audit one concrete ψ network against Theorem 5: curl-free?, hypotheses, verdict.

Pure core (numpy; sympy only through :mod:`ptheorem.certificate`): returns the
frozen :class:`AuditReport`; rendering lives in :mod:`ptheorem.render.audit`,
JSON in :mod:`ptheorem.serialize_audit`, the CLI in :mod:`ptheorem.commands.audit`.
"""

from __future__ import annotations

from ptheorem.audit.core import CLAIMS, run_audit
from ptheorem.audit.report import (
    AuditReport,
    AuditVerdict,
    ComponentFinding,
    CurlFreeFinding,
    CurlStatus,
    Degeneracy,
    Hypothesis,
    InputWeightsFinding,
    NetworkSummary,
    OutputPairsFinding,
    PathFunctionsFinding,
)
from ptheorem.audit.tolerances import (
    CURL_FREE_ROOT,
    DEFAULT_MAX_PATHS,
    DEFAULT_POINTS,
    NOT_CURL_FREE_ROOT,
    PARALLEL_SIN,
    size_factor,
)

__all__ = [
    "CLAIMS",
    "CURL_FREE_ROOT",
    "DEFAULT_MAX_PATHS",
    "DEFAULT_POINTS",
    "NOT_CURL_FREE_ROOT",
    "PARALLEL_SIN",
    "AuditReport",
    "AuditVerdict",
    "ComponentFinding",
    "CurlFreeFinding",
    "CurlStatus",
    "Degeneracy",
    "Hypothesis",
    "InputWeightsFinding",
    "NetworkSummary",
    "OutputPairsFinding",
    "PathFunctionsFinding",
    "run_audit",
    "size_factor",
]
