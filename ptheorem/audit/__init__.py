"""Audit one concrete ψ network against Theorem 5: curl-free?, hypotheses, verdict.

Pure core (numpy, exact integers, python-flint intervals; sympy only through
:mod:`ptheorem.audit.certificate`): returns the frozen :class:`AuditReport` about the
network as stored; rendering lives in :mod:`ptheorem.output.text.audit`, JSON in
:mod:`ptheorem.output.json.audit`, the CLI in :mod:`ptheorem.cli.audit`.
Thresholds live in :mod:`ptheorem.tolerances`.

The names below are loaded on first use (PEP 562), so importing this package
costs nothing: ``ptheorem/__init__.py`` imports it before it defines the API
function :func:`ptheorem.audit`, which then keeps that name.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_HOME = {
    "ptheorem.audit.core": ("CLAIMS", "run_audit"),
    "ptheorem.audit.report": (
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
    ),
    "ptheorem.tolerances": (
        "CURL_FREE_ROOT",
        "DEFAULT_MAX_PATHS",
        "DEFAULT_POINTS",
        "NOT_CURL_FREE_ROOT",
        "PARALLEL_SIN",
        "size_factor",
    ),
}
_WHERE = {name: module for module, names in _HOME.items() for name in names}

__all__ = [
    "AuditReport",
    "AuditVerdict",
    "CLAIMS",
    "CURL_FREE_ROOT",
    "ComponentFinding",
    "CurlCertificate",
    "CurlFreeFinding",
    "CurlStatus",
    "DEFAULT_MAX_PATHS",
    "DEFAULT_POINTS",
    "Degeneracy",
    "Hypothesis",
    "InputWeightsFinding",
    "NOT_CURL_FREE_ROOT",
    "NetworkSummary",
    "OutputPairsFinding",
    "PARALLEL_SIN",
    "PathFunctionsFinding",
    "run_audit",
    "size_factor",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first use."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
