"""Are the path functions linearly independent?  The numeric side of the indexwise step.

Differentiating ψ gives ∂ⱼψᵢ(x) = Σ_paths (weights on the path) · g_path(x), where a
backward path ``(n, …, m)`` picks one hidden unit per hidden layer, written from
the last hidden layer (n) to the first (m), and its path function is
g(x) = σ′(z_{L−1,n}(x)) ⋯ σ′(z_{1,m}(x)).  The paper turns the pointwise identity
∂ⱼψᵢ = ∂ᵢψⱼ into an indexwise one (Eqs. 1, 5) by treating these functions as
linearly independent.  Here they are sampled at N points into an N × P matrix
whose numerical rank is reported: rank P supports the step, a lower rank shows
where it fails (polynomial σ, ReLU, linear σ).

Columns are scaled to unit norm first (the rank of a set of functions does not
depend on their scale; all-zero columns stay zero).  Rank tolerance: a singular
value counts when s > rtol·s_max with ``rtol = max(N, P)·eps·PATH_RANK_FACTOR``,
numpy's ``matrix_rank`` rule with a safety factor of 10 for the products of up to
L − 1 rounded factors in every entry (≈ 1e-13 at a few hundred points).  Measured
margins: over 1000 random smooth nets (d = 2–4, L = 2 with widths ≤ 8, L = 3–4 with
widths 2–3, N = 4P + 16) the smallest s_min/s_max was 2e-10, over 3 decades above
the cut; for square and cube nets the singular values beyond the polynomial-space
bound stayed below 0.007 × the cut.  Conditioning caveat: path functions that all
depend on one scalar (a width-1 first layer) are numerically close to dependent
once there are many of them, whatever σ; ``sv_ratio`` shows how close.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ptheorem.model.errors import InputError
from ptheorem.numeric.network import ConcreteNetwork
from ptheorem.numeric.threads import blas_threads
from ptheorem.tolerances import PATH_RANK_FACTOR

#: Above this many paths a random subset of this size is examined.
DEFAULT_MAX_PATHS = 2048

Path = tuple[int, ...]


@dataclass(frozen=True, eq=False)
class PathRankReport:
    """Numerical rank of the sampled path functions (float64 SVD, relative tolerance).

    ``rank`` of ``paths`` examined functions (out of ``total_paths``; ``sampled``
    when a random subset was used), ``sv_ratio = s_min/s_max`` (None when there
    are no paths or all path functions vanish on the sample), ``tolerance`` the
    relative cut rtol, ``points`` N, and ``units`` the examined paths in backward
    order (last hidden unit first).
    """

    rank: int
    paths: int
    total_paths: int
    sampled: bool
    sv_ratio: float | None
    tolerance: float
    points: int
    units: tuple[Path, ...]

    @property
    def full_rank(self) -> bool:
        """True when every examined path function is independent of the others."""
        return self.rank == self.paths


def default_path_rtol(points: int, paths: int) -> float:
    """The default relative rank tolerance max(N, P)·eps·:data:`PATH_RANK_FACTOR`."""
    return max(points, paths) * float(np.finfo(np.float64).eps) * PATH_RANK_FACTOR


def path_count(net: ConcreteNetwork) -> int:
    """Number of backward paths through the hidden units, Π n_k (0 when L = 1)."""
    if net.depth == 1:
        return 0
    return math.prod(net.widths)


def all_paths(net: ConcreteNetwork) -> list[Path]:
    """Every backward path ``(n, …, m)``, lexicographic in that order (empty when L = 1)."""
    if net.depth == 1:
        return []
    return list(itertools.product(*(range(w) for w in reversed(net.widths))))


def sample_paths(net: ConcreteNetwork, count: int, rng: np.random.Generator) -> list[Path]:
    """Return ``count`` distinct backward paths drawn uniformly without replacement, sorted.

    Up to 2⁶² paths the flat indices come from ``rng.choice(total, count,
    replace=False)``; beyond that, units are drawn independently per layer and
    repeats are redrawn (uniform over distinct paths in both cases).
    """
    total = path_count(net)
    if count > total:
        raise InputError(f"cannot draw {count} distinct paths out of {total}")
    dims = tuple(reversed(net.widths))
    chosen: set[Path] = set()
    if total <= 2**62:
        flat = rng.choice(total, size=count, replace=False)
        cols = np.unravel_index(flat, dims)
        chosen.update(zip(*(c.tolist() for c in cols), strict=True))
    else:
        while len(chosen) < count:
            draws = [rng.integers(0, w, size=count) for w in dims]
            for path in zip(*(c.tolist() for c in draws), strict=True):
                if len(chosen) < count:
                    chosen.add(path)
    return sorted(chosen)


def path_weights(net: ConcreteNetwork, paths: Sequence[Path]) -> np.ndarray:
    """Product of the weights strictly between the first and last hidden unit of each path.

    These are the factors θ_{nβ}⋯θ_{αm} shared by the two mirrored paths of
    Proposition 4; a path whose product is 0 contributes nothing to J.  Returns
    shape (P,), all ones for L ≤ 2.
    """
    idx = _path_array(net, paths)
    out = np.ones(idx.shape[0])
    hidden = net.depth - 1
    for k in range(1, hidden):  # weight W_k maps hidden layer k to hidden layer k + 1
        to_unit = idx[:, hidden - 1 - k]
        from_unit = idx[:, hidden - k]
        out *= net.weights[k][to_unit, from_unit]
    return out


def path_function_matrix(net: ConcreteNetwork, X: np.ndarray, paths: Sequence[Path]) -> np.ndarray:
    """Return G of shape (N, P), G[x, p] = Π_k σ′(z_k(x))[unit of path p in layer k]."""
    idx = _path_array(net, paths)
    slopes = net.derivatives(X)
    g = np.ones((slopes[0].shape[0] if slopes else X.shape[0], idx.shape[0]))
    hidden = net.depth - 1
    for k in range(hidden):  # slopes[k] is hidden layer k + 1, at position hidden-1-k
        g *= slopes[k][:, idx[:, hidden - 1 - k]]
    return g


def path_rank(
    net: ConcreteNetwork,
    X: np.ndarray,
    rng: np.random.Generator | None = None,
    *,
    max_paths: int = DEFAULT_MAX_PATHS,
    paths: Sequence[Path] | None = None,
    rtol: float | None = None,
) -> PathRankReport:
    """Return the :class:`PathRankReport` of the path functions of ``net`` sampled at X.

    ``paths`` restricts the check to the given backward paths (e.g. those with
    nonzero :func:`path_weights`); otherwise all paths are used, or a random
    subset of ``max_paths`` drawn from ``rng`` when there are more.  Raises
    :class:`InputError` when there are fewer points than path functions.
    """
    X = net.check_points(X)
    if isinstance(max_paths, bool) or not isinstance(max_paths, int) or max_paths < 1:
        raise InputError(f"max_paths must be a positive integer (got {max_paths!r})")
    total = path_count(net)
    sampled = False
    if paths is not None:
        chosen = [tuple(int(u) for u in p) for p in paths]
        if len(set(chosen)) != len(chosen):
            raise InputError("paths contain duplicates")
    elif total <= max_paths:
        chosen = all_paths(net)
    else:
        if rng is None:
            raise InputError(
                f"{total} paths exceed max_paths={max_paths}: pass an rng to sample a subset"
            )
        chosen = sample_paths(net, max_paths, rng)
        sampled = True
    n_points, count = X.shape[0], len(chosen)
    if n_points < count:
        raise InputError(
            f"too few points for the path rank: need ≥ {count} points "
            f"(one per path function), got {n_points}"
        )
    tol = default_path_rtol(n_points, count) if rtol is None else rtol
    if not (math.isfinite(tol) and 0 < tol < 1):
        raise InputError(f"rtol must be in (0, 1) (got {tol!r})")
    rank, ratio = 0, None
    if count:
        g = path_function_matrix(net, X, chosen)
        norms = np.linalg.norm(g, axis=0)
        g = g / np.where(norms > 0, norms, 1.0)
        with blas_threads(1):  # a small SVD: more threads only thrash a busy machine
            s = np.linalg.svd(g, compute_uv=False)
        if s[0] > 0:
            rank = int(np.sum(s > tol * s[0]))
            ratio = float(s[-1] / s[0])
    return PathRankReport(
        rank=rank,
        paths=count,
        total_paths=total,
        sampled=sampled,
        sv_ratio=ratio,
        tolerance=float(tol),
        points=n_points,
        units=tuple(chosen),
    )


def _path_array(net: ConcreteNetwork, paths: Sequence[Path]) -> np.ndarray:
    """Validate backward paths and return them as an int array (P, L − 1)."""
    hidden = net.depth - 1
    dims = tuple(reversed(net.widths))
    idx = np.zeros((len(paths), hidden), dtype=np.intp)
    for p, path in enumerate(paths):
        if len(path) != hidden:
            raise InputError(f"path {tuple(path)} must name one unit in each of {hidden} layer(s)")
        for pos, (unit, width) in enumerate(zip(path, dims, strict=True)):
            if not 0 <= int(unit) < width:
                raise InputError(
                    f"path {tuple(path)}: unit {unit} out of range for hidden layer "
                    f"{hidden - pos} of width {width}"
                )
            idx[p, pos] = int(unit)
    return idx
