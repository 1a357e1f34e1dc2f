"""``check --expect GOLDEN.json`` and the golden comparison behind it (ptheorem.run.golden)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from ptheorem.cli import app
from ptheorem.model.errors import InputError
from ptheorem.model.spec import NetworkSpec
from ptheorem.output.json.golden import golden_text
from ptheorem.run.golden import (
    GENERAL_ONLY,
    canonical_document,
    canonical_equation,
    compare,
    file_stem,
    load_golden,
    parse_expression,
    recipe_of,
    spec_of,
)

ENV = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}
CHECK = ["check", "-L", "3", "-d", "2"]


def run(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert "Traceback" not in result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    """The full ``check -L 3 -d 2 --format json`` document (timings, tool and notes kept)."""
    result = run(*CHECK, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def write(tmp_path: Path, data: Any, name: str = "golden.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def first_equation(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["constraints"]["groups"][0]["equations"][0]  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- CLI


def test_expect_match_exits_0(tmp_path: Path, document: dict[str, Any]) -> None:
    golden = tmp_path / "g.json"
    golden.write_text(golden_text(document), encoding="utf-8")
    result = run(*CHECK, "--expect", str(golden))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert f"golden {golden}: matches" in result.stdout


def test_timings_tool_and_notes_are_ignored(tmp_path: Path, document: dict[str, Any]) -> None:
    doc = copy.deepcopy(document)
    doc["timings"] = {"total": 123.0}
    doc["tool"] = {"name": "ptheorem", "version": "99.0"}
    doc["notes"] = ["something else entirely"]
    result = run(*CHECK, "--quiet", "--expect", str(write(tmp_path, doc)))
    assert result.exit_code == 0, result.stdout


def test_tampered_constraint_exits_1_and_names_it(tmp_path: Path, document: dict[str, Any]) -> None:
    doc = copy.deepcopy(document)
    eq = first_equation(doc)
    original = eq["reduced"]
    assert original == "-theta0_1_1*theta2_2_1 + theta0_1_2*theta2_1_1"
    eq["reduced"] = "-theta0_1_1*theta2_2_1 + theta0_2_2*theta2_1_1"
    result = run(*CHECK, "--quiet", "--expect", str(write(tmp_path, doc)))
    assert result.exit_code == 1
    out = result.stdout
    assert "differs (+1 −1 constraints)" in out
    assert (
        "- constraint removed: units (1, 1), (i, j) = (1, 2): "
        "theta0_1_1*theta2_2_1 - theta0_2_2*theta2_1_1 = 0"
    ) in out
    assert (
        "+ constraint added: units (1, 1), (i, j) = (1, 2): "
        "theta0_1_1*theta2_2_1 - theta0_1_2*theta2_1_1 = 0"
    ) in out


def test_changed_verdict_s_and_assumptions_are_reported(
    tmp_path: Path, document: dict[str, Any]
) -> None:
    doc = copy.deepcopy(document)
    doc["verdict"]["status"] = "refuted"
    doc["S"]["symbols"][0][0] = "T_1_1"
    doc["assumptions"] = [a for a in doc["assumptions"] if a["id"] != "A2"]
    result = run(*CHECK, "--quiet", "--expect", str(write(tmp_path, doc)))
    assert result.exit_code == 1
    out = result.stdout
    assert "verdict changed, S changed, assumptions changed" in out
    assert "~ verdict.status: 'refuted' → 'proved'" in out
    assert "~ S.symbols[0][0]: 'T_1_1' → 'S_1_1'" in out
    assert "+ assumptions.A2 (new)" in out


def test_json_mode_adds_the_comparison(tmp_path: Path, document: dict[str, Any]) -> None:
    doc = copy.deepcopy(document)
    doc["constraints"]["groups"].pop()
    golden = write(tmp_path, doc)
    result = run(*CHECK, "--format", "json", "--expect", str(golden))
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    expect = data["expect"]
    assert expect["golden"] == str(golden)
    assert expect["matches"] is False
    assert expect["removed_constraints"] == []
    assert [c["units"] for c in expect["added_constraints"]] == [[2, 2]]
    assert data["verdict"]["status"] == "proved"


def test_expect_takes_the_configuration_from_the_file(tmp_path: Path) -> None:
    golden = tmp_path / "g.json"
    made = run("check", "-L", "2", "-d", "3", "--widths", "2", "-f", "json")
    golden.write_text(made.stdout, encoding="utf-8")
    result = run("check", "--expect", str(golden), "--quiet")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "L=2, d=3" in result.stdout and f"golden {golden}: matches" in result.stdout
    # options that say what the file says are accepted
    same = ("-L", "2", "-d", "3", "--widths", "2", "--no-bias", "--activation", "generic")
    assert run("check", *same, "-m", "auto", "--expect", str(golden), "-q").exit_code == 0


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["-L", "3"], "--depth 3 contradicts"),
        (["-d", "2"], "--dim 2 contradicts"),
        (["--widths", "2"], "--widths 2 contradicts"),
        (["--bias"], "--bias on contradicts"),
        (["--activation", "tanh"], "--activation tanh contradicts"),
        (["--mask", "blocks:1"], "--mask blocks:1 contradicts"),
        (["--method", "numeric"], "--method numeric contradicts"),
        (["--seed", "7"], "--seed 7 contradicts"),
    ],
)
def test_an_option_that_contradicts_the_file_is_a_one_line_error(
    tmp_path: Path, option: list[str], message: str
) -> None:
    golden = tmp_path / "g.json"
    doc = json.loads(run("check", "-L", "2", "-d", "3", "-f", "json").stdout)
    golden.write_text(golden_text(doc, {"route": "general+instance", "method": "auto", "seed": 0}))
    result = run("check", *option, "--expect", str(golden))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"ptheorem: error: {message} {golden}, which records ")
    assert result.stderr.count("\n") == 1


def test_without_expect_depth_and_dim_are_needed() -> None:
    for args, missing in ((["-d", "2"], "--depth"), (["-L", "2"], "--dim")):
        result = run("check", *args)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"ptheorem: error: missing option '{missing}'")


def test_expect_with_a_budget_too_small_for_the_route_is_inconclusive(
    tmp_path: Path, document: dict[str, Any]
) -> None:
    # document: the general proof cross-checked by the instance derivation
    golden = write(tmp_path, document)
    result = run("check", "--expect", str(golden), "--timeout", "0.01")
    assert result.exit_code == 3, result.stdout + result.stderr
    assert "general+instance route was not re-run" in result.stderr


def test_expect_re_runs_the_recorded_method(tmp_path: Path) -> None:
    made = run("check", "-L", "2", "-d", "2", "-m", "numeric", "--seed", "5", "-f", "json")
    doc = json.loads(made.stdout)
    golden = tmp_path / "n.json"
    golden.write_text(golden_text(doc, {"route": "numeric", "method": "numeric", "seed": 5}))
    assert run("check", "--expect", str(golden), "-q").exit_code == 0
    # the same file recording another seed: the numbers drawn differ
    golden.write_text(golden_text(doc, {"route": "numeric", "method": "numeric", "seed": 6}))
    assert run("check", "--expect", str(golden), "-q").exit_code == 1


def test_missing_golden_file_is_a_one_line_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    result = run(*CHECK, "--expect", str(missing))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"ptheorem: error: golden file {missing} does not exist\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "is not valid JSON (line 1, column 2"),
        ("[1, 2]", "is not a ptheorem check document (a JSON list, not an object)"),
        ('{"config": {}}', "is not a ptheorem check document (no 'verdict' key)"),
        (
            '{"error": {"type": "InputError", "message": "x", "exit_code": 2}}',
            "it records an error, not a derivation",
        ),
    ],
)
def test_corrupt_golden_file_is_a_one_line_error(tmp_path: Path, text: str, message: str) -> None:
    golden = tmp_path / "bad.json"
    golden.write_text(text, encoding="utf-8")
    result = run(*CHECK, "--expect", str(golden))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    as_json = run(*CHECK, "--format", "json", "--expect", str(golden))
    assert as_json.exit_code == 2
    assert json.loads(as_json.stdout)["error"]["type"] == "InputError"


# --------------------------------------------------------------------------- core


def test_equivalent_expression_strings_are_equal(document: dict[str, Any]) -> None:
    doc = copy.deepcopy(document)
    # Same constraint, opposite sign and another term order: not a difference.
    first_equation(doc)["reduced"] = "theta2_1_1*theta0_1_2*(-1) + theta0_1_1*theta2_2_1"
    doc["S"]["tyings"][0]["nullity"] = 1.0
    assert compare(doc, document).matches


def test_canonical_document_and_text(document: dict[str, Any]) -> None:
    canon = canonical_document(document)
    assert not {"timings", "tool", "notes"} & set(canon)
    text = golden_text(document)
    assert text.endswith("}\n") and json.loads(text) == canon


def test_missing_key_equals_null(document: dict[str, Any]) -> None:
    doc = copy.deepcopy(document)
    doc["config"]["brand_new_option"] = None
    assert compare(document, doc).matches
    doc["config"]["brand_new_option"] = 3
    change = compare(document, doc).changes[0]
    assert (change.section, change.path, change.kind) == (
        "config",
        "config.brand_new_option",
        "added",
    )


def test_numbers_compare_with_tolerance(document: dict[str, Any]) -> None:
    a = {**document, "S": {"kind": "numeric", "fit_residual": 1e-15}}
    b = {**document, "S": {"kind": "numeric", "fit_residual": 3e-15}}
    assert compare(a, b).matches
    c = {**document, "S": {"kind": "numeric", "fit_residual": 0.5}}
    assert not compare(a, c).matches


def test_expression_parser_calls_nothing() -> None:
    for text in ("__import__('os').system('true')", "exec(1)", "a.__class__", "lambda: 1"):
        expr = parse_expression(text)
        assert expr is None or expr.free_symbols  # a bare name is just a Symbol
    assert parse_expression("exec(1)") is None  # calling a Symbol fails
    assert canonical_equation("b - a") == canonical_equation("a - b")


def test_load_golden_and_recipe(tmp_path: Path, document: dict[str, Any]) -> None:
    path = tmp_path / "g.json"
    path.write_text(golden_text(document), encoding="utf-8")
    doc = load_golden(path)
    assert spec_of(doc) == NetworkSpec(3, 2, (2, 2))
    # a file without a stored route (check --format json): the route its document records
    assert recipe_of(doc) == {"route": "general+instance", "method": "auto"}
    instance = {**doc, "verdict": {**doc["verdict"], "method": "symbolic"}}
    assert recipe_of(instance) == {"route": "instance", "method": "instance"}
    general_only = json.loads(json.dumps(doc))
    general_only["general"]["cross_check"] = {"ran": False, "agrees": None, "detail": GENERAL_ONLY}
    assert recipe_of(general_only) == {"route": "general", "method": "general"}
    # an older snapshot's recipe (method auto, no route): the recorded route, not auto
    old = {**instance, "recipe": {"method": "auto", "seed": 0}}
    assert recipe_of(old) == {"route": "instance", "method": "instance", "seed": 0}
    # a stored route wins over what the document would suggest
    stored = {**general_only, "recipe": {"route": "numeric", "method": "numeric", "seed": 4}}
    assert recipe_of(stored) == {"route": "numeric", "method": "numeric", "seed": 4}
    with pytest.raises(InputError, match="unknown route 'warp'"):
        recipe_of({**doc, "recipe": {"route": "warp"}})
    assert file_stem(spec_of(doc)) == "L3_d2_w2-2_nobias"
    with pytest.raises(InputError, match="is a directory"):
        load_golden(tmp_path)
