"""``--help`` stays fast: importing the CLI or asking for help loads no sympy or numpy."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("sympy", "numpy", "mpmath")


def _loaded_after(code: str) -> list[str]:
    """Run ``code`` in a fresh interpreter and return which heavy modules it imported."""
    probe = (
        f"{code}\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_importing_the_cli_loads_no_heavy_module() -> None:
    assert _loaded_after("import ptheorem.cli") == []


def test_importing_the_cli_loads_no_rich() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "import sys, ptheorem.cli; print('rich' in sys.modules)"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


@pytest.mark.parametrize("argv", [["--help"], ["check", "--help"], ["--version"]], ids=" ".join)
def test_help_and_version_load_no_heavy_module(argv: list[str]) -> None:
    code = (
        "import contextlib, io, sys\n"
        "from ptheorem.cli import app\n"
        f"sys.argv = ['ptheorem', *{argv!r}]\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        app()\n"
        "    except SystemExit as exc:\n"
        "        assert exc.code in (0, None), exc.code\n"
    )
    assert _loaded_after(code) == []
