"""check's human output at fixed widths: wrapped lines keep their indent, tuples never split.

Golden renders live in ``tests/golden_check_render``; on an intended change regenerate
them with ``python tests/golden_check_render/regen.py`` and review the diff.
"""

from __future__ import annotations

import difflib
import importlib.util
import re
from pathlib import Path

import pytest

from ptheorem.output.text.wrap import Indented, break_offsets

_REGEN_PATH = Path(__file__).resolve().parent / "golden_check_render" / "regen.py"
_spec = importlib.util.spec_from_file_location("ptheorem_check_render_regen", _REGEN_PATH)
assert _spec is not None and _spec.loader is not None
regen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(regen)

CASES = [(name, width) for name in regen.CASES for width in regen.WIDTHS]
#: A tuple cut at the end of a line: "(1," or "[m,".
SPLIT_TUPLE = re.compile(r"[(\[](?:[^()\[\]\s]{1,6}, )*[^()\[\]\s]{1,6},(?:\s{2,}|$)")


def render(name: str, width: int) -> str:
    return str(regen.render_case(name, width))


@pytest.mark.parametrize(("name", "width"), CASES, ids=[f"{n}-w{w}" for n, w in CASES])
def test_check_renders_match_their_goldens(name: str, width: int) -> None:
    got = render(name, width)
    want = regen.golden_path(name, width).read_text(encoding="utf-8")
    if got != want:
        diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True)))
        pytest.fail(
            f"{name} at {width} columns changed; if intended run\n"
            f"    {regen.REGEN_COMMAND}\n\n{diff}"
        )


def layout_problems(text: str, width: int) -> list[str]:
    """Lines too wide, indented paragraphs whose wrapped lines fell to column 0, split tuples."""
    problems = []
    lines = text.splitlines()
    for n, line in enumerate(lines, 1):
        if len(line) > width:
            problems.append(f"line {n} is {len(line)} wide")
        if SPLIT_TUPLE.search(line.rstrip()) or SPLIT_TUPLE.search(line):
            problems.append(f"line {n} splits a tuple: {line.strip()[-12:]!r}")
        before = lines[n - 2] if n > 1 else ""
        if (
            line
            and not line.startswith((" ", "│", "╭", "╰"))
            and before.startswith("   ")
            and len(before) >= width - 20
            and not line[0].isdigit()
            and not line.startswith(("General", "Instantiated", "Sufficiency", "timings"))
        ):
            problems.append(f"line {n} fell back to column 0: {line[:20]!r}")
    return problems


def test_the_layout_check_sees_each_problem() -> None:
    good = "   a line that wraps\n   and keeps its indent\n"
    assert layout_problems(good, 30) == []
    assert layout_problems("   " + "x " * 14 + "\nfell back\n", 32) == [
        "line 2 fell back to column 0: 'fell back'"
    ]
    assert layout_problems("   group (1,\n   2) tied\n", 30) == [
        "line 1 splits a tuple: 'group (1,'"
    ]
    assert layout_problems("x" * 31, 30) == ["line 1 is 31 wide"]
    assert layout_problems("   (1, 2) / (2, 1,     1   c\n", 30) == [
        "line 1 splits a tuple: '1,     1   c'"
    ]


@pytest.mark.parametrize(("name", "width"), CASES, ids=[f"{n}-w{w}" for n, w in CASES])
def test_wrapped_lines_keep_their_indent_and_tuples(name: str, width: int) -> None:
    text = regen.golden_path(name, width).read_text(encoding="utf-8")
    assert layout_problems(text, width) == []


def test_wrapping_breaks_between_words_never_inside_a_tuple() -> None:
    text = "the group (1, 2, 2) and θ⁽⁰⁾[m, j] are tied here"
    for width in range(8, 40):
        cuts = break_offsets(text, width)
        for cut in cuts:
            assert text[cut - 1] == " "
            assert not re.search(r"[(\[][^)\]]*$", text[:cut].split(" ")[-2] + " ")


def test_indented_text_keeps_the_indent_when_a_word_is_too_long() -> None:
    from io import StringIO

    from rich.console import Console
    from rich.text import Text

    buf = StringIO()
    Console(file=buf, width=20, color_system=None).print(Indented(Text("a " + "y" * 30), 4))
    assert all(line.startswith("    ") for line in buf.getvalue().splitlines())
