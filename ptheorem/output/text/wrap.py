"""Indented text that stays indented when it wraps, and tuples that never split.

rich wraps a ``Text`` at the console width and starts every wrapped line at
column 0, so an indent made of leading spaces is lost on the second line.
:class:`Indented` wraps the text itself, inside the indent (and a hanging
indent after a step number such as ``12. ``), breaking only between words and
never inside a tuple like ``(1, 2, 2)``; each line is drawn in a
``rich.padding.Padding`` so even a word longer than the line keeps the indent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

#: A word, with any tuple such as (1, 2, 2) or (n, m) and index list [m, j′] in it: never split.
_WORD = re.compile(r"(?:[^\s\[]*?(?:\[[^\[\]\n]*\]|\((?:[^\s(),]{1,6}, )+[^\s(),]{1,6}\)))+\S*|\S+")
#: A numbered step: continuation lines hang under its text.
_NUMBERED = re.compile(r"\d+\. ")


def break_offsets(plain: str, width: int, then: int | None = None) -> list[int]:
    """Where to break ``plain`` (one line) into lines of at most ``width`` cells (``then``
    after the first, for a hanging indent).

    Breaks fall at the start of a word; a word (or tuple) longer than ``width``
    stays whole on its own line.

    >>> text = "group (1, 2, 2) is tied"
    >>> cuts = break_offsets(text, 12)
    >>> [text[a:b].strip() for a, b in zip([0, *cuts], [*cuts, None])]
    ['group', '(1, 2, 2) is', 'tied']
    """
    from rich.cells import cell_len

    offsets: list[int] = []
    start, room = 0, width
    for m in _WORD.finditer(plain):
        if m.start() > start and cell_len(plain[start : m.end()]) > room:
            offsets.append(m.start())
            start, room = m.start(), width if then is None else then
    return offsets


class Indented:
    """``text`` drawn ``indent`` cells in; wrapped lines keep the indent (plus ``hang``)."""

    def __init__(self, text: Any, indent: int, hang: int = 0) -> None:
        self.text, self.indent, self.hang = text, indent, hang

    def __rich_console__(self, console: Any, options: Any) -> Iterator[Any]:
        from rich.padding import Padding

        for line in self.text.split("\n", allow_blank=True):
            width = max(options.max_width - self.indent, 8)
            cuts = break_offsets(line.plain, width, max(width - self.hang, 8))
            first, *rest = line.divide(cuts) or [line]
            yield Padding(first.rstrip() or first, (0, 0, 0, self.indent))
            for more in rest:
                more.rstrip()
                cut = len(more.plain) - len(more.plain.lstrip())
                yield Padding(more[cut:], (0, 0, 0, self.indent + self.hang))


def keep_indents(items: Iterable[Any]) -> list[Any]:
    """``items`` with every ``Text`` that starts with spaces drawn as :class:`Indented`."""
    from rich.text import Text

    out: list[Any] = []
    for item in items:
        if isinstance(item, Text) and item.plain.startswith(" ") and item.plain.strip():
            lead = len(item.plain) - len(item.plain.lstrip(" "))
            body = item[lead:]
            step = _NUMBERED.match(body.plain)
            out.append(Indented(body, lead, len(step[0]) if step else 0))
        else:
            out.append(item)
    return out
