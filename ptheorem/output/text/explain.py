"""Rich rendering of explanations, comparisons and the demo tour, with an ASCII fallback.

``ascii=True`` gives output without any non-ASCII character: Greek letters are
spelled out (θ → theta, σ → sigma), ′ becomes ', sub- and superscripts become
``_`` and ``^( )``, and every box is rich's ``box.ASCII``.
"""

from __future__ import annotations

import re
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
    Scene,
    SoftTable,
    Step,
    Table,
    Tour,
    Witnesses,
)
from ptheorem.model.status import Status
from ptheorem.output.text.console import STATUS_STYLE
from ptheorem.output.text.formula import network_formula

#: Longest expression shown before it is cut with "…".
EXPR_LIMIT = 400
PATH_STYLE = "cyan"
MIRROR_STYLE = "magenta"

# --- text: the paper's notation, or ASCII --------------------------------------------------

_SUPERS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁻ᴸᵏ"
_SUPER_PLAIN = "0123456789()-Lk"
_SUBS = "₀₁₂₃₄₅₆₇₈₉ₘₙᵢⱼₒᵤₖ,"
_SUB_PLAIN = "0123456789mnijouk,"
_WORDS = {
    "θ": "theta",
    "σ": "sigma",
    "ψ": "psi",
    "φ": "phi",
    "ϕ": "phi",
    "τ": "tau",
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "ε": "epsilon",
    "ζ": "zeta",
    "η": "eta",
    "κ": "kappa",
    "λ": "lambda",
    "μ": "mu",
    "ν": "nu",
    "ξ": "xi",
    "π": "pi",
    "ρ": "rho",
    "Σ": "sum",
    "∂": "d",
    "∇": "grad",
    "√": "sqrt",
    "∫": "int",
}
_SYMBOLS = {
    "′": "'",
    "·": "*",
    "−": "-",
    "×": "x",
    "≡": "==",
    "⇒": "=>",
    "→": "->",
    "←": "<-",
    "≤": "<=",
    "≥": ">=",
    "≠": "!=",
    "≈": "~",
    "∈": " in ",
    "⟨": "<",
    "⟩": ">",
    "…": "...",
    "✓": "ok",
    "✗": "FAILED",
    "•": "*",
    "°": " deg",
    "—": "--",
    "–": "-",
    "‖": "||",
    "●": "*",
    "○": "o",
    "▸": ">",
    "─": "-",
    "│": "|",
    "╮": "+",
    "╯": "+",
    "╰": "+",
    "╭": "+",
    "ᵀ": "^T",
}
_GREEK_SPACE = re.compile(r"([θσψφϕταβγδεζηκλμνξπρ∂∇])(?=[A-Za-zθσψφϕταβγδεζηκλμνξπρ])")


def to_ascii(text: str) -> str:
    """The ASCII spelling of a text in the paper's notation.

    >>> to_ascii("∂₂ψ₁ = θ⁽¹⁾₁₁·σ′₁₁")
    "d_2 psi_1 = theta^(1)_11*sigma'_11"
    """
    text = _GREEK_SPACE.sub(r"\1 ", text)
    out: list[str] = []
    k = 0
    while k < len(text):
        ch = text[k]
        if ch in _SUPERS:
            run = ""
            while k < len(text) and text[k] in _SUPERS:
                run += _SUPER_PLAIN[_SUPERS.index(text[k])]
                k += 1
            out.append("^" + run)
            continue
        if ch in _SUBS and ch != ",":
            run = ""
            while k < len(text) and text[k] in _SUBS:
                if text[k] == "," and (k + 1 >= len(text) or text[k + 1] not in _SUBS):
                    break
                run += _SUB_PLAIN[_SUBS.index(text[k])]
                k += 1
            out.append("_" + run)
            if k < len(text) and (text[k].isalpha() or text[k] in _WORDS):
                out.append(" ")
            continue
        if ch in _WORDS:
            out.append(_WORDS[ch])
        elif ch in _SYMBOLS:
            out.append(_SYMBOLS[ch])
        elif ord(ch) < 128:
            out.append(ch)
        else:
            out.append("?")
        k += 1
    return "".join(out)


_PLACEHOLDER = re.compile(r"\bh(\d+)_(\d+)\b")
_PARAMS = re.compile(r"\b([uac])(\d+)\b")
_SUB_T = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP_T = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")


