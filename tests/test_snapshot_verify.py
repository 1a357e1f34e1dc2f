"""``ptheorem snapshot`` writes a golden set; ``ptheorem verify`` re-derives and compares it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ptheorem.cli import app
from ptheorem.output.json.golden import golden_text

ENV = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}
GRID = "depth=1..3,dim=2"
NAMES = ["L1_d2_w0_nobias.json", "L2_d2_w2_nobias.json", "L3_d2_w2-2_nobias.json"]


def run(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert "Traceback" not in result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def golden_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("golden") / "nested" / "set"
    result = run("snapshot", str(directory), "--grid", GRID, "--jobs", "2")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "3 golden files in" in result.stdout and "3 created" in result.stdout
    return directory


def copy_set(src: Path, dst: Path) -> Path:
    dst.mkdir()
    for f in src.iterdir():
        (dst / f.name).write_bytes(f.read_bytes())
    return dst


def test_snapshot_writes_one_canonical_file_per_configuration(golden_dir: Path) -> None:
    assert sorted(p.name for p in golden_dir.iterdir()) == NAMES  # no temporary files left
    for name in NAMES:
        text = (golden_dir / name).read_text(encoding="utf-8")
        data = json.loads(text)
        # the route the derivation took, and the method that takes it again
        assert data["recipe"] == {"route": "general+instance", "method": "auto", "seed": 0}
        assert golden_text(data, data["recipe"]) == text
        assert not {"timings", "tool", "notes"} & set(data)
    data = json.loads((golden_dir / NAMES[2]).read_text(encoding="utf-8"))
    assert data["config"]["depth"] == 3 and data["config"]["widths"] == [2, 2]


def test_snapshot_again_reports_unchanged(golden_dir: Path, tmp_path: Path) -> None:
    directory = copy_set(golden_dir, tmp_path / "again")
    result = run("snapshot", str(directory), "--grid", "depth=3,dim=2", "--jobs", "1")
    assert result.exit_code == 0
    assert "1 unchanged" in result.stdout


def test_round_trip_verify_matches(golden_dir: Path) -> None:
    result = run("verify", str(golden_dir), "--jobs", "2")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "3 golden files: 3 match, 0 differ, 0 could not be re-derived" in result.stdout
    for name in NAMES:
        assert name in result.stdout


def test_verify_json(golden_dir: Path) -> None:
    result = run("verify", str(golden_dir), "--format", "json", "--jobs", "1")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["summary"] == {"files": 3, "match": 3, "differ": 0, "inconclusive": 0, "error": 0}
    assert [f["file"] for f in data["files"]] == NAMES
    assert all(f["diff"]["matches"] for f in data["files"])


def test_verify_reports_a_tampered_file(golden_dir: Path, tmp_path: Path) -> None:
    directory = copy_set(golden_dir, tmp_path / "tampered")
    path = directory / "L2_d2_w2_nobias.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["constraints"]["groups"][1]["equations"][0]["reduced"] = "theta0_2_1*theta1_2_2"
    data["verdict"]["input_weights_forced_parallel"] = True
    path.write_text(golden_text(data), encoding="utf-8")
    result = run("verify", str(directory), "--jobs", "2")
    assert result.exit_code == 1
    out = result.stdout
    assert "3 golden files: 2 match, 1 differ" in out
    assert "golden L2_d2_w2_nobias.json: differs (+1 −1 constraints, verdict changed)" in out
    assert "- constraint removed: units (2), (i, j) = (1, 2): theta0_2_1*theta1_2_2 = 0" in out
    assert "~ verdict.input_weights_forced_parallel: true → false" in out
    as_json = json.loads(run("verify", str(directory), "-f", "json", "-j", "1").stdout)
    differ = [f for f in as_json["files"] if f["status"] == "differ"]
    assert [f["file"] for f in differ] == ["L2_d2_w2_nobias.json"]
    assert differ[0]["diff"]["removed_constraints"][0]["units"] == [2]


def test_verify_bad_directories_and_files(tmp_path: Path) -> None:
    missing = run("verify", str(tmp_path / "missing"))
    assert missing.exit_code == 2
    assert (
        missing.stderr
        == f"ptheorem: error: golden directory {tmp_path / 'missing'} does not exist\n"
    )
    (tmp_path / "empty").mkdir()
    empty = run("verify", str(tmp_path / "empty"))
    assert empty.exit_code == 2 and "no golden files (*.json)" in empty.stderr
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "x.json").write_text("{not json", encoding="utf-8")
    bad = run("verify", str(tmp_path / "bad"), "--format", "json")
    assert bad.exit_code == 2
    assert "is not valid JSON" in json.loads(bad.stdout)["error"]["message"]


def test_snapshot_errors(tmp_path: Path) -> None:
    afile = tmp_path / "file"
    afile.write_text("", encoding="utf-8")
    result = run("snapshot", str(afile), "--grid", GRID)
    assert result.exit_code == 2 and "is not a directory" in result.stderr
    result = run("snapshot", str(tmp_path / "d"), "--grid", "depth=1..3,dim=2,3")
    assert result.exit_code == 2 and "separate alternatives with '|'" in result.stderr
    assert not (tmp_path / "d").exists()


def test_a_budget_too_small_for_the_route_is_inconclusive_never_differ(
    golden_dir: Path, tmp_path: Path
) -> None:
    # The golden files were cross-checked by the instance derivation; a budget that
    # does not fit the cross-check cannot say the derivation changed.
    directory = copy_set(golden_dir, tmp_path / "tight")
    result = run("verify", str(directory), "--timeout", "0.01", "--jobs", "1", "-f", "json")
    assert result.exit_code == 3, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["summary"]["differ"] == 0
    inconclusive = [f for f in data["files"] if f["status"] == "inconclusive"]
    assert inconclusive and all(f["diff"] is None for f in inconclusive)
    assert any("general+instance route was not re-run" in f["error"] for f in inconclusive)
    human = run("verify", str(directory), "--timeout", "0.01", "--jobs", "1")
    assert human.exit_code == 3 and " inconclusive, 0 could not be re-derived" in human.stdout


def test_a_golden_file_without_a_stored_route_is_read_by_its_document(
    golden_dir: Path, tmp_path: Path
) -> None:
    # Written before routes were stored: recipe {"method": "auto"} and a cross-checked proof.
    directory = copy_set(golden_dir, tmp_path / "old")
    for path in directory.iterdir():
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(golden_text(data, {"method": "auto", "seed": 0}), encoding="utf-8")
    result = run("verify", str(directory), "--jobs", "2", "-f", "json")
    assert result.exit_code == 0, result.stdout
    assert {f["method"] for f in json.loads(result.stdout)["files"]} == {"general+instance"}


def test_verify_re_runs_the_numeric_route_with_its_seed(tmp_path: Path) -> None:
    directory = tmp_path / "numeric"
    made = run("snapshot", str(directory), "-g", "depth=2,dim=2", "-m", "numeric", "--seed", "3")
    assert made.exit_code == 0, made.stdout + made.stderr
    path = directory / "L2_d2_w2_nobias.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["recipe"] == {"route": "numeric", "method": "numeric", "seed": 3}
    assert run("verify", str(directory), "-j", "1").exit_code == 0
    # a seed that is not the one recorded draws other numbers: the figures differ
    path.write_text(golden_text(data, data["recipe"] | {"seed": 4}), encoding="utf-8")
    assert run("verify", str(directory), "-j", "1").exit_code == 1
