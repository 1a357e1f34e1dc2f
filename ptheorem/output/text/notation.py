"""The paper's notation as text, or its ASCII spelling, for every text renderer.

``ascii=True`` gives output without any non-ASCII character: Greek letters are
spelled out (θ → theta, σ → sigma), ′ becomes ', sub- and superscripts become
``_`` and ``^( )``, and every box is rich's ``box.ASCII``.
"""

from __future__ import annotations

import re
from typing import Any

#: Longest expression shown before it is cut with "…".
EXPR_LIMIT = 400


_SUPERS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁻ᴸᵏ"
_SUPER_PLAIN = "0123456789()-Lk"
_SUBS = "₀₁₂₃₄₅₆₇₈₉ₘₙᵢⱼₒᵤₖ,"
_SUB_PLAIN = "0123456789mnijouk,"
_WORDS = {
    "θ": "theta",
    "σ": "sigma",
    "ψ": "psi",
    "φ": "phi",
    "ϕ": "phi",
    "τ": "tau",
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "ε": "epsilon",
    "ζ": "zeta",
    "η": "eta",
    "κ": "kappa",
    "λ": "lambda",
    "μ": "mu",
    "ν": "nu",
    "ξ": "xi",
    "π": "pi",
    "ρ": "rho",
    "Σ": "sum",
    "∂": "d",
    "∇": "grad",
    "√": "sqrt",
    "∫": "int",
}
_SYMBOLS = {
    "′": "'",
    "·": "*",
    "−": "-",
    "×": "x",
    "≡": "==",
    "⇒": "=>",
    "→": "->",
    "←": "<-",
    "≤": "<=",
    "≥": ">=",
    "≠": "!=",
    "≈": "~",
    "∈": " in ",
    "⟨": "<",
    "⟩": ">",
    "…": "...",
    "✓": "ok",
    "✗": "FAILED",
    "•": "*",
    "°": " deg",
    "—": "--",
    "–": "-",
    "‖": "||",
    "●": "*",
    "○": "o",
    "▸": ">",
    "─": "-",
    "│": "|",
    "╮": "+",
    "╯": "+",
    "╰": "+",
    "╭": "+",
    "ᵀ": "^T",
}
_GREEK_SPACE = re.compile(r"([θσψφϕταβγδεζηκλμνξπρ∂∇])(?=[A-Za-zθσψφϕταβγδεζηκλμνξπρ])")


def to_ascii(text: str) -> str:
    """The ASCII spelling of a text in the paper's notation.

    >>> to_ascii("∂₂ψ₁ = θ⁽¹⁾₁₁·σ′₁₁")
    "d_2 psi_1 = theta^(1)_11*sigma'_11"
    """
    text = _GREEK_SPACE.sub(r"\1 ", text)
    out: list[str] = []
    k = 0
    while k < len(text):
        ch = text[k]
        if ch in _SUPERS:
            run = ""
            while k < len(text) and text[k] in _SUPERS:
                run += _SUPER_PLAIN[_SUPERS.index(text[k])]
                k += 1
            out.append("^" + run)
            continue
        if ch in _SUBS and ch != ",":
            run = ""
            while k < len(text) and text[k] in _SUBS:
                if text[k] == "," and (k + 1 >= len(text) or text[k + 1] not in _SUBS):
                    break
                run += _SUB_PLAIN[_SUBS.index(text[k])]
                k += 1
            out.append("_" + run)
            if k < len(text) and (text[k].isalpha() or text[k] in _WORDS):
                out.append(" ")
            continue
        if ch in _WORDS:
            out.append(_WORDS[ch])
        elif ch in _SYMBOLS:
            out.append(_SYMBOLS[ch])
        elif ord(ch) < 128:
            out.append(ch)
        else:
            out.append("?")
        k += 1
    return "".join(out)


_PLACEHOLDER = re.compile(r"\bh(\d+)_(\d+)\b")
_PARAMS = re.compile(r"\b([uac])(\d+)\b")
_SUB_T = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP_T = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")


def expr_text(e: Any, limit: int = EXPR_LIMIT) -> str:
    """A sympy object (or text) in the paper's notation, cut to ``limit`` characters."""
    import sympy as sp

    from ptheorem.symbolic.naming import pretty
    from ptheorem.symbolic.printing import lex_str

    if isinstance(e, str):
        return e
    if isinstance(e, sp.MatrixBase):
        rows = [[expr_text(x, limit) for x in row] for row in e.tolist()]
        if e.shape[0] == 1:
            text = "[" + ", ".join(rows[0]) + "]"
        else:
            text = "[" + ", ".join("[" + ", ".join(r) + "]" for r in rows) + "]"
        return _cut(text, limit)
    if isinstance(e, sp.MatMul):
        return _cut(" ".join(expr_text(a, limit) for a in e.args), limit)
    text = pretty(lex_str(e))
    text = _PLACEHOLDER.sub(
        lambda m: "h" + f"({m[1]})".translate(_SUP_T) + m[2].translate(_SUB_T), text
    )
    text = _PARAMS.sub(lambda m: m[1] + m[2].translate(_SUB_T), text)
    text = text.replace("_tau", "τ")
    return _cut(text, limit)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Style:
    """Text conversion and boxes for one rendering (Unicode or ASCII)."""

    def __init__(self, ascii: bool) -> None:
        from rich import box

        self.ascii = ascii
        self.box = box.ASCII if ascii else box.ROUNDED
        self.table_box = box.ASCII if ascii else box.SIMPLE_HEAD

    def t(self, text: str) -> str:
        return to_ascii(text) if self.ascii else text

    def x(self, e: Any) -> str:
        return self.t(expr_text(e))


def root_text(root: float, degenerate: bool, tol: float) -> str:
    """A witness's √NAsym: ``= 0 (J ≡ 0 …)``, ``≤ tol`` at round-off, else 3 digits."""
    if degenerate:
        return "= 0 (J ≡ 0 at every point)"
    if root <= tol:
        return f"≤ {tol:g}"
    return f"= {root:.3g}"


def angle_text(angle: float | None) -> str:
    """The largest angle between a witness's input rows, in words."""
    return "one nonzero input row" if angle is None else f"input rows {angle:.1f}° apart"
