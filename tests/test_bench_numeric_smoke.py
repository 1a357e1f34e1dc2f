"""Smoke test of benchmarks/bench_numeric.py on a tiny case (no torch needed, ~1 s)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_numeric.py"


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch):
    spec = importlib.util.spec_from_file_location("bench_numeric", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_numeric", module)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "CASES", {"tiny": (3, 4, 5, 16)})
    return module


def test_ptheorem_worker_and_rendering(bench) -> None:
    fig = bench.worker_ptheorem(quick=True)["tiny"]
    assert 0 < fig["nasym"] <= 4
    assert len(fig["seconds"]) == 2
    case = bench.compare_case(fig, None)
    text = "\n".join(bench.case_lines("tiny", case))
    assert "ptheorem" in text and "NAsym" in text


def test_agreement_and_ratio(bench) -> None:
    p = {"median_s": 1.0, "nasym": 0.5}
    t = {"jacrev": {"median_s": 2.0, "nasym": 0.5 * (1 + 1e-14)}, "max_rel_diff_J": 1e-15}
    case = bench.compare_case(p, t)
    assert case["ratio_vs_jacrev"] == pytest.approx(0.5)
    assert case["agree"]
    t["jacrev"]["nasym"] = 0.6
    assert not bench.compare_case(p, t)["agree"]
