"""Connected components of the bipartite graph that links first-layer units m to last units n.

Both the symbolic rank argument (pairs with a constraint group) and the audit
(pairs joined by a path of nonzero weights) split the units this way.

>>> bipartite_components([(1, 1), (2, 2), (2, 3)])
[((1,), (1,)), ((2, 3), (2,))]
>>> bipartite_components([(1, 1)], firsts=[1, 2])
[((1,), (1,)), ((2,), ())]
"""

from __future__ import annotations

from collections.abc import Iterable

Units = tuple[int, ...]


def bipartite_components(
    links: Iterable[tuple[int, int]],
    firsts: Iterable[int] = (),
    lasts: Iterable[int] = (),
) -> list[tuple[Units, Units]]:
    """(first units, last units) of each component, by union-find, sorted by first unit.

    ``links`` are (n, m) pairs; ``firsts`` and ``lasts`` add units that may have no link.
    """
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(a: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for m in firsts:
        find(("m", m))
    for n in lasts:
        find(("n", n))
    for n, m in links:
        ra, rb = find(("n", n)), find(("m", m))
        if ra != rb:
            parent[ra] = rb
    groups: dict[tuple[str, int], tuple[list[int], list[int]]] = {}
    for node in list(parent):
        first, last = groups.setdefault(find(node), ([], []))
        (first if node[0] == "m" else last).append(node[1])
    comps = [(tuple(sorted(f)), tuple(sorted(la))) for f, la in groups.values()]
    return sorted(comps, key=lambda c: (c[0][:1] or (-1,), c[1]))
