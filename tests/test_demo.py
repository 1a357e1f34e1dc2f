"""``ptheorem demo``: the tour runs through CliRunner, never waits without a terminal."""

from __future__ import annotations

import time

import pytest
from typer.testing import CliRunner

from ptheorem.cli import app
from ptheorem.run.teaching import AUDIT, SCENES

ENV = {"COLUMNS": "80", "NO_COLOR": None, "FORCE_COLOR": None, "PTHEOREM_DEBUG": None}


@pytest.fixture(scope="module")
def demo_ascii() -> tuple[str, int, float]:
    start = time.perf_counter()
    result = CliRunner().invoke(app, ["demo", "--step", "--ascii"], env=ENV)
    return result.stdout, result.exit_code, time.perf_counter() - start


def test_demo_runs_every_scene_without_waiting(demo_ascii: tuple[str, int, float]) -> None:
    out, code, seconds = demo_ascii
    assert code == 0
    for k in range(1, 7):
        assert f"Demo {k}/6 * " in out
    assert "next scene" not in out
    assert "every scene computed live" in out
    assert seconds < 60


def test_demo_ascii_is_ascii(demo_ascii: tuple[str, int, float]) -> None:
    out, _, _ = demo_ascii
    assert out.isascii(), sorted({c for c in out if not c.isascii()})


def test_demo_scenes_show_the_qualitative_change(demo_ascii: tuple[str, int, float]) -> None:
    out, _, _ = demo_ascii
    assert "S is a vector" in out and "S is a matrix" in out
    assert "counterexample" in out
    assert "min" in out and "NAsym" in out


def test_counterexample_scene_audits_each_class() -> None:
    scene = SCENES[4]()
    (block,) = [b for b in scene.blocks if type(b).__name__ == "Witnesses"]
    assert block.audit == AUDIT
    assert len(block.results) == 5
    # block-diagonal and the L = 3 linear witness (integer weights) are certified
    # counterexamples; ψ ≡ 0 and the random control are proved consistent.
    assert [w.status for w in block.results].count("refuted") == 2


def test_soft_table_comes_from_run_soft_and_stays_positive() -> None:
    (table,) = [b for b in SCENES[5]().blocks if type(b).__name__ == "SoftTable"]
    assert table.method.startswith("the search of ptheorem soft")
    assert [r.angle for r in table.rows] == [45.0, 15.0, 5.0]
    roots = [r.root for r in table.rows]
    assert all(r > 1e-8 for r in roots)
    assert roots == sorted(roots, reverse=True)  # run_soft never lets the minimum grow
