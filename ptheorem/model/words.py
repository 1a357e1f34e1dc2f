"""The words human text uses for the tool's internal names, and plurals.

Machine names (``path-functions-independent``, ``piecewise_linear``) stay in JSON
and golden files; every human text shows the words here instead.

>>> plural(1, "weight layer"), plural(3, "weight layer"), plural(2, "entry", "entries")
('1 weight layer', '3 weight layers', '2 entries')
>>> hypothesis_words("path-functions-independent")
'independent path functions'
"""

from __future__ import annotations

#: The hypotheses of the paper and of the audit, by machine name.
HYPOTHESIS_WORDS = {
    "path-functions-independent": "independent path functions",
    "middle-weights-nonzero": "nonzero middle weights",
    "input-rows-nonzero": "nonzero input rows",
    "sigma-prime-infinitely-many-values": "σ′ with infinitely many values",
    "psi-non-trivial": "non-trivial ψ",
}


def hypothesis_words(name: str) -> str:
    """The words for a hypothesis name (the name itself when it has none)."""
    return HYPOTHESIS_WORDS.get(name, name.replace("-", " ").replace("_", " "))


def kind_words(kind: str) -> str:
    """An enum value such as ``piecewise_linear`` or ``last_first`` in words.

    >>> kind_words("piecewise_linear"), kind_words("last_first")
    ('piecewise linear', 'one S per (last, first) hidden pair')
    """
    return {"last_first": "one S per (last, first) hidden pair"}.get(kind, kind.replace("_", " "))


def plural(n: int, word: str, many: str | None = None) -> str:
    """``n`` and ``word``, with the plural (``word + "s"`` unless given) when n ≠ 1."""
    return f"{n} {word if n == 1 else (many or word + 's')}"