def expr_text(e: Any, limit: int = EXPR_LIMIT) -> str:
    """A sympy object (or text) in the paper's notation, cut to ``limit`` characters."""
    import sympy as sp

    from ptheorem.symbolic.naming import pretty
    from ptheorem.symbolic.printing import lex_str

    if isinstance(e, str):
        return e
    if isinstance(e, sp.MatrixBase):
        rows = [[expr_text(x, limit) for x in row] for row in e.tolist()]
        if e.shape[0] == 1:
            text = "[" + ", ".join(rows[0]) + "]"
        else:
            text = "[" + ", ".join("[" + ", ".join(r) + "]" for r in rows) + "]"
        return _cut(text, limit)
    if isinstance(e, sp.MatMul):
        return _cut(" ".join(expr_text(a, limit) for a in e.args), limit)
    text = pretty(lex_str(e))
    text = _PLACEHOLDER.sub(
        lambda m: "h" + f"({m[1]})".translate(_SUP_T) + m[2].translate(_SUB_T), text
    )
    text = _PARAMS.sub(lambda m: m[1] + m[2].translate(_SUB_T), text)
    text = text.replace("_tau", "τ")
    return _cut(text, limit)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Style:
    """Text conversion and boxes for one rendering (Unicode or ASCII)."""

    def __init__(self, ascii: bool) -> None:
        from rich import box

        self.ascii = ascii
        self.box = box.ASCII if ascii else box.ROUNDED
        self.table_box = box.ASCII if ascii else box.SIMPLE_HEAD

    def t(self, text: str) -> str:
        return to_ascii(text) if self.ascii else text

    def x(self, e: Any) -> str:
        return self.t(expr_text(e))


# --- blocks -------------------------------------------------------------------------------


def render_blocks(blocks: tuple[Any, ...], st: _Style) -> list[Any]:
    """Renderables for a sequence of blocks."""
    out: list[Any] = []
    for b in blocks:
        out.extend(_block(b, st))
    return out


def _block(b: Any, st: _Style) -> list[Any]:
    from rich.padding import Padding
    from rich.text import Text

    if isinstance(b, Prose):
        return [Padding(Text(st.t(b.text)), (0, 0, 0, 2))]
    if isinstance(b, Note):
        return [Padding(Text(st.t(b.text), style="dim"), (0, 0, 0, 4))]
    if isinstance(b, Formula):
        return [Padding(Text(st.t(network_formula(b.spec)), style="bold"), (0, 0, 0, 4))]
    if isinstance(b, Math):
        return [Padding(_math(b, st), (0, 0, 0, 4))]
    if isinstance(b, PathSum):
        return [Padding(_path_sum(b, st), (0, 0, 0, 4))]
    if isinstance(b, FrozenTable):
        return [Padding(_frozen(b, st), (0, 0, 0, 4))]
    if isinstance(b, PathPair):
        return [Padding(path_pair(b, st), (0, 0, 0, 4))]
    if isinstance(b, Table):
        return [Padding(_table(b, st), (0, 0, 0, 4))]
    if isinstance(b, Witnesses):
        return [Padding(_witnesses(b, st), (0, 0, 0, 2))]
    if isinstance(b, SoftTable):
        return [Padding(_soft(b, st), (0, 0, 0, 2))]
    raise TypeError(f"unknown block {type(b).__name__}")


def _math(b: Math, st: _Style) -> Any:
    from rich.text import Text

    text = Text()
    if b.label:
        text.append(st.t(b.label) + ":  ", style="dim")
    text.append(st.x(b.lhs), style="bold" if isinstance(b.lhs, str) else "")
    text.append(f" {st.t(b.relation)} ")
    text.append(st.x(b.rhs))
    return text


def _path_sum(b: PathSum, st: _Style) -> Any:
    from rich.table import Table as RichTable

    from ptheorem.explain.paths import ordered_factors, term_path

    grid = RichTable.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, overflow="crop")
    grid.add_column(overflow="fold")
    grid.add_column(style="dim", no_wrap=True, overflow="crop")
    label = st.t(b.label)
    for k, term in enumerate(b.terms):
        head = f"{label} =" if k == 0 else "+".rjust(len(label) + 2)
        factors = "·".join(expr_text(f) for f in ordered_factors(term, b.depth))
        path = ", ".join(map(str, term_path(term, b.i, b.j)))
        grid.add_row(head, st.t(factors), f"path ({path})" if b.depth > 1 else "")
    return grid


