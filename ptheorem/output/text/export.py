"""Export an explanation (or a comparison) for slides and notes: SVG, HTML, Markdown, LaTeX.

* ``.svg`` / ``.html``: the terminal rendering, recorded by a rich console
  (``Console(record=True)``, made by :func:`ptheorem.output.text.console.make_console`)
  and exported with ``export_svg`` / ``export_html``;
* ``.md``: Markdown, one heading per step;
* ``.tex``: a LaTeX fragment (``\\section*`` and ``\\subsection*`` per step, for
  ``\\input``), equations printed by ``sympy.latex`` with the paper's symbol names.

Files are written to a temporary file in the target directory and renamed, so
a failure never leaves a half-written file behind.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
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
from ptheorem.io import files
from ptheorem.model.errors import InputError

#: Export formats by file extension.
FORMATS = (".svg", ".html", ".md", ".tex")
#: Width of the recorded console for SVG and HTML.
EXPORT_WIDTH = 80


def export_format(path: str | Path) -> str:
    """The format of ``path`` by its extension; raise :class:`InputError` for an unknown one."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise InputError(
            f"--export: unknown file type {suffix or '(none)'!r} for {str(path)!r}; "
            f"use one of {', '.join(FORMATS)}"
        )
    return suffix


def export(
    obj: Explanation | Comparison, path: str | Path, ascii: bool = False, no_color: bool = False
) -> Path:
    """Write ``obj`` to ``path`` in the format its extension names; returns the path."""
    fmt = export_format(path)
    if fmt == ".md":
        text = to_markdown(obj)
    elif fmt == ".tex":
        text = to_latex(obj)
    else:
        text = record(obj, fmt, ascii, no_color)
    return write_atomic(Path(path), text)


def write_atomic(path: Path, text: str) -> Path:
    """Write ``text`` atomically beside ``path`` (see :mod:`ptheorem.io.files`)."""
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(f"--export: directory {str(parent)!r} does not exist")
    files.write_atomic(path, text)
    return path


def renderables(obj: Explanation | Comparison, ascii: bool) -> list[Any]:
    """Everything the terminal would show for ``obj``, in order."""
    from ptheorem.output.text.explain import render_comparison, render_explanation

    if isinstance(obj, Comparison):
        return render_comparison(obj, ascii)
    return [r for page in render_explanation(obj, ascii) for r in page]


def record(obj: Explanation | Comparison, fmt: str, ascii: bool, no_color: bool) -> str:
    """The rich rendering of ``obj`` as SVG or HTML text."""
    from ptheorem.output.text.console import colour_wanted, make_console

    colour = colour_wanted(no_color)
    kw: dict[str, Any] = {"color_system": "truecolor", "force_terminal": True} if colour else {}
    console = make_console(no_color, file=io.StringIO(), record=True, width=EXPORT_WIDTH, **kw)
    for item in renderables(obj, ascii):
        console.print(item)
    if fmt == ".svg":
        return str(console.export_svg(title=obj.title))
    return str(console.export_html())


# --- Markdown ------------------------------------------------------------------------------


def to_markdown(obj: Explanation | Comparison) -> str:
    """Markdown with one ``##`` heading per step (or a table for a comparison)."""
    out = [f"# {obj.title}", ""]
    if isinstance(obj, Comparison):
        a, b = obj.left.spec, obj.right.spec
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
            parts.append(f"`{_formula(b)}`")
        elif isinstance(b, Math):
            parts.append(f"`{_math_text(b)}`")
    return "<br>".join(p.replace("|", "\\|") for p in parts)


def _md_block(b: Any) -> list[str]:
    from ptheorem.output.text.explain import expr_text, path_lines, product_text

    if isinstance(b, Prose):
        return [b.text]
    if isinstance(b, Note):
        return [f"> {b.text}"]
    if isinstance(b, Formula):
        return [f"    {_formula(b)}"]
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
                f"√NAsym {_root(w.root, w.degenerate, b.tolerance)} on {w.points} points, "
                f"{_angle(w.angle)} → **{w.status}** ({w.conclusion})"
            )
        out.append(f"\n_audited by: {b.audit}_")
        return out
    if isinstance(b, SoftTable):
        out = [f"{b.spec.label()}, σ {b.spec.activation}, {b.points} points, seed {b.seed}", ""]
        out += [f"| {b.angle_label} | {b.value_label} |", "|---:|---:|"]
        out += [f"| {r.angle:g}° | {_root(r.root, False, 1e-12)} |" for r in b.rows]
        return [*out, "", f"_method: {b.method}_"]
    raise TypeError(f"unknown block {type(b).__name__}")


