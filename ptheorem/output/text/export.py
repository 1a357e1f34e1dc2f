"""Export an explanation, a comparison or the demo for slides and notes: SVG, HTML, Markdown, LaTeX.

* ``.svg`` / ``.html``: the terminal rendering, recorded by a rich console
  (``Console(record=True)``, made by :func:`ptheorem.output.text.console.make_console`)
  and exported with ``export_svg`` / ``export_html``, except that each path diagram is
  drawn as an SVG figure (:mod:`ptheorem.output.text.figure`) in its place, not as text;
* ``.md``: Markdown, one heading per step, math as ``$…$``;
* ``.tex``: a LaTeX document, a subsection per step, equations by ``sympy.latex``.

A target ending in ``/`` (or an existing folder) gets one SVG per step
(``step-01.svg`` …, ``scene-01.svg`` for the demo), for slides.  Without colour
(``--no-color``, ``NO_COLOR``) the SVG and HTML are black on white, for printing.

Files are written to a temporary file in the target directory and renamed, so
a failure never leaves a half-written file behind.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

from ptheorem.explain.model import Comparison, Explanation, Tour
from ptheorem.io import files
from ptheorem.model.errors import InputError

#: Export formats by file extension.
FORMATS = (".svg", ".html", ".md", ".tex")
#: Width of the recorded console for SVG and HTML.
EXPORT_WIDTH = 80

Exportable = Explanation | Comparison | Tour


def is_folder_target(path: str | Path) -> bool:
    """Whether ``path`` names a folder (one file per step): it ends in ``/`` or is a folder."""
    text = str(path)
    return text.endswith(("/", os.sep)) or Path(text).is_dir()


def export_format(path: str | Path) -> str:
    """The format of ``path`` by its extension; raise :class:`InputError` for an unknown one."""
    if is_folder_target(path):
        return ".svg"
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise InputError(
            f"--export: unknown file type {suffix or '(none)'!r} for {str(path)!r}; "
            f"use one of {', '.join(FORMATS)}, or a folder ending in / for one SVG per step"
        )
    return suffix


def step_files(obj: Explanation | Tour, folder: str | Path) -> list[Path]:
    """The files a folder export of ``obj`` writes, one per step (or scene), in order."""
    word = obj.unit.lower()
    return [Path(folder) / f"{word}-{s.number:02d}.svg" for s in obj.steps]


def export(
    obj: Exportable,
    path: str | Path,
    ascii: bool = False,
    no_color: bool = False,
    force: bool = False,
) -> Path:
    """Write ``obj`` to ``path`` in the format its extension names; returns the path.

    A folder target (see :func:`is_folder_target`) gets one SVG per step, each
    refused before anything is written if it exists and ``force`` is false; the
    folder's path is returned.
    """
    fmt = export_format(path)
    if is_folder_target(path):
        return export_steps(obj, Path(path), ascii, no_color, force)
    if fmt == ".md":
        from ptheorem.output.text.markdown import to_markdown

        text = to_markdown(obj)
    elif fmt == ".tex":
        from ptheorem.output.text.console import colour_wanted
        from ptheorem.output.text.latex import to_latex

        text = to_latex(obj, colour=colour_wanted(no_color))
    else:
        text = record(obj, fmt, ascii, no_color)
    return write_atomic(Path(path), text)


def export_steps(
    obj: Exportable, folder: Path, ascii: bool, no_color: bool, force: bool = False
) -> Path:
    """One SVG per step of ``obj`` into ``folder`` (made when its parent exists)."""
    if isinstance(obj, Comparison):
        raise InputError("--export to a folder writes one file per step; --compare has none")
    check_folder(folder)
    targets = step_files(obj, folder)
    if folder.is_dir():
        for target in targets:
            files.check_target(target, "--export", force)
    else:
        folder.mkdir()
    for k, target in enumerate(targets, start=1):
        write_atomic(target, record(obj.only(k), ".svg", ascii, no_color, title=False))
    return folder


def check_folder(folder: Path) -> None:
    """Refuse a folder target whose parent does not exist, or that is a file."""
    if folder.exists() and not folder.is_dir():
        raise InputError(f"--export: {str(folder)!r} is not a folder")
    if not folder.exists() and not folder.parent.is_dir():
        raise InputError(f"--export: directory {str(folder.parent)!r} does not exist")


def write_atomic(path: Path, text: str) -> Path:
    """Write ``text`` atomically beside ``path`` (see :mod:`ptheorem.io.files`)."""
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(f"--export: directory {str(parent)!r} does not exist")
    files.write_atomic(path, text)
    return path


def renderables(obj: Exportable, ascii: bool, title: bool = True) -> list[Any]:
    """Everything the terminal would show for ``obj``, in order (``title`` false: no heading)."""
    from ptheorem.output.text.explain import render_comparison, render_explanation, render_tour

    if isinstance(obj, Comparison):
        return render_comparison(obj, ascii)
    if isinstance(obj, Tour):
        return [r for page in render_tour(obj, ascii) for r in page]
    pages = render_explanation(obj, ascii)
    return [r for page in (pages if title else pages[1:]) for r in page]


def record(obj: Exportable, fmt: str, ascii: bool, no_color: bool, title: bool = True) -> str:
    """The rich rendering of ``obj`` as SVG or HTML text; black on white without colour."""
    from rich.terminal_theme import SVG_EXPORT_THEME

    from ptheorem.output.text.console import colour_wanted, make_console

    colour = colour_wanted(no_color)
    kw: dict[str, Any] = {"color_system": "truecolor", "force_terminal": True} if colour else {}
    console = make_console(no_color, file=io.StringIO(), record=True, width=EXPORT_WIDTH, **kw)
    theme = SVG_EXPORT_THEME if colour else print_theme()
    items = renderables(obj, ascii, title)
    heading = obj.title if title or isinstance(obj, Comparison) else _step_title(obj)
    if fmt == ".html":
        return _html(console, items, heading, colour)
    return _svg(console, items, heading, colour, theme)


def _svg(console: Any, items: list[Any], heading: str, colour: bool, theme: Any) -> str:
    """The recorded text as SVG, each path diagram drawn as an SVG figure in its place.

    Text before, between and after the figures is exported in pieces (the first
    with rich's window and title) and the pieces are stacked in one SVG.
    """
    from ptheorem.output.text.figure import path_pair_svg

    pieces: list[str] = []

    def flush() -> None:
        chrome = not pieces
        svg = console.export_svg(
            title=heading, theme=theme, **({} if chrome else {"code_format": _bare_svg()})
        )
        if chrome or "<text" in svg:
            pieces.append(svg if colour else re.sub(r"<circle [^>]*/>", "", svg))

    for item in items:
        pair = getattr(item, "path_pair", None)
        if pair is None:
            console.print(item)
            continue
        flush()
        pieces.append(path_pair_svg(pair, colour=colour))
    flush()
    if len(pieces) == 1:
        return pieces[0]
    background = "#{:02x}{:02x}{:02x}".format(*theme.background_color)
    return stack_svgs(pieces, background)


def _bare_svg() -> str:
    """rich's SVG template without the window and title (a piece after the first)."""
    from rich._export_format import CONSOLE_SVG_FORMAT

    return CONSOLE_SVG_FORMAT.replace("{chrome}", "")


def stack_svgs(pieces: list[str], background: str) -> str:
    """SVG documents stacked top to bottom in one SVG, on ``background``.

    >>> pieces = ['<svg viewBox="0 0 10 5"></svg>', '<svg width="8" height="4"></svg>']
    >>> out = stack_svgs(pieces, "#fff")
    >>> 'viewBox="0 0 10 9"' in out and 'y="5"' in out
    True
    """
    sizes = [_svg_size(p) for p in pieces]
    width, height = max(w for w, _ in sizes), sum(h for _, h in sizes)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
        f'width="{width:g}" height="{height:g}">',
        f'<rect width="{width:g}" height="{height:g}" fill="{background}"/>',
    ]
    y = 0.0
    for piece, (w, h) in zip(pieces, sizes, strict=True):
        inner = re.sub(r"\s(x|y|width|height)=\"[^\"]*\"", "", piece.split(">", 1)[0])
        out.append(
            f'{inner} x="0" y="{y:g}" width="{w:g}" height="{h:g}">' + piece.split(">", 1)[1]
        )
        y += h
    return "\n".join([*out, "</svg>"]) + "\n"


