"""Exact answers to "is J − Jᵀ ≡ 0?" for the stored weights, without sympy and at any size.

Every float64 weight is a dyadic rational, so these arguments are proofs about
the network exactly as stored (no rounding to a nearby rational net):

* **L = 1** — J = W₀: symmetric exactly or not
  (:func:`ptheorem.validated.dyadic.exactly_symmetric`).
* **constant J** — no live path (J ≡ 0), or σ′ ≡ 1 so J = W_{L−1}⋯W₀, multiplied
  out in integers: symmetric exactly or not (small nets).
* **parallel pairs** — J(x) = Σ_paths cₙ rₘᵀ·(middle weights)·g(x), so if every
  output column cₙ is exactly parallel to every input row rₘ it reaches through
  nonzero middle weights, every term is symmetric: J ≡ Jᵀ for *every* σ.
* **slope polynomial** — J − Jᵀ = Σ_paths A_path·Π_k σ′_k with exact integer
  matrices A_path; write each σ′ as α + β·s over the slope symbols of
  :func:`ptheorem.audit.dependence.slope_forms` (identical units share a
  symbol; σ's declared identities relate sign pairs and scaled units), expand,
  and collect.  Every coefficient 0 proves J − Jᵀ ≡ 0 for this σ (for ReLU,
  away from the kinks where σ′ is undefined).  A nonzero coefficient proves
  nothing (the symbols are not independent functions in general).

>>> from ptheorem.counterexamples.library import block_diagonal, relu_linear_emulation
>>> exact_curl(block_diagonal()).method, exact_curl(relu_linear_emulation()).method
('parallel pairs', 'slope polynomial')
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ptheorem.activations import Identity
from ptheorem.audit.dependence import slope_forms
from ptheorem.audit.graph import Connectivity, connectivity, live_paths
from ptheorem.numeric.network import ConcreteNetwork
from ptheorem.validated.dyadic import (
    exact_product,
    first_asymmetry,
    integer_matrix,
    line_keys,
    same_lines,
)

#: The slope polynomial runs for at most this many live paths …
SLOPE_MAX_PATHS = 4096
#: … and input dimension.
SLOPE_MAX_DIM = 32
#: Multiply-adds of the integer product W_{L−1}⋯W₀ (σ′ ≡ 1) attempted at most.
PRODUCT_MAX_OPS = 2_000_000


@dataclass(frozen=True)
class ExactCurl:
    """An exact answer: ``holds`` is True (J − Jᵀ ≡ 0 proved) or False (J − Jᵀ ≢ 0 proved)."""

    holds: bool
    method: str
    detail: str


def exact_curl(net: ConcreteNetwork, conn: Connectivity | None = None) -> ExactCurl | None:
    """The first exact argument that decides ``net`` (see the module docstring), or None."""
    if net.depth == 1:
        return _constant(net.weights[0], "symmetric W0", "J = W0")
    conn = connectivity(net) if conn is None else conn
    if conn.live_paths == 0:
        return ExactCurl(
            True,
            "no live path",
            "exact: no path of nonzero weights joins a nonzero input row to a nonzero output "
            "column, so J ≡ 0",
        )
    if Identity.CONSTANT in net.activation.identities:
        sizes = (net.dim, *net.widths, net.dim)
        ops = net.dim * sum(sizes[k] * sizes[k + 1] for k in range(1, len(sizes) - 1))
        if ops <= PRODUCT_MAX_OPS:
            product = exact_product(list(net.weights))
            return _constant(product, "constant J", "σ′ ≡ 1, so J = W_{L−1}⋯W0")
    pairs = _parallel_pairs(net, conn)
    if pairs is not None:
        return pairs
    return _slope_polynomial(net, conn)


def _constant(matrix: np.ndarray, method: str, what: str) -> ExactCurl:
    bad = first_asymmetry(matrix)
    if bad is None:
        return ExactCurl(True, method, f"exact: {what} is symmetric entry by entry")
    i, j = bad
    return ExactCurl(
        False,
        method,
        f"exact: {what} is constant and its entries ({i + 1}, {j + 1}) and ({j + 1}, {i + 1}) "
        "differ",
    )


def _parallel_pairs(net: ConcreteNetwork, conn: Connectivity) -> ExactCurl | None:
    mask = conn.connected_live_pairs()
    cols = np.flatnonzero(mask.any(axis=1))
    rows = np.flatnonzero(mask.any(axis=0))
    same = same_lines(line_keys(net.weights[-1].T), cols, line_keys(net.weights[0]), rows)
    if np.any(mask[np.ix_(cols, rows)] & ~same):
        return None
    count = int(mask.sum())
    return ExactCurl(
        True,
        "parallel pairs",
        f"exact: each of the {count} connected (n, m) pairs has output column n exactly "
        "parallel to input row m, so every term of J is symmetric: J − Jᵀ ≡ 0 for every σ",
    )


def _slope_polynomial(net: ConcreteNetwork, conn: Connectivity) -> ExactCurl | None:
    if conn.live_paths > SLOPE_MAX_PATHS or net.dim > SLOPE_MAX_DIM:
        return None
    forms = slope_forms(net)
    paths, _ = live_paths(net, conn, SLOPE_MAX_PATHS, np.random.default_rng(0))
    ints = [integer_matrix(w)[0] for w in net.weights]
    hidden = net.depth - 1
    coeff: dict[tuple[tuple[int, ...], int, int], int] = {}
    used = False
    for path in paths:  # (n, …, m)
        n, m = path[0], path[-1]
        mid = 1
        for k in range(1, hidden):
            mid *= int(ints[k][path[hidden - 1 - k], path[hidden - k]])
        terms: list[tuple[tuple[int, ...], int]] = [((), mid)]
        for pos, unit in enumerate(path):
            form = forms[hidden - 1 - pos][unit]
            used = used or (form.alpha, form.beta) != (0, 1)
            nxt = []
            for mono, c in terms:
                if form.alpha:
                    nxt.append((mono, c * form.alpha))
                if form.beta:
                    nxt.append(((*mono, form.symbol), c * form.beta))
            terms = nxt
        for mono, c in terms:
            key = (tuple(sorted(mono)), int(n), int(m))
            coeff[key] = coeff.get(key, 0) + c
    by_mono: dict[tuple[int, ...], list[tuple[int, int, int]]] = {}
    for (mono, n, m), c in coeff.items():
        if c:
            by_mono.setdefault(mono, []).append((n, m, c))
    last, first = ints[-1], ints[0]
    d = net.dim
    for terms_nm in by_mono.values():
        for i in range(d):
            for j in range(i + 1, d):
                total = sum(
                    c * (last[i, n] * first[m, j] - last[j, n] * first[m, i])
                    for n, m, c in terms_nm
                )
                if total:
                    return None
    ids = sorted(i.formula for i in net.activation.identities) if used else []
    why = f" and σ's identities {'; '.join(ids)}" if ids else ""
    kink = " (away from ReLU's kinks)" if net.activation.name == "relu" and used else ""
    return ExactCurl(
        True,
        "slope polynomial",
        f"exact: J − Jᵀ, written over the {len(paths)} live paths as a polynomial in the units' "
        f"σ′ (identical units merged{why}), has every coefficient 0, so J − Jᵀ ≡ 0{kink}",
    )
