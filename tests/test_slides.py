"""Slides: one step (--only K), one SVG per step (--export DIR/), demo exports, print mode,
and --step pacing (typeahead discarded, waiting not counted, both commands open alike)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from ptheorem.cli import app

ENV = {"COLUMNS": "80", "NO_COLOR": None, "FORCE_COLOR": None, "PTHEOREM_DEBUG": None}
L2 = ("explain", "-L", "2", "-d", "2")


def run(*args: str, env: dict[str, Any] | None = None, input: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), env={**ENV, **(env or {})}, input=input)


def fills(svg: str) -> set[str]:
    """Every colour the SVG paints with (fill and stroke), as #rrggbb."""
    return {c.lower() for c in re.findall(r"(?:fill|stroke)[:=]\"?\s*(#[0-9a-fA-F]{6})", svg)}


def is_grey(colour: str) -> bool:
    r, g, b = (int(colour[k : k + 2], 16) for k in (1, 3, 5))
    return r == g == b


# --- one step, one file per step -------------------------------------------------------------


def test_only_shows_and_exports_one_step(tmp_path: Path) -> None:
    target = tmp_path / "step4.md"
    result = run(*L2, "--only", "4", "--export", str(target), "--no-color")
    assert result.exit_code == 0, result.stderr
    assert "Step 4/11" in result.stdout and "Step 3/11" not in result.stdout
    text = target.read_text(encoding="utf-8")
    assert re.findall(r"^## (.*?)\.", text, flags=re.M) == ["Step 4/11"]


def test_only_out_of_range_is_a_one_line_error(tmp_path: Path) -> None:
    target = tmp_path / "x.svg"
    result = run(*L2, "--only", "12", "--export", str(target))
    assert result.exit_code == 2
    assert result.stderr.strip() == "ptheorem: error: --only 12: there is no step 12 (1 … 11)"
    assert not target.exists()


def test_folder_export_writes_one_svg_per_step(tmp_path: Path) -> None:
    folder = tmp_path / "slides"
    result = run(*L2, "--export", f"{folder}/", "--no-color")
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"step-{k:02d}.svg" for k in range(1, 12)]
    for k, name in enumerate(names, start=1):
        text = "".join(ET.parse(folder / name).getroot().itertext())
        assert f"Step {k}/11" in text.replace("\xa0", " ")
        assert f"Step {k % 11 + 1}/11" not in text.replace("\xa0", " ")
    assert "wrote 11 files into" in result.stderr


def test_folder_export_refuses_to_overwrite_before_writing(tmp_path: Path) -> None:
    folder = tmp_path / "slides"
    folder.mkdir()
    (folder / "step-03.svg").write_text("mine", encoding="utf-8")
    result = run(*L2, "--export", f"{folder}/")
    assert result.exit_code == 2
    assert "pass --force" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["step-03.svg"]
    assert run(*L2, "--export", f"{folder}/", "--force").exit_code == 0
    assert len(list(folder.iterdir())) == 11


def test_folder_export_of_a_comparison_is_refused(tmp_path: Path) -> None:
    result = run("explain", "-d", "2", "--compare", "2,3", "--export", f"{tmp_path}/")
    assert result.exit_code == 2
    assert "one file per step" in result.stderr


def test_demo_exports_a_scene_and_every_scene(tmp_path: Path) -> None:
    one = tmp_path / "scene2.tex"
    result = run("demo", "--only", "2", "--export", str(one), "--no-color")
    assert result.exit_code == 0, result.stderr
    assert "Demo 2/6" in result.stdout and "Demo 1/6" not in result.stdout
    assert "\\subsection*{Scene 2/6." in one.read_text(encoding="utf-8")
    folder = tmp_path / "demo"
    assert run("demo", "--export", f"{folder}/", "--no-color").exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == [f"scene-{k:02d}.svg" for k in range(1, 7)]


# --- print mode ------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["flag", "env"])
def test_no_color_export_is_black_on_white(tmp_path: Path, how: str) -> None:
    target = tmp_path / "print.svg"
    args = [*L2, "--export", str(target)] + (["--no-color"] if how == "flag" else [])
    result = run(*args, env={"NO_COLOR": "1"} if how == "env" else None)
    assert result.exit_code == 0, result.stderr
    svg = target.read_text(encoding="utf-8")
    assert fills(svg) and all(is_grey(c) for c in fills(svg)), fills(svg)  # no coloured buttons


