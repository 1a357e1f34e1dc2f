"""Math as LaTeX source, for the .tex and .md exports.

Two sources of math reach an export:

* sympy objects (the tool's own expressions): printed by ``sympy.latex`` with the
  paper's symbol names (:func:`latex_of`), and broken across lines at the ``+`` of
  a long sum (:func:`latex_lines`) so no equation runs off the page;
* the paper's notation inside prose (``θ⁽⁰⁾ₘ``, ``σ′₂₁``, ``R²``): split into text
  and math runs by :func:`split_math`, each character spelled from its Unicode
  name (Greek letters, sub- and superscripts) or a short table of operators.  A
  character with no spelling raises :class:`ValueError` rather than print ``?``.

One subscript convention everywhere: indices are separated by commas
(``\\sigma'_{2,1}``, ``\\theta^{(0)}_{1,2}``, ``S_{n,m}``), as ``sympy.latex`` prints
the weight symbols.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

#: Width of one display line, in the rough units of :func:`visible_width`
#: (the text width of an article at 10 pt, 345 pt, holds about 47: one unit is ~7 pt).
LINE_BUDGET = 44

# --- sympy objects ---------------------------------------------------------------------------


def latex_of(e: Any, order: str | None = None) -> str:
    """``sympy.latex`` with the paper's symbol names (θ⁽ᵏ⁾ₒᵢ, σ′ₖᵤ, …); text is converted.

    ``order="none"`` keeps the order an unevaluated expression was built in.

    >>> import sympy as sp
    >>> latex_of(sp.Symbol("theta0_1_2") * sp.Symbol("dsigma2_1"))
    "\\\\sigma'_{2,1} \\\\theta^{(0)}_{1,2}"
    """
    import sympy as sp

    if isinstance(e, str):
        return text_math(e)
    e = sp.sympify(e)
    settings: dict[str, Any] = {"symbol_names": symbol_names(e)}
    if order is not None:
        settings["order"] = order
    return str(_printer_class()(settings).doprint(e))


_PRINTER: Any = None


def _printer_class() -> Any:
    """A ``LatexPrinter`` that names indexed bases as the paper does (θ⁽ᵏ⁾, σ′⁽ᵏ⁾, b⁽ᵏ⁾)."""
    global _PRINTER
    if _PRINTER is None:
        from sympy.printing.latex import LatexPrinter

        class PaperLatexPrinter(LatexPrinter):
            def _print_IndexedBase(self, expr: Any) -> str:
                return base_name(str(expr.label)) or str(super()._print_IndexedBase(expr))

        _PRINTER = PaperLatexPrinter
    return _PRINTER


def base_name(name: str) -> str | None:
    """The LaTeX of an indexed base of the general proof: θ⁽ᵏ⁾, σ′⁽ᵏ⁾, b⁽ᵏ⁾; else None.

    >>> base_name("theta0"), base_name("s_L"), base_name("Q")
    ('\\\\theta^{(0)}', "\\\\sigma'^{(L-1)}", None)
    """
    special = {"theta_L": r"\theta^{(L-1)}", "theta_out": r"\theta^{(L)}"}
    special |= {"s_L": r"\sigma'^{(L-1)}", "s_new": r"\sigma'^{(L)}", "psi": r"\psi"}
    if name in special:
        return special[name]
    if m := re.fullmatch(r"(theta|s|b)(\d+)", name):
        head = {"theta": r"\theta", "s": r"\sigma'", "b": "b"}[m[1]]
        return f"{head}^{{({m[2]})}}"
    return None


def symbol_names(e: Any) -> dict[Any, str]:
    """:func:`ptheorem.symbolic.naming.latex_names`, plus placeholders and certificate symbols."""
    import sympy as sp

    from ptheorem.symbolic.naming import latex_names

    symbols = e.atoms(sp.Symbol)
    names = latex_names(symbols)
    for s in symbols:
        name = str(s)
        if m := re.fullmatch(r"h(\d+)_(\d+)", name):
            names[s] = rf"h^{{({m[1]})}}_{{{m[2]}}}"
        elif m := re.fullmatch(r"([xuac])(\d+)", name):
            names[s] = f"{m[1]}_{{{m[2]}}}"
        elif name == "tau":
            names[s] = r"\tau"
        elif name in ("j_", "m'"):
            names[s] = name[0] + "'"
        elif m := re.fullmatch(r"k(\d+)", name):
            names[s] = f"k_{{{m[1]}}}"
        elif name in ("psi_i", "J_ij", "A_ij", "x_j", "z_n"):
            head, tail = name.split("_")
            names[s] = {"psi": r"\psi"}.get(head, head) + f"_{{{','.join(tail)}}}"
    return names


def latex_lines(e: Any, budget: int = LINE_BUDGET, order: str | None = None) -> list[str]:
    """``e`` as LaTeX lines, each about ``budget`` wide, broken before a ``+`` or ``-``.

    A sum breaks between its terms; a term too long on its own breaks inside its
    widest bracket (``\\left( … \\right.`` / ``\\left. … \\right)`` so each line
    stays balanced).  Joined with ``\\\\`` the lines typeset in ``align*``.
    """
    chunks = _chunks(e, order)
    lines: list[list[str]] = [[]]
    width = 0.0
    for chunk in chunks:
        w = visible_width(chunk)
        if lines[-1] and width + w > budget and chunk.lstrip()[:1] in "+-":
            lines.append([])
            width = 0.0
        lines[-1].append(chunk)
        width += w
    return _balance(["".join(line).strip() for line in lines])


def _chunks(e: Any, order: str | None = None) -> list[str]:
    """Pieces of ``latex_of(e)`` whose concatenation is the whole, split before + and -."""
    import sympy as sp

    def tex(x: Any) -> str:
        return latex_of(x, order)

    if isinstance(e, str) or not isinstance(e, sp.Basic):
        return [latex_of(e)]
    if visible_width(tex(e)) <= LINE_BUDGET // 2:
        return [tex(e)]
    if isinstance(e, sp.Add):
        terms = e.args if order == "none" else _ordered_terms(e)
        out: list[str] = []
        for k, term in enumerate(terms):
            negative = term.could_extract_minus_sign()
            parts = _chunks(-term if negative else term, order)
            sign = "- " if negative else ("+ " if k else "")
            out += [f" {sign}{parts[0]}" if k else f"{sign}{parts[0]}", *parts[1:]]
        return out
    if isinstance(e, sp.Mul):
        factors = e.args if order == "none" else sp.Mul.make_args(e)
        wide = max(factors, key=lambda f: visible_width(tex(f)))
        if factors[-1] is not wide and order == "none":
            return [tex(e)]
        rest = sp.Mul(*(f for f in factors if f is not wide), evaluate=False)
        head = "" if rest == 1 else tex(rest) + " "
        inner = _chunks(wide, order)
        if len(inner) > 1 and isinstance(wide, sp.Add):
            inner = [r"\left(" + inner[0], *inner[1:-1], inner[-1] + r"\right)"]
        return [head + inner[0], *inner[1:]]
    if isinstance(e, sp.Sum) and len(e.limits) == 1:
        var, lo, hi = e.limits[0]
        inner = _chunks(e.function, order)
        head = rf"\sum_{{{tex(var)}={tex(lo)}}}^{{{tex(hi)}}} "
        if len(inner) > 1 and isinstance(e.function, sp.Add):
            inner = [r"\left(" + inner[0], *inner[1:-1], inner[-1] + r"\right)"]
        return [head + inner[0], *inner[1:]]
    if isinstance(e, sp.Function) and len(e.args) == 1:
        inner = _chunks(e.args[0], order)
        if len(inner) == 1:
            return [tex(e)]
        name = tex(e.func(sp.Symbol("x"))).split("{")[0]
        return [rf"{name}\left({inner[0]}", *inner[1:-1], inner[-1] + r"\right)"]
    if isinstance(e, sp.Integral) and len(e.limits) == 1 and len(e.limits[0]) == 3:
        var, lo, hi = e.limits[0]
        inner = _chunks(e.function, order)
        if len(inner) == 1:
            return [tex(e)]
        head = rf"\int\limits_{{{tex(lo)}}}^{{{tex(hi)}}} \left("
        return [head + inner[0], *inner[1:-1], inner[-1] + rf"\right)\, d{tex(var)}"]
    return [tex(e)]


def _ordered_terms(e: Any) -> tuple[Any, ...]:
    """The terms of a sum in the order ``sympy.latex`` prints them."""
    from sympy.printing.latex import LatexPrinter

    return tuple(LatexPrinter()._as_ordered_terms(e))


def _balance(lines: list[str]) -> list[str]:
    r"""Close each line's open ``\left`` with ``\right.`` and open the next with ``\left.``."""
    out, carry = [], 0
    for line in lines:
        opened = len(re.findall(r"\\left[(.\[|]", line)) - len(re.findall(r"\\right[).\]|]", line))
        text = r"\left." * carry + line + r"\right." * (carry + opened)
        carry += opened
        out.append(text)
    return out


def visible_width(tex: str) -> float:
    r"""A rough printed width of LaTeX math: a command counts 1, scripts count half.

    >>> visible_width(r"\theta^{(0)}_{1,2} x_{1}")
    5.5
    """
    text, prose = _strip_text(tex)
    text = re.sub(r"\\(left|right)[().\[\]|]?", "", text)
    text = re.sub(r"\\(begin|end)\{\w+\}|\\[,;! ]|\\\\", "", text)
    text = re.sub(r"\\frac\{", "_{", text)  # a fraction is about as wide as its parts, halved
    width, depth, k = prose, 0, 0
    script: list[int] = []
    while k < len(text):
        ch = text[k]
        if ch in "^_":
            script.append(depth)
            k += 1
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if script and script[-1] == depth:
                script.pop()
        elif ch == "\\":
            m = re.match(r"\\[A-Za-z]+", text[k:])
            step = len(m[0]) if m else 2
            width += 0.5 if script else 1.0
            k += step
            continue
        elif ch != " ":
            width += 0.5 if script else 1.0
            if script and depth == script[-1]:
                script.pop()  # a one-character script: x_1
        k += 1
    return width


def _strip_text(tex: str) -> tuple[str, float]:
    r"""``tex`` without its ``\text{…}`` parts, and their width (upright text is narrower)."""
    out, width, k = [], 0.0, 0
    while (start := tex.find("\\text{", k)) >= 0:
        out.append(tex[k:start])
        depth, end = 0, start + len("\\text")
        while end < len(tex):
            depth += {"{": 1, "}": -1}.get(tex[end], 0)
            end += 1
            if depth == 0:
                break
        width += 0.7 * len(re.sub(r"\\[A-Za-z]+|[{}$^_]", "", tex[start + 6 : end - 1]))
        k = end
    out.append(tex[k:])
    return "".join(out), width


