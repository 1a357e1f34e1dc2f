"""Rich rendering of golden comparisons: one diff (``check --expect``) and ``verify``'s table."""

from __future__ import annotations

import json
from typing import Any

from ptheorem.run.golden import SECTIONS, FieldChange, GoldenDiff

#: Values longer than this are cut in the diff.
VALUE_LIMIT = 160
RESULT_STYLE = {
    "match": "bold green",
    "differ": "bold red",
    "inconclusive": "bold yellow",
    "error": "bold yellow",
}


def _value(v: Any) -> str:
    text = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True)
    text = repr(text) if isinstance(v, str) else text
    return text if len(text) <= VALUE_LIMIT else text[: VALUE_LIMIT - 1] + "…"


def change_line(c: FieldChange) -> str:
    """``~ verdict.status: 'refuted' → 'proved'`` (golden value first)."""
    if c.kind == "added":
        return f"+ {c.path} (new): {_value(c.actual)}"
    if c.kind == "removed":
        return f"- {c.path} (gone): {_value(c.expected)}"
    return f"~ {c.path}: {_value(c.expected)} → {_value(c.actual)}"


def diff_lines(diff: GoldenDiff) -> list[tuple[str, str]]:
    """(text, style) lines of a diff: removed and added constraints, then changed fields."""
    out: list[tuple[str, str]] = []
    for c in diff.removed:
        out.append((f"- constraint removed: {c.label()}", "red"))
    for c in diff.added:
        out.append((f"+ constraint added: {c.label()}", "green"))
    for section in SECTIONS:
        for ch in diff.section(section):
            style = {"added": "green", "removed": "red"}.get(ch.kind, "yellow")
            out.append((change_line(ch), style))
    return out


def render_diff(diff: GoldenDiff, golden: str) -> list[Any]:
    """Renderables: a headline naming the golden file, then the diff lines."""
    from rich.text import Text

    if diff.matches:
        return [Text(f"golden {golden}: matches", style="bold green")]
    out: list[Any] = [Text(f"golden {golden}: differs ({diff.summary()})", style="bold red")]
    out += [Text("  " + text, style=style) for text, style in diff_lines(diff)]
    return out


def render_verify(entries: list[dict[str, Any]], directory: str) -> list[Any]:
    """The ``verify`` table, each differing file's diff, and a summary line.

    ``entries`` are ``{"file", "key", "method", "status", "detail", "seconds", "diff"}``.
    """
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"ptheorem verify {directory}", title_justify="left")
    table.add_column("golden file")
    table.add_column("method")
    table.add_column("result")
    table.add_column("detail", overflow="fold")
    table.add_column("time", justify="right")
    for e in entries:
        table.add_row(
            e["file"],
            e["method"] or "-",
            Text(e["status"], style=RESULT_STYLE[e["status"]]),
            e["detail"],
            f"{e['seconds']:.2f} s",
        )
    out: list[Any] = [table]
    for e in entries:
        if e["diff"] is not None and not e["diff"].matches:
            out += render_diff(e["diff"], e["file"])
    counts = {s: sum(1 for e in entries if e["status"] == s) for s in RESULT_STYLE}
    style = "bold green" if counts["match"] == len(entries) else "bold red"
    out.append(
        Text(
            f"{len(entries)} golden files: {counts['match']} match, {counts['differ']} differ, "
            + (f"{counts['inconclusive']} inconclusive, " if counts["inconclusive"] else "")
            + f"{counts['error']} could not be re-derived",
            style=style,
        )
    )
    return out


def render_snapshot(entries: list[dict[str, Any]], directory: str) -> list[Any]:
    """The ``snapshot`` table (file, method, verdict, what was written) and a count line.

    ``entries`` are ``{"file", "method", "status", "written", "error"}``.
    """
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"ptheorem snapshot {directory}", title_justify="left")
    for name in ("golden file", "method", "verdict", "file"):
        table.add_column(name, overflow="fold")
    for e in entries:
        written = e["written"] + (f": {e['error']}" if e["error"] else "")
        style = "bold red" if e["written"] == "failed" else ""
        table.add_row(e["file"], e["method"] or "-", e["status"], Text(written, style=style))
    states = [e["written"] for e in entries]
    counts = ", ".join(
        f"{states.count(s)} {s}"
        for s in ("created", "updated", "unchanged", "failed")
        if states.count(s)
    )
    return [table, Text(f"{len(entries)} golden files in {directory}: {counts or 'none'}")]
