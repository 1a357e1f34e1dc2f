"""Rich rendering of an ``audit`` report: findings, hypotheses table, verdict panel."""

from __future__ import annotations

from typing import Any

from ptheorem.audit.report import AuditReport, CurlStatus
from ptheorem.audit.verdict import point_text
from ptheorem.model.words import kind_words, plural
from ptheorem.output.text.console import STATUS_STYLE

CURL_WORD = {
    CurlStatus.CURL_FREE: "curl-free",
    CurlStatus.NOT_CURL_FREE: "not curl-free",
    CurlStatus.INCONCLUSIVE: "inconclusive",
}


PATH_BASIS = {
    "exact": "dependence proved exactly",
    "validated": "independence proved (interval determinant)",
    "numeric": "numeric evidence",
}


def _curl_head(report: AuditReport) -> str:
    """``not curl-free (interval-certified at x = …)``, ``curl-free (exact, …)``, … (numeric)."""
    curl = report.curl_free
    word = CURL_WORD[curl.status]
    cert = curl.certificate
    if curl.disagreement is not None:
        return f"{word}: inconsistent evidence ({curl.disagreement})"
    if cert is None:
        return f"{word} (numeric evidence)"
    if cert.kind == "validated":
        return f"{word} (interval-certified at {point_text(cert.point)})"
    return f"{word} (exact, on the stored weights: {cert.method})"


def audit_line(report: AuditReport) -> str:
    """The one line ``--quiet`` prints."""
    return f"{report.verdict.status.value}: {report.verdict.explanation}"


def _units(units: tuple[int, ...], limit: int = 8) -> str:
    shown = ", ".join(map(str, units[:limit]))
    return shown if len(units) <= limit else f"{shown}, … ({len(units)} units)"


def _findings(report: AuditReport) -> list[tuple[str, str]]:
    net, curl, iw, pf, pairs = (
        report.network,
        report.curl_free,
        report.input_weights,
        report.path_functions,
        report.output_pairs,
    )
    rows = [
        ("curl-free", f"{_curl_head(report)}\n" + "\n".join(curl.detail.split("; "))),
        (
            "degenerate",
            "yes: " + "; ".join(report.degenerate.reasons) if report.degenerate.value else "no",
        ),
    ]
    if iw.live_units:
        state = "parallel" if iw.parallel else f"not parallel ({iw.directions} directions)"
        exact = (
            "exactly parallel"
            if iw.exact_parallel
            else f"{iw.exact_directions} exact directions (stored weights)"
        )
        text = (
            f"{state} within tolerance, {exact}; largest angle between lines "
            f"{iw.max_angle_deg:.3g}°; live first-layer units {_units(iw.live_units)}"
        )
    else:
        text = "no live first-layer unit"
    if iw.zero_rows:
        text += f"; zero rows {_units(iw.zero_rows)}"
    rows.append(("input weights", text))
    if iw.components:
        comps = "\n".join(
            f"m {{{_units(c.first)}}} ↔ n {{{_units(c.last)}}}: "
            + ("parallel" if c.parallel else f"largest angle {c.max_angle_deg:.3g}°")
            for c in iw.components[:6]
        )
        if len(iw.components) > 6:
            comps += f"\n… {len(iw.components) - 6} more"
        rows.append((f"components ({len(iw.components)})", comps))
    if pairs is not None and pairs.pairs:
        state = "all parallel" if pairs.all_parallel else "not all parallel"
        exact = (
            "all exactly parallel"
            if pairs.exact_all_parallel
            else f"{pairs.exact_bad_pairs} not exactly parallel"
        )
        where = "" if pairs.worst_pair is None else f" at (n, m) = {pairs.worst_pair}"
        rows.append(
            (
                "output ↔ input",
                f"{pairs.pairs} connected (n, m) pairs, {state} within tolerance, {exact}: "
                f"largest angle {pairs.max_angle_deg:.3g}°{where}",
            )
        )
    if pf is not None:
        of = f"sampled {pf.paths} of {pf.live_paths}" if pf.sampled else f"{pf.paths}"
        ratio = "" if pf.sv_ratio is None else f", s_min/s_max = {pf.sv_ratio:.2g}"
        text = (
            f"rank {pf.rank} of {of} live paths ({pf.total_paths} in all) on {pf.points} "
            f"points{ratio} — {PATH_BASIS[pf.basis]}"
        )
        if pf.duplicates:
            text += f"; {plural(pf.duplicates, 'path')} repeating another's function left out"
        if pf.certificate:
            text += f"\n{pf.certificate}"
        for cause in pf.causes:
            text += f"\n• {cause}"
        rows.append(("path functions", text))
    del net
    return rows


def render_audit(report: AuditReport, source: str | None = None) -> list[Any]:
    """Renderables for ``audit``."""
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    net = report.network
    widths = ", ".join(map(str, net.widths))
    head = Text.assemble(
        ("ptheorem audit", "bold"),
        f"  {source}" if source else "",
        f"  L={net.depth}, d={net.dim}, widths ({widths}), σ {net.activation_label} "
        f"({kind_words(str(net.activation_kind))}), {'with' if net.bias else 'no'} bias",
    )
    out: list[Any] = [head, Text("")]
    facts = Table(show_header=False, box=None, padding=(0, 2, 0, 1))
    facts.add_column(style="bold")
    facts.add_column(overflow="fold")
    for name, text in _findings(report):
        facts.add_row(name, text)
    out += [facts, Text("")]
    hyps = Table(box=None, padding=(0, 2, 0, 1), title="Hypotheses", title_justify="left")
    for col in ("", "paper", "holds", "evidence", "why"):
        hyps.add_column(col)
    for h in report.hypotheses:
        mark = Text("✓", style="green") if h.holds else Text("✗", style="red")
        hyps.add_row(h.id, h.paper, mark, h.evidence, h.detail)
    out += [hyps, Text("")]
    v = report.verdict
    style = STATUS_STYLE[v.status]
    body = Text(v.explanation + "\n", style=style)
    body.append(f"claim: {v.claim}\n", style="")
    corrected = {True: "holds", False: "FAILS", None: "undecided"}[v.corrected_theorem_holds]
    body.append(f"corrected theorem: {corrected} ({v.corrected_detail})", style="")
    out.append(
        Panel(body, title=f"verdict: {v.status.value}", title_align="left", border_style=style)
    )
    for note in report.notes:
        out.append(Text(f"note: {note}", style="yellow"))
    times = ", ".join(f"{kind_words(k)} {t * 1000:.0f} ms" for k, t in report.timings.items())
    out.append(Text(f"timings: {times}", style="dim"))
    return out
