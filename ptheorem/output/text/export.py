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
from pathlib import Path
from typing import Any

from ptheorem.explain.model import (
    Comparison,
    Explanation,
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
        from ptheorem.output.text.markdown import to_markdown

        text = to_markdown(obj)
    elif fmt == ".tex":
        from ptheorem.output.text.latex import to_latex

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
