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


def expr_text(e: Any, limit: int = EXPR_LIMIT) -> str:
    """A sympy object (or text) in the paper's notation, cut to ``limit`` characters.

    Every human text that shows a sympy expression prints it here, with one
    printer (:func:`paper_str`).
    """
    import sympy as sp

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
    return _cut(paper_str(e), limit)


_SUB_T = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP_T = str.maketrans("0123456789()-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁻")
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
_INDEX_NAMES |= {"k_L": "k_L", "k_new": "k_{L+1}", "j_": "j′", "m'": "m′", "tau": "τ"}
_INDEX_NAMES |= {"_tau": "τ"}


def _base_text(name: str) -> str:
    """θ⁽ᵏ⁾ for ``theta{k}``, σ′⁽ᵏ⁾ for ``s{k}``, b⁽ᵏ⁾ for ``b{k}``; other names as they are."""
    if name in _INDEXED_BASES:
        return _INDEXED_BASES[name]
    for prefix, shown in (("theta", "θ"), ("s", "σ′"), ("b", "b")):
        rest = name[len(prefix) :]
        if name.startswith(prefix) and rest.isdigit():
            return shown + f"({rest})".translate(_SUP_T)
    return name


def symbol_text(name: str) -> str:
    """A symbol's name in the paper's notation: θ⁽⁰⁾₁₂, σ′₂₁, x₁, u₁, h⁽¹⁾₂, τ, k₁.

    >>> [symbol_text(n) for n in ("theta0_1_2", "dsigma2_1", "u1", "h1_2", "tau", "k1")]
    ['θ⁽⁰⁾₁₂', 'σ′₂₁', 'u₁', 'h⁽¹⁾₂', 'τ', 'k₁']
    """
    from ptheorem.symbolic.naming import pretty

    if name in _INDEX_NAMES:
        return _INDEX_NAMES[name]
    if m := re.fullmatch(r"h(\d+)_(\d+)", name):
        return "h" + f"({m[1]})".translate(_SUP_T) + m[2].translate(_SUB_T)
    if m := re.fullmatch(r"([uackx])(\d+)", name):
        return m[1] + m[2].translate(_SUB_T)
    return pretty(name)


_PRINTER: Any = None


def paper_str(e: Any) -> str:
    """``e`` printed by the one text printer of the paper's notation.

    A ``StrPrinter`` (sympy's ``str``, lexicographic order, each shared subexpression
    printed once) whose symbols, products, powers, integrals, sums and σ′ read as
    in the paper.

    >>> import sympy as sp
    >>> u1, x1, t = sp.symbols("u1 x1 tau")
    >>> paper_str(sp.Integral(sp.Function("sigma")(t) ** 2, (t, 0, u1 * x1)))
    '∫₀^(u₁·x₁) σ(τ)² dτ'
    """
    global _PRINTER
    if _PRINTER is None:
        _PRINTER = _printer_class()
    return str(_PRINTER().doprint(e))


def _printer_class() -> Any:
    from ptheorem.symbolic.printing import LexPrinter

    class PaperPrinter(LexPrinter):
        """sympy's ``str`` in the paper's notation (Unicode)."""

        printmethod = "_ptheorem_str"  # not Indexed._sympystr: the _print_ methods decide

        def _print_Symbol(self, e: Any) -> str:
            return symbol_text(str(e))

        _print_Dummy = _print_Symbol

        def _print_Derivative(self, e: Any) -> str:
            variables = "".join(f"∂{self._print(v)}" for v in e.variables)
            return f"∂{self._print(e.expr)}/{variables}"

        def _print_Indexed(self, e: Any) -> str:
            indices = ", ".join(self._print(i) for i in e.indices)
            return f"{_base_text(str(e.base))}[{indices}]"

        def _print_Sum(self, e: Any) -> str:
            heads = "".join(
                f"Σ[{self._print(v)}=1..{self._print(hi)}]" for v, _lo, hi in reversed(e.limits)
            )
            return f"{heads} {self.parenthesize(e.function, 50)}"

        def _print_Integral(self, e: Any) -> str:
            if len(e.limits) != 1 or len(e.limits[0]) != 3:
                return str(super()._print_Integral(e))
            var, low, high = e.limits[0]
            low_text = self._print(low)
            start = low_text.translate(_SUB_T) if low_text.isdigit() else f"_({low_text})"
            body = self.parenthesize(e.function, 50)
            return f"∫{start}^({self._print(high)}) {body} d{self._print(var)}"

        def _print_Subs(self, e: Any) -> str:
            import sympy as sp

            expr, (point,) = e.expr, e.point
            if isinstance(expr, sp.Derivative) and len(expr.variables) == 1:
                return f"{self._print(expr.expr.func)}′({self._print(point)})"
            return str(super()._print_Subs(e))

        def _print_Function(self, e: Any) -> str:
            name = "σ" if e.func.__name__ == "sigma" else e.func.__name__
            return f"{name}({', '.join(self._print(a) for a in e.args)})"

        def _print_Mul(self, e: Any) -> str:
            return str(super()._print_Mul(e)).replace("*", "·")

        def _print_Pow(self, e: Any, rational: bool = False) -> str:
            import sympy as sp

            if isinstance(e.exp, sp.Integer) and e.exp > 1:
                return self.parenthesize(e.base, 60) + str(e.exp).translate(_SUP_T)
            return str(super()._print_Pow(e, rational)).replace("**", "^")

        def _print_FunctionClass(self, e: Any) -> str:
            return "σ" if e.__name__ == "sigma" else str(e.__name__)

    return PaperPrinter


def indexed_text(e: Any) -> str:
    """An expression with indexed weights and symbolic sums in the paper's notation.

    >>> import sympy as sp
    >>> m, j, k1 = sp.symbols("m j k1", integer=True, positive=True)
    >>> t0, t1, s1 = sp.IndexedBase("theta0"), sp.IndexedBase("theta1"), sp.IndexedBase("s1")
    >>> indexed_text(sp.Sum(t1[2, m] * s1[m] * t0[m, j], (m, 1, k1)))
    'Σ[m=1..k₁] (σ′⁽¹⁾[m]·θ⁽⁰⁾[m, j]·θ⁽¹⁾[2, m])'
    """
    return paper_str(e)


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