# --- the paper's notation inside prose -------------------------------------------------------

_OPERATORS = {
    "′": "'",
    "″": "''",
    "·": r"\cdot",
    "−": "-",
    "±": r"\pm",
    "×": r"\times",
    "≡": r"\equiv",
    "≢": r"\not\equiv",
    "⇒": r"\Rightarrow",
    "⇔": r"\Leftrightarrow",
    "→": r"\to",
    "↔": r"\leftrightarrow",
    "↦": r"\mapsto",
    "≤": r"\le",
    "≥": r"\ge",
    "≲": r"\lesssim",
    "≠": r"\neq",
    "≈": r"\approx",
    "∈": r"\in",
    "⟨": r"\langle",
    "⟩": r"\rangle",
    "∫": r"\int",
    "∂": r"\partial",
    "∇": r"\nabla",
    "∞": r"\infty",
    "⊗": r"\otimes",
    "Σ": r"\sum",
    "Π": r"\prod",
    "⋯": r"\cdots",
    "°": r"^\circ",
    "√": r"\surd",
    "✓": r"\checkmark",
    "✗": r"\times",
    "‖": r"\|",
}
#: Non-ASCII characters of plain text, spelled for LaTeX (Markdown keeps them).
TEXT_CHARS = {
    "…": r"\dots{}",
    "—": "---",
    "–": "--",
    "•": r"\textbullet{}",
    "û": r"\^u",
    "§": r"\S{}",
}
_UPRIGHT_CAPITALS = {"GAMMA", "DELTA", "THETA", "LAMBDA", "XI", "PI", "SIGMA", "UPSILON"}
_UPRIGHT_CAPITALS |= {"PHI", "PSI", "OMEGA"}
_VARIANTS = {"EPSILON": r"\varepsilon", "PHI": r"\varphi"}
_DIGITS = "ZERO ONE TWO THREE FOUR FIVE SIX SEVEN EIGHT NINE".split()
_SCRIPT_SIGNS = {"LEFT PARENTHESIS": "(", "RIGHT PARENTHESIS": ")", "MINUS": "-", "PLUS SIGN": "+"}
#: Relations that take a number after them into the formula (``σ′ ≡ 1``).
_RELATIONS = (r"\equiv", r"\le", r"\ge", r"\neq", r"\approx", "=")
#: Bases whose subscript is a pair of indices (a run of digits is one digit per index).
_PAIR_BASES = (r"\sigma'", "S", "A", "J", "Q")


