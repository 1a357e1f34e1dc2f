"""``ptheorem audit`` through typer's CliRunner: exit codes, JSON purity, one-line errors."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import pytest
from typer.testing import CliRunner, Result

from ptheorem.cli import app
from ptheorem.counterexamples.library import WITNESSES, parallel_integer
from ptheorem.io.netfile import save_network
from ptheorem.numeric import ConcreteNetwork, get_activation
from ptheorem.output.json.schema import audit_schema

ENV: dict[str, str | None] = {
    "COLUMNS": "100",
    "NO_COLOR": None,
    "FORCE_COLOR": None,
    "TERM": "xterm-256color",
    "PTHEOREM_DEBUG": None,
}

AUDIT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": [
        "schema_version",
        "network",
        "curl_free",
        "degenerate",
        "input_weights",
        "path_functions",
        "hypotheses",
        "verdict",
    ],
    "properties": {
        "schema_version": {"const": "2.0"},
        "network": {
            "type": "object",
            "required": ["depth", "dim", "widths", "activation"],
        },
        "curl_free": {
            "type": "object",
            "required": ["value", "nasym", "tolerance", "evidence"],
            "properties": {
                "value": {"type": ["boolean", "null"]},
                "evidence": {"enum": ["exact", "validated", "numeric"]},
            },
        },
        "input_weights": {
            "type": "object",
            "required": ["parallel", "max_angle_deg", "components"],
        },
        "path_functions": {
            "type": ["object", "null"],
            "required": ["rank", "paths", "sampled"],
        },
        "hypotheses": {
            "type": "array",
            "minItems": 5,
            "items": {"type": "object", "required": ["id", "holds", "detail"]},
        },
        "verdict": {
            "type": "object",
            "required": ["status", "explanation", "corrected_theorem_holds"],
            "properties": {
                "status": {"enum": ["proved", "refuted", "supported", "inconclusive"]},
                "corrected_theorem_holds": {"type": ["boolean", "null"]},
            },
        },
    },
}


def run(*args: str, env: dict[str, str | None] | None = None) -> Result:
    result = CliRunner().invoke(app, ["audit", *args], env={**ENV, **(env or {})})
    assert "Traceback" not in result.stdout + result.stderr
    return result


def sorted_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    assert keys == sorted(keys)
    return dict(pairs)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("nets")
    out = {}
    for name in ("block-diagonal", "parallel", "random", "zero-output", "relu-emulation"):
        out[name] = save_network(WITNESSES[name].build(), folder / f"{name}.json")
    out["block-npz"] = save_network(WITNESSES["block-diagonal"].build(), folder / "block.npz")
    out["inconclusive"] = save_network(hidden_relu(), folder / "hidden.npz")
    return out


def hidden_relu() -> ConcreteNetwork:
    """ReLU, L = 3: the layer-2 unit switches on only where relu(x₁) + relu(x₂) > 1000.

    On any sample near the origin J = 0.0, yet ψ is not curl-free far out
    (J = c·(H(x₁), H(x₂)) there, c = (1, 2)): the honest answer is inconclusive.
    """
    w = (np.eye(2), np.array([[1.0, 1.0]]), np.array([[1.0], [2.0]]))
    return ConcreteNetwork(w, (None, np.array([-1e3]), None), get_activation("relu"))


@pytest.mark.parametrize(
    ("name", "code", "status"),
    [
        ("block-diagonal", 1, "refuted"),
        ("block-npz", 1, "refuted"),
        ("relu-emulation", 1, "refuted"),
        ("parallel", 0, "proved"),
        ("random", 0, "proved"),
        ("zero-output", 0, "proved"),
        ("inconclusive", 3, "inconclusive"),
    ],
)
def test_exit_codes_and_json_documents(
    files: dict[str, Path], name: str, code: int, status: str
) -> None:
    before = sha(files[name])
    result = run(str(files[name]), "--format", "json", "--points", "128")
    assert result.exit_code == code, result.stderr
    assert result.stderr == ""
    assert "\x1b" not in result.stdout
    data = json.loads(result.stdout, object_pairs_hook=sorted_pairs)
    jsonschema.validate(data, AUDIT_SCHEMA)
    jsonschema.validate(data, audit_schema())
    assert data["verdict"]["status"] == status
    assert data["verdict"]["exit_code"] == code
    assert data["source"]["sha256"] == before == sha(files[name])


def test_human_output_names_the_verdict_and_the_failed_hypothesis(files: dict[str, Path]) -> None:
    path = files["block-diagonal"]
    stamp = path.stat().st_mtime_ns
    result = run(str(path), "--no-color", "--points", "64")
    assert result.exit_code == 1
    out = result.stdout
    assert "verdict: refuted" in out
    assert "H2 fails" in out.replace("\n", " ").replace("│", " ")
    assert "corrected theorem: holds" in out
    assert "\x1b" not in out
    assert path.stat().st_mtime_ns == stamp


def test_colour_only_when_allowed(files: dict[str, Path]) -> None:
    coloured = run(str(files["random"]), "--points", "32", env={"FORCE_COLOR": "1"})
    assert "\x1b[" in coloured.stdout
    plain = run(str(files["random"]), "--points", "32", env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in plain.stdout


def test_quiet_prints_one_line(files: dict[str, Path]) -> None:
    result = run(str(files["parallel"]), "-q", "--points", "32")
    assert result.exit_code == 0
    assert result.stdout.count("\n") == 1
    assert result.stdout.startswith("proved: curl-free (exact, parallel pairs, stored weights)")


def test_activation_override_changes_the_answer(files: dict[str, Path]) -> None:
    result = run(str(files["block-diagonal"]), "--activation", "swish:2", "-f", "json")
    data = json.loads(result.stdout)
    assert data["network"]["activation"] == "swish:2"
    assert result.exit_code == 1  # the block-diagonal witness is curl-free for every σ
    square = run(str(files["parallel"]), "--activation", "square", "-q", "--no-exact")
    assert square.exit_code == 0


def _write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


BAD_JSON = {
    "shapes-do-not-chain": {"activation": "tanh", "weights": [[[1, 0]], [[1, 0], [0, 1]]]},
    "not-square-map": {"activation": "tanh", "weights": [[[1, 0]], [[1]]]},
    "nan": {"activation": "tanh", "weights": [[[1, "NaN"]], [[1], [2]]]},
    "ragged": {"activation": "tanh", "weights": [[[1, 0], [1]], [[1, 1]]]},
    "unknown-activation": {"activation": "mystery", "weights": [[[1, 0]], [[1], [1]]]},
    "no-activation": {"weights": [[[1, 0]], [[1], [1]]]},
    "no-weights": {"activation": "tanh"},
}


@pytest.mark.parametrize("case", sorted(BAD_JSON))
def test_bad_json_inputs_give_one_line_errors(tmp_path: Path, case: str) -> None:
    text = json.dumps(BAD_JSON[case]).replace('"NaN"', "NaN")
    path = _write(tmp_path / f"{case}.json", text)
    before = sha(path)
    result = run(str(path))
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ptheorem: error: ")
    assert sha(path) == before


def test_bad_files_and_options(tmp_path: Path) -> None:
    missing = run(str(tmp_path / "absent.npz"))
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    corrupt = run(str(_write(tmp_path / "corrupt.npz", b"garbage, not an npz")))
    assert corrupt.exit_code == 2 and corrupt.stderr.count("\n") == 1
    np.savez(tmp_path / "inf.npz", W0=np.array([[np.inf, 0.0]]), W1=np.ones((2, 1)))
    inf = run(str(tmp_path / "inf.npz"), "--activation", "tanh")
    assert inf.exit_code == 2 and "NaN or infinite" in inf.stderr
    wrong = run(str(_write(tmp_path / "net.txt", "x")))
    assert wrong.exit_code == 2 and "unknown network format" in wrong.stderr
    np.savez(tmp_path / "beta.npz", W0=np.eye(2), W1=np.eye(2), activation="swish", beta="x")
    beta = run(str(tmp_path / "beta.npz"))
    assert beta.exit_code == 2 and beta.stderr.count("\n") == 1
    good = save_network(parallel_integer(), tmp_path / "ok.json")
    options = (
        ["--points", "0"],
        ["--max-paths", "0"],
        ["--activation", "tanh:2"],
        ["--seed", "-1"],
    )
    for args in options:
        result = run(str(good), *args)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, args


def test_corrupt_zip_is_a_one_line_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "corrupt.npz", b"PK\x03\x04 not really a zip")
    before = sha(path)
    result = run(str(path))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "not a readable .npz file" in result.stderr
    assert sha(path) == before


def test_errors_in_json_mode_are_json_on_stdout(tmp_path: Path) -> None:
    result = run(str(tmp_path / "absent.json"), "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["error"]["exit_code"] == 2 and "no such file" in data["error"]["message"]


def test_audit_has_help_text() -> None:
    result = CliRunner().invoke(app, ["audit", "--help"], env=ENV)
    assert result.exit_code == 0
    assert "Audit a trained ψ network" in result.stdout


def test_not_curl_free_is_interval_certified_in_text_and_json(files: dict[str, Path]) -> None:
    text = run(str(files["random"]), "--no-color", "--points", "64").stdout.replace("\n", " ")
    assert "not curl-free (interval-certified at x = (" in text
    data = json.loads(run(str(files["random"]), "-f", "json", "--points", "64").stdout)
    cert = data["curl_free"]["certificate"]
    assert cert["kind"] == "validated" and cert["holds"] is False
    assert len(cert["point"]) == data["network"]["dim"] and len(cert["entry"]) == 2
    lo, hi = cert["interval"]
    assert lo > 0 or hi < 0
    assert data["curl_free"]["evidence"] == "validated"
