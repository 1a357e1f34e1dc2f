"""What the instance route costs: a model of its running time, used as a budget, not a limit.

The instance derivation's work grows with the number of reduced equations
E = k₁·k_{L−1}·d(d−1)/2, each costing more the wider its sums (max(k₁, k_{L−1})
terms), with the backward paths of J − Jᵀ in the sufficiency step, and for L = 1
(whose unknowns form one d² system) with d⁴.  :func:`estimated_seconds` is a
least-squares fit (relative error) of those four terms to 26 measured
configurations on this project's 2-core machine, from L = 1, d = 100 (94 s) to
L = 10, d = 4 (0.15 s): every estimate was within 0.3× to 1.7× of its
measurement.  ``check`` uses it to decide whether the instance cross-check fits
the ``--timeout`` budget, and refuses to start an attempt that could not finish
within :data:`BUDGET_SLACK` times the
budget.  Every attempt still runs under the hard budget of
:func:`ptheorem.budget.run_with_budget`, so a wrong estimate costs time, never
a wrong answer.
"""

from __future__ import annotations

from ptheorem.model.errors import BudgetExceededError
from ptheorem.model.spec import NetworkSpec

#: Seconds per reduced equation (derive, solve and certify together).
SECONDS_PER_EQUATION = 1.5e-4
#: Seconds per reduced equation and term of its widest sum (max(k₁, k_{L−1})).
SECONDS_PER_EQUATION_TERM = 9e-6
#: Seconds per term of J − Jᵀ multiplied out in the sufficiency step (paths × d²).
SECONDS_PER_TERM = 7e-7
#: Seconds per d⁴ at L = 1 (a linear map: one system in the d² entries of W).
SECONDS_PER_LINEAR_D4 = 1.1e-6
#: The sufficiency step multiplies J − Jᵀ out only up to this many terms (then says so).
TERM_CAP = 200_000
#: Fixed cost: building the network, forking the budgeted worker.
BASE_SECONDS = 0.03
#: An attempt whose estimate exceeds this many budgets is refused before it starts (the
#: model is rough, within ~3x either way: only hopeless attempts are refused).
BUDGET_SLACK = 10.0


def equation_count(spec: NetworkSpec) -> int:
    """Number of distinct reduced equations the derivation produces for ``spec``."""
    pairs = spec.dim * (spec.dim - 1) // 2
    if spec.depth == 1:
        return pairs
    if spec.depth == 2:
        return spec.widths[0] * pairs
    return spec.widths[0] * spec.widths[-1] * pairs


def estimated_seconds(spec: NetworkSpec) -> float:
    """The instance route's expected running time for ``spec`` on a 2-core machine.

    >>> round(estimated_seconds(NetworkSpec(3, 4, (4, 4))), 2)
    0.05
    >>> round(estimated_seconds(NetworkSpec(1, 100, ())))
    115
    >>> estimated_seconds(NetworkSpec(3, 1000, (4096, 4096))) > 1e6
    True
    """
    equations = equation_count(spec)
    widest = max(spec.widths[0], spec.widths[-1]) if spec.widths else spec.dim
    terms = min(spec.path_count * spec.dim * spec.dim, TERM_CAP)
    linear = spec.dim**4 if spec.depth == 1 else 0
    return (
        BASE_SECONDS
        + SECONDS_PER_EQUATION * equations
        + SECONDS_PER_EQUATION_TERM * equations * widest
        + SECONDS_PER_TERM * terms
        + SECONDS_PER_LINEAR_D4 * linear
    )


#: Beyond this many seconds no --timeout is worth suggesting (30 days).
HOPELESS_SECONDS = 30 * 86400.0


def check_budget(spec: NetworkSpec, seconds: float) -> None:
    """Raise :class:`BudgetExceededError` if the instance route cannot fit ``seconds``."""
    need = estimated_seconds(spec)
    if need > BUDGET_SLACK * seconds:
        head = (
            f"the instance derivation needs about {_duration(need)} for "
            f"{_count(equation_count(spec))} reduced equations, more than the --timeout budget of "
            f"{seconds:g} s"
        )
        if need > HOPELESS_SECONDS:
            raise BudgetExceededError(
                f"{head}; no budget makes that practical: the general proof (--method auto or "
                "general) answers every size"
            )
        raise BudgetExceededError(f"{head}; give --timeout {int(need) + 1} or more to attempt it")


def _count(n: int) -> str:
    """A count in digits, or in powers of ten when it is astronomical.

    >>> _count(9504), _count(9223231299366420480)
    ('9504', '9.2e+18')
    """
    return str(n) if n < 10**9 else f"{n:.2g}"


def _duration(seconds: float) -> str:
    """A rough duration in words.

    >>> _duration(12.3), _duration(4000), _duration(3e7)
    ('12 s', '1.1 h', '347 days')
    """
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.0f} min"
    return f"{seconds / 86400:.0f} days"
