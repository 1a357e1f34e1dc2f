"""``ptheorem demo``: a scripted tour for a class or a README GIF, computed live."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

import typer

from ptheorem.cli.common import AsciiOption, NoColorOption, registrar

EPILOG = ""
EXAMPLES = ("ptheorem demo", "ptheorem demo --step", "ptheorem demo --ascii")


def demo(
    step: Annotated[
        bool, typer.Option("--step", help="Wait for Enter between scenes (only in a terminal).")
    ] = False,
    ascii: AsciiOption = False,
    no_color: NoColorOption = False,
) -> int:
    """Tour L = 1 … 4, the counterexample classes and the soft-analysis table (live)."""
    import time

    from ptheorem.cli.explain import show_pages
    from ptheorem.output.text.console import make_console
    from ptheorem.output.text.explain import render_scene
    from ptheorem.run.teaching import SCENES

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


register = registrar(demo, EPILOG, EXAMPLES)