def script(ch: str) -> tuple[str, str] | None:
    """``("_", "1")`` for a subscript character, ``("^", "k")`` for a superscript, else None."""
    name = unicodedata.name(ch, "")
    for prefix, mark in (
        ("LATIN SUBSCRIPT SMALL LETTER ", "_"),
        ("SUBSCRIPT ", "_"),
        ("SUPERSCRIPT LATIN SMALL LETTER ", "^"),
        ("SUPERSCRIPT ", "^"),
        ("MODIFIER LETTER SMALL ", "^"),
        ("MODIFIER LETTER CAPITAL ", "^"),
    ):
        if name.startswith(prefix):
            rest = name[len(prefix) :]
            if rest in _DIGITS:
                return mark, str(_DIGITS.index(rest))
            if rest in _SCRIPT_SIGNS:
                return mark, _SCRIPT_SIGNS[rest]
            if len(rest) == 1:
                small = prefix.endswith(("SMALL LETTER ", "SMALL "))
                return mark, rest.lower() if small else rest
    return None


def greek(ch: str) -> str | None:
    """The LaTeX of a Greek letter (``θ`` → ``\\theta``), else None."""
    if ch in _OPERATORS:
        return None
    name = unicodedata.name(ch, "")
    m = re.fullmatch(r"GREEK (SMALL|CAPITAL) LETTER (\w+)|GREEK (\w+) SYMBOL", name)
    if not m:
        return None
    if m[3]:
        return "\\" + m[3].lower()
    if m[1] == "SMALL":
        return _VARIANTS.get(m[2], "\\" + m[2].lower())
    if m[2] in _UPRIGHT_CAPITALS:
        return "\\" + m[2].capitalize()
    return unicodedata.lookup(f"LATIN CAPITAL LETTER {m[2][0]}")


def is_math(ch: str) -> bool:
    """Whether ``ch`` belongs to the paper's notation (and so to a math run)."""
    return ch in _OPERATORS or greek(ch) is not None or script(ch) is not None


def split_math(text: str) -> list[tuple[bool, str]]:
    """``text`` as (is_math, piece) runs: math runs as LaTeX, text runs unchanged.

    A single letter before a script joins the math (``Sₙₘ`` → ``S_{n,m}``), ``R``
    before a superscript is the reals; runs separated only by spaces merge.

    >>> [piece for _, piece in split_math("ψ: R² → R² where Sₙₘ ≠ 0")]
    ['\\\\psi', ': ', '\\\\mathbb{R}^{2} \\\\to \\\\mathbb{R}^{2}', ' where ', 'S_{n,m} \\\\neq 0']
    """
    runs: list[tuple[bool, str]] = []
    k = 0
    while k < len(text):
        if text.startswith("√NAsym", k):
            runs.append((True, r"\sqrt{\mathrm{NAsym}}"))
            k += len("√NAsym")
            continue
        ch = text[k]
        if not is_math(ch):
            _add(runs, False, ch)
            k += 1
            continue
        if script(ch) and runs and not runs[-1][0] and _single_letter(runs[-1][1]):
            head, letter = runs[-1][1][:-1], runs[-1][1][-1]
            runs[-1] = (False, head)
            if not head:
                runs.pop()
            sup = script(ch)
            _add(runs, True, r"\mathbb{R}" if letter == "R" and sup and sup[0] == "^" else letter)
        token, k = _math_token(text, k, runs[-1][1] if runs and runs[-1][0] else "")
        _add(runs, True, token)
    return _merge_spaced(_number_operands(runs))


def _add(runs: list[tuple[bool, str]], math: bool, piece: str) -> None:
    if runs and runs[-1][0] == math:
        runs[-1] = (math, runs[-1][1] + piece)
    else:
        runs.append((math, piece))


def _single_letter(text: str) -> bool:
    return bool(re.search(r"(?:^|[^A-Za-z0-9])[A-Za-z]$", text))


def _math_token(text: str, k: int, before: str) -> tuple[str, int]:
    """The LaTeX of the math character(s) at ``text[k]``; returns (latex, next index)."""
    ch = text[k]
    found = script(ch)
    if found:
        mark = found[0]
        run: list[str] = []
        while k < len(text):
            s = script(text[k])
            if s and s[0] == mark:
                run.append(s[1])
                k += 1
            elif (
                text[k] == ","
                and k + 1 < len(text)
                and (script(text[k + 1]) or ("", ""))[0] == mark
            ):
                run.append(",")
                k += 1
            else:
                break
        body = "".join(run)
        pair = before.endswith(_PAIR_BASES) or _pair_base(before)
        if mark == "_" and "," not in body and len(body) > 1 and pair:
            body = ",".join(body)
        return f"{mark}{{{body}}}", k
    word = greek(ch) or _OPERATORS[ch]
    if ch in "′″" and re.search(r"\^\{[^{}]*\}(_\{[^{}]*\})?$", before):
        word = "{}" + word  # θ⁽⁰⁾ₘ′: a second superscript needs its own base
    nxt = text[k + 1] if k + 1 < len(text) else ""
    if word.startswith("\\") and word[-1].isalpha() and nxt.isascii() and nxt.isalpha():
        word += " "
    return word, k + 1


