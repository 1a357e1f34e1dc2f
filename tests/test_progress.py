"""The audit's stage display: on a terminal only, only after its delay, and gone when done."""

from __future__ import annotations

import io
import time

from ptheorem.output.text import progress as progress_module
from ptheorem.output.text.console import make_console


def _terminal(buffer: io.StringIO):  # type: ignore[no-untyped-def]
    def factory(no_color: bool = False, stderr: bool = False, **kw):  # type: ignore[no-untyped-def]
        return make_console(no_color, file=buffer, force_terminal=True, width=80)

    return factory


def test_off_a_terminal_there_is_no_display() -> None:
    with progress_module.stage_display(True) as report:  # pytest's stderr is not a terminal
        assert report is None


def test_a_slow_stage_shows_and_a_fast_run_stays_silent(monkeypatch) -> None:
    slow = io.StringIO()
    monkeypatch.setattr(progress_module, "make_console", _terminal(slow))
    with progress_module.stage_display(True, delay=0.0) as report:
        assert report is not None
        report("curl-free sample", 0, 0)
        time.sleep(0.3)
    assert "curl-free sample" in slow.getvalue()
    fast = io.StringIO()
    monkeypatch.setattr(progress_module, "make_console", _terminal(fast))
    with progress_module.stage_display(True, delay=30.0) as report:
        assert report is not None
        report("geometry", 0, 0)
    assert fast.getvalue() == ""


def test_the_audit_reports_its_stages() -> None:
    import numpy as np

    import ptheorem

    seen: list[str] = []
    weights = [np.eye(2), np.array([[0.5, 0.0], [0.0, 2.0]]), np.eye(2)]
    ptheorem.audit(weights, activation="tanh", points=16, progress=lambda s, d, t: seen.append(s))
    assert seen[0] == "connectivity" and "curl-free sample" in seen and "path functions" in seen


def test_the_matrix_free_sample_reports_its_points(monkeypatch) -> None:
    import numpy as np

    import ptheorem
    from ptheorem.audit import sampling

    monkeypatch.setattr(sampling, "FULL_JACOBIAN_BUDGET", 0.0)
    rng = np.random.default_rng(0)
    weights = [rng.standard_normal((16, 12)), rng.standard_normal((12, 16))]
    seen: list[tuple[str, int, int]] = []
    ptheorem.audit(weights, activation="tanh", points=40, progress=lambda *a: seen.append(a))
    assert ("curl-free sample", 40, 40) in seen
