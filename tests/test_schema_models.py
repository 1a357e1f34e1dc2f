"""The JSON Schemas of verify, snapshot, sweep, search and soft: generated from the pydantic
models the documents are built with; real outputs validate, broken ones do not."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_args

import jsonschema
import pytest
from pydantic import TypeAdapter
from typer.testing import CliRunner

from ptheorem.cli import app
from ptheorem.cli.schema import DOCUMENTS
from ptheorem.output.json.models import MODELS, Route, SweepStatus
from ptheorem.output.json.schema import SCHEMAS
from ptheorem.run.golden import ROUTE_METHODS
from ptheorem.run.rows import STATUSES

ENV = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}


def run_json(*args: str, codes: tuple[int, ...] = (0,)) -> Any:
    result = CliRunner().invoke(app, [*args, "--format", "json"], env=ENV)
    assert result.exit_code in codes, result.stdout + result.stderr
    return json.loads(result.stdout)


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads(CliRunner().invoke(app, ["schema", name], env=ENV).stdout)
    assert schema == SCHEMAS[name]()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(name: str, doc: Any) -> list[str]:
    return [f"{list(e.path)}: {e.message}" for e in validator(name).iter_errors(doc)]


@pytest.fixture(scope="module")
def golden(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    directory = tmp_path_factory.mktemp("schema") / "golden"
    doc = run_json("snapshot", str(directory), "--grid", "depth=1..2,dim=2", "--jobs", "1")
    return directory, doc


def _verify(golden: tuple[Path, Any]) -> Any:
    directory = golden[0]
    tampered = directory.parent / "tampered"
    tampered.mkdir(exist_ok=True)
    for f in directory.iterdir():  # one file differs, so the diff is exercised too
        data = json.loads(f.read_text(encoding="utf-8"))
        if f.name.startswith("L2"):
            data["verdict"]["status"] = "refuted"
        (tampered / f.name).write_text(json.dumps(data), encoding="utf-8")
    return run_json("verify", str(tampered), "--jobs", "1", codes=(1,))


#: (schema, a real document, a way to break it) per command.
CASES: dict[str, tuple[Callable[[Any], Any], Callable[[Any], None]]] = {
    "snapshot": (lambda g: g[1], lambda d: d["files"][0].update(written="maybe")),
    "verify": (_verify, lambda d: d["files"][1]["diff"]["changes"][0].update(kind="moved")),
    "sweep": (
        lambda g: run_json("sweep", "--grid", "depth=1..3,dim=2", "--jobs", "1"),
        lambda d: d["rows"][0].update(status="fine"),
    ),
    "search": (
        lambda g: run_json(
            "search", "-L", "3", "-d", "2", "--widths", "3,1", "--activation", "square",
            "--restarts", "2", "--no-progress", codes=(0, 1, 3),
        ),
        lambda d: d["best"].pop("network"),
    ),
    "soft": (
        lambda g: run_json(
            "soft", "-L", "3", "-d", "2", "--activation", "tanh", "--angles", "45,10",
            "--restarts", "1", "--no-progress", codes=(0, 3, 5),
        ),
        lambda d: d["rows"][0].update(angle="wide"),
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(CASES))
def test_a_real_document_validates_and_a_broken_one_does_not(
    name: str, golden: tuple[Path, Any]
) -> None:
    make, breaks = CASES[name]
    doc = make(golden)
    assert errors(name, doc) == []
    broken = copy.deepcopy(doc)
    breaks(broken)
    assert errors(name, broken) != []
    assert errors(name, {k: v for k, v in doc.items() if k != "schema_version"}) != []


@pytest.mark.parametrize("name", list(CASES))
def test_the_error_document_validates(name: str) -> None:
    doc = {"error": {"type": "InputError", "message": "bad", "exit_code": 2}}
    assert errors(name, doc) == []
    assert errors(name, {"error": {"type": "InputError", "message": "", "exit_code": 2}}) != []


def test_a_real_error_document_validates(tmp_path: Path) -> None:
    doc = run_json("verify", str(tmp_path / "missing"), codes=(2,))
    assert errors("verify", doc) == []


def test_every_document_has_a_schema_and_the_vocabularies_agree() -> None:
    assert set(DOCUMENTS) == set(SCHEMAS) == {"check", "audit", *MODELS}
    assert set(get_args(Route)) == set(ROUTE_METHODS)
    schema = TypeAdapter(SweepStatus).json_schema()
    values = {branch["const"] for branch in schema["anyOf"] if "const" in branch}
    values |= {v for part in schema.get("$defs", {}).values() for v in part.get("enum", [])}
    assert values == set(STATUSES)


def test_a_model_refuses_a_key_it_does_not_declare() -> None:
    # The document is built through the model: a key added to a producer but not to the
    # model (so not to the schema) fails at once.
    from pydantic import ValidationError

    from ptheorem.output.json.models import SnapshotDocument

    good = {"schema_version": "2.0", "directory": "g", "files": []}
    assert SnapshotDocument.model_validate(good).to_dict() == good
    with pytest.raises(ValidationError):
        SnapshotDocument.model_validate(good | {"extra": 1})