def _svg_size(svg: str) -> tuple[float, float]:
    """Width and height of an SVG document, from its viewBox or its width/height."""
    head = svg.split(">", 1)[0]
    box = re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)"', head)
    if box:
        return float(box[1]), float(box[2])
    w, h = re.search(r'width="([\d.]+)"', head), re.search(r'height="([\d.]+)"', head)
    if not (w and h):
        raise ValueError("an SVG piece without a size")
    return float(w[1]), float(h[1])


def print_theme() -> Any:
    """A terminal theme for print: black on white, every palette colour black."""
    from rich.terminal_theme import TerminalTheme

    black, white = (0, 0, 0), (255, 255, 255)
    return TerminalTheme(white, black, [black] * 8, [black] * 8)


def _step_title(obj: Explanation | Tour) -> str:
    step = obj.steps[0]
    return f"{obj.unit} {step.number}/{obj.total} · {step.title}"


def _html(console: Any, items: list[Any], heading: str, colour: bool) -> str:
    """A page of the recorded text in ``<pre>`` blocks, each path diagram drawn as SVG."""
    from html import escape

    from ptheorem.output.text.figure import path_pair_svg

    theme = None if colour else print_theme()
    pre = "<pre style=\"font-family:Menlo,'DejaVu Sans Mono',consolas,monospace\">{code}</pre>"
    body: list[str] = []

    def flush() -> None:
        code = console.export_html(theme=theme, code_format=pre, inline_styles=True)
        if code.strip() and "<pre" in code and code != pre.format(code=""):
            body.append(code)

    for item in items:
        pair = getattr(item, "path_pair", None)
        if pair is None:
            console.print(item)
            continue
        flush()
        body.append(f"<figure>{path_pair_svg(pair, colour=colour)}</figure>")
    flush()
    fg, bg = "#000000", "#ffffff"
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="UTF-8">\n'
        f"<title>{escape(heading)}</title>\n"
        f"<style>body {{ color: {fg}; background-color: {bg}; }} "
        "figure { background: white; display: inline-block; }</style>\n"
        "</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )
