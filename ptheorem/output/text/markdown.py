"""Markdown export of an explanation or a comparison: one heading per step, math as ``$…$``.

Math is LaTeX source (:mod:`ptheorem.output.text.texmath`) between ``$…$`` inline
and ``$$…$$`` on lines of their own, which GitHub, Jupyter and pandoc typeset;
the path diagram stays a drawing in a ``text`` code block.
"""

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
    Tour,
    Witnesses,
)
from ptheorem.output.text.notation import angle_text, root_text
from ptheorem.output.text.texmath import (
    latex_lines,
    latex_of,
    path_sum_rows,
    split_math,
    text_math,
)


def to_markdown(obj: Explanation | Comparison | Tour) -> str:
    """Markdown with one ``##`` heading per step (or a table for a comparison)."""
    out = [f"# {md_text(obj.title)}", ""]
    if isinstance(obj, Comparison):
        a, b = obj.left.network, obj.right.network
        out += [f"| step | {a.label()} | {b.label()} |", "|---|---|---|"]
        for row in obj.rows:
            cells = [_md_cell(row.left), _md_cell(row.right)]
            out.append(f"| {md_text(row.title)} | {cells[0]} | {cells[1]} |")
        return "\n".join(out) + "\n"
    for step in obj.steps:
        out += step_markdown(f"{obj.unit} {step.number}/{obj.total}", step.title, step.blocks)
    return "\n".join(out).rstrip() + "\n"


def step_markdown(head: str, title: str, blocks: tuple[Any, ...]) -> list[str]:
    """One step (or demo scene) under a ``##`` heading ``head`` (``Step 4/11``)."""
    out = [f"## {head}. {md_text(title)}", ""]
    for block in blocks:
        out += md_block(block)
        out.append("")
    return out


def md_text(text: str) -> str:
    """Prose in the paper's notation with its symbols as inline ``$…$`` math.

    >>> md_text("θ⁽⁰⁾ₘ is tied to Sₙₘ")
    '$\\\\theta^{(0)}_{m}$ is tied to $S_{n,m}$'
    """
    return "".join(f"${piece.strip()}$" if math else piece for math, piece in split_math(text))


def _md_cell(blocks: tuple[Any, ...]) -> str:
    parts = []
    for b in blocks:
        if isinstance(b, Prose):
            parts.append(md_text(b.text))
        elif isinstance(b, Formula):
            parts.append(f"${_formula(b)}$")
        elif isinstance(b, Math):
            parts.append(f"${_math(b)}$")
    return "<br>".join(p.replace("|", "\\|") for p in parts)


def _formula(b: Formula) -> str:
    from ptheorem.output.text.formula import network_expr

    lhs, rhs = network_expr(b.spec)
    return f"{latex_of(lhs)}(x) = {latex_of(rhs, order='none')}"


def _math(b: Math) -> str:
    return f"{latex_of(b.lhs)} {text_math(b.relation)} {latex_of(b.rhs)}"


def _display(head: str, relation: str, rhs: Any, order: str | None = None) -> list[str]:
    """A ``$$`` display; a long right side breaks over the lines of an ``aligned``."""
    lines = [latex_of(rhs)] if isinstance(rhs, str) else latex_lines(rhs, order=order)
    if len(lines) == 1:
        return ["$$", f"{head} {relation} {lines[0]}", "$$"]
    body = [f"{head} &{relation} {lines[0]} \\\\"]
    body += [f"&\\quad {line} \\\\" for line in lines[1:-1]]
    body.append(f"&\\quad {lines[-1]}")
    return ["$$", "\\begin{aligned}", *body, "\\end{aligned}", "$$"]


def md_block(b: Any) -> list[str]:
    """The Markdown lines of one block."""
    from ptheorem.output.text.diagram import path_lines

    if isinstance(b, Prose):
        return [md_text(b.text)]
    if isinstance(b, Note):
        return [f"> {md_text(b.text)}"]
    if isinstance(b, Formula):
        from ptheorem.output.text.formula import network_expr

        lhs, rhs = network_expr(b.spec)
        return _display(f"{latex_of(lhs)}(x)", "=", rhs, order="none")
    if isinstance(b, Math):
        label = f"\\text{{{b.label}:}}\\quad " if b.label else ""
        return _display(f"{label}{latex_of(b.lhs)}", text_math(b.relation), b.rhs)
    if isinstance(b, PathSum):
        return ["$$", "\\begin{aligned}", *path_sum_rows(b), "\\end{aligned}", "$$"]
    if isinstance(b, FrozenTable):
        rows = ["| frozen symbol | stands for |", "|---|---|"]
        for f in b.factors:
            value = (
                f"\\sigma'\\left({latex_of(f.point)}\\right)"
                if f.point is not None
                else latex_of(f.value)
            )
            rows.append(f"| ${latex_of(f.symbol)}$ | ${value}$ |")
        return rows
    if isinstance(b, PathPair):
        lines = ["```text"]
        for path in (b.path, b.mirror):
            drawn, _ = path_lines(b.sizes, path, ascii=False)
            lines += [f"{path[0]} → {path[-1]}: {path}", *drawn, ""]
        lines[-1] = "```"
        for path, weights in ((b.path, b.weights), (b.mirror, b.mirror_weights)):
            product = " \\cdot ".join(latex_of(w) for w in weights)
            lines += ["", f"Path {path}: ${product}$"]
        return lines
    if isinstance(b, Table):
        rows = ["| " + " | ".join(md_text(h) for h in b.headers) + " |"]
        rows.append("|" + "---|" * len(b.headers))
        for row in b.rows:
            cells = [md_text(c) if isinstance(c, str) else f"${latex_of(c)}$" for c in row]
            rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        return rows
    if isinstance(b, Witnesses):
        out = []
        for w in b.results:
            broken = f"breaks {w.hypothesis}" if w.hypothesis else "control, nothing broken"
            out.append(
                f"- **{md_text(w.name)}** ({md_text(broken)}; {md_text(w.shape)}: "
                f"{md_text(w.construction)}): "
                + md_text(
                    f"√NAsym {root_text(w.root, w.degenerate, b.tolerance)} on {w.points} "
                    f"points, {angle_text(w.angle)} → "
                )
                + f"**{w.status}** ({md_text(w.conclusion)})"
            )
        out.append(f"\n_audited by: {md_text(b.audit)}_")
        return out
    if isinstance(b, SoftTable):
        head = f"{b.spec.label()}, σ {b.spec.activation}, {b.points} points, seed {b.seed}"
        out = [md_text(head), ""]
        out += [f"| {md_text(b.angle_label)} | {md_text(b.value_label)} |", "|---:|---:|"]
        out += [
            f"| ${r.angle:g}^\\circ$ | {md_text(root_text(r.root, False, 1e-12))} |" for r in b.rows
        ]
        return [*out, "", f"_method: {md_text(b.method)}_"]
    raise TypeError(f"unknown block {type(b).__name__}")
