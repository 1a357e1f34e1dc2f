"""Audit one concrete ψ network against Theorem 5: curl-free?, hypotheses, verdict.

Pure core (numpy, exact integers, python-flint intervals; sympy only through
:mod:`ptheorem.audit.certificate`): returns the frozen :class:`AuditReport` about the
network as stored; rendering lives in :mod:`ptheorem.output.text.audit`, JSON in
:mod:`ptheorem.output.json.audit`, the CLI in :mod:`ptheorem.cli.audit`.
Thresholds live in :mod:`ptheorem.tolerances`.
"""

from __future__ import annotations

from ptheorem.audit.core import CLAIMS, run_audit
from ptheorem.audit.report import (
    AuditReport,
    AuditVerdict,
    ComponentFinding,
    CurlCertificate,
    CurlFreeFinding,
    CurlStatus,
    Degeneracy,
    Hypothesis,
    InputWeightsFinding,
    NetworkSummary,
    OutputPairsFinding,
    PathFunctionsFinding,
)
from ptheorem.tolerances import (
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
    "CurlCertificate",
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
