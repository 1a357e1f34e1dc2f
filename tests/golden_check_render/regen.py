"""Regenerate the golden renders of ``ptheorem check``'s human output in this directory.

Run from the repository root after an intended change to check's text output::

    python tests/golden_check_render/regen.py

then review ``git diff tests/golden_check_render``.  Each file is the rendering
on a rich Console writing to a StringIO at a fixed width (60 or 100 columns),
colour off, trailing spaces stripped, every run time set to 0 before rendering
so the files do not depend on the machine.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

GOLDEN_DIR = Path(__file__).resolve().parent
REGEN_COMMAND = "python tests/golden_check_render/regen.py"
WIDTHS = (60, 100)

#: name → (depth, dim, widths, method) of a check.
CASES: dict[str, tuple[int, int, tuple[int, ...], str]] = {
    "check_L3_d2_symbolic": (3, 2, (2, 2), "symbolic"),
    "check_L2_d3_w3_symbolic": (2, 3, (3,), "symbolic"),
    "check_L3_d2_auto": (3, 2, (2, 2), "auto"),
}


def golden_path(name: str, width: int) -> Path:
    """The golden file of one case at one width."""
    return GOLDEN_DIR / f"{name}_w{width}.txt"


def machine_free_result(result: Any) -> Any:
    """``result`` with every run time set to 0, so wrapping cannot depend on the machine."""
    from dataclasses import replace

    result = replace(result, timings=dict.fromkeys(result.timings, 0.0))
    cross = getattr(result.details, "cross_check", None)
    if cross is not None and cross.seconds is not None:
        result = replace(
            result, details=replace(result.details, cross_check=replace(cross, seconds=0.0))
        )
    return result


def render_case(name: str, width: int) -> str:
    """The current rendering of one case at ``width`` columns."""
    from ptheorem.model.spec import NetworkSpec
    from ptheorem.output.text.check import render_check
    from ptheorem.output.text.console import make_console
    from ptheorem.run.check import Method, run_check

    depth, dim, widths, method = CASES[name]
    result = machine_free_result(run_check(NetworkSpec(depth, dim, widths), Method(method), 120.0))
    buf = io.StringIO()
    console = make_console(no_color=True, file=buf, width=width)
    for item in render_check(result):
        console.print(item)
    return "".join(line.rstrip() + "\n" for line in buf.getvalue().splitlines())


def main() -> int:
    for name in CASES:
        for width in WIDTHS:
            path = golden_path(name, width)
            path.write_text(render_case(name, width), encoding="utf-8")
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(GOLDEN_DIR.parents[1]))
    sys.exit(main())
