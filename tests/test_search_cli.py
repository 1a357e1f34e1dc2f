"""``ptheorem search`` and ``ptheorem soft`` through CliRunner: exit codes, errors, JSON purity."""

from __future__ import annotations

import inspect
import json
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner, Result

from ptheorem.cli import app
from ptheorem.cli.search import search
from ptheorem.cli.soft import soft
from ptheorem.counterexamples.search import (
    DEFAULT_ANGLES,
    DEFAULT_DENSE_MIN,
    DEFAULT_MAX_WEIGHT,
    DEFAULT_MIN_ANGLE,
    DEFAULT_RESTARTS,
    DEFAULT_SOFT_RESTARTS,
)
from ptheorem.io.netfile import load_network
from ptheorem.model.exitcodes import ExitCode
from ptheorem.numeric.metrics import asymmetry, sample_points

BASE_ENV: dict[str, str | None] = {
    "COLUMNS": "100",
    "NO_COLOR": None,
    "FORCE_COLOR": None,
    "TERM": "xterm-256color",
}
#: rich would colour even CliRunner's pipe here.
COLOUR_ENV = {**BASE_ENV, "FORCE_COLOR": "1"}
SQUARE = ["search", "-L", "3", "-d", "2", "--widths", "3,1", "--activation", "square"]
SOFT = ["soft", "-L", "3", "-d", "2", "--activation", "tanh", "--angles", "45,10,2"]


def run(*args: str, env: dict[str, str | None] | None = None) -> Result:
    result = CliRunner().invoke(app, list(args), env={**BASE_ENV, **(env or {})})
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def parse_sorted(text: str) -> dict[str, Any]:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        assert keys == sorted(keys), keys
        return dict(pairs)

    return json.loads(text, object_pairs_hook=hook)


def test_cli_defaults_are_the_core_defaults() -> None:
    p = inspect.signature(search).parameters
    assert p["restarts"].default == DEFAULT_RESTARTS
    assert p["min_angle"].default == DEFAULT_MIN_ANGLE
    assert p["dense_min"].default == DEFAULT_DENSE_MIN
    assert p["max_weight"].default == DEFAULT_MAX_WEIGHT
    q = inspect.signature(soft).parameters
    assert q["restarts"].default == DEFAULT_SOFT_RESTARTS
    assert tuple(float(a) for a in q["angles"].default.split(",")) == DEFAULT_ANGLES
    assert q["dense_min"].default == DEFAULT_DENSE_MIN


def test_square_witness_exit_1_and_file(tmp_path) -> None:
    out = tmp_path / "witness.json"
    result = run(*SQUARE, "--witness", str(out), "--no-color")
    assert result.exit_code == ExitCode.REFUTED, result.stdout + result.stderr
    assert "verdict: refuted" in result.stdout
    assert f"witness written to {out}" in " ".join(result.stdout.split())
    data = json.loads(out.read_text())
    assert data["certificate"]["holds"] is True
    assert data["search"]["config"]["activation"] == "square"
    net = load_network(out)
    assert asymmetry(net, sample_points(np.random.default_rng(9), 800, 2)).root <= 1e-12


def test_witness_as_npz(tmp_path) -> None:
    out = tmp_path / "witness.npz"
    result = run(*SQUARE, "--witness", str(out), "--no-progress")
    assert result.exit_code == ExitCode.REFUTED
    assert load_network(out).widths == (3, 1)


def test_no_witness_exit_3_and_no_file(tmp_path) -> None:
    out = tmp_path / "none.json"
    result = run(
        "search", "-L", "3", "-d", "2", "--activation", "tanh", "--restarts", "2",
        "--witness", str(out), "--no-color",
    )  # fmt: skip
    assert result.exit_code == ExitCode.INCONCLUSIVE, result.stdout + result.stderr
    assert "finds nothing proves nothing" in " ".join(result.stdout.replace("│", " ").split())
    assert "nothing written" in result.stdout
    assert not out.exists()