def test_no_color_latex_draws_the_paths_in_black(tmp_path: Path) -> None:
    mono, colour = tmp_path / "print.tex", tmp_path / "screen.tex"
    assert run(*L2, "--export", str(mono), "--no-color").exit_code == 0
    assert run(*L2, "--export", str(colour)).exit_code == 0
    assert "blue" not in mono.read_text(encoding="utf-8")
    assert "draw=blue" in colour.read_text(encoding="utf-8")


def test_colour_export_has_colour(tmp_path: Path) -> None:
    target = tmp_path / "screen.svg"
    assert run(*L2, "--export", str(target)).exit_code == 0
    assert not all(is_grey(c) for c in fills(target.read_text(encoding="utf-8")))


def test_svg_draws_the_path_diagram_as_a_figure_in_its_place(tmp_path: Path) -> None:
    target = tmp_path / "step4.svg"
    assert run(*L2, "--only", "4", "--export", str(target), "--no-color").exit_code == 0
    root = ET.parse(target).getroot()
    pieces = [el for el in root if el.tag.endswith("svg")]
    assert [p.get("class") for p in pieces] == ["rich-terminal", None, "rich-terminal"]
    figure = pieces[1]
    assert len([el for el in figure.iter() if el.tag.endswith("line")]) == 4  # two 2-edge paths
    text = "".join(root.itertext())
    assert "Step 4/11" in text.replace("\xa0", " ") and "●" not in text  # no text drawing
    ys = [float(p.get("y", "0")) for p in pieces]
    assert ys == sorted(ys) and ys[0] == 0.0


def test_html_draws_the_path_diagram_as_an_svg_figure(tmp_path: Path) -> None:
    target = tmp_path / "notes.html"
    assert run(*L2, "--export", str(target), "--no-color").exit_code == 0
    html = target.read_text(encoding="utf-8")
    (figure,) = re.findall(r"<figure>(<svg.*?</svg>)</figure>", html, flags=re.S)
    root = ET.fromstring(figure)
    tags = [el.tag.split("}")[1] for el in root.iter()]
    assert tags.count("circle") == 2 * (2 + 2 + 2)  # two panels, layers of 2 units
    assert "●" not in html.split("Step 4/11")[1].split("Step 5/11")[0]  # not the text drawing
    assert all(is_grey(c) for c in fills(figure) | set(re.findall(r'"(#\w{6})"', figure)))


# --- pacing ----------------------------------------------------------------------------------


class FakeTerminal:
    """A terminal whose Enter takes 100 s of a fake clock; computing a page takes 1 s."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = 0.0
        self.events: list[str] = []
        monkeypatch.setattr("ptheorem.cli.explain.interactive", lambda: True)
        monkeypatch.setattr("ptheorem.cli.explain.discard_typeahead", self.discard)
        monkeypatch.setattr("time.perf_counter", lambda: self.now)

    def discard(self) -> None:
        self.events.append("discard")

    def answer(self, prompt: str = "", **_: Any) -> str:
        self.events.append("prompt")
        self.now += 100.0
        return ""


def test_pacing_discards_typeahead_before_every_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    term = FakeTerminal(monkeypatch)
    monkeypatch.setattr("rich.console.Console.input", lambda self, *a, **k: term.answer())
    result = run(*L2, "--step", "--no-color")
    assert result.exit_code == 0, result.stderr
    assert term.events == ["discard", "prompt"] * 10


def test_demo_live_time_leaves_out_the_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    term = FakeTerminal(monkeypatch)
    monkeypatch.setattr("rich.console.Console.input", lambda self, *a, **k: term.answer())

    def scene(k: int) -> Any:
        from ptheorem.explain.model import Prose, Scene

        def build() -> Scene:
            term.now += 1.0
            return Scene(f"scene {k}", (Prose("text"),))

        return build

    monkeypatch.setattr("ptheorem.run.teaching.SCENES", tuple(scene(k) for k in range(3)))
    result = run("demo", "--step", "--no-color")
    assert result.exit_code == 0, result.stderr
    assert term.events.count("prompt") == 2
    assert "every scene computed live in 3.0 s" in result.stdout  # not 203.0 s


def test_explain_and_demo_step_open_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, str] = {}
    for name, args in (("explain", L2), ("demo", ("demo",))):
        monkeypatch.setattr("ptheorem.cli.explain.interactive", lambda: True)
        result = run(*args, "--step", "--no-color", input="q\n")
        assert result.exit_code == 0, result.stderr
        seen[name] = result.stdout.split("next ")[0]
    for text, first in ((seen["explain"], "Step 1/11"), (seen["demo"], "Demo 1/6")):
        lines = text.splitlines()
        assert lines[0].startswith("ptheorem ")  # the title first,
        assert first in lines[1]  # then the first part, then the first prompt
        assert "Step 2/11" not in text and "Demo 2/6" not in text