def _pair_base(before: str) -> bool:
    """Whether the math before a subscript is a weight θ⁽ᵏ⁾ (its superscript in between)."""
    return bool(re.search(r"\\theta\^\{\([^)]*\)\}$", before))


def _number_operands(runs: list[tuple[bool, str]]) -> list[tuple[bool, str]]:
    """Keep digits next to an operator in the math: ``0.5°``, ``2×2``."""
    out = list(runs)
    for k in range(1, len(out)):
        if out[k][0] and not out[k - 1][0] and out[k][1].startswith(("^\\circ", r"\times")):
            m = re.search(r"[0-9.]+$", out[k - 1][1])
            if m:
                out[k - 1] = (False, out[k - 1][1][: m.start()])
                out[k] = (True, m[0] + out[k][1])
        if out[k - 1][0] and not out[k][0] and out[k - 1][1].endswith(_RELATIONS):
            m = re.match(r" ?-?[0-9][0-9.e-]*(?![0-9A-Za-z])", out[k][1])
            if m:
                out[k - 1] = (True, out[k - 1][1] + m[0])
                out[k] = (False, out[k][1][m.end() :])
        elif out[k - 1][0] and not out[k][0] and out[k - 1][1].endswith(r"\times"):
            m = re.match(r"[0-9]+", out[k][1])
            if m:
                out[k - 1] = (True, out[k - 1][1] + m[0])
                out[k] = (False, out[k][1][m.end() :])
    return [r for r in out if r[1]]


def _merge_spaced(runs: list[tuple[bool, str]]) -> list[tuple[bool, str]]:
    """Merge math runs separated only by spaces (``R² → R²`` is one formula)."""
    out: list[tuple[bool, str]] = []
    for run in runs:
        if run[0] and len(out) >= 2 and out[-2][0] and not out[-1][0] and out[-1][1].strip() == "":
            space = out.pop()[1]
            out[-1] = (True, out[-1][1] + space + run[1])
        elif (
            run[0]
            and len(out) >= 2
            and out[-2][0]
            and not out[-1][0]
            and re.fullmatch(r" [=+<>0-9] ?", out[-1][1])
        ):
            middle = out.pop()[1]
            out[-1] = (True, out[-1][1] + middle + run[1])
        else:
            out.append(run)
    return out


def text_math(text: str) -> str:
    """A short piece in the paper's notation (``∂₂ψ₁``, ``A₁₂``) as LaTeX math source."""
    out = []
    for math, piece in split_math(text):
        if math:
            out.append(piece)
        else:
            out.append(
                r"\text{" + escape_text(piece) + "}"
                if re.search(r"[A-Za-z]{2}", piece)
                else escape_text(piece)
            )
    return "".join(out)


_ESCAPES = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def escape_text(text: str) -> str:
    """Plain text for LaTeX: specials escaped, the few non-ASCII text characters spelled.

    Raises :class:`ValueError` for a character with no spelling (never a silent ``?``).
    """
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch in TEXT_CHARS:
            out.append(TEXT_CHARS[ch])
        elif ch.isascii():
            out.append(ch)
        else:
            raise ValueError(f"no LaTeX spelling for {ch!r} (U+{ord(ch):04X}) in {text!r}")
    return "".join(out)


def latex_text(text: str) -> str:
    """Prose in the paper's notation as LaTeX text, its symbols in inline math.

    >>> latex_text("θ⁽⁰⁾ₘ is tied to Sₙₘ (50%)")
    '$\\\\theta^{(0)}_{m}$ is tied to $S_{n,m}$ (50\\\\%)'
    """
    return "".join(f"${piece}$" if math else escape_text(piece) for math, piece in split_math(text))


def path_sum_rows(b: Any) -> list[str]:
    """The rows of an aligned environment for a ``PathSum`` block: one backward path each.

    The LaTeX and Markdown exports wrap them in their own environment.
    """
    from ptheorem.explain.paths import ordered_factors, term_path

    rows = []
    for k, term in enumerate(b.terms):
        factors = " ".join(latex_of(f) for f in ordered_factors(term, b.depth))
        head = text_math(b.label) + " &= " if k == 0 else "&+ "
        tag = f" && \\text{{path {term_path(term, b.i, b.j)}}}" if b.depth > 1 else ""
        end = " \\\\" if k < len(b.terms) - 1 else ""
        rows.append(f"{head}{factors}{tag}{end}")
    return rows
