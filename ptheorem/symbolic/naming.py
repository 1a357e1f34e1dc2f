"""Symbol names that make the paper's indices visible.

Names are ASCII and stable (they appear in JSON and golden files); the
renderers turn them into the paper's notation with :func:`pretty`.
All indices are 1-based, as in the paper.

>>> weight_name(0, 1, 2)
'theta0_1_2'
>>> pretty("theta0_1_2*dsigma1_1")
'θ⁽⁰⁾₁₂·σ′₁₁'
"""

from __future__ import annotations

import re
from collections.abc import Callable

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")


def weight_name(layer: int, out: int, inp: int) -> str:
    """Weight θ⁽ᵏ⁾ from unit ``inp`` of layer ``k`` to unit ``out`` of layer ``k+1``."""
    return f"theta{layer}_{out}_{inp}"


def bias_name(layer: int, out: int) -> str:
    """Bias of weight layer ``k`` at its output unit ``out``."""
    return f"b{layer}_{out}"


def frozen_name(hidden: int, unit: int) -> str:
    """The frozen σ′ factor at hidden layer ``hidden`` (1-based), unit ``unit``."""
    return f"dsigma{hidden}_{unit}"


def input_name(j: int) -> str:
    """Input coordinate xⱼ."""
    return f"x{j}"


def tying_name(*units: int) -> str:
    """The weight-tying entry Sₘ (L = 2) or Sₙₘ (L ≥ 3)."""
    return "S_" + "_".join(map(str, units))


def _sub(*indices: str) -> str:
    if all(len(i) == 1 for i in indices):
        return "".join(indices).translate(_SUB)
    return ",".join(indices).translate(_SUB)


_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(r"\btheta(\d+)_(\d+)_(\d+)\b"),
        lambda m: "θ" + f"({m[1]})".translate(_SUP) + _sub(m[2], m[3]),
    ),
    (re.compile(r"\bdsigma(\d+)_(\d+)\b"), lambda m: "σ′" + _sub(m[1], m[2])),
    (re.compile(r"\bb(\d+)_(\d+)\b"), lambda m: "b" + f"({m[1]})".translate(_SUP) + _sub(m[2])),
    (re.compile(r"\bS_(\d+)_(\d+)\b"), lambda m: "S" + _sub(m[1], m[2])),
    (re.compile(r"\bS_(\d+)\b"), lambda m: "S" + _sub(m[1])),
    (re.compile(r"\bx(\d+)\b"), lambda m: "x" + _sub(m[1])),
    (re.compile(r"\bsigma\b"), lambda m: "σ"),
    (re.compile(r"\*\*(\d+)\b"), lambda m: m[1].translate(_SUP)),
    (re.compile(r"\*"), lambda m: "·"),
)


def pretty(text: str) -> str:
    """Rewrite a sympy ``str`` expression in the paper's notation (Unicode)."""
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    return text


def latex_names(symbols: object) -> dict[object, str]:
    """Map sympy symbols to LaTeX names (for ``sympy.latex(..., symbol_names=...)``)."""
    out: dict[object, str] = {}
    for sym in symbols:  # type: ignore[attr-defined]
        name = str(sym)
        if m := re.fullmatch(r"theta(\d+)_(\d+)_(\d+)", name):
            out[sym] = rf"\theta^{{({m[1]})}}_{{{m[2]},{m[3]}}}"
        elif m := re.fullmatch(r"dsigma(\d+)_(\d+)", name):
            out[sym] = rf"\sigma'_{{{m[1]},{m[2]}}}"
        elif m := re.fullmatch(r"b(\d+)_(\d+)", name):
            out[sym] = rf"b^{{({m[1]})}}_{{{m[2]}}}"
        elif m := re.fullmatch(r"S_(\d+(?:_\d+)?)", name):
            out[sym] = rf"S_{{{m[1].replace('_', ',')}}}"
    return out