def test_json_is_pure_sorted_and_stable() -> None:
    first = run(*SQUARE, "--format", "json", env=COLOUR_ENV)
    assert first.exit_code == ExitCode.REFUTED
    assert "\x1b" not in first.stdout
    data = parse_sorted(first.stdout)
    assert data["command"] == "search"
    assert data["verdict"]["status"] == "refuted"
    assert data["certificate"]["holds"] is True
    assert data["best"]["nasym_root"] <= 1e-12
    assert first.stderr == ""  # no progress bar off a terminal, even with FORCE_COLOR
    second = run(*SQUARE, "--format", "json", "--no-progress")
    assert second.stderr == ""
    a, b = json.loads(first.stdout), json.loads(second.stdout)
    a.pop("timings")
    b.pop("timings")
    assert a == b


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["search", "-L", "2", "-d", "2", "--activation", "tanh"], "depth ≥ 3"),
        (["search", "-L", "3", "-d", "1", "--activation", "tanh"], "dim ≥ 2"),
        (["search", "-L", "3", "-d", "2", "--activation", "nope"], "unknown activation"),
        (["search", "-L", "3", "-d", "2", "--activation", "generic"], "unknown activation"),
        (["search", "-L", "3", "-d", "2", "--activation", "tanh", "--min-angle", "0"], "(0, 90]"),
        (["search", "-L", "3", "-d", "2", "--activation", "tanh", "--min-angle", "91"], "(0, 90]"),
        (["search", "-L", "3", "-d", "2", "--widths", "3", "--activation", "tanh",
          "--min-angle", "70"], "out of reach"),
        (["search", "-L", "3", "-d", "2", "--widths", "1,2", "--activation", "tanh"], "2 units"),
        (["search", "-L", "3", "-d", "2", "--activation", "tanh", "--dense-min", "-1"], "≥ 0"),
        (["search", "-L", "3", "-d", "2", "--activation", "tanh", "--max-weight", "0.1"],
         "--max-weight"),
        (["search", "-L", "3", "-d", "2", "--activation", "tanh", "--restarts", "0"], "≥ 1"),
        (["search", "-L", "3", "-d", "2", "--activation", "tanh", "--mask", "blocks:3"], "blocks"),
        (["search", "-L", "3", "-d", "2", "--activation", "tanh", "--witness", "w.txt"], "format"),
        (["search", "-L", "3", "-d", "2", "--activation", "tanh", "--witness", "/no/such/w.json"],
         "no such folder"),
        (["search", "-L", "3", "-d", "2", "--activation", "tanh", "--widths", "a"], "integers"),
        (["search", "-L", "3", "-d", "2"], "--activation"),
        (["search", "-L", "3", "-d", "8", "--widths", "32", "--activation", "tanh"], "small nets"),
        (["soft", "-L", "3", "-d", "2", "--activation", "tanh", "--angles", "10,x"], "--angles"),
        (["soft", "-L", "3", "-d", "2", "--activation", "tanh", "--angles", "0"], "(0, 90]"),
        (["soft", "-L", "2", "-d", "2", "--activation", "tanh"], "depth ≥ 3"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_one_line(args: list[str], needle: str) -> None:
    result = run(*args)
    assert result.exit_code == ExitCode.USAGE, result.stdout + result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ptheorem: error:"), result.stderr
    assert needle in lines[0]
    as_json = run(*args, "--format", "json")
    assert as_json.exit_code == ExitCode.USAGE
    assert json.loads(as_json.stdout)["error"]["exit_code"] == ExitCode.USAGE


def test_inconclusive_exits_3(monkeypatch: pytest.MonkeyPatch) -> None:
    from ptheorem.counterexamples.search import core

    monkeypatch.setattr(core, "NONE_ROOT", 1.0)
    result = run(
        "search", "-L", "3", "-d", "2", "--activation", "tanh", "--restarts", "1", "--no-color"
    )
    assert result.exit_code == ExitCode.INCONCLUSIVE, result.stdout + result.stderr
    assert "verdict: inconclusive" in result.stdout
