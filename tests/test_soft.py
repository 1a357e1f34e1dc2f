"""``ptheorem soft``: the angle table, its guaranteed monotonicity, the scaling fit."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from ptheorem.cli import app
from ptheorem.counterexamples.search import (
    SearchConfig,
    SoftRow,
    fit_scaling,
    parse_angles,
    run_soft,
)
from ptheorem.model.errors import InputError
from ptheorem.model.exitcodes import ExitCode
from ptheorem.model.spec import NetworkSpec

ENV: dict[str, str | None] = {"COLUMNS": "100", "NO_COLOR": None, "TERM": "xterm-256color"}
#: rich would colour even CliRunner's pipe here.
COLOUR_ENV = {**ENV, "FORCE_COLOR": "1"}
SOFT = ["soft", "-L", "3", "-d", "2", "--activation", "tanh", "--angles", "45,10,2"]


def run(*args: str, env: dict[str, str | None] | None = None) -> Result:
    result = CliRunner().invoke(app, list(args), env={**ENV, "FORCE_COLOR": None, **(env or {})})
    assert "Traceback" not in result.stdout + result.stderr
    return result


def parse_sorted(text: str) -> dict[str, Any]:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        assert [k for k, _ in pairs] == sorted(k for k, _ in pairs)
        return dict(pairs)

    return json.loads(text, object_pairs_hook=hook)


def test_parse_angles_sorts_and_rejects() -> None:
    assert parse_angles("1, 90 ,10") == (90.0, 10.0, 1.0)
    for bad in ("", "10,10", "x", "0", "-5", "90.5", "nan"):
        with pytest.raises(InputError):
            parse_angles(bad)


def test_fit_recovers_a_power_law_and_declines_thin_data() -> None:
    rows = [SoftRow(a, True, 3e-7 * a**2, None, 1, a) for a in (20.0, 10.0, 5.0, 2.0, 1.0)]
    rows.append(SoftRow(90.0, True, 0.5, None, 1, 90.0))  # large angles leave the power law
    fit, note = fit_scaling(rows)
    assert fit is not None and fit.exponent == pytest.approx(2.0) and fit.r2 == pytest.approx(1.0)
    assert fit.points == 5 and "1° to 20°" in note
    assert fit_scaling(rows[:2])[0] is None
    flat = [SoftRow(a, True, 1e-14, None, 1, a) for a in (10.0, 5.0, 1.0)]
    assert fit_scaling(flat)[0] is None  # round-off is not a scaling
    close = [SoftRow(a, True, a, None, 1, a) for a in (3.0, 2.0, 1.5)]
    assert "span" in fit_scaling(close)[1]


def test_soft_core_minimum_never_increases() -> None:
    config = SearchConfig(NetworkSpec(3, 2, (2, 2), False, "swish"), restarts=1)
    report = run_soft(config, (30.0, 3.0, 1.0))
    roots = [r.root for r in report.rows]
    assert all(r is not None for r in roots)
    assert roots[0] >= roots[1] >= roots[2]
    assert all(r.achieved_angle >= r.angle * (1 - 1e-12) for r in report.rows)
    assert math.isfinite(report.timings["total"])


def test_soft_table_json_and_monotone_minimum() -> None:
    result = run(*SOFT, "--restarts", "1", "--format", "json", env=COLOUR_ENV)
    assert result.exit_code == ExitCode.SUPPORTED, result.stdout + result.stderr
    assert "\x1b" not in result.stdout
    data = parse_sorted(result.stdout)
    rows = data["rows"]
    assert [r["angle"] for r in rows] == [45.0, 10.0, 2.0]
    roots = [r["root"] for r in rows]
    # Reliable by construction: the previous angle's best stays admissible.
    assert all(b <= a for a, b in zip(roots, roots[1:], strict=False))
    assert all(r["achieved_angle"] >= r["angle"] * (1 - 1e-12) for r in rows)
    assert roots[-1] < roots[0] / 10  # and closer angles do help a smooth σ
    assert data["fit"] is not None and data["fit"]["exponent"] > 0.5
    assert data["verdict"]["status"] == "supported"
    assert data["verdict"]["evidence"] == "numeric evidence"
    assert result.stderr == ""  # no progress bar off a terminal


def test_soft_human_table_and_unreachable_angle() -> None:
    result = run(
        "soft", "-L", "3", "-d", "2", "--widths", "3,2", "--activation", "tanh",
        "--angles", "90,20", "--restarts", "1", "--no-color", "--no-progress",
    )  # fmt: skip
    assert result.exit_code == ExitCode.SUPPORTED, result.stdout + result.stderr
    assert "out of reach" in result.stdout
    assert "supported:" in result.stdout
    assert "20°" in result.stdout
    assert "no fit" in result.stdout
    assert result.stderr == ""