def _frozen(b: FrozenTable, st: _Style) -> Any:
    from rich.table import Table as RichTable

    grid = RichTable.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, overflow="crop")
    grid.add_column(overflow="fold")
    for f in b.factors:
        value = f"σ′({expr_text(f.point)})" if f.point is not None else expr_text(f.value)
        grid.add_row(st.x(f.symbol), st.t("= " + value))
    return grid


def _table(b: Table, st: _Style) -> Any:
    from rich.table import Table as RichTable

    table = RichTable(box=st.table_box, pad_edge=False, show_edge=False)
    for h in b.headers:
        table.add_column(st.t(h), overflow="fold")
    for row in b.rows:
        table.add_row(*(st.x(c) for c in row))
    return table


def _witnesses(b: Witnesses, st: _Style) -> Any:
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    parts: list[Any] = []
    for w in b.results:
        head = Text(st.t("• " + w.name), style="bold")
        broken = f" — breaks {w.hypothesis}" if w.hypothesis else " — control, nothing broken"
        head.append(st.t(broken), style="")
        parts.append(head)
        body = [Text(st.t(f"{w.shape}: {w.construction}"), style="dim")]
        root = _root_text(w.root, w.degenerate, b.tolerance)
        angle = "one nonzero input row" if w.angle is None else f"input rows {w.angle:.1f}° apart"
        line = Text(st.t(f"√NAsym {root} on {w.points} points, {angle} → "))
        line.append(st.t(w.status), style=_witness_style(w.status))
        line.append(st.t(f" ({w.conclusion})"))
        body.append(line)
        if w.hypotheses:
            body.append(Text(st.t("failing: " + "; ".join(w.hypotheses)), style="dim"))
        parts.append(Padding(Group(*body), (0, 0, 0, 2)))
    parts.append(Text(st.t(f"audited by: {b.audit}"), style="dim"))
    return Group(*parts)


def _root_text(root: float, degenerate: bool, tol: float) -> str:
    if degenerate:
        return "= 0 (J ≡ 0 at every point)"
    if root <= tol:
        return f"≤ {tol:g}"
    return f"= {root:.3g}"


def _witness_style(status: str) -> str:
    return STATUS_STYLE.get(Status(status), "yellow") if status in tuple(Status) else "yellow"


def _soft(b: SoftTable, st: _Style) -> Any:
    from rich.console import Group
    from rich.table import Table as RichTable
    from rich.text import Text

    table = RichTable(box=st.table_box, pad_edge=False, show_edge=False)
    table.add_column(st.t(b.angle_label), justify="right", overflow="fold")
    table.add_column(st.t(b.value_label), justify="right", overflow="fold")
    fresh = any(r.fresh is not None for r in b.rows)
    if fresh:
        table.add_column(st.t("on fresh points"), justify="right", overflow="fold")
    for row in b.rows:
        cells = [st.t(f"{row.angle:g}°"), st.t(soft_value(row.root))]
        if fresh:
            cells.append(st.t(soft_value(row.fresh)))
        table.add_row(*cells)
    head = Text(
        st.t(f"{b.spec.label()}, σ {b.spec.activation}, {b.points} points, seed {b.seed}"),
        style="dim",
    )
    return Group(head, table, Text(st.t(f"method: {b.method}"), style="dim"))


def soft_value(root: float | None) -> str:
    """A √NAsym figure: 3 significant digits, round-off level as ≤ 1e-12."""
    if root is None:
        return "—"
    return "≤ 1e-12" if root <= 1e-12 else f"{root:.3g}"


# --- the path diagram -----------------------------------------------------------------------


_GLYPHS = {
    False: {"node": "○", "on": "●", "h": "─", "v": "│", "arrow": "▸", "dn": "╮╰", "up": "╯╭"},
    True: {"node": "o", "on": "*", "h": "-", "v": "|", "arrow": ">", "dn": "++", "up": "++"},
}