def _formula(b: Formula) -> str:
    from ptheorem.output.text.formula import network_formula

    return network_formula(b.spec)


def _math_text(b: Math) -> str:
    from ptheorem.output.text.explain import expr_text

    label = f"{b.label}:  " if b.label else ""
    return f"{label}{expr_text(b.lhs)} {b.relation} {expr_text(b.rhs)}"


def _path_sum_lines(b: PathSum) -> list[str]:
    from ptheorem.explain.paths import ordered_factors, term_path
    from ptheorem.output.text.explain import expr_text

    out = []
    for k, term in enumerate(b.terms):
        head = f"{b.label} =" if k == 0 else "+".rjust(len(b.label) + 2)
        factors = "·".join(expr_text(f) for f in ordered_factors(term, b.depth))
        path = term_path(term, b.i, b.j)
        out.append(f"{head} {factors}" + (f"   path {path}" if b.depth > 1 else ""))
    return out


def _root(root: float, degenerate: bool, tol: float) -> str:
    if degenerate:
        return "= 0 (J ≡ 0)"
    return f"≤ {tol:g}" if root <= tol else f"= {root:.3g}"


def _angle(angle: float | None) -> str:
    return "one nonzero input row" if angle is None else f"input rows {angle:.1f}° apart"


# --- LaTeX ---------------------------------------------------------------------------------


def to_latex(obj: Explanation | Comparison) -> str:
    """A LaTeX fragment: a section per explanation, a subsection per step.

    Needs only ``amsmath`` (for ``align*``); equations are ``sympy.latex`` output.
    """
    out = [
        "% Generated by ptheorem explain --export; \\input{} it (needs amsmath).",
        f"\\section*{{{latex_text(obj.title)}}}",
        "",
    ]
    if isinstance(obj, Comparison):
        a, b = obj.left.spec, obj.right.spec
        out += [
            "\\begin{tabular}{p{0.14\\linewidth}p{0.38\\linewidth}p{0.38\\linewidth}}",
            f"step & {latex_text(a.label())} & {latex_text(b.label())} \\\\ \\hline",
        ]
        for row in obj.rows:
            cells = [_tex_cell(row.left), _tex_cell(row.right)]
            out.append(f"{latex_text(row.title)} & {cells[0]} & {cells[1]} \\\\")
        out.append("\\end{tabular}")
        return "\n".join(out) + "\n"
    total = len(obj.steps)
    for step in obj.steps:
        out += [f"\\subsection*{{Step {step.number}/{total}. {latex_text(step.title)}}}", ""]
        for block in step.blocks:
            out += _tex_block(block)
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _tex_cell(blocks: tuple[Any, ...]) -> str:
    parts = []
    for b in blocks:
        if isinstance(b, Prose):
            parts.append(latex_text(b.text))
        elif isinstance(b, Formula):
            parts.append(f"${latex_math(_formula(b))}$")
        elif isinstance(b, Math):
            parts.append(f"${_tex_math(b)}$")
    return " \\newline ".join(parts)


def latex_of(e: Any) -> str:
    """``sympy.latex`` with the paper's symbol names (θ⁽ᵏ⁾ₒᵢ, σ′ₖᵤ, …); text is converted."""
    import sympy as sp

    if isinstance(e, str):
        if re.search(r"[A-Za-z]{2,} ", e):  # words: upright text, symbols in inline math
            return f"\\text{{{latex_text(e)}}}"
        return latex_math(e)
    e = sp.sympify(e)
    return str(sp.latex(e, symbol_names=symbol_names(e)))


def symbol_names(e: Any) -> dict[Any, str]:
    """:func:`ptheorem.symbolic.naming.latex_names`, plus placeholders and certificate symbols."""
    import sympy as sp

    from ptheorem.symbolic.naming import latex_names

    symbols = e.atoms(sp.Symbol)
    names = latex_names(symbols)
    for s in symbols:
        name = str(s)
        if m := re.fullmatch(r"h(\d+)_(\d+)", name):
            names[s] = rf"h^{{({m[1]})}}_{{{m[2]}}}"
        elif m := re.fullmatch(r"([xuac])(\d+)", name):
            names[s] = f"{m[1]}_{{{m[2]}}}"
        elif name == "tau":
            names[s] = r"\tau"
    return names


