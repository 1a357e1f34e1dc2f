"""``check``: choose the method (symbolic, numeric, auto), run it under its budget.

``auto`` runs the symbolic proof when the configuration is inside the symbolic
size limits and falls back to the numeric evidence otherwise, or when the
symbolic budget runs out; the result's notes say which was chosen and why.
"""

from __future__ import annotations

import dataclasses
from enum import StrEnum

from ptheorem.errors import BudgetExceededError, InputError, SizeLimitError
from ptheorem.result import CheckResult
from ptheorem.spec import GENERIC_ACTIVATION, NetworkSpec

DEFAULT_TIMEOUT = 60.0


class Method(StrEnum):
    """``--method`` values."""

    symbolic = "symbolic"
    numeric = "numeric"
    auto = "auto"


def run_check(
    spec: NetworkSpec,
    method: Method = Method.auto,
    timeout: float = DEFAULT_TIMEOUT,
    seed: int = 0,
    points: int | None = None,
    per_path_limit: int = 0,
) -> CheckResult:
    """Check ``spec`` with ``method``; raises on bad input or (symbolic) an exhausted budget."""
    if not timeout > 0:
        raise InputError(f"--timeout must be a positive number of seconds (got {timeout:g})")
    if method is Method.numeric:
        return _numeric(spec, seed, points, ())
    if spec.activation != GENERIC_ACTIVATION:
        if method is Method.symbolic:
            raise InputError("the symbolic check takes the generic σ; use --method numeric")
        note = f"auto: σ = {spec.activation} is checked numerically"
        return _numeric(spec, seed, points, (note,))
    from ptheorem.symbolic.limits import check_limits

    if method is Method.auto:
        try:
            check_limits(spec)
        except SizeLimitError as exc:
            return _numeric(spec, seed, points, (f"auto chose numeric: {exc}",))
    try:
        result = _symbolic(spec, timeout, per_path_limit)
    except BudgetExceededError as exc:
        if method is Method.symbolic:
            raise
        return _numeric(spec, seed, points, (f"{exc}; fell back to the numeric method",))
    if method is Method.auto:
        note = "auto chose symbolic: the configuration is within the symbolic size limits"
        return dataclasses.replace(result, notes=(*result.notes, note))
    return result


def _symbolic(spec: NetworkSpec, timeout: float, per_path_limit: int) -> CheckResult:
    import sympy  # noqa: F401 - imported before the fork so the child starts warm

    from ptheorem.budget import run_with_budget
    from ptheorem.symbolic.check import symbolic_check

    return run_with_budget(symbolic_check, (spec, per_path_limit), timeout)  # type: ignore[no-any-return]


def _numeric(
    spec: NetworkSpec, seed: int, points: int | None, notes: tuple[str, ...]
) -> CheckResult:
    from ptheorem.numeric.check import numeric_check

    result = numeric_check(spec, seed=seed, points=points)
    return dataclasses.replace(result, notes=(*result.notes, *notes))
