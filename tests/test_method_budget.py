"""`--method`, `--timeout` and Ctrl-C, end to end in real processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

#: A couple of seconds of sympy work by the instance route.
SLOW = ["-L", "16", "-d", "10", "--widths", "8"]
#: Several seconds of instance derivation (5.5 s here), which the cost model admits under a
#: 1 s budget (its estimate, 9 s, is within 10 budgets).
KILLED = ["-L", "3", "-d", "16", "--widths", "16"]


def _ptheorem(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "ptheorem", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def _without_timings(text: str) -> dict:
    data = json.loads(text)
    data.pop("timings", None)
    return data


def test_numeric_json_is_byte_identical_for_a_seed() -> None:
    args = ["check", "-L", "4", "-d", "3", "--method", "numeric", "--seed", "7", "--format", "json"]
    first, second = _ptheorem(*args), _ptheorem(*args)
    assert first.returncode == second.returncode == 5  # supported: numeric evidence only
    assert _without_timings(first.stdout) == _without_timings(second.stdout)
    other = _ptheorem(*args[:-4], "--seed", "8", "--format", "json")
    assert _without_timings(other.stdout)["numeric"] != _without_timings(first.stdout)["numeric"]


def test_symbolic_budget_is_honoured_and_exits_inconclusive() -> None:
    """The attempt starts (the cost model admits it) and is stopped when the budget runs out."""
    from ptheorem.model.spec import NetworkSpec
    from ptheorem.symbolic.cost import check_budget

    check_budget(NetworkSpec(3, 16, (16, 16)), 1.0)  # admitted: the kill path is what runs
    start = time.monotonic()
    result = _ptheorem("check", *KILLED, "--method", "instance", "--timeout", "1", "-f", "json")
    elapsed = time.monotonic() - start
    assert result.returncode == 3
    assert json.loads(result.stdout)["error"]["type"] == "BudgetExceededError"
    assert result.stderr.count("\n") == 1 and "budget of 1 s ran out" in result.stderr
    # interpreter start and imports included; the budget itself is kept within ~0.1 s
    assert elapsed < 1.0 + 3.0


def test_auto_keeps_the_general_proof_when_the_cross_check_is_out_of_budget() -> None:
    result = _ptheorem("check", *SLOW, "--timeout", "0.5", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["verdict"]["method"] == "general"
    cross = data["general"]["cross_check"]
    assert cross["ran"] is False and cross["agrees"] is None
    assert "budget" in cross["detail"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="POSIX signals")
def test_ctrl_c_exits_130_with_one_line() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "ptheorem", "check", *SLOW, "--method", "instance"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    time.sleep(1.2)  # imports done, sympy at work
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert err == "ptheorem: error: interrupted\n" and "Traceback" not in err


# --- every ✓ of the numeric table can come out ✗ -------------------------------------------


def test_numeric_checks_fail_on_broken_figures_and_the_verdict_is_then_inconclusive() -> None:
    """Feed the numeric table a symmetric 'random' net, an asymmetric family, a null space
    of the wrong size and a rank-deficient path matrix: every row turns ✗."""
    from dataclasses import replace

    from ptheorem.model.spec import NetworkSpec
    from ptheorem.model.status import Status
    from ptheorem.numeric.check import _checks, _verdict
    from ptheorem.numeric.metrics import AsymmetryReport
    from ptheorem.numeric.paths import PathRankReport

    spec = NetworkSpec(3, 2, (2, 2))
    flat = AsymmetryReport(1e-32, 1e-16, 1e-16, False, 64)
    skew = AsymmetryReport(0.25, 0.5, 0.5, False, 64)
    ranks = PathRankReport(3, 4, 4, False, 1e-18, 1e-10, 40, ())
    good_ranks = replace(ranks, rank=4)
    broken = _checks(spec, flat, skew, None, None, ranks, None)
    assert [c.passed for c in broken] == [False, False, False]
    verdict = _verdict(spec, broken, ranks, 0)
    assert verdict.status is Status.INCONCLUSIVE
    assert not next(h for h in verdict.hypotheses if h.id == "A1").holds
    fine = _checks(spec, skew, flat, None, None, good_ranks, None)
    assert [c.passed for c in fine] == [True, True, True]
    assert _verdict(spec, fine, good_ranks, 0).status is Status.SUPPORTED
