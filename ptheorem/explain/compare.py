"""Two depths side by side at the qualitative steps (``explain --compare 2,3``)."""

from __future__ import annotations

from ptheorem.explain.model import CompareRow, Comparison, Explanation

#: (step key, row title) of the rows a comparison shows.
COMPARED = (
    ("network", "network"),
    ("constraint", "constraint"),
    ("tying", "S"),
    ("rank", "input weights"),
    ("verdict", "verdict"),
)


def compare(left: Explanation, right: Explanation) -> Comparison:
    """The rows of :data:`COMPARED` for two explanations."""
    rows = tuple(
        CompareRow(title, left.step(key).summary, right.step(key).summary)
        for key, title in COMPARED
    )
    return Comparison(left, right, rows)
