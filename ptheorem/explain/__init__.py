"""Step-by-step explanations of the paper's argument for one small network.

A view model only: the builders here receive computed results (a symbolic
check, witness audits, a soft report — run by :mod:`ptheorem.run.teaching`) and
return frozen data — an :class:`Explanation` made of :class:`Step` objects whose
blocks hold the tool's own sympy expressions and path pairs.  Rendering lives
in :mod:`ptheorem.output.text.explain` and :mod:`ptheorem.output.text.export`.
"""

from __future__ import annotations

from ptheorem.explain.build import STEP_KEYS, explain_result
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
    SoftTable,
    SoftTableRow,
    Step,
    Table,
    Tour,
    Witnesses,
    WitnessResult,
)

__all__ = [
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
    "SoftTableRow",
    "SoftTable",
    "Step",
    "Table",
    "Tour",
    "WitnessResult",
    "Witnesses",
    "explain_result",
]