def path_lines(
    sizes: tuple[int, ...], path: tuple[int, ...], ascii: bool, spacing: int = 7
) -> tuple[list[str], list[tuple[int, int, int]]]:
    """A backward path drawn on the layers (columns, output first) as text lines.

    Returns the lines (row numbers at the left) and the (line, start, end) spans
    that belong to the path, for colouring.
    """
    g = _GLYPHS[ascii]
    rows, left = max(sizes), 3
    width = left + (len(sizes) - 1) * spacing + 1
    grid = [[" "] * width for _ in range(rows)]
    spans: list[tuple[int, int, int]] = []
    for r in range(rows):
        grid[r][0] = str(r + 1)[-1]
    for c, size in enumerate(sizes):
        for r in range(size):
            grid[r][left + c * spacing] = g["node"]
    for c in range(len(sizes) - 1):
        r1, r2 = path[c] - 1, path[c + 1] - 1
        x1, x2 = left + c * spacing, left + (c + 1) * spacing
        mid = x1 + spacing // 2
        if r1 == r2:
            for x in range(x1 + 1, x2 - 1):
                grid[r1][x] = g["h"]
            spans.append((r1, x1 + 1, x2))
        else:
            corner = g["dn"] if r2 > r1 else g["up"]
            for x in range(x1 + 1, mid):
                grid[r1][x] = g["h"]
            grid[r1][mid] = corner[0]
            spans.append((r1, x1 + 1, mid + 1))
            step = 1 if r2 > r1 else -1
            for r in range(r1 + step, r2, step):
                grid[r][mid] = g["v"]
                spans.append((r, mid, mid + 1))
            grid[r2][mid] = corner[1]
            for x in range(mid + 1, x2 - 1):
                grid[r2][x] = g["h"]
            spans.append((r2, mid, x2))
        grid[r2][x2 - 1] = g["arrow"]
    for c, unit in enumerate(path):
        x = left + c * spacing
        grid[unit - 1][x] = g["on"]
        spans.append((unit - 1, x, x + 1))
    return ["".join(row).rstrip() for row in grid], spans


def _diagram(
    b: PathPair,
    path: tuple[int, ...],
    weights: tuple[Any, ...],
    st: _Style,
    style: str,
    spacing: int,
) -> Any:
    from rich.text import Text

    lines, spans = path_lines(b.sizes, path, st.ascii, spacing)
    width = max(len(line) for line in lines)
    header = [" "] * (width + 6)
    for c, label in enumerate(b.labels):
        text = st.t(label)
        x = 3 + c * spacing
        for k, ch in enumerate(text):
            if x + k < len(header):
                header[x + k] = ch
    out = Text()
    out.append(st.t(f"{path[0]} → {path[-1]}: {tuple(path)}") + "\n", style=f"bold {style}")
    out.append("".join(header).rstrip() + "\n", style="dim")
    for r, line in enumerate(lines):
        row = Text(line)
        for lr, a, z in spans:
            if lr == r:
                row.stylize(style, a, z)
        out.append_text(row)
        out.append("\n")
    out.append(st.t(product_text(weights)))
    return out


def product_text(weights: tuple[Any, ...]) -> str:
    """The weights along a path, output side first; shared middle weights in brackets."""
    parts = [expr_text(w) for w in weights]
    if len(parts) > 2:
        parts = [parts[0], *(f"[{p}]" for p in parts[1:-1]), parts[-1]]
    return " · ".join(parts)


def path_pair(b: PathPair, st: _Style, width: int = 76) -> Any:
    """The two paths drawn side by side (stacked when they do not fit ``width``)."""
    from rich.console import Group
    from rich.table import Table as RichTable
    from rich.text import Text

    text = max(len(st.t(product_text(b.weights))), len(st.t(product_text(b.mirror_weights))))

    def needed(spacing: int) -> int:
        return max(3 + (len(b.sizes) - 1) * spacing + 1, text)

    label = max(len(st.t(x)) for x in b.labels)
    spacing = 7 if 2 * needed(7) + 4 <= width or label + 1 > 5 else 5
    side_by_side = 2 * needed(spacing) + 4 <= width
    if not side_by_side:
        spacing = max(7, label + 2)
    left = _diagram(b, b.path, b.weights, st, PATH_STYLE, spacing)
    right = _diagram(b, b.mirror, b.mirror_weights, st, MIRROR_STYLE, spacing)
    legend = "● on the path   ○ other units"
    if len(b.weights) > 2:
        legend += "   [ ] shared middle weights (they cancel)"
    key = Text(st.t(legend), style="dim")
    if not side_by_side:
        return Group(left, Text(""), right, key)
    grid = RichTable.grid(padding=(0, 4))
    grid.add_column(no_wrap=True, overflow="crop")
    grid.add_column(no_wrap=True, overflow="crop")
    grid.add_row(left, right)
    return Group(grid, key)


