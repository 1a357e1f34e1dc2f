"""The optimiser behind ``ptheorem search`` and ``soft``: minimise NAsym over the weights (numpy).

:func:`run_search` minimises NAsym over weights with non-parallel unit input
weights, a floor and cap on the middle weights and a unit read-out (solved
exactly), and certifies what it finds; :func:`run_soft` does so for a range
of minimum angles and fits how the minimum scales with the angle.
"""

from __future__ import annotations

from ptheorem.counterexamples.search.core import (
    CANDIDATE_ROOT,
    DEFAULT_DENSE_MIN,
    DEFAULT_MAX_WEIGHT,
    DEFAULT_MIN_ANGLE,
    DEFAULT_RESTARTS,
    NONE_ROOT,
    Candidate,
    RestartRecord,
    SearchConfig,
    SearchResult,
    run_search,
)
from ptheorem.counterexamples.search.lastlayer import (
    LastLayerSolution,
    quadratic_forms,
    solve_last_layer,
)
from ptheorem.counterexamples.search.model import Problem, min_line_angle, repair_rows
from ptheorem.counterexamples.soft import (
    DEFAULT_ANGLES,
    DEFAULT_SOFT_RESTARTS,
    ScalingFit,
    SoftReport,
    SoftRow,
    fit_scaling,
    parse_angles,
    run_soft,
)

__all__ = [
    "CANDIDATE_ROOT",
    "DEFAULT_ANGLES",
    "DEFAULT_DENSE_MIN",
    "DEFAULT_MAX_WEIGHT",
    "DEFAULT_MIN_ANGLE",
    "DEFAULT_RESTARTS",
    "DEFAULT_SOFT_RESTARTS",
    "NONE_ROOT",
    "Candidate",
    "LastLayerSolution",
    "Problem",
    "RestartRecord",
    "ScalingFit",
    "SearchConfig",
    "SearchResult",
    "SoftReport",
    "SoftRow",
    "fit_scaling",
    "min_line_angle",
    "parse_angles",
    "quadratic_forms",
    "repair_rows",
    "run_search",
    "run_soft",
    "solve_last_layer",
]
