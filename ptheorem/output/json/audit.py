"""The ``audit --format json`` document: plain data from an :class:`AuditReport`.

Keys are documented in the README; floats are written as Python's shortest
repr, unit indices are 1-based as in the paper and ``check`` (unit m is row
m − 1 of the W0 array, unit n column n − 1 of W_{L−1}).
"""

from __future__ import annotations

from typing import Any

from ptheorem.audit.report import AuditReport, CurlCertificate
from ptheorem.audit.require import RequirementResult
from ptheorem.model.exitcodes import ExitCode
from ptheorem.model.status import exit_code
from ptheorem.model.version import __version__
from ptheorem.tolerances import PROBE_CONFIDENCE

#: Version of the audit JSON layout (bumped on incompatible changes).
AUDIT_SCHEMA_VERSION = "2.0"


def audit_exit_code(report: AuditReport) -> ExitCode:
    """The exit code of the audit's status (see :func:`ptheorem.model.status.exit_code`)."""
    return exit_code(report.verdict.status)


def requirement_dict(gate: RequirementResult) -> dict[str, Any]:
    """The ``requirement`` key of ``audit --require``: the gate's status and exit code."""
    return {
        "require": gate.require.value,
        "status": gate.status.value,
        "detail": gate.detail,
        "accept_evidence": gate.accept_evidence,
        "exit_code": int(gate.exit_code),
    }


def _certificate(cert: CurlCertificate | None) -> dict[str, Any] | None:
    """The curl-free certificate: kind exact (stored weights) or validated (interval)."""
    if cert is None:
        return None
    return {
        "kind": cert.kind,
        "holds": cert.holds,
        "method": cert.method,
        "detail": cert.detail,
        "point": None if cert.point is None else list(cert.point),
        "entry": None if cert.entry is None else list(cert.entry),
        "interval": None if cert.interval is None else list(cert.interval),
        "ball": cert.ball,
        "precision_bits": cert.precision,
    }


def audit_to_dict(report: AuditReport, source: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON document of ``report``; ``source`` (e.g. path and sha256) is added as is."""
    net, curl, iw, pf, pairs, v = (
        report.network,
        report.curl_free,
        report.input_weights,
        report.path_functions,
        report.output_pairs,
        report.verdict,
    )
    data: dict[str, Any] = {
        "schema_version": AUDIT_SCHEMA_VERSION,
        "tool": {"name": "ptheorem", "version": __version__, "command": "audit"},
        "network": {
            "depth": net.depth,
            "dim": net.dim,
            "widths": list(net.widths),
            "activation": net.activation,
            "activation_kind": net.activation_kind,
            "bias": net.bias,
        },
        "curl_free": {
            "value": curl.value,
            "status": curl.status.value,
            "nasym": curl.nasym,
            "root": curl.root,
            "max_pointwise": curl.max_pointwise,
            "tolerance": {
                "curl_free_root": curl.curl_free_root,
                "not_curl_free_root": curl.not_curl_free_root,
                "size_factor": curl.size_factor,
            },
            "evidence": curl.evidence,
            "detail": curl.detail,
            "points": curl.points,
            "seed": curl.seed,
            "numeric_status": curl.numeric_status.value,
            "certificate": _certificate(curl.certificate),
            "relocated": curl.relocated,
            "zero_points": curl.zero_points,
            "nonfinite_points": curl.nonfinite_points,
            "off_units": [
                {"layer": layer, "units": list(units)} for layer, units in curl.off_units
            ],
            "disagreement": curl.disagreement,
            "attempts": list(curl.attempts),
            "estimator": {
                "kind": "probes" if curl.probes else "exact",
                "description": curl.estimator,
                "probes_per_point": curl.probes,
                "confidence": PROBE_CONFIDENCE if curl.interval else None,
                "root_interval": None if curl.interval is None else list(curl.interval),
            },
        },
        "degenerate": {
            "value": report.degenerate.value,
            "reasons": list(report.degenerate.reasons),
        },
        "input_weights": {
            "parallel": iw.parallel,
            "max_angle_deg": iw.max_angle_deg,
            "directions": iw.directions,
            "live_units": list(iw.live_units),
            "zero_rows": list(iw.zero_rows),
            "components": [
                {
                    "first": list(c.first),
                    "last": list(c.last),
                    "parallel": c.parallel,
                    "max_angle_deg": c.max_angle_deg,
                    "exact_parallel": c.exact_parallel,
                }
                for c in iw.components
            ],
            "exact_parallel": iw.exact_parallel,
            "exact_directions": iw.exact_directions,
        },
        "output_pairs": None
        if pairs is None
        else {
            "pairs": pairs.pairs,
            "max_angle_deg": pairs.max_angle_deg,
            "all_parallel": pairs.all_parallel,
            "worst_pair": None if pairs.worst_pair is None else list(pairs.worst_pair),
            "exact_all_parallel": pairs.exact_all_parallel,
            "exact_bad_pairs": pairs.exact_bad_pairs,
        },
        "path_functions": None
        if pf is None
        else {
            "rank": pf.rank,
            "paths": pf.paths,
            "live_paths": pf.live_paths,
            "total_paths": pf.total_paths,
            "sampled": pf.sampled,
            "independent": pf.independent,
            "sv_ratio": pf.sv_ratio,
            "tolerance": pf.tolerance,
            "points": pf.points,
            "causes": list(pf.causes),
            "basis": pf.basis,
            "dependences": list(pf.dependences),
            "dependence_proved": pf.dependence_proved,
            "suspect_paths": pf.suspects,
            "duplicate_paths": pf.duplicates,
            "certificate": pf.certificate,
            "not_validated": pf.not_validated,
        },
        "hypotheses": [
            {
                "id": h.id,
                "name": h.name,
                "paper": h.paper,
                "holds": h.holds,
                "detail": h.detail,
                "evidence": h.evidence,
            }
            for h in report.hypotheses
        ],
        "verdict": {
            "status": v.status.value,
            "claim": v.claim,
            "explanation": v.explanation,
            "failed_hypotheses": list(v.failed_hypotheses),
            "corrected_theorem_holds": v.corrected_theorem_holds,
            "corrected_detail": v.corrected_detail,
            "exit_code": int(audit_exit_code(report)),
        },
        "timings": {k: round(t, 6) for k, t in report.timings.items()},
        "notes": list(report.notes),
    }
    if source is not None:
        data["source"] = source
    return data