# --- explanations, comparisons, the tour -----------------------------------------------------


def step_header(step: Step, total: int, st: _Style) -> Any:
    """The rule that opens a step."""
    from rich.rule import Rule

    title = st.t(f"Step {step.number}/{total} · {step.title}")
    return Rule(title, align="left", style="blue", characters="-" if st.ascii else "─")


def render_step(step: Step, total: int, ascii: bool = False) -> list[Any]:
    """Renderables of one step."""
    st = _Style(ascii)
    out: list[Any] = [step_header(step, total, st)]
    out += render_blocks(step.blocks, st)
    if step.key == "verdict":
        out = [out[0], *_verdict_panel(step, st)]
    return out


def _verdict_panel(step: Step, st: _Style) -> list[Any]:
    from rich.console import Group
    from rich.panel import Panel

    first = step.blocks[0]
    status = first.text.split(":", 1)[0] if isinstance(first, Prose) else ""
    style = STATUS_STYLE.get(Status(status), "bold") if status in tuple(Status) else "bold"
    body = Group(*render_blocks(step.blocks, st))
    return [
        Panel(
            body,
            title=st.t(f"verdict: {status}"),
            title_align="left",
            border_style=style,
            box=st.box,
        )
    ]


def render_title(title: str, ascii: bool = False) -> Any:
    """The heading line of an explanation."""
    from rich.text import Text

    return Text(to_ascii(title) if ascii else title, style="bold")


def render_explanation(expl: Explanation, ascii: bool = False) -> list[list[Any]]:
    """The explanation as pages: the title, then one list of renderables per step."""
    from rich.text import Text

    total = len(expl.steps)
    pages: list[list[Any]] = [[render_title(expl.title, ascii)]]
    for step in expl.steps:
        pages.append([*render_step(step, total, ascii), Text("")])
    return pages


def render_comparison(cmp: Comparison, ascii: bool = False) -> list[Any]:
    """Two explanations side by side at the qualitative steps."""
    from rich.console import Group
    from rich.table import Table as RichTable

    st = _Style(ascii)
    table = RichTable(box=st.box, show_lines=True, expand=True)
    table.add_column(st.t("step"), style="bold", width=10, overflow="fold")
    for e in (cmp.left, cmp.right):
        table.add_column(st.t(e.spec.label()), ratio=1, overflow="fold")
    for row in cmp.rows:
        left = Group(*_compact(row.left, st))
        right = Group(*_compact(row.right, st))
        table.add_row(st.t(row.title), left, right)
    return [render_title(cmp.title, ascii), table]


def _compact(blocks: tuple[Any, ...], st: _Style) -> list[Any]:
    """Blocks without indentation, for table cells."""
    from rich.text import Text

    out: list[Any] = []
    for b in blocks:
        if isinstance(b, Prose):
            out.append(Text(st.t(b.text)))
        elif isinstance(b, Formula):
            out.append(Text(st.t(network_formula(b.spec))))
        elif isinstance(b, Math):
            out.append(_math(b, st))
        else:
            out.extend(_block(b, st))
    return out


def render_scene(scene: Scene, number: int, total: int, ascii: bool = False) -> list[Any]:
    """Renderables of one demo scene."""
    from rich.rule import Rule
    from rich.text import Text

    st = _Style(ascii)
    title = st.t(f"Demo {number}/{total} · {scene.title}")
    rule = Rule(title, align="left", style="magenta", characters="=" if ascii else "━")
    return [rule, *render_blocks(scene.blocks, st), Text("")]


def render_tour(tour: Tour, ascii: bool = False) -> list[list[Any]]:
    """The demo as pages, one per scene."""
    total = len(tour.scenes)
    return [render_scene(s, k, total, ascii) for k, s in enumerate(tour.scenes, start=1)]
