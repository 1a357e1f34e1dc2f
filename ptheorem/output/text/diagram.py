"""The path diagram: a backward path and its mirror drawn on the layers, with the shared middle."""

from __future__ import annotations

from typing import Any

from ptheorem.explain.model import PathPair
from ptheorem.output.text.notation import Style, expr_text

PATH_STYLE = "cyan"
MIRROR_STYLE = "magenta"


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
    st: Style,
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


def path_pair(b: PathPair, st: Style, width: int = 76) -> Any:
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
