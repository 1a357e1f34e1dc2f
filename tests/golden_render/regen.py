"""Regenerate the golden renders of ``ptheorem explain`` in this directory.

Run from the repository root after an intended change to the explain output::

    python tests/golden_render/regen.py

then review ``git diff tests/golden_render`` before committing.  Each file is the
rendering on a rich Console writing to a StringIO, 80 columns, colour off, with
trailing spaces stripped from every line.  Step 11 shows the witnesses as
:func:`ptheorem.audit.run_audit` judges them (seeded, so deterministic).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

GOLDEN_DIR = Path(__file__).resolve().parent
REGEN_COMMAND = "python tests/golden_render/regen.py"
WIDTH = 80

#: name → (depth, dim, widths, mask, ascii) of an explanation, or (a, b, dim) of a comparison.
EXPLAIN_CASES: dict[str, tuple[int, int, tuple[int, ...], str | None, bool]] = {
    "explain_L1_d2": (1, 2, (), None, False),
    "explain_L2_d2": (2, 2, (2,), None, False),
    "explain_L3_d2": (3, 2, (2, 2), None, False),
    "explain_L3_d2_ascii": (3, 2, (2, 2), None, True),
    "explain_L3_d2_mask_blocks2": (3, 2, (2, 2), "blocks:2", False),
}
COMPARE_CASES: dict[str, tuple[int, int, int, bool]] = {
    "compare_L2_L3_d2": (2, 3, 2, False),
    "compare_L2_L3_d2_ascii": (2, 3, 2, True),
}


def golden_path(name: str) -> Path:
    """The golden file of one case."""
    return GOLDEN_DIR / f"{name}.txt"


def _print(renderables: list[object]) -> str:
    from ptheorem.output.text.console import make_console

    buf = io.StringIO()
    console = make_console(no_color=True, file=buf, width=WIDTH)
    for item in renderables:
        console.print(item)
    return "".join(line.rstrip() + "\n" for line in buf.getvalue().splitlines())


def render_case(name: str) -> str:
    """The current rendering of one case."""
    from ptheorem.explain.compare import compare
    from ptheorem.model.spec import NetworkSpec
    from ptheorem.output.text.explain import render_comparison, render_explanation
    from ptheorem.run.teaching import build_explanation

    if name in EXPLAIN_CASES:
        depth, dim, widths, mask, ascii = EXPLAIN_CASES[name]
        expl = build_explanation(NetworkSpec(depth, dim, widths), mask=mask)
        return _print([r for page in render_explanation(expl, ascii) for r in page])
    a, b, dim, ascii = COMPARE_CASES[name]
    left, right = (
        build_explanation(NetworkSpec(L, dim, (dim,) * (L - 1)), witnesses=False) for L in (a, b)
    )
    return _print(render_comparison(compare(left, right), ascii))


def all_cases() -> list[str]:
    """Every case name."""
    return [*EXPLAIN_CASES, *COMPARE_CASES]


def main() -> int:
    for name in all_cases():
        path = golden_path(name)
        path.write_text(render_case(name), encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
