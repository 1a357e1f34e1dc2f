"""Which units and paths carry signal: nonzero supports, reachability, components, live paths.

Hidden units are numbered 0-based inside their layer here (numpy indices):
first-layer unit ``m`` is row ``m`` of W₀, last-hidden unit ``n`` is column
``n`` of W_{L−1}; the report shifts them to the paper's 1-based numbers.  A
*connecting path* from m to n runs through one unit per hidden layer with every
middle weight on it nonzero (for L = 2 the first and last hidden layers are the
same, and m reaches only n = m).  A *live path* is a connecting path whose
first unit has a nonzero input row and whose last unit has a nonzero output
column; a unit is live when some live path passes through it as first or last
unit.  Dead units (zero input row, zero output column, or no live path) take no
part in the parallel test or the components.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ptheorem.numeric.network import ConcreteNetwork
from ptheorem.tolerances import is_zero

Path = tuple[int, ...]


@dataclass(frozen=True)
class Component:
    """One connected component of the bipartite graph first-layer ↔ last-hidden units."""

    first: tuple[int, ...]
    last: tuple[int, ...]


@dataclass(frozen=True, eq=False)
class Connectivity:
    """Supports and reachability of a net (all boolean, exact zeros).

    ``reach[n, m]`` is true when a connecting path links first-layer unit m to
    last-hidden unit n; ``input_nonzero[m]`` / ``output_nonzero[n]`` say whether
    W₀'s row m / W_{L−1}'s column n is nonzero; ``live_paths`` counts the live
    paths (an int, exact below 2⁵³, its leading digits beyond).
    """

    reach: np.ndarray
    input_nonzero: np.ndarray
    output_nonzero: np.ndarray
    live_first: tuple[int, ...]
    live_last: tuple[int, ...]
    components: tuple[Component, ...]
    live_paths: int
    supports: tuple[np.ndarray, ...]

    @property
    def disconnected_pairs(self) -> tuple[tuple[int, int], ...]:
        """Pairs (n, m) with a nonzero output column n and input row m but no connecting path."""
        return self.disconnected(None)[1]

    def disconnected(self, limit: int | None) -> tuple[int, tuple[tuple[int, int], ...]]:
        """How many disconnected pairs there are, and the first ``limit`` of them (all: None)."""
        bad = ~self.reach & self.output_nonzero[:, None] & self.input_nonzero[None, :]
        count = int(np.count_nonzero(bad))
        where = np.argwhere(bad) if limit is None else np.argwhere(bad)[:limit]
        return count, tuple((int(n), int(m)) for n, m in where)

    def connected_live_pairs(self) -> np.ndarray:
        """Boolean (n_last, n_first): live n and live m joined by a connecting path."""
        return self.reach & self.output_nonzero[:, None] & self.input_nonzero[None, :]


#: Bytes of gathered bitset rows above which a layer is propagated by a BLAS product.
SPARSE_WORK_BYTES = 1 << 26
#: Path counts are rescaled by 2^-RESCALE_BITS once they exceed 2^RESCALE_BITS.
RESCALE_BITS = 512
_TINY = np.nextafter(0.0, 1.0)


def _next_patterns(s: np.ndarray, patterns: np.ndarray) -> np.ndarray:
    """Boolean ``s @ patterns``: row v is the OR of the rows u with ``s[v, u]``."""
    rows, cols = np.nonzero(s)
    width = patterns.shape[1]
    if rows.size * ((width + 7) // 8) <= SPARSE_WORK_BYTES:
        out = np.zeros((s.shape[0], (width + 7) // 8), dtype=np.uint8)
        if rows.size:
            packed = np.packbits(patterns, axis=1)[cols]
            starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
            out[rows[starts]] = np.bitwise_or.reduceat(packed, starts, axis=0)
        return np.unpackbits(out, axis=1, count=width).astype(bool)
    return (s.astype(np.float32) @ patterns.astype(np.float32)) > 0


def reachability(supports: tuple[np.ndarray, ...], n_first: int) -> np.ndarray:
    """Boolean (n_last, n_first): which last-hidden units each first-layer unit reaches."""
    if not supports:
        return np.eye(n_first, dtype=bool)
    reach = supports[0].copy()
    for s in supports[1:]:
        patterns, inverse = np.unique(reach, axis=1, return_inverse=True)
        reach = _next_patterns(s, patterns)[:, np.asarray(inverse).reshape(-1)]
    return reach


def connectivity(net: ConcreteNetwork) -> Connectivity:
    """Compute the :class:`Connectivity` of ``net`` (depth ≥ 2) from its exact zeros."""
    w0, w_last = net.weights[0], net.weights[-1]
    input_nonzero = np.any(~is_zero(w0), axis=1)
    output_nonzero = np.any(~is_zero(w_last), axis=0)
    supports = tuple(~is_zero(w) for w in net.weights[1:-1])  # S_k, shape (n_{k+1}, n_k)
    reach = reachability(supports, net.widths[0])
    pairs = reach & output_nonzero[:, None] & input_nonzero[None, :]
    live_first = tuple(int(m) for m in np.flatnonzero(pairs.any(axis=0)))
    live_last = tuple(int(n) for n in np.flatnonzero(pairs.any(axis=1)))
    return Connectivity(
        reach=reach,
        input_nonzero=input_nonzero,
        output_nonzero=output_nonzero,
        live_first=live_first,
        live_last=live_last,
        components=_components(pairs, live_first, live_last),
        live_paths=_count(supports, output_nonzero, input_nonzero),
        supports=supports,
    )


def _count(supports: tuple[np.ndarray, ...], ends: np.ndarray, starts: np.ndarray) -> int:
    """The number of live paths, as an int (exact below 2⁵³)."""
    c = ends.astype(np.float64)
    exponent = 0
    for s in reversed(supports):
        c = s.T.astype(np.float64) @ c
        top = float(c.max(initial=0.0))
        if top > 2.0**RESCALE_BITS:
            c *= 2.0**-RESCALE_BITS
            exponent += RESCALE_BITS
    total = float(c @ starts.astype(np.float64))
    return int(total) << exponent if exponent else int(round(total))


def _rescaled(c: np.ndarray, positive: np.ndarray) -> np.ndarray:
    """``c`` scaled down by a power of two if it grew large; reachable entries stay > 0."""
    if float(c.max(initial=0.0)) > 2.0**RESCALE_BITS:
        c = c * 2.0**-RESCALE_BITS
        c[positive & (c == 0.0)] = _TINY
    return c


def _components(
    pairs: np.ndarray, live_first: tuple[int, ...], live_last: tuple[int, ...]
) -> tuple[Component, ...]:
    """Connected components of the live pairs, ordered as ``model.links.bipartite_components``.

    Label propagation over the edge list, vectorised: every unit takes the smallest
    label among its neighbours, labels are shortcut (a label's own label), until
    nothing changes (two rounds for a dense net; a Python union-find over its 4M
    links took 5 s at widths 2048).  Every live unit has a link.
    """
    if not live_first:
        return ()
    n_last, n_first = pairs.shape
    by_last = np.nonzero(pairs)  # edges sorted by last unit n
    m_of_n = by_last[1]
    starts_n = np.flatnonzero(np.r_[True, by_last[0][1:] != by_last[0][:-1]])
    rows_n = by_last[0][starts_n]
    by_first = np.nonzero(pairs.T)  # the same edges sorted by first unit m
    n_of_m = by_first[1]
    starts_m = np.flatnonzero(np.r_[True, by_first[0][1:] != by_first[0][:-1]])
    rows_m = by_first[0][starts_m]
    label_m = np.arange(n_first)
    label_n = np.zeros(n_last, dtype=label_m.dtype)
    while True:
        label_n[rows_n] = np.minimum.reduceat(label_m[m_of_n], starts_n)
        new = label_m.copy()
        new[rows_m] = np.minimum.reduceat(label_n[n_of_m], starts_m)
        while not np.array_equal(new[new], new):  # labels are first units: shortcut them
            new = new[new]
        if np.array_equal(new, label_m):
            break
        label_m = new
    firsts = np.asarray(live_first)
    lasts = np.asarray(live_last)
    comps = []
    for root in np.unique(label_m[firsts]):
        first = tuple(int(m) for m in firsts[label_m[firsts] == root])
        last = tuple(int(n) for n in lasts[label_n[lasts] == root])
        comps.append(Component(first, last))
    return tuple(sorted(comps, key=lambda c: (c.first[:1], c.last)))


def completions(supports: tuple[np.ndarray, ...], output_nonzero: np.ndarray) -> list[np.ndarray]:
    """c[k][u]: number of connecting paths from unit u of hidden layer k+1 to a nonzero output.

    Floats (exact below 2⁵³; beyond, each layer may be scaled by a power of two, and
    an entry is > 0 exactly when such a path exists); ``c[0]`` is for the first hidden
    layer.
    """
    c = [output_nonzero.astype(np.float64)]
    alive = output_nonzero.astype(bool)
    for s in reversed(supports):
        alive = _next_patterns(s.T, alive[:, None])[:, 0]
        c.insert(0, _rescaled(s.T.astype(np.float64) @ c[0], alive))
    return c


def prefixes(conn: Connectivity) -> list[np.ndarray]:
    """p[k][u]: number of connecting paths from a nonzero input row to unit u of hidden layer k+1.

    Floats (exact below 2⁵³, scaled as :func:`completions`); ``p[0]`` is the first hidden
    layer (1 for a nonzero row).
    """
    p = [conn.input_nonzero.astype(np.float64)]
    alive = conn.input_nonzero.astype(bool)
    for s in conn.supports:
        alive = _next_patterns(s, alive[:, None])[:, 0]
        p.append(_rescaled(s.astype(np.float64) @ p[-1], alive))
    return p


def live_units(conn: Connectivity) -> list[np.ndarray]:
    """Boolean masks, one per hidden layer: units some live path passes through."""
    before = prefixes(conn)
    after = completions(conn.supports, conn.output_nonzero)
    return [(p > 0) & (c > 0) for p, c in zip(before, after, strict=True)]


def path_is_live(net: ConcreteNetwork, path: Path) -> bool:
    """Whether a backward path (n, …, m) is live: every weight along it nonzero, ends nonzero."""
    hidden = net.depth - 1
    m, n = path[-1], path[0]
    if not np.any(net.weights[0][m] != 0.0) or not np.any(net.weights[-1][:, n] != 0.0):
        return False
    for k in range(1, hidden):  # W_k maps hidden layer k to k + 1
        if net.weights[k][path[hidden - 1 - k], path[hidden - k]] == 0.0:
            return False
    return True


def live_paths(
    net: ConcreteNetwork,
    conn: Connectivity,
    limit: int,
    rng: np.random.Generator,
    required: tuple[Path, ...] = (),
) -> tuple[list[Path], bool]:
    """Up to ``limit`` distinct live paths in backward order (n, …, m), and whether sampled.

    All live paths when there are at most ``limit``; otherwise the ``required``
    paths first (up to ``limit``), then paths drawn uniformly among live ones
    (each unit chosen with probability proportional to its number of live
    completions), repeats discarded.
    """
    counts = completions(conn.supports, conn.output_nonzero)
    start = counts[0] * conn.input_nonzero
    if conn.live_paths <= limit:
        return sorted(tuple(reversed(p)) for p in _enumerate(conn, start, counts)), False
    chosen: set[Path] = set(required[:limit])
    attempts = 0
    p0 = start / start.sum()
    while len(chosen) < limit and attempts < 50 * limit:
        attempts += 1
        unit = int(rng.choice(len(p0), p=p0))
        path = [unit]
        for k, s in enumerate(conn.supports):
            w = s[:, unit] * counts[k + 1]
            unit = int(rng.choice(len(w), p=w / w.sum()))
            path.append(unit)
        chosen.add(tuple(reversed(path)))
    return sorted(chosen), True


def _enumerate(conn: Connectivity, start: np.ndarray, counts: list[np.ndarray]) -> list[list[int]]:
    """Every live path, forward (m, …, n), extending only towards units with live completions."""
    paths: list[list[int]] = [[int(m)] for m in np.flatnonzero(start > 0)]
    for k, s in enumerate(conn.supports):
        ok = counts[k + 1] > 0
        paths = [[*p, int(v)] for p in paths for v in np.flatnonzero(s[:, p[-1]] & ok)]
    return paths