def _tex_math(b: Math) -> str:
    return f"{latex_of(b.lhs)} {latex_math(b.relation)} {latex_of(b.rhs)}"


def _tex_block(b: Any) -> list[str]:
    from ptheorem.explain.paths import ordered_factors, term_path
    from ptheorem.output.text.explain import path_lines

    if isinstance(b, Prose):
        return [latex_text(b.text)]
    if isinstance(b, Note):
        return [f"\\emph{{{latex_text(b.text)}}}"]
    if isinstance(b, Formula):
        return ["\\[", latex_math(_formula(b)), "\\]"]
    if isinstance(b, Math):
        label = f"\\text{{{latex_text(b.label)}:}}\\quad " if b.label else ""
        return ["\\begin{equation*}", f"{label}{_tex_math(b)}", "\\end{equation*}"]
    if isinstance(b, PathSum):
        lines = ["\\begin{align*}"]
        for k, term in enumerate(b.terms):
            factors = " ".join(latex_of(f) for f in ordered_factors(term, b.depth))
            head = latex_math(b.label) + " &= " if k == 0 else "&+ "
            path = term_path(term, b.i, b.j)
            tag = f" && \\text{{path {path}}}" if b.depth > 1 else ""
            end = " \\\\" if k < len(b.terms) - 1 else ""
            lines.append(f"{head}{factors}{tag}{end}")
        return [*lines, "\\end{align*}"]
    if isinstance(b, FrozenTable):
        lines = ["\\begin{align*}"]
        for k, f in enumerate(b.factors):
            value = (
                f"\\sigma'\\left({latex_of(f.point)}\\right)"
                if f.point is not None
                else latex_of(f.value)
            )
            end = " \\\\" if k < len(b.factors) - 1 else ""
            lines.append(f"{latex_of(f.symbol)} &= {value}{end}")
        return [*lines, "\\end{align*}"]
    if isinstance(b, PathPair):
        lines = ["\\begin{verbatim}"]
        for path in (b.path, b.mirror):
            drawn, _ = path_lines(b.sizes, path, ascii=True)
            lines += [f"{path[0]} -> {path[-1]}: {path}", *drawn, ""]
        lines[-1] = "\\end{verbatim}"
        for path, weights in ((b.path, b.weights), (b.mirror, b.mirror_weights)):
            product = " \\cdot ".join(latex_of(w) for w in weights)
            lines.append(f"Path ${latex_text(str(path))}$: ${product}$.\\\\")
        return lines
    if isinstance(b, Table):
        cols = "l" * len(b.headers)
        lines = [f"\\begin{{tabular}}{{{cols}}}"]
        lines.append(" & ".join(latex_text(h) for h in b.headers) + " \\\\ \\hline")
        for row in b.rows:
            cells = [latex_text(c) if isinstance(c, str) else f"${latex_of(c)}$" for c in row]
            lines.append(" & ".join(cells) + " \\\\")
        return [*lines, "\\end{tabular}"]
    if isinstance(b, Witnesses):
        lines = ["\\begin{itemize}"]
        for w in b.results:
            broken = f"breaks {w.hypothesis}" if w.hypothesis else "control, nothing broken"
            text = (
                f"{w.name} ({broken}; {w.shape}: {w.construction}): √NAsym "
                f"{_root(w.root, w.degenerate, b.tolerance)} on {w.points} points, "
                f"{_angle(w.angle)} → {w.status} ({w.conclusion})"
            )
            lines.append(f"\\item {latex_text(text)}")
        lines += ["\\end{itemize}", f"\\emph{{audited by: {latex_text(b.audit)}}}"]
        return lines
    if isinstance(b, SoftTable):
        lines = [
            latex_text(
                f"{b.spec.label()}, σ {b.spec.activation}, {b.points} points, seed {b.seed}:"
            ),
            "\\begin{tabular}{rr}",
            f"{latex_text(b.angle_label)} & {latex_text(b.value_label)} \\\\ \\hline",
        ]
        for r in b.rows:
            lines.append(f"${r.angle:g}^\\circ$ & {latex_text(_root(r.root, False, 1e-12))} \\\\")
        return [*lines, "\\end{tabular}"]
    raise TypeError(f"unknown block {type(b).__name__}")


# --- Unicode notation → LaTeX -----------------------------------------------------------------

