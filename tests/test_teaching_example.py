"""``examples/teaching.py`` runs end to end and leaves its notes behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "teaching.py"


@pytest.mark.slow
def test_teaching_example_runs(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(EXAMPLE), str(tmp_path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "two-hidden.md",
        "two-hidden.svg",
        "two-hidden.tex",
    ]
    assert "Demo 6/6" in proc.stdout
    assert "verdict: refuted" in proc.stdout
