"""Figures: soft's log-log plot (matplotlib, optional) and the path diagram as TikZ and SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ptheorem.cli import app
from ptheorem.counterexamples.search import SearchConfig, SoftRow
from ptheorem.counterexamples.soft import ScalingFit, SoftReport
from ptheorem.explain.model import PathPair
from ptheorem.model.errors import InputError
from ptheorem.model.spec import NetworkSpec
from ptheorem.output.text.figure import path_pair_svg, path_pair_tikz, segments, tikz_styles
from ptheorem.output.text.softplot import PLOT_EXTRA, plot_points, soft_figure

ENV = {"COLUMNS": "100", "NO_COLOR": None, "FORCE_COLOR": None, "PTHEOREM_DEBUG": None}
SMALL_SOFT = ["soft", "-L", "3", "-d", "2", "--activation", "tanh", "--angles", "45,10,2"]


def report(roots: tuple[float | None, ...] = (5e-3, 2e-4, 4e-6), fit: bool = True) -> SoftReport:
    angles = (45.0, 10.0, 2.0)
    rows = tuple(
        SoftRow(a, r is not None, r, r, 1, a if r is not None else None)
        for a, r in zip(angles, roots, strict=True)
    )
    config = SearchConfig(NetworkSpec(3, 2, (2, 2), False, "tanh"), restarts=1)
    scaling = ScalingFit(2.3, 8e-7, 0.997, 3) if fit else None
    return SoftReport(config, rows, scaling, "fitted on 3 angles", angles=angles)


def colours(svg: str) -> set[str]:
    return {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}\b", svg)}


def grey(c: str) -> bool:
    return c[1:3] == c[3:5] == c[5:7]


def test_plot_draws_points_and_the_fitted_line(tmp_path: Path) -> None:
    path = soft_figure(report(), tmp_path / "soft.svg")
    svg = path.read_text(encoding="utf-8")
    root = ET.fromstring(svg)
    text = re.sub(r"\s", "", "".join(root.itertext()))  # matplotlib spaces glyphs apart
    assert "smallest√NAsymreached" in text and "fit8e-07" in text and "R²=0.997" in text
    assert "45°" in text and "2°" in text
    assert not all(grey(c) for c in colours(svg))


def test_plot_without_colour_is_black_on_white(tmp_path: Path) -> None:
    svg = soft_figure(report(), tmp_path / "soft.svg", colour=False).read_text(encoding="utf-8")
    assert colours(svg) and all(grey(c) for c in colours(svg)), colours(svg)


@pytest.mark.parametrize(("ext", "magic"), [(".png", b"\x89PNG"), (".pdf", b"%PDF")])
def test_plot_formats(tmp_path: Path, ext: str, magic: bytes) -> None:
    assert soft_figure(report(), tmp_path / f"soft{ext}").read_bytes().startswith(magic)
    assert [p.name for p in tmp_path.iterdir()] == [f"soft{ext}"]


def test_plot_leaves_out_round_off_and_unreachable_rows(tmp_path: Path) -> None:
    assert plot_points(report((5e-3, None, 1e-20))) == [(45.0, 5e-3)]
    svg = soft_figure(report((None, None, 1e-20), fit=False), tmp_path / "empty.svg")
    assert "no angle above round-off" in svg.read_text(encoding="utf-8")


def test_plot_refuses_unknown_types(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown figure type '.jpg'"):
        soft_figure(report(), tmp_path / "soft.jpg")
    assert list(tmp_path.iterdir()) == []


def test_missing_matplotlib_is_a_one_line_error_before_the_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "matplotlib" else real(name)
    )

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the search ran")

    monkeypatch.setattr("ptheorem.counterexamples.soft.run_soft", never)
    target = tmp_path / "soft.png"
    result = CliRunner().invoke(app, [*SMALL_SOFT, "--export", str(target)], env=ENV)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"ptheorem: error: --export soft.png needs matplotlib: {PLOT_EXTRA}"
    )
    assert not target.exists()


def test_soft_cli_exports_the_plot_and_keeps_the_terminal_chart(tmp_path: Path) -> None:
    target = tmp_path / "soft.svg"
    args = [*SMALL_SOFT, "--restarts", "1", "--no-progress", "--export", str(target)]
    result = CliRunner().invoke(app, args, env=ENV)
    assert result.exit_code == 5, result.stderr
    assert "log scale" in result.stdout  # the terminal chart is still the default
    assert f"wrote {target}" in result.stderr
    ET.parse(target)


# --- the path diagram ------------------------------------------------------------------------

PAIR = PathPair(
    sizes=(2, 2, 2, 2),
    labels=("out", "h⁽²⁾", "h⁽¹⁾", "in"),
    path=(1, 1, 2, 2),
    mirror=(2, 1, 2, 1),
    weights=(),
    mirror_weights=(),
    sigmas=(),
)


def test_only_the_middle_segments_are_shared() -> None:
    assert [s.shared for s in segments((1, 1, 2, 2))] == [False, True, False]
    assert [s.shared for s in segments((1, 2, 1, 2, 2))] == [False, True, True, False]
    assert [s.shared for s in segments((1, 2, 1))] == [False, False]


def test_tikz_draws_both_paths_with_the_shared_middle_thick() -> None:
    tex = "\n".join(path_pair_tikz(PAIR))
    assert tex.count("\\begin{tikzpicture}") == tex.count("\\end{tikzpicture}") == 2
    assert tex.count("ptheorem path unit") == 4 and tex.count("ptheorem mirror unit") == 4
    assert tex.count("line width=1.6pt") == 2  # the shared middle, once in each panel
    assert tex.count("\\draw[->") == 6
    assert tex.isascii()


def test_tikz_colours_are_styles_black_for_print() -> None:
    assert "fill=blue" in tikz_styles() and "draw=magenta" in tikz_styles()
    mono = tikz_styles(colour=False)
    assert "blue" not in mono and "magenta" not in mono and "densely dashed" in mono


def test_svg_figure_draws_both_paths() -> None:
    root = ET.fromstring(path_pair_svg(PAIR))
    lines = [el for el in root.iter() if el.tag.endswith("line")]
    assert len(lines) == 6
    assert sorted(el.get("stroke-width") for el in lines) == ["1.5"] * 4 + ["4"] * 2
    filled = [el for el in root.iter() if el.tag.endswith("circle") and el.get("fill") != "white"]
    assert len(filled) == 8
    assert not all(grey(c) for c in colours(path_pair_svg(PAIR)))
    assert all(grey(c) for c in colours(path_pair_svg(PAIR, colour=False)))
