"""Step-by-step explanations of the paper's argument for one small network.

The builders here are pure: they run the symbolic check (and, for step 11,
audit tiny witness networks with :func:`ptheorem.audit.run_audit`) and return
frozen data — an :class:`Explanation` made
of :class:`Step` objects whose blocks hold the tool's own sympy expressions and
path pairs.  Rendering lives in :mod:`ptheorem.output.text.explain` and
:mod:`ptheorem.output.text.export`.
"""

from __future__ import annotations

from ptheorem.explain.build import STEP_KEYS, build_explanation, explain_result
from ptheorem.explain.model import (
    Block,
    CompareRow,
    Comparison,
    Explanation,
    Formula,
    FrozenFactor,
    FrozenTable,
    Math,
    Note,
    PathPair,
    PathSum,
    Prose,
    Scene,
    SoftRow,
    SoftTable,
    Step,
    Table,
    Tour,
    Witnesses,
    WitnessResult,
)
from ptheorem.explain.run import MAX_DEPTH, MAX_DIM, MAX_PATHS, check_size, run_symbolic

__all__ = [
    "MAX_DEPTH",
    "MAX_DIM",
    "MAX_PATHS",
    "STEP_KEYS",
    "Block",
    "CompareRow",
    "Comparison",
    "Explanation",
    "Formula",
    "FrozenFactor",
    "FrozenTable",
    "Math",
    "Note",
    "PathPair",
    "PathSum",
    "Prose",
    "Scene",
    "SoftRow",
    "SoftTable",
    "Step",
    "Table",
    "Tour",
    "WitnessResult",
    "Witnesses",
    "build_explanation",
    "check_size",
    "explain_result",
    "run_symbolic",
]
