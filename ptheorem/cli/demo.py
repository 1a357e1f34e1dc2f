"""``ptheorem demo``: a scripted tour for a class or a README GIF, computed live."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

import typer

from ptheorem.cli.common import AsciiOption, ForceOption, NoColorOption, registrar

EPILOG = ""
EXAMPLES = (
    "ptheorem demo",
    "ptheorem demo --step",
    "ptheorem demo --ascii",
    "ptheorem demo --only 5 --export scene5.svg",
    "ptheorem demo --export demo.md",
)


def demo(
    step: Annotated[
        bool, typer.Option("--step", help="Wait for Enter between scenes (only in a terminal).")
    ] = False,
    only: Annotated[
        int | None,
        typer.Option("--only", min=1, metavar="K", help="Show (and export) scene K alone."),
    ] = None,
    export: Annotated[
        str | None,
        typer.Option(
            help="Also write FILE.svg, FILE.html, FILE.md or FILE.tex; a folder DIR/ gets one "
            "SVG per scene. Without colour (--no-color, NO_COLOR) black on white.",
            metavar="FILE|DIR/",
        ),
    ] = None,
    force: ForceOption = False,
    ascii: AsciiOption = False,
    no_color: NoColorOption = False,
) -> int:
    """Tour L = 1 … 4, the counterexample classes and the soft-analysis table (live)."""
    from ptheorem.cli.explain import Output, check_export, export_to, show_pages, with_title
    from ptheorem.explain.model import Tour, pick
    from ptheorem.output.text.console import make_console
    from ptheorem.output.text.explain import render_scene, render_title
    from ptheorem.run.teaching import SCENES

    check_export(export, force)
    out = Output(step, only, export, force, ascii, no_color)
    console = make_console(no_color)
    total = len(SCENES)
    chosen = list(enumerate(SCENES, start=1))
    if only is not None:
        chosen = [(only, pick(SCENES, only, "scene"))]
    scenes: list[Any] = []
    timer = _Timer()

    def pages() -> Iterator[list[Any]]:
        for k, build in chosen:
            with timer:
                scene = build()
            scenes.append(scene)
            yield render_scene(scene, k, total, ascii)

    title = [render_title(f"{Tour.title}: {DEMO_PITCH}", ascii)]
    show_pages(with_title(title, pages()), console, step, ascii, "scene")
    console.print(f"every scene computed live in {timer.total:.1f} s", style="dim", markup=False)
    if export is not None:
        first = chosen[0][0]
        export_to(Tour(tuple(scenes), total if only is not None else 0, first), out)
    return 0


class _Timer:
    """Adds up the time spent inside ``with timer:`` blocks (computing, not waiting)."""

    def __init__(self) -> None:
        self.total = 0.0
        self._start = 0.0

    def __enter__(self) -> None:
        import time

        self._start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        import time

        self.total += time.perf_counter() - self._start


#: The demo's heading after its name.
DEMO_PITCH = "Theorem 5 at L = 1 … 4, its counterexamples, how soft it is"

register = registrar(demo, EPILOG, EXAMPLES)
