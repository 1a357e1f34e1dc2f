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
    if isinstance(e, sp.Basic) and e.has(sp.Indexed, sp.Sum, sp.Subs):
        return _cut(indexed_text(e), limit)
    text = pretty(lex_str(e))
    text = _PLACEHOLDER.sub(
        lambda m: "h" + f"({m[1]})".translate(_SUP_T) + m[2].translate(_SUB_T), text
    )
    text = _PARAMS.sub(lambda m: m[1] + m[2].translate(_SUB_T), text)
    text = text.replace("_tau", "τ")
    return _cut(text, limit)


_INDEXED_BASES = {
    "Q": "Q",
    "S": "S",
    "theta_L": "θ⁽ᴸ⁻¹⁾",
    "theta_out": "θ⁽ᴸ⁾",
    "s_L": "σ′⁽ᴸ⁻¹⁾",
    "s_new": "σ′⁽ᴸ⁾",
}
_INDEX_NAMES = {"nu": "ν", "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "mu": "μ"}
_INDEX_NAMES |= {"epsilon": "ε", "zeta": "ζ", "eta": "η", "kappa": "κ", "lambda_": "λ"}
_INDEX_NAMES |= {"psi_i": "ψᵢ", "J_ij": "Jᵢⱼ", "A_ij": "Aᵢⱼ", "x_j": "xⱼ", "z_n": "zₙ"}
_INDEX_NAMES |= {"k_L": "k_L", "k_new": "k_{L+1}", "j_": "j′", "m'": "m′"}


def _base_text(name: str) -> str:
    """θ⁽ᵏ⁾ for ``theta{k}``, σ′⁽ᵏ⁾ for ``s{k}``, b⁽ᵏ⁾ for ``b{k}``; other names as they are."""
    if name in _INDEXED_BASES:
        return _INDEXED_BASES[name]
    for prefix, shown in (("theta", "θ"), ("s", "σ′"), ("b", "b")):
        rest = name[len(prefix) :]
        if name.startswith(prefix) and rest.isdigit():
            return shown + f"({rest})".translate(_SUP_T)
    return name


def _printer() -> Any:
    from sympy.printing.str import StrPrinter

    class IndexedPrinter(StrPrinter):
        """sympy's ``str`` with indexed weights, sums and σ′ in the paper's notation."""

        printmethod = "_ptheorem_str"  # not Indexed._sympystr: the _print_ methods decide

        def _print_Derivative(self, e: Any) -> str:
            variables = "".join(f"∂{self._print(v)}" for v in e.variables)
            return f"∂{self._print(e.expr)}/{variables}"

        def _print_Indexed(self, e: Any) -> str:
            indices = ", ".join(self._print(i) for i in e.indices)
            return f"{_base_text(str(e.base))}[{indices}]"

        def _print_Symbol(self, e: Any) -> str:
            name = str(e)
            if name in _INDEX_NAMES:
                return _INDEX_NAMES[name]
            if name[0] == "k" and name[1:].isdigit():
                return "k" + name[1:].translate(_SUB_T)
            return name

        def _print_Sum(self, e: Any) -> str:
            heads = "".join(
                f"Σ[{self._print(v)}=1..{self._print(hi)}]" for v, _lo, hi in reversed(e.limits)
            )
            return f"{heads} {self.parenthesize(e.function, 50)}"

        def _print_Subs(self, e: Any) -> str:
            import sympy as sp

            expr, (point,) = e.expr, e.point
            if isinstance(expr, sp.Derivative) and len(expr.variables) == 1:
                return f"{self._print(expr.expr.func)}′({self._print(point)})"
            return super()._print_Subs(e)  # type: ignore[no-any-return]

        def _print_Function(self, e: Any) -> str:
            name = "σ" if e.func.__name__ == "sigma" else e.func.__name__
            return f"{name}({', '.join(self._print(a) for a in e.args)})"

        def _print_Mul(self, e: Any) -> str:
            return super()._print_Mul(e).replace("*", "·")  # type: ignore[no-any-return]

        def _print_FunctionClass(self, e: Any) -> str:
            return "σ" if e.__name__ == "sigma" else str(e.__name__)

    return IndexedPrinter({"order": "lex"})


def indexed_text(e: Any) -> str:
    """An expression with indexed weights and symbolic sums in the paper's notation.

    >>> import sympy as sp
    >>> m, j, k1 = sp.symbols("m j k1", integer=True, positive=True)
    >>> t0, t1, s1 = sp.IndexedBase("theta0"), sp.IndexedBase("theta1"), sp.IndexedBase("s1")
    >>> indexed_text(sp.Sum(t1[2, m] * s1[m] * t0[m, j], (m, 1, k1)))
    'Σ[m=1..k₁] (σ′⁽¹⁾[m]·θ⁽⁰⁾[m, j]·θ⁽¹⁾[2, m])'
    """
    return str(_printer().doprint(e))


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
