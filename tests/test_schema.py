"""``ptheorem schema``: the JSON Schemas are valid and real outputs validate against them."""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner, Result

from ptheorem.cli import app
from ptheorem.output.json.schema import SCHEMAS, audit_schema, check_schema

ENV = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}
HAS_AUDIT = importlib.util.find_spec("ptheorem.cli.audit") is not None


def run(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def assert_valid(schema: dict[str, Any], doc: Any) -> None:
    # Validate against the result (or error) definition first: its errors name the bad key.
    part = "error" if isinstance(doc, dict) and "error" in doc else "result"
    errors = sorted(
        validator({**schema["$defs"][part], "$defs": schema["$defs"]}).iter_errors(doc),
        key=lambda e: list(e.path),
    )
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    assert validator(schema).is_valid(doc)


def check_json(*args: str, code: int = 0) -> dict[str, Any]:
    result = run("check", *args, "--format", "json")
    assert result.exit_code == code, result.stdout + result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_command_prints_a_valid_2020_12_schema(name: str) -> None:
    result = run("schema", name)
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema == SCHEMAS[name]()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_defaults_to_check_and_rejects_unknown() -> None:
    assert json.loads(run("schema").stdout) == check_schema()
    bad = run("schema", "nope")
    assert bad.exit_code == 2
    assert bad.stderr == (
        "ptheorem: error: schema takes one of check, audit, verify, snapshot, sweep, search, "
        "soft (got 'nope')\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        ("-L", "3", "-d", "2"),
        ("-L", "1", "-d", "3"),
        ("-L", "2", "-d", "2", "--bias", "--per-path"),
        ("-L", "3", "-d", "1"),
        ("-L", "3", "-d", "3", "--method", "numeric"),
        ("-L", "1", "-d", "2", "--method", "numeric"),
    ],
    ids=" ".join,
)
def test_real_check_outputs_validate(args: tuple[str, ...]) -> None:
    numeric = "numeric" in args  # numeric evidence only: supported, exit 5
    assert_valid(check_schema(), check_json(*args, code=5 if numeric else 0))


def test_check_outside_the_hypothesis_validates() -> None:
    result = run("check", "-L", "3", "-d", "2", "--activation", "relu", "--format", "json")
    assert result.exit_code in (1, 3), result.stderr
    assert_valid(check_schema(), json.loads(result.stdout))


def test_error_document_validates() -> None:
    doc = check_json("-L", "0", "-d", "2", code=2)
    assert set(doc) == {"error"}
    assert_valid(check_schema(), doc)


def test_expect_document_validates(tmp_path: Path) -> None:
    doc = check_json("-L", "2", "-d", "2")
    doc["verdict"]["status"] = "refuted"
    golden = tmp_path / "g.json"
    golden.write_text(json.dumps(doc), encoding="utf-8")
    out = check_json("-L", "2", "-d", "2", "--expect", str(golden), code=1)
    assert out["expect"]["changes"][0]["path"] == "verdict.status"
    assert_valid(check_schema(), out)


def test_schema_rejects_broken_documents() -> None:
    v = validator(check_schema())
    good = check_json("-L", "2", "-d", "2")
    assert v.is_valid(good)
    for mutate in (
        lambda d: d.pop("verdict"),
        lambda d: d["verdict"].update(status="maybe"),
        lambda d: d["config"].update(depth=0),
        lambda d: d["constraints"]["groups"][0]["equations"][0].update(reduced=3),
        lambda d: d.update(error={"type": "X", "message": "m", "exit_code": 2}),
    ):
        doc = copy.deepcopy(good)
        mutate(doc)
        assert not v.is_valid(doc)
    assert not v.is_valid({"error": {"type": "InputError", "message": "", "exit_code": 2}})


def test_audit_schema_accepts_the_documented_shape() -> None:
    doc = {
        "schema_version": "1.0",
        "network": {"depth": 3, "dim": 2, "widths": [2, 2], "activation": "tanh"},
        "curl_free": {"value": False, "nasym": 0.4, "tolerance": 1e-10, "evidence": "numeric"},
        "degenerate": {"value": False, "reasons": []},
        "input_weights": {"parallel": False, "max_angle_deg": 41.2, "components": []},
        "path_functions": {"rank": 4, "paths": 4, "sampled": False},
        "hypotheses": [{"id": "A1", "holds": True, "detail": "rank 4 of 4"}],
        "verdict": {
            "status": "proved",
            "explanation": "not curl-free, input weights not parallel",
            "corrected_theorem_holds": True,
        },
    }
    assert_valid(audit_schema(), doc)
    broken = copy.deepcopy(doc)
    del broken["curl_free"]["nasym"]
    assert not validator(audit_schema()).is_valid(broken)


@pytest.mark.skipif(not HAS_AUDIT, reason="ptheorem.cli.audit is not there yet")
def test_real_audit_output_validates(tmp_path: Path) -> None:
    net = {
        "activation": "tanh",
        "weights": [
            [[0.5, -0.3], [0.2, 0.9]],
            [[1.1, -0.4], [0.3, 0.7]],
            [[0.6, 0.1], [-0.2, 0.8]],
        ],
        "biases": [None, None, None],
    }
    path = tmp_path / "net.json"
    path.write_text(json.dumps(net), encoding="utf-8")
    result = run("audit", str(path), "--format", "json")
    assert result.exit_code in (0, 1, 3), result.stdout + result.stderr
    assert_valid(audit_schema(), json.loads(result.stdout))


def test_gate_and_matrix_free_outputs_validate(monkeypatch) -> None:
    from ptheorem.audit import sampling

    data = Path(__file__).resolve().parent / "data"
    args = ("audit", str(data / "parallel_tanh.safetensors"), "--activation", "tanh")
    doc = json.loads(run(*args, "--require", "curl-free", "--format", "json").stdout)
    assert doc["requirement"]["exit_code"] == 0 and doc["curl_free"]["estimator"]["kind"] == "exact"
    assert_valid(audit_schema(), doc)
    broken = copy.deepcopy(doc)
    broken["requirement"]["status"] = "passed"
    assert not validator(audit_schema()).is_valid(broken)
    import numpy as np

    import ptheorem
    from ptheorem.output.json.audit import audit_to_dict

    monkeypatch.setattr(sampling, "FULL_JACOBIAN_BUDGET", 0.0)  # the probes, on a small net
    rng = np.random.default_rng(0)
    weights = [
        rng.standard_normal((16, 12)),
        rng.standard_normal((16, 16)),
        rng.standard_normal((12, 16)),
    ]
    doc = audit_to_dict(ptheorem.audit(weights, activation="tanh", points=64))
    estimator = doc["curl_free"]["estimator"]
    assert estimator["kind"] == "probes" and len(estimator["root_interval"]) == 2
    assert_valid(audit_schema(), json.loads(json.dumps(doc)))
