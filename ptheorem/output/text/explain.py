"""Rich rendering of explanations, comparisons and the demo tour, with an ASCII fallback.

Text goes through :mod:`ptheorem.output.text.notation` (the paper's notation or
its ASCII spelling); the path diagram is drawn by :mod:`ptheorem.output.text.diagram`.
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
    Scene,
    SoftTable,
    Step,
    Table,
    Tour,
    Witnesses,
)
from ptheorem.model.status import Status
from ptheorem.output.text.console import STATUS_STYLE
from ptheorem.output.text.diagram import path_pair
from ptheorem.output.text.formula import network_formula
from ptheorem.output.text.notation import Style, expr_text, root_text, to_ascii

# --- blocks -------------------------------------------------------------------------------


def render_blocks(blocks: tuple[Any, ...], st: Style) -> list[Any]:
    """Renderables for a sequence of blocks."""
    out: list[Any] = []
    for b in blocks:
        out.extend(_block(b, st))
    return out


def _block(b: Any, st: Style) -> list[Any]:
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
        figure = Padding(path_pair(b, st), (0, 0, 0, 4))
        figure.path_pair = b  # type: ignore[attr-defined]  # the HTML export draws it as SVG
        return [figure]
    if isinstance(b, Table):
        return [Padding(_table(b, st), (0, 0, 0, 4))]
    if isinstance(b, Witnesses):
        return [Padding(_witnesses(b, st), (0, 0, 0, 2))]
    if isinstance(b, SoftTable):
        return [Padding(_soft(b, st), (0, 0, 0, 2))]
    raise TypeError(f"unknown block {type(b).__name__}")


def _math(b: Math, st: Style) -> Any:
    from rich.text import Text

    text = Text()
    if b.label:
        text.append(st.t(b.label) + ":  ", style="dim")
    text.append(st.x(b.lhs), style="bold" if isinstance(b.lhs, str) else "")
    text.append(f" {st.t(b.relation)} ")
    text.append(st.x(b.rhs))
    return text


def _path_sum(b: PathSum, st: Style) -> Any:
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


def _frozen(b: FrozenTable, st: Style) -> Any:
    from rich.table import Table as RichTable

    grid = RichTable.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, overflow="crop")
    grid.add_column(overflow="fold")
    for f in b.factors:
        value = f"σ′({expr_text(f.point)})" if f.point is not None else expr_text(f.value)
        grid.add_row(st.x(f.symbol), st.t("= " + value))
    return grid


def _table(b: Table, st: Style) -> Any:
    from rich.table import Table as RichTable

    table = RichTable(box=st.table_box, pad_edge=False, show_edge=False)
    for h in b.headers:
        table.add_column(st.t(h), overflow="fold")
    for row in b.rows:
        table.add_row(*(st.x(c) for c in row))
    return table


def _witnesses(b: Witnesses, st: Style) -> Any:
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
        root = root_text(w.root, w.degenerate, b.tolerance)
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


def _witness_style(status: str) -> str:
    return STATUS_STYLE.get(Status(status), "yellow") if status in tuple(Status) else "yellow"


def _soft(b: SoftTable, st: Style) -> Any:
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


# --- explanations, comparisons, the tour -----------------------------------------------------


def step_header(step: Step, total: int, st: Style) -> Any:
    """The rule that opens a step."""
    from rich.rule import Rule

    title = st.t(f"Step {step.number}/{total} · {step.title}")
    return Rule(title, align="left", style="blue", characters="-" if st.ascii else "─")


def render_step(step: Step, total: int, ascii: bool = False) -> list[Any]:
    """Renderables of one step."""
    st = Style(ascii)
    out: list[Any] = [step_header(step, total, st)]
    out += render_blocks(step.blocks, st)
    if step.key == "verdict":
        out = [out[0], *_verdict_panel(step, st)]
    return out


def _verdict_panel(step: Step, st: Style) -> list[Any]:
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

    total = expl.total
    pages: list[list[Any]] = [[render_title(expl.title, ascii)]]
    for step in expl.steps:
        pages.append([*render_step(step, total, ascii), Text("")])
    return pages


def render_comparison(cmp: Comparison, ascii: bool = False) -> list[Any]:
    """Two explanations side by side at the qualitative steps."""
    from rich.console import Group
    from rich.table import Table as RichTable

    st = Style(ascii)
    table = RichTable(box=st.box, show_lines=True, expand=True)
    table.add_column(st.t("step"), style="bold", width=10, overflow="fold")
    for e in (cmp.left, cmp.right):
        table.add_column(st.t(e.network.label()), ratio=1, overflow="fold")
    for row in cmp.rows:
        left = Group(*_compact(row.left, st))
        right = Group(*_compact(row.right, st))
        table.add_row(st.t(row.title), left, right)
    return [render_title(cmp.title, ascii), table]


def _compact(blocks: tuple[Any, ...], st: Style) -> list[Any]:
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

    st = Style(ascii)
    title = st.t(f"Demo {number}/{total} · {scene.title}")
    rule = Rule(title, align="left", style="magenta", characters="=" if ascii else "━")
    return [rule, *render_blocks(scene.blocks, st), Text("")]


def render_tour(tour: Tour, ascii: bool = False) -> list[list[Any]]:
    """The demo as pages, one per scene."""
    return [
        render_scene(s, k, tour.total, ascii) for k, s in enumerate(tour.scenes, start=tour.first)
    ]
