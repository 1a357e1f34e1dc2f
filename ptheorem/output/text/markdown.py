"""Markdown export of an explanation or a comparison: one heading per step."""

from __future__ import annotations

from typing import Any

from ptheorem.explain.model import (
    Comparison,
    Explanation,
    Formula,
    FrozenTable,
    Math,
    Note,
    PathPair,
    PathSum,
    Prose,
    SoftTable,
    Table,
    Witnesses,
)
from ptheorem.output.text.formula import network_formula
from ptheorem.output.text.notation import angle_text, root_text


def to_markdown(obj: Explanation | Comparison) -> str:
    """Markdown with one ``##`` heading per step (or a table for a comparison)."""
    out = [f"# {obj.title}", ""]
    if isinstance(obj, Comparison):
        a, b = obj.left.network, obj.right.network
        out += [f"| step | {a.label()} | {b.label()} |", "|---|---|---|"]
        for row in obj.rows:
            cells = [_md_cell(row.left), _md_cell(row.right)]
            out.append(f"| {row.title} | {cells[0]} | {cells[1]} |")
        return "\n".join(out) + "\n"
    total = len(obj.steps)
    for step in obj.steps:
        out += [f"## Step {step.number}/{total}. {step.title}", ""]
        for block in step.blocks:
            out += _md_block(block)
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _md_cell(blocks: tuple[Any, ...]) -> str:
    parts = []
    for b in blocks:
        if isinstance(b, Prose):
            parts.append(b.text)
        elif isinstance(b, Formula):
            parts.append(f"`{formula_text(b)}`")
        elif isinstance(b, Math):
            parts.append(f"`{_math_text(b)}`")
    return "<br>".join(p.replace("|", "\\|") for p in parts)


def _md_block(b: Any) -> list[str]:
    from ptheorem.output.text.diagram import path_lines, product_text
    from ptheorem.output.text.notation import expr_text

    if isinstance(b, Prose):
        return [b.text]
    if isinstance(b, Note):
        return [f"> {b.text}"]
    if isinstance(b, Formula):
        return [f"    {formula_text(b)}"]
    if isinstance(b, Math):
        return [f"    {_math_text(b)}"]
    if isinstance(b, PathSum):
        return ["```text", *_path_sum_lines(b), "```"]
    if isinstance(b, FrozenTable):
        rows = ["| frozen symbol | stands for |", "|---|---|"]
        for f in b.factors:
            value = f"σ′({expr_text(f.point)})" if f.point is not None else expr_text(f.value)
            rows.append(f"| `{expr_text(f.symbol)}` | `{value}` |")
        return rows
    if isinstance(b, PathPair):
        lines = ["```text"]
        for path, weights in ((b.path, b.weights), (b.mirror, b.mirror_weights)):
            drawn, _ = path_lines(b.sizes, path, ascii=False)
            lines += [f"{path[0]} → {path[-1]}: {path}", *drawn, product_text(weights), ""]
        lines[-1] = "```"
        return lines
    if isinstance(b, Table):
        rows = ["| " + " | ".join(b.headers) + " |", "|" + "---|" * len(b.headers)]
        for row in b.rows:
            rows.append("| " + " | ".join(f"`{expr_text(c)}`" for c in row) + " |")
        return rows
    if isinstance(b, Witnesses):
        out = []
        for w in b.results:
            broken = f"breaks {w.hypothesis}" if w.hypothesis else "control, nothing broken"
            out.append(
                f"- **{w.name}** ({broken}; {w.shape}: {w.construction}): "
                f"√NAsym {root_text(w.root, w.degenerate, b.tolerance)} on {w.points} points, "
                f"{angle_text(w.angle)} → **{w.status}** ({w.conclusion})"
            )
        out.append(f"\n_audited by: {b.audit}_")
        return out
    if isinstance(b, SoftTable):
        out = [f"{b.spec.label()}, σ {b.spec.activation}, {b.points} points, seed {b.seed}", ""]
        out += [f"| {b.angle_label} | {b.value_label} |", "|---:|---:|"]
        out += [f"| {r.angle:g}° | {root_text(r.root, False, 1e-12)} |" for r in b.rows]
        return [*out, "", f"_method: {b.method}_"]
    raise TypeError(f"unknown block {type(b).__name__}")


def formula_text(b: Formula) -> str:
    """The network formula block as text."""
    return network_formula(b.spec)


def _math_text(b: Math) -> str:
    from ptheorem.output.text.notation import expr_text

    label = f"{b.label}:  " if b.label else ""
    return f"{label}{expr_text(b.lhs)} {b.relation} {expr_text(b.rhs)}"


def _path_sum_lines(b: PathSum) -> list[str]:
    from ptheorem.explain.paths import ordered_factors, term_path
    from ptheorem.output.text.notation import expr_text

    out = []
    for k, term in enumerate(b.terms):
        head = f"{b.label} =" if k == 0 else "+".rjust(len(b.label) + 2)
        factors = "·".join(expr_text(f) for f in ordered_factors(term, b.depth))
        path = term_path(term, b.i, b.j)
        out.append(f"{head} {factors}" + (f"   path {path}" if b.depth > 1 else ""))
    return out
