"""The path diagram as a vector figure: TikZ for LaTeX, SVG for the HTML export.

Layers are columns (output first, as the path runs backward), units are dots;
a backward path and its mirror are drawn in two panels side by side, and the
middle segment both share (the weights that cancel) is drawn thick in both.
The terminal drawing of the same data is :mod:`ptheorem.output.text.diagram`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ptheorem.explain.model import PathPair

#: Horizontal distance between layers and vertical distance between units (cm).
LAYER_GAP, UNIT_GAP = 1.6, 0.8


@dataclass(frozen=True)
class Segment:
    """One edge of a drawn path: from (layer, unit) to (layer + 1, unit), and whether shared."""

    layer: int
    start: int
    end: int
    shared: bool


def segments(path: tuple[int, ...]) -> tuple[Segment, ...]:
    """The edges of a backward path; the middle ones (hidden to hidden) are shared with its mirror.

    >>> [s.shared for s in segments((1, 1, 2, 2))]
    [False, True, False]
    """
    last = len(path) - 2
    return tuple(Segment(c, path[c], path[c + 1], 0 < c < last) for c in range(len(path) - 1))


def tikz_styles(colour: bool = True) -> str:
    """The TikZ styles the panels use (for the preamble): blue and magenta, or for print
    black with the mirror dashed."""
    if colour:
        path, mirror = "draw=blue", "draw=magenta"
        units = "fill=blue", "fill=magenta"
    else:
        path, mirror = "draw=black", "draw=black, densely dashed"
        units = "fill=black", "fill=black!45"
    return (
        f"\\tikzset{{ptheorem path/.style={{{path}}}, ptheorem mirror/.style={{{mirror}}}, "
        f"ptheorem path unit/.style={{{units[0]}}}, ptheorem mirror unit/.style={{{units[1]}}}}}"
    )


def path_pair_tikz(b: PathPair) -> list[str]:
    """Two ``tikzpicture`` panels: the path and its mirror on the layers, shared middle thick.

    The colours are the styles of :func:`tikz_styles`, set once in the preamble.
    """
    from ptheorem.output.text.texmath import latex_text

    out = ["\\begin{center}"]
    for k, (path, colour) in enumerate(((b.path, "path"), (b.mirror, "mirror"))):
        if k:
            out.append("\\qquad")
        out += _panel(b, path, colour, latex_text)
    out += [
        "\\end{center}",
        "\\begin{center}\\small filled: units on the path; thick: the shared middle "
        "(its weights cancel)\\end{center}",
    ]
    return out


def _panel(b: PathPair, path: tuple[int, ...], colour: str, text: object) -> list[str]:
    from collections.abc import Callable

    label: Callable[[str], str] = text  # type: ignore[assignment]
    rows = max(b.sizes)
    lines = ["\\begin{tikzpicture}[baseline=(title.base)]"]
    lines.append(
        f"\\node[anchor=south] (title) at ({(len(b.sizes) - 1) * LAYER_GAP / 2:.2f},0.45) "
        f"{{{label(f'{path[0]} → {path[-1]}: {path}')}}};"
    )
    for c, size in enumerate(b.sizes):
        x = c * LAYER_GAP
        lines.append(
            f"\\node[font=\\scriptsize] at ({x:.2f},{-rows * UNIT_GAP:.2f}) "
            f"{{{label(b.labels[c])}}};"
        )
        for u in range(1, size + 1):
            on = path[c] == u
            fill = f"ptheorem {colour} unit" if on else "fill=white"
            lines.append(f"\\draw[{fill}] ({x:.2f},{-(u - 1) * UNIT_GAP:.2f}) circle (0.12);")
    for s in segments(path):
        x1, x2 = s.layer * LAYER_GAP + 0.14, (s.layer + 1) * LAYER_GAP - 0.14
        y1, y2 = -(s.start - 1) * UNIT_GAP, -(s.end - 1) * UNIT_GAP
        width = "line width=1.6pt" if s.shared else "thin"
        lines.append(
            f"\\draw[->,ptheorem {colour},{width}] ({x1:.2f},{y1:.2f}) -- ({x2:.2f},{y2:.2f});"
        )
    return [*lines, "\\end{tikzpicture}"]


#: Pixels per centimetre of the TikZ layout, for the SVG figure.
PX = 40


def path_pair_svg(b: PathPair, colour: bool = True) -> str:
    """The path and its mirror as one standalone SVG figure (two panels, a legend).

    Without ``colour`` both paths are black, the mirror dashed (for print).
    """
    from html import escape

    rows = max(b.sizes)
    panel_w = (len(b.sizes) - 1) * LAYER_GAP * PX + 80
    height = rows * UNIT_GAP * PX + 110
    width = 2 * panel_w + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="sans-serif" font-size="13">',
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="white"/>',
    ]
    styles = (("#1f4fd1", ""), ("#c0288f", "")) if colour else (("black", ""), ("black", "5,3"))
    for k, (path, (stroke, dash)) in enumerate(zip((b.path, b.mirror), styles, strict=True)):
        x0, y0 = 40 + k * (panel_w + 20), 40
        head = f"{path[0]} → {path[-1]}: {tuple(path)}"
        parts.append(f'<text x="{x0 - 10:.0f}" y="22" font-weight="bold">{escape(head)}</text>')
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        for s in segments(path):
            x1 = x0 + s.layer * LAYER_GAP * PX
            x2 = x0 + (s.layer + 1) * LAYER_GAP * PX
            y1 = y0 + (s.start - 1) * UNIT_GAP * PX
            y2 = y0 + (s.end - 1) * UNIT_GAP * PX
            width_px = 4 if s.shared else 1.5
            parts.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                f'stroke="{stroke}" stroke-width="{width_px}"{dashes}/>'
            )
        for c, size in enumerate(b.sizes):
            x = x0 + c * LAYER_GAP * PX
            for u in range(1, size + 1):
                fill = stroke if path[c] == u else "white"
                parts.append(
                    f'<circle cx="{x:.1f}" cy="{y0 + (u - 1) * UNIT_GAP * PX:.1f}" r="5" '
                    f'fill="{fill}" stroke="black"/>'
                )
            parts.append(
                f'<text x="{x:.1f}" y="{y0 + rows * UNIT_GAP * PX:.0f}" text-anchor="middle" '
                f'font-size="11">{escape(b.labels[c])}</text>'
            )
    legend = "filled: units on the path · thick: the shared middle (its weights cancel)"
    parts.append(f'<text x="20" y="{height - 12:.0f}" font-size="11">{escape(legend)}</text>')
    return "\n".join([*parts, "</svg>"])
