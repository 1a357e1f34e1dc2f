"""``ptheorem demo``: a scripted tour for a class or a README GIF, computed live."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

import typer


def register(app: typer.Typer) -> None:
    """Add ``demo`` to the app."""
    app.command(epilog="Examples: ptheorem demo | ptheorem demo --step | ptheorem demo --ascii")(
        demo
    )


def demo(
    step: Annotated[
        bool, typer.Option("--step", help="Wait for Enter between scenes (only in a terminal).")
    ] = False,
    ascii: Annotated[
        bool, typer.Option("--ascii", help="ASCII only: no Unicode box drawing or Greek.")
    ] = False,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="No colour, whatever the terminal.")
    ] = False,
) -> int:
    """Tour L = 1 … 4, the counterexample classes and the soft-analysis table (live)."""
    import time

    from ptheorem.commands.explain import show_pages
    from ptheorem.explain.tour import SCENES
    from ptheorem.render.console import make_console
    from ptheorem.render.explain import render_scene

    start = time.perf_counter()
    console = make_console(no_color)
    total = len(SCENES)

    def pages() -> Iterator[list[Any]]:
        for k, build in enumerate(SCENES, start=1):
            yield render_scene(build(), k, total, ascii)

    show_pages(pages(), console, step, ascii, "scene")
    elapsed = time.perf_counter() - start
    console.print(f"every scene computed live in {elapsed:.1f} s", style="dim", markup=False)
    return 0
