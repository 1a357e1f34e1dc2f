"""Prove the live path functions linearly independent: a P × P interval determinant ≠ 0.

If Σ_p c_p g_p ≡ 0 for the path functions g_1 … g_P, then G c = 0 for the
matrix G[r, p] = g_p(x_r) at any points x_1 … x_P; so det G ≠ 0 proves c = 0,
i.e. the functions are linearly independent.  The points are chosen from a
float64 sample by greedy row pivoting (the best-conditioned P rows), the
entries Π_k σ′(z_k(x_r)) are enclosed in ``arb`` balls at those exact points,
columns are scaled by powers of two (exact), and the determinant's ball must
exclude 0.  A failure proves nothing (the float choice of points may just be
poor, or σ′ is undefined at a ReLU kink).

>>> from ptheorem.counterexamples.library import random_net
>>> from ptheorem.numeric import all_paths
>>> net = random_net()
>>> X = np.random.default_rng(0).standard_normal((80, 3))
>>> cert, why = prove_independent(net, all_paths(net), X)
>>> cert is not None and cert.paths == 16
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ptheorem.numeric.network import ConcreteNetwork
from ptheorem.numeric.paths import Path, path_function_matrix
from ptheorem.tolerances import PIVOT_FLOOR
from ptheorem.validated.arbnet import ArbNetwork, precision, unsupported

#: Largest number of path functions whose independence is proved (det is O(P³) in arb).
MAX_PATHS = 256
#: Working precisions tried in turn (bits).
PRECISIONS = (128, 320)


@dataclass(frozen=True)
class IndependenceCertificate:
    """det[g_p(x_r)] ≠ 0 over ``paths`` path functions at as many chosen sample points."""

    paths: int
    points: int
    determinant: str
    precision: int

    @property
    def text(self) -> str:
        """One line saying what was proved and how."""
        return (
            f"det of the {self.paths} × {self.paths} path-function matrix at {self.points} "
            f"chosen points = {self.determinant} ≠ 0 (arb ball arithmetic, {self.precision} bits)"
        )


def choose_rows(g: np.ndarray) -> list[int] | None:
    """P rows of g (N × P) by greedy pivoting on the residual norms, or None if g is rank-deficient.

    >>> choose_rows(np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 2.0]]))
    [2, 0]
    >>> choose_rows(np.array([[1.0, 1.0], [2.0, 2.0]])) is None
    True
    """
    rows, count = g.shape
    residual = g.astype(float, copy=True)
    scale = float(np.max(np.linalg.norm(residual, axis=1))) if rows else 0.0
    chosen: list[int] = []
    for _ in range(count):
        norms = np.linalg.norm(residual, axis=1)
        norms[chosen] = -1.0
        r = int(np.argmax(norms))
        if norms[r] <= PIVOT_FLOOR * scale:
            return None
        q = residual[r] / norms[r]
        residual -= np.outer(residual @ q, q)
        chosen.append(r)
    return chosen


def prove_independent(
    net: ConcreteNetwork, paths: Sequence[Path], X: np.ndarray, max_paths: int = MAX_PATHS
) -> tuple[IndependenceCertificate | None, str]:
    """(certificate, "") when det ≠ 0 is proved for these paths at points of X, else (None, why)."""
    count = len(paths)
    if count == 0:
        return None, "no path functions"
    if count > max_paths:
        return None, f"{count} path functions exceed the {max_paths} an interval determinant takes"
    why = unsupported(net.activation)
    if why is not None:
        return None, why
    g = path_function_matrix(net, X, paths)
    norms = np.linalg.norm(g, axis=0)
    if np.any(norms == 0) or not np.all(np.isfinite(g)):
        return None, "some path function is 0.0 (or not finite) at every float64 sample point"
    rows = choose_rows(g / norms)
    if rows is None:
        return None, "the float64 sample gives no well-conditioned set of points"
    exps = [math.frexp(float(v))[1] for v in norms]  # column scales 2^-e, exact
    arbnet = ArbNetwork(net)
    hidden = net.depth - 1
    last_det = "?"
    for bits in PRECISIONS:
        det = _determinant(arbnet, X[rows], paths, exps, hidden, bits)
        last_det = det.str(6, radius=True)
        if det > 0 or det < 0:
            return IndependenceCertificate(count, len(rows), det.str(6), bits), ""
    return None, f"the interval determinant {last_det} contains 0 (this proves nothing)"


def _determinant(
    arbnet: ArbNetwork,
    points: np.ndarray,
    paths: Sequence[Path],
    exps: list[int],
    hidden: int,
    bits: int,
) -> Any:
    from flint import arb, arb_mat

    entries = []
    for x in points:
        slopes = arbnet.slopes(x, bits)
        with precision(bits):
            row = []
            for path, e in zip(paths, exps, strict=True):
                value = arb(2.0**-e) if -1074 <= -e <= 1023 else arb(2) ** (-e)
                for pos, unit in enumerate(path):  # path is (n, …, m): hidden layer hidden-pos
                    value *= slopes[hidden - 1 - pos][unit]
                row.append(value)
            entries.append(row)
    with precision(bits):
        return arb_mat(entries).det()
