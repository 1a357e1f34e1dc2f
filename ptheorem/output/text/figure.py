"""The path diagram as a vector figure: TikZ for LaTeX.

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


def path_pair_tikz(b: PathPair) -> list[str]:
    """Two ``tikzpicture`` panels: the path and its mirror on the layers, shared middle thick."""
    from ptheorem.output.text.texmath import latex_text

    out = ["\\begin{center}"]
    for k, (path, colour) in enumerate(((b.path, "blue"), (b.mirror, "magenta"))):
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
            fill = f"fill={colour}" if on else "fill=white"
            lines.append(f"\\draw[{fill}] ({x:.2f},{-(u - 1) * UNIT_GAP:.2f}) circle (0.12);")
    for s in segments(path):
        x1, x2 = s.layer * LAYER_GAP + 0.14, (s.layer + 1) * LAYER_GAP - 0.14
        y1, y2 = -(s.start - 1) * UNIT_GAP, -(s.end - 1) * UNIT_GAP
        width = "line width=1.6pt" if s.shared else "thin"
        lines.append(f"\\draw[->,{colour},{width}] ({x1:.2f},{y1:.2f}) -- ({x2:.2f},{y2:.2f});")
    return [*lines, "\\end{tikzpicture}"]
