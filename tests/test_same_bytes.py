"""Same input, same bytes: JSON output (timings aside) does not depend on the process, the
hash seed or the number of BLAS threads.

ptheorem pins BLAS to one thread in its own processes (``ptheorem/cli/main.py``), so every
reduction is summed in one order: a numeric figure such as the S fit residual (a few
1e-12, pure round-off) used to differ in its last digits between 1 and 2 threads.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

#: Environments that used to change the bytes: BLAS threads and the hash seed.
ENVIRONMENTS = [
    {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "PYTHONHASHSEED": "0"},
    {"OPENBLAS_NUM_THREADS": "2", "OMP_NUM_THREADS": "2", "PYTHONHASHSEED": "12345"},
]


def _json(args: list[str], env: dict[str, str], cwd: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "ptheorem", *args, "--format", "json"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=cwd,
        timeout=300,
        check=False,
    )
    assert proc.returncode in (0, 1, 3, 5), proc.stderr
    return _without_timings(json.loads(proc.stdout))


def _without_timings(data: Any) -> Any:
    if isinstance(data, dict):
        return {
            k: _without_timings(v)
            for k, v in data.items()
            if k not in ("timings", "seconds", "wall_seconds")
        }
    if isinstance(data, list):
        return [_without_timings(v) for v in data]
    return data


@pytest.mark.parametrize(
    "args",
    [
        ["check", "-L", "8", "-d", "16", "--widths", "64", "--method", "numeric"],
        ["check", "-L", "3", "-d", "3", "--activation", "tanh"],
        ["sweep", "--grid", "depth=2..3,dim=2|3", "--jobs", "2", "--no-progress"],
    ],
    ids=["numeric", "symbolic+A1", "sweep"],
)
def test_json_is_identical_across_threads_and_hash_seeds(tmp_path: Path, args: list[str]) -> None:
    first, second = (_json(args, env, tmp_path) for env in ENVIRONMENTS)
    assert first == second


def test_audit_json_is_identical_across_threads_and_hash_seeds(tmp_path: Path) -> None:
    witness = tmp_path / "w.json"
    made = subprocess.run(
        [sys.executable, "-m", "ptheorem", "check", "-L", "3", "-d", "2", "--widths", "4",
         "--mask", "blocks:2", "-q", "--witness", str(witness)],
        capture_output=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    assert made.returncode == 1 and witness.is_file()  # refuted, witness written
    first, second = (_json(["audit", str(witness)], env, tmp_path) for env in ENVIRONMENTS)
    assert first == second
