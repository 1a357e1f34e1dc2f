"""The Python API: the README's "Use from Python" runs, and the API is what the CLI renders."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import ptheorem
from ptheorem.audit.report import CurlStatus
from ptheorem.audit.require import Requirement, judge
from ptheorem.cli import app
from ptheorem.model.errors import InputError
from ptheorem.model.exitcodes import ExitCode
from ptheorem.model.status import Status

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
HAS_TORCH = importlib.util.find_spec("torch") is not None


def readme_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Use from Python", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


BLOCKS = readme_blocks()


def test_the_readme_section_has_code() -> None:
    assert len(BLOCKS) >= 3


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{k}" for k in range(len(BLOCKS))])
def test_readme_python_blocks_run(code: str, monkeypatch) -> None:
    if "import torch" in code and not HAS_TORCH:
        pytest.skip("torch not installed (optional extra)")
    monkeypatch.chdir(ROOT)
    exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - the README's own code


def test_the_function_keeps_its_name_whatever_is_imported_later() -> None:
    code = (
        "import ptheorem, ptheorem.audit.core, ptheorem.audit.sampling\n"
        "from ptheorem.audit import run_audit\n"
        "assert callable(ptheorem.audit) and ptheorem.audit.__module__ == 'ptheorem'\n"
        "import ptheorem.audit.report as r\n"
        "assert ptheorem.audit.run_audit is run_audit and ptheorem.audit.report is r\n"
        "from ptheorem.audit import core\n"
        "assert ptheorem.audit.core is core\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_import_ptheorem_loads_neither_numpy_nor_sympy() -> None:
    code = "import sys, ptheorem; print('numpy' in sys.modules, 'sympy' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.split() == ["False", "False"]


def test_py_typed_is_shipped() -> None:
    assert (Path(ptheorem.__file__).parent / "py.typed").is_file()


def test_the_api_report_is_what_the_cli_prints() -> None:
    from ptheorem.output.json.audit import audit_to_dict

    path = str(DATA / "mlp_tanh.safetensors")
    result = CliRunner().invoke(app, ["audit", path, "-f", "json", "--points", "64"])
    cli = json.loads(result.stdout)
    api = audit_to_dict(ptheorem.audit(path, points=64))
    for doc in (cli, api):
        doc.pop("timings")
        doc.pop("source", None)
    assert cli == api


def test_in_memory_networks_and_their_errors() -> None:
    weights = [np.eye(2), np.array([[0.5, 0.0], [0.0, 2.0]]), np.eye(2)]
    report = ptheorem.audit(weights, activation="tanh", points=32)
    assert report.network.widths == (2, 2)
    net = ptheorem.as_network(weights, "tanh")
    assert ptheorem.audit(net, points=32).network == report.network
    with pytest.raises(InputError, match="activation is required"):
        ptheorem.audit(weights)
    with pytest.raises(InputError, match="cannot audit a int"):
        ptheorem.audit(3, activation="tanh")
    state = {"a.weight": np.eye(2), "a.bias": np.ones(2), "b.weight": np.eye(2)}
    assert ptheorem.as_network(state, "tanh").biases[0] is not None


@pytest.mark.skipif(not HAS_TORCH, reason="torch not installed (optional extra)")
def test_a_torch_module_is_read_not_run() -> None:
    import torch

    model = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.Tanh(), torch.nn.Linear(5, 3))
    model.forward = None  # type: ignore[assignment]  # never called
    net = ptheorem.as_network(model, "tanh")
    assert np.array_equal(net.weights[0], model[0].weight.detach().double().numpy())


def test_check_and_search_return_the_cli_results() -> None:
    assert ptheorem.check(depth=3, dim=2).verdict.status is Status.PROVED
    assert ptheorem.check(2, 2, widths=[3], method="numeric").verdict.status is Status.SUPPORTED
    with pytest.raises(InputError, match="method must be"):
        ptheorem.check(3, 2, method="magic")
    found = ptheorem.search(3, 2, "square", widths=[3, 1], restarts=4)
    assert found.status is Status.REFUTED


# --- the gate ---------------------------------------------------------------------------


def _with(report, status: CurlStatus, evidence: str, disagreement: str | None = None):
    curl = dataclasses.replace(
        report.curl_free, status=status, evidence=evidence, disagreement=disagreement
    )
    return dataclasses.replace(report, curl_free=curl)


@pytest.mark.parametrize(
    ("status", "evidence", "want", "expected"),
    [
        (CurlStatus.CURL_FREE, "exact", "curl-free", ExitCode.OK),
        (CurlStatus.NOT_CURL_FREE, "validated", "curl-free", ExitCode.REFUTED),
        (CurlStatus.NOT_CURL_FREE, "exact", "curl-free", ExitCode.REFUTED),
        (CurlStatus.CURL_FREE, "numeric", "curl-free", ExitCode.SUPPORTED),
        (CurlStatus.NOT_CURL_FREE, "numeric", "curl-free", ExitCode.INCONCLUSIVE),
        (CurlStatus.INCONCLUSIVE, "numeric", "curl-free", ExitCode.INCONCLUSIVE),
        (CurlStatus.NOT_CURL_FREE, "validated", "not-curl-free", ExitCode.OK),
        (CurlStatus.CURL_FREE, "exact", "not-curl-free", ExitCode.REFUTED),
        (CurlStatus.NOT_CURL_FREE, "numeric", "not-curl-free", ExitCode.SUPPORTED),
        (CurlStatus.CURL_FREE, "numeric", "not-curl-free", ExitCode.INCONCLUSIVE),
    ],
)
def test_require_maps_evidence_to_the_one_vocabulary(status, evidence, want, expected) -> None:
    report = _with(ptheorem.audit(DATA / "mlp_tanh.safetensors", points=16), status, evidence)
    gate = judge(report, want)
    assert gate.exit_code is expected
    opted = judge(report, want, accept_evidence=True)
    assert opted.exit_code is (ExitCode.OK if expected is ExitCode.SUPPORTED else expected)


def test_a_disagreement_is_never_a_pass() -> None:
    report = ptheorem.audit(DATA / "mlp_tanh.safetensors", points=16)
    bad = _with(report, CurlStatus.CURL_FREE, "exact", disagreement="both")
    assert judge(bad, Requirement.CURL_FREE).status is Status.SUPPORTED
    with pytest.raises(InputError, match="--require must be"):
        judge(report, "gradient")


def test_cli_require_exit_codes_and_json() -> None:
    runner = CliRunner()
    parallel = str(DATA / "parallel_tanh.safetensors")
    args = ["audit", parallel, "--activation", "tanh", "--require"]
    assert runner.invoke(app, [*args, "curl-free", "-q"]).exit_code == 0
    assert runner.invoke(app, [*args, "not-curl-free", "-q"]).exit_code == 1
    doc = json.loads(runner.invoke(app, [*args, "curl-free", "-f", "json"]).stdout)
    assert doc["requirement"] == {
        "require": "curl-free",
        "status": "proved",
        "detail": doc["requirement"]["detail"],
        "accept_evidence": False,
        "exit_code": 0,
    }
    assert runner.invoke(app, [*args, "gradient"]).exit_code == 2
