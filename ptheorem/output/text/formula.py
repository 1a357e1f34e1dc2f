"""Text of the network formula and expressions in the paper's notation."""

from __future__ import annotations

from typing import Any

from ptheorem.model.spec import NetworkSpec

_SUP = str.maketrans("0123456789()-L", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁻ᴸ")
HIDDEN_INDICES = "mαβγδεζηκλμνξπρτ"


def layer_sup(k: int) -> str:
    """θ superscript ⁽ᵏ⁾."""
    return f"({k})".translate(_SUP)


def network_formula(spec: NetworkSpec) -> str:
    """ψᵢ(x) for this depth, with the paper's indices (first hidden m, last n)."""
    bias = spec.bias
    if spec.depth == 1:
        return "ψᵢ(x) = Σⱼ θ⁽⁰⁾ᵢⱼ xⱼ" + (" + bᵢ" if bias else "")
    names = _indices(spec.depth - 1)
    inner = "⟨θ⁽⁰⁾" + _sub(names[0]) + ", x⟩" + (" + b" if bias else "")
    text = f"σ({inner})"
    for k in range(1, spec.depth - 1):
        text = f"σ(Σ θ{layer_sup(k)}{_sub(names[k])}{_sub(names[k - 1])} {text}" + (
            " + b)" if bias else ")"
        )
    last = names[-1]
    out = f"ψᵢ(x) = Σ θ{layer_sup(spec.depth - 1)}ᵢ{_sub(last)} {text}"
    return out + (" + bᵢ" if bias else "")


def _indices(hidden: int) -> list[str]:
    """Names of the hidden indices: m, α, β, …, n (numbered once the Greek letters run out).

    >>> _indices(3), len(_indices(40))
    (['m', 'α', 'n'], 40)
    """
    if hidden == 1:
        return ["m"]
    greek = "αβγδεζηκλμνξπρτ"
    middle = [greek[k] if k < len(greek) else f"k{k + 1}" for k in range(hidden - 2)]
    return ["m", *middle, "n"]


_SUBS = {"m": "ₘ", "n": "ₙ", "i": "ᵢ", "j": "ⱼ"}


def _sub(name: str) -> str:
    return _SUBS.get(name, name)


def show(e: Any, limit: int = 160) -> str:
    """An expression in the paper's notation, cut to ``limit`` characters (one printer for all)."""
    from ptheorem.output.text.notation import expr_text

    return expr_text(e, limit)


def path_label(path: tuple[int, ...]) -> str:
    """(i, n, …, m, j) as text."""
    return "(" + ", ".join(map(str, path)) + ")"


def network_expr(spec: NetworkSpec) -> tuple[Any, Any]:
    """ψᵢ(x) for this spec as sympy objects (lhs, rhs): nested ``Sum`` of indexed weights.

    Built unevaluated, in the paper's order (print with ``order="none"``); the
    indices are those of :func:`network_formula` and each sum runs over its layer.

    >>> from ptheorem.output.text.texmath import latex_of
    >>> lhs, rhs = network_expr(NetworkSpec(2, 2, (3,)))
    >>> print(latex_of(rhs, order="none")[:42])
    \\sum_{m=1}^{3} {\\theta^{(1)}}_{i,m} \\sigma
    """
    import sympy as sp

    def mul(*args: Any) -> Any:
        return sp.Mul(*args, evaluate=False)

    def add(*args: Any) -> Any:
        return sp.Add(*args, evaluate=False)

    sigma = sp.Function("sigma")
    i, j = sp.symbols("i j", integer=True, positive=True)
    x = sp.IndexedBase("x")
    names = [sp.Symbol(name, integer=True, positive=True) for name in _index_words(spec.depth - 1)]
    units = [j, *names, i]  # input, hidden layers 1 … L-1, output
    sizes = [spec.dim, *spec.widths, spec.dim]
    inner: Any = None
    for k in range(spec.depth):
        theta = sp.IndexedBase(f"theta{k}")
        term = mul(theta[units[k + 1], units[k]], x[j] if k == 0 else sigma(inner))
        total = sp.Sum(term, (units[k], 1, sizes[k]))
        inner = add(total, sp.IndexedBase(f"b{k}")[units[k + 1]]) if spec.bias else total
    return sp.IndexedBase("psi")[i], inner


_WORDS = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta"}
_WORDS |= {"η": "eta", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi"}
_WORDS |= {"π": "pi", "ρ": "rho", "τ": "tau"}


def _index_words(hidden: int) -> list[str]:
    """The hidden indices of :func:`_indices` as sympy symbol names, first hidden layer first."""
    if hidden == 0:
        return []
    return [_WORDS.get(name, name) for name in _indices(hidden)]
