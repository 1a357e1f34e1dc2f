"""Small work runs in this process, budgeted work in a killable worker (start-up, issue 12).

:func:`ptheorem.budget.run_estimated` decides from the cost model's estimate;
these tests see which process did the work (its pid), that a run past the
budget is still reported as a budget that ran out, and that ``check``'s
cross-check gives the same answer on either side of the decision.
"""

from __future__ import annotations

import os
import time

import pytest

import ptheorem.budget
from ptheorem.budget import IN_PROCESS_SECONDS, IN_PROCESS_SHARE, in_process, run_estimated
from ptheorem.model.errors import BudgetExceededError
from ptheorem.model.spec import NetworkSpec
from ptheorem.run.check import Method, run_check


def _pid() -> int:
    return os.getpid()


def _slow(seconds: float) -> str:
    time.sleep(seconds)
    return "done"


@pytest.mark.parametrize(
    ("estimate", "seconds", "here"),
    [
        (0.05, 60, True),  # check -L 3 -d 4 under the default budget
        (IN_PROCESS_SECONDS, 60, True),
        (IN_PROCESS_SECONDS * 1.01, 600, False),  # too long to run unkillable, whatever the budget
        (0.05, 0.5, True),
        (0.05, 0.49, False),  # more than a tenth of a tight budget
        (0.0, 1e-9, True),
    ],
)
def test_in_process_only_when_small_in_itself_and_against_the_budget(
    estimate: float, seconds: float, here: bool
) -> None:
    assert IN_PROCESS_SHARE == 0.1
    assert in_process(estimate, seconds) is here


def test_small_work_runs_here_and_large_work_in_a_worker() -> None:
    assert run_estimated(_pid, (), 60, 0.01) == os.getpid()
    assert run_estimated(_pid, (), 60, IN_PROCESS_SECONDS * 2) != os.getpid()
    # small in itself, but not against a tight budget: the worker keeps the budget
    assert run_estimated(_pid, (), 0.5, 0.1) != os.getpid()


def test_in_process_work_past_the_budget_is_a_budget_that_ran_out() -> None:
    assert run_estimated(_slow, (0.0,), 1.0, 1e-4) == "done"
    with pytest.raises(BudgetExceededError, match="budget of 0.01 s ran out"):
        run_estimated(_slow, (0.05,), 0.01, 1e-4)


def _cross(spec: NetworkSpec) -> tuple[bool, bool | None, str]:
    cross = run_check(spec, Method.auto).details.cross_check
    return cross.ran, cross.agrees, cross.detail


def test_the_cross_check_is_the_same_in_this_process_and_in_a_worker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = NetworkSpec(3, 3, (2, 3))
    calls: list[str] = []
    real = ptheorem.budget.run_with_budget

    def spy(*args: object, **kwargs: object) -> object:
        calls.append("worker")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ptheorem.budget, "run_with_budget", spy)
    here = _cross(spec)
    assert calls == [] and here[0] and here[1] is True
    monkeypatch.setattr(ptheorem.budget, "IN_PROCESS_SECONDS", 0.0)
    there = _cross(spec)
    assert calls == ["worker"]
    assert there == here


def test_the_collector_runs_less_often_while_a_command_runs_and_is_restored_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc

    from typer.testing import CliRunner

    import ptheorem.run.check
    from ptheorem.cli import app
    from ptheorem.cli.main import GC_THRESHOLD

    seen: list[tuple[int, int, int]] = []
    real = ptheorem.run.check.run_check

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.get_threshold())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ptheorem.run.check, "run_check", spy)
    before = gc.get_threshold()
    result = CliRunner().invoke(app, ["check", "-L", "2", "-d", "2", "-q"], env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.stdout
    assert seen and seen[0][0] == max(before[0], GC_THRESHOLD) and seen[0][1:] == before[1:]
    assert gc.get_threshold() == before