_GREEK = {
    "θ": r"\theta",
    "σ": r"\sigma",
    "ψ": r"\psi",
    "φ": r"\varphi",
    "ϕ": r"\phi",
    "τ": r"\tau",
    "α": r"\alpha",
    "β": r"\beta",
    "γ": r"\gamma",
    "δ": r"\delta",
    "ε": r"\varepsilon",
    "ζ": r"\zeta",
    "η": r"\eta",
    "κ": r"\kappa",
    "λ": r"\lambda",
    "μ": r"\mu",
    "ν": r"\nu",
    "ξ": r"\xi",
    "π": r"\pi",
    "ρ": r"\rho",
    "Σ": r"\sum",
    "∂": r"\partial",
    "∇": r"\nabla",
    "′": "'",
    "·": r"\cdot",
    "−": "-",
    "×": r"\times",
    "≡": r"\equiv",
    "⇒": r"\Rightarrow",
    "→": r"\to",
    "≤": r"\le",
    "≥": r"\ge",
    "≠": r"\neq",
    "≈": r"\approx",
    "∈": r"\in",
    "⟨": r"\langle",
    "⟩": r"\rangle",
    "∫": r"\int",
    "°": r"^\circ",
    "ᵀ": "^{T}",
    "√": r"\surd",
    "✓": r"\surd",
    "✗": r"\times",
}
_SUPERS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁻ᴸᵏ", "0123456789()-Lk", strict=True))
_SUBS = dict(zip("₀₁₂₃₄₅₆₇₈₉ₘₙᵢⱼₒᵤₖ", "0123456789mnijouk", strict=True))
_TEXT = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "…": r"\dots{}",
    "—": "---",
    "–": "--",
    "•": r"\textbullet{}",
    "‖": r"$\|$",
}


def _is_math(ch: str) -> bool:
    return ch in _GREEK or ch in _SUPERS or ch in _SUBS


def _math_token(text: str, k: int) -> tuple[str, int]:
    """Convert the math character(s) at ``text[k]``; returns (latex, next index)."""
    ch = text[k]
    if ch in _SUPERS or ch in _SUBS:
        table, mark = (_SUPERS, "^") if ch in _SUPERS else (_SUBS, "_")
        run = ""
        while k < len(text) and (
            text[k] in table or (text[k] == "," and k + 1 < len(text) and text[k + 1] in table)
        ):
            run += table.get(text[k], ",")
            k += 1
        return f"{mark}{{{run}}}", k
    word = _GREEK[ch]
    nxt = text[k + 1] if k + 1 < len(text) else ""
    if word.startswith("\\") and word[-1].isalpha() and nxt.isascii() and nxt.isalpha():
        word += " "
    return word, k + 1


def latex_math(text: str) -> str:
    """Unicode notation (θ⁽⁰⁾ₘ, σ′, ∂ⱼψᵢ) as LaTeX math-mode source."""
    out, k = [], 0
    while k < len(text):
        if _is_math(text[k]):
            token, k = _math_token(text, k)
            out.append(token)
        else:
            ch = text[k]
            out.append(r"\dots " if ch == "…" else ch)
            k += 1
    return "".join(out)


def latex_text(text: str) -> str:
    """Prose in the paper's notation as LaTeX text, its symbols in inline math.

    >>> latex_text("θ⁽⁰⁾ₘ is tied to Sₙₘ (50%)")
    '$\\\\theta^{(0)}_{m}$ is tied to $S_{nm}$ (50\\\\%)'
    """
    root = r"$\sqrt{\mathrm{NAsym}}$"
    return root.join(_latex_text(part) for part in text.split("√NAsym"))


def _latex_text(text: str) -> str:
    out: list[str] = []
    math: list[str] = []
    k = 0

    def flush() -> None:
        if math:
            out.append("$" + "".join(math) + "$")
            math.clear()

    while k < len(text):
        ch = text[k]
        if _is_math(ch):
            if not math and ch in (*_SUPERS, *_SUBS) and out and _single_letter(out):
                math.append(out.pop())
            token, k = _math_token(text, k)
            math.append(token)
            continue
        flush()
        out.append(_TEXT.get(ch, ch if ord(ch) < 128 else "?"))
        k += 1
    flush()
    return "".join(out)


def _single_letter(out: list[str]) -> bool:
    """Whether ``out`` ends with a one-letter word (the base of a sub- or superscript)."""
    if not out[-1].isalpha() or len(out[-1]) != 1:
        return False
    before = out[-2] if len(out) > 1 else " "
    return not before[-1:].isalnum()
