"""Docs that run: every script in ``examples/`` is executed, and the CI workflow's commands too.

Python files run with this interpreter, shell scripts with bash, both from the
repository root with this interpreter's ``bin`` first on ``PATH`` (so
``ptheorem`` is the one under test).  Workflow files (``*.yml``) are read
without PyYAML: their ``run:`` steps are collected, the install step is
checked (a pinned git URL with placeholders, not the user's own repository), and
every other step is executed in a user's repository laid out as documented.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ptheorem.run.golden import file_stem
from ptheorem.run.grid import parse_grid

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PYTHON = sorted(EXAMPLES.rglob("*.py"))
SHELL = sorted(EXAMPLES.rglob("*.sh"))
WORKFLOWS = sorted([*EXAMPLES.rglob("*.yml"), *EXAMPLES.rglob("*.yaml")])
#: The grid examples/ci/golden was made with (also written in verify.sh).
CI_GRID = "depth=1..4,dim=2|3"
TIMEOUT = 120


def env() -> dict[str, str]:
    bindir = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PATH": bindir + os.pathsep + os.environ.get("PATH", ""),
        "NO_COLOR": "1",
        "COLUMNS": "120",
    }


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=ROOT, env=env(), capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", PYTHON, ids=rel)
def test_python_example_runs(path: Path) -> None:
    proc = run([sys.executable, str(path)])
    assert proc.returncode == 0, f"{rel(path)} failed:\n{proc.stdout}\n{proc.stderr}"


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
@pytest.mark.parametrize("path", SHELL, ids=rel)
def test_shell_example_runs(path: Path) -> None:
    proc = run(["bash", str(path)])
    assert proc.returncode == 0, f"{rel(path)} failed:\n{proc.stdout}\n{proc.stderr}"


def run_steps(text: str) -> list[str]:
    """The commands of a workflow's ``run:`` keys (one-line values and ``|`` blocks)."""
    steps: list[str] = []
    lines = text.splitlines()
    k = 0
    while k < len(lines):
        m = re.match(r"^(\s*)(?:-\s+)?run:\s*(.*)$", lines[k])
        k += 1
        if not m:
            continue
        value = m.group(2).strip()
        if value not in ("|", ">", "|-", ">-"):
            steps.append(value)
            continue
        indent = len(m.group(1))
        block: list[str] = []
        while k < len(lines) and (
            not lines[k].strip() or len(lines[k]) - len(lines[k].lstrip()) > indent
        ):
            block.append(lines[k].strip())
            k += 1
        steps.append("\n".join(b for b in block if b))
    return steps


def workflow_env(text: str) -> dict[str, str]:
    """``KEY: "value"`` pairs of the workflow's ``env:`` blocks."""
    found: dict[str, str] = {}
    for block in re.finditer(r"^(\s*)env:\s*\n((?:\1\s+\S.*\n)+)", text, re.M):
        for line in block.group(2).splitlines():
            m = re.match(r'^\s*([A-Z_][A-Z0-9_]*):\s*"?([^"#]*?)"?\s*(#.*)?$', line)
            if m:
                found[m.group(1)] = m.group(2)
    return found


def test_the_ci_example_exists() -> None:
    assert (EXAMPLES / "ci" / "ptheorem-verify.yml") in WORKFLOWS
    assert (EXAMPLES / "ci" / "verify.sh") in SHELL


#: The placeholder install of the workflows: ptheorem from its git repository, pinned.
PLACEHOLDER = "ptheorem @ git+https://github.com/OWNER/ptheorem@REF"


def user_repository(root: Path) -> Path:
    """A user's repository laid out as the workflows' comments say: ``ci/verify.sh``,
    ``ci/golden/`` and a checkpoint ``model.safetensors`` (no ptheorem sources in it)."""
    (root / "ci").mkdir(parents=True)
    shutil.copy(EXAMPLES / "ci" / "verify.sh", root / "ci" / "verify.sh")
    shutil.copytree(EXAMPLES / "ci" / "golden", root / "ci" / "golden")
    shutil.copy(ROOT / "tests" / "data" / "parallel_tanh.safetensors", root / "model.safetensors")
    return root


@pytest.mark.parametrize("path", WORKFLOWS, ids=rel)
def test_workflow_installs_ptheorem_and_its_commands_run(path: Path, tmp_path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    steps = run_steps(text)
    installs = [s for s in steps if "pip install" in s]
    assert installs == ['python -m pip install "$PTHEOREM_SPEC"'], f"{rel(path)} install step"
    others = [s for s in steps if s not in installs]
    gates = ("verify", "ptheorem audit")  # the golden-file job, or the model gate
    assert any(g in s for s in others for g in gates), f"{rel(path)} never runs a ptheorem gate"
    variables = workflow_env(text)
    # Not "." (the user's own repository) and no release that does not exist: a git URL
    # whose placeholders the comments tell the user to replace.
    assert variables.get("PTHEOREM_SPEC") == PLACEHOLDER
    assert "REPLACE the placeholders OWNER" in text and "REF" in text
    assert "==" not in variables["PTHEOREM_SPEC"]
    # The other steps, in a repository laid out as documented, with this checkout installed.
    repo = user_repository(tmp_path / "user-repo")
    for step in others:
        proc = subprocess.run(
            ["bash", "-eo", "pipefail", "-c", step],
            cwd=repo,
            env={**env(), **variables, "RUNNER_TEMP": str(tmp_path)},
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        assert proc.returncode == 0, f"step {step!r} failed:\n{proc.stdout}\n{proc.stderr}"


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_verify_sh_runs_from_any_directory(tmp_path: Path) -> None:
    script = EXAMPLES / "ci" / "verify.sh"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # no argument: the golden set next to the script
    proc = subprocess.run(
        ["bash", str(script)], cwd=elsewhere, env=env(), capture_output=True, text=True,
        timeout=TIMEOUT, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "8 golden files: 8 match" in proc.stdout
    assert "golden " in proc.stdout and ": matches" in proc.stdout  # the check --expect step
    # a relative GOLDEN_DIR is taken from the caller's directory; a wrong one fails (2)
    shutil.copytree(EXAMPLES / "ci" / "golden", elsewhere / "mine")
    (elsewhere / "mine" / "L1_d2_w0_nobias.json").unlink()
    ok = subprocess.run(
        ["bash", str(script), "mine"], cwd=elsewhere, env=env(), capture_output=True,
        text=True, timeout=TIMEOUT, check=False,
    )  # fmt: skip
    assert ok.returncode == 0 and "7 golden files: 7 match" in ok.stdout, ok.stdout + ok.stderr
    bad = subprocess.run(
        ["bash", str(script), "missing"], cwd=elsewhere, env=env(), capture_output=True,
        text=True, timeout=TIMEOUT, check=False,
    )  # fmt: skip
    assert bad.returncode == 2 and "golden directory missing does not exist" in bad.stderr


def test_ci_golden_set_is_the_documented_grid() -> None:
    files = {p.name for p in (EXAMPLES / "ci" / "golden").glob("*.json")}
    assert files == {f"{file_stem(s)}.json" for s in parse_grid(CI_GRID).specs()}
    assert f"--grid '{CI_GRID}'" in (EXAMPLES / "ci" / "verify.sh").read_text(encoding="utf-8")


def test_run_steps_parser() -> None:
    text = "steps:\n  - run: echo one\n  - name: x\n    run: |\n      echo two\n      echo three\n"
    assert run_steps(text) == ["echo one", "echo two\necho three"]
