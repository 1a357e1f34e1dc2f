"""``--export``: every format is written and parsed back; failures leave nothing behind."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ptheorem.cli import app
from ptheorem.model.errors import InputError
from ptheorem.model.spec import NetworkSpec
from ptheorem.output.text.export import export, write_atomic
from ptheorem.output.text.latex import to_latex
from ptheorem.output.text.markdown import md_text, to_markdown
from ptheorem.output.text.texmath import latex_text
from ptheorem.run.teaching import build_comparison, build_explanation

ENV = {"COLUMNS": "80", "NO_COLOR": None, "FORCE_COLOR": None, "PTHEOREM_DEBUG": None}


@pytest.fixture(scope="module")
def expl() -> object:
    return build_explanation(NetworkSpec(3, 2, (2, 2)))


def _cli(*args: str) -> object:
    return CliRunner().invoke(app, list(args), env=ENV)


@pytest.mark.parametrize("ext", ["svg", "html", "md", "tex"])
def test_cli_writes_each_format(tmp_path: Path, ext: str) -> None:
    target = tmp_path / f"notes.{ext}"
    result = _cli("explain", "-L", "3", "-d", "2", "--export", str(target), "--no-color")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert target.is_file() and target.stat().st_size > 0
    assert f"wrote {target}" in result.stderr  # type: ignore[attr-defined]
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary left over


def test_svg_is_well_formed_xml(tmp_path: Path, expl: object) -> None:
    path = export(expl, tmp_path / "slide.svg")  # type: ignore[arg-type]
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    text = "".join(root.itertext())
    assert "Step" in text and "verdict" in text


def test_html_has_the_steps(tmp_path: Path, expl: object) -> None:
    text = export(expl, tmp_path / "page.html").read_text(encoding="utf-8")  # type: ignore[arg-type]
    assert text.lstrip().lower().startswith("<!doctype html")
    assert "Step 11/11" in text


def test_markdown_has_every_step_heading(tmp_path: Path, expl: object) -> None:
    text = export(expl, tmp_path / "notes.md").read_text(encoding="utf-8")  # type: ignore[arg-type]
    headings = re.findall(r"^## Step (\d+)/11\. (.+)$", text, flags=re.M)
    assert [int(n) for n, _ in headings] == list(range(1, 12))
    assert [t for _, t in headings] == [md_text(s.title) for s in expl.steps]  # type: ignore[attr-defined]
    assert text.startswith("# ptheorem explain: L=3, d=2")
    assert text.count("```") % 2 == 0


def test_latex_has_theta_and_balanced_environments(tmp_path: Path, expl: object) -> None:
    text = export(expl, tmp_path / "notes.tex").read_text(encoding="utf-8")  # type: ignore[arg-type]
    assert "\\theta^{(0)}_{1,2}" in text  # sympy.latex with the paper's names
    assert text.count("\\subsection*{Step") == 11
    for env in ("equation*", "align*", "tabular", "verbatim", "itemize"):
        assert text.count(f"\\begin{{{env}}}") == text.count(f"\\end{{{env}}}"), env
    outside = re.sub(r"\\begin\{verbatim\}.*?\\end\{verbatim\}", "", text, flags=re.S)
    assert outside.count("$") % 2 == 0
    assert outside.isascii(), sorted({c for c in outside if not c.isascii()})
    assert _braces_balanced(outside)


def _braces_balanced(text: str) -> bool:
    depth = 0
    for k, ch in enumerate(text):
        if ch in "{}" and k and text[k - 1] == "\\":
            continue
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def test_comparison_exports(tmp_path: Path) -> None:
    cmp = build_comparison((NetworkSpec(2, 2, (2,)), NetworkSpec(3, 2, (2, 2))))
    md = to_markdown(cmp)
    assert "| S |" in md and "S is a vector" in md and "S is a matrix" in md
    assert "\\theta" in to_latex(cmp)
    ET.parse(export(cmp, tmp_path / "cmp.svg"))


def test_latex_text_puts_symbols_in_math() -> None:
    assert latex_text("θ⁽⁰⁾ₘ = Sₙₘ θ⁽⁰⁾ₘ, 50% & more") == (
        "$\\theta^{(0)}_{m} = S_{n,m} \\theta^{(0)}_{m}$, 50\\% \\& more"
    )
    assert latex_text("√NAsym ≤ 1e-12") == "$\\sqrt{\\mathrm{NAsym}} \\le 1e-12$"


def test_unknown_extension_writes_nothing(tmp_path: Path, expl: object) -> None:
    with pytest.raises(InputError, match="unknown file type"):
        export(expl, tmp_path / "notes.docx")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_cli_unknown_extension_fails_before_work(tmp_path: Path) -> None:
    target = tmp_path / "notes.pdf"
    result = _cli("explain", "-L", "3", "-d", "2", "--export", str(target))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert result.stdout == ""  # type: ignore[attr-defined]
    assert list(tmp_path.iterdir()) == []


def test_failed_write_leaves_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "notes.md"
    target.write_text("old", encoding="utf-8")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("ptheorem.io.files.os.replace", boom)  # the shared atomic writer
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.md"]


def test_missing_directory_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        write_atomic(tmp_path / "nope" / "notes.md", "x")
