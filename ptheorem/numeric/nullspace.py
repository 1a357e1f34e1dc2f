"""Numeric solve for the read-out weights that make J symmetric: the space of tyings S.

ψ is linear in its last weight matrix W = W_{L−1} (shape (d, n), n = n_{L−1}):
J(x) = W B(x) with B(x) = diag σ′(z_{L−1}) W_{L−2} ⋯ diag σ′(z₁) W₀ (shape (n, d)).
So for fixed W₀, …, W_{L−2} the map vec(W) ↦ [(J(x) − J(x)ᵀ)_{ij}, i < j, x sampled]
is linear, and the read-outs that make ψ symmetric at every sampled point form
its null space.  The paper predicts (smooth σ, generic weights):

* L = 2: W = W₀ᵀ diag(S), one free S_m per hidden unit → dimension n (Eq. 2);
* L ≥ 3, input weights not parallel: only W = 0 → dimension 0 (Theorem 5);
* L ≥ 3, W₀ = a uᵀ: W = u cᵀ, S_nm = c_n / a_m → dimension n_{L−1} (Eq. 7).

The rows are streamed chunk by chunk into a QR factorisation (only the
unknowns × unknowns factor R is kept), and the SVD of R gives the singular
values and the null-space basis.

Rank tolerance: a singular value counts as zero when s ≤ rtol·s_max with
``rtol = 1e-10`` by default.  The rows are exact chain-rule evaluations in
float64, so a true null direction shows up at the rounding level
(≈ eps·√rows ≲ 1e-13 relative), while genuine constraints at the small sizes
this solve is meant for stay far above it: over 1500 random nets with d ≤ 4,
L ≤ 4 and widths 2–4 (random, tied and parallel families, all smooth σ) the
null values stayed ≤ 2e-15·s_max and the kept ones ≥ 3e-8·s_max, so the cut
leaves ≥ 2 decades on the genuine side and ≥ 4 on the rounding side.
``null_ratio`` and ``kept_ratio`` in the report expose that margin for every solve.

Conditioning caveat: when every later unit is a function of one scalar (a width-1
hidden layer, or parallel input weights) over a short range, genuinely independent
functions become numerically close to dependent and the kept singular values sink
towards rtol (seen down to 5e-10 with a width-1 middle layer).  A ``kept_ratio``
within a few decades of ``rank_tol`` means the dimension is not trustworthy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ptheorem.model.errors import InputError, SizeLimitError
from ptheorem.numeric.network import DEFAULT_CHUNK_ELEMENTS, ConcreteNetwork
from ptheorem.tolerances import DEFAULT_NULLSPACE_RTOL

#: Largest number of unknowns d·n accepted by default (the SVD is O(unknowns³)).
DEFAULT_MAX_UNKNOWNS = 2048
#: How many singular values above the null ones the report shows.
SHOWN_EXTRA_SINGULAR_VALUES = 4


@dataclass(frozen=True, eq=False)
class TyingFit:
    """Least-squares fit of each null-space basis vector to the input weights W₀.

    ``kind`` is ``"per_unit"`` for L = 2 (column m of the read-out ≈ S_m·W₀[m],
    ``S`` of shape (dimension, n)) or ``"last_first"`` for L ≥ 3 (column n ≈
    S_nm·W₀[m] for every pair, ``S`` of shape (dimension, n_{L−1}, n₁)).  Each
    S entry is the projection ⟨column, W₀[m]⟩/‖W₀[m]‖² (NaN when W₀[m] = 0);
    ``residuals`` (same shape) is ‖column − S·W₀[m]‖ and ``residual`` their
    maximum (0.0 for an empty basis).  Basis vectors have unit Frobenius norm,
    so residuals are relative to them.  ``parallel_inputs``
    says whether W₀ is numerically rank one (σ₂/σ₁ ≤ rtol), the case in which
    S_nm = c_n/a_m.  ``family_residual`` is the largest distance of a
    normalised member of the paper's tied family (W₀[m] e_mᵀ for L = 2, u e_nᵀ
    for parallel L ≥ 3) from the computed null space, or None when the family is
    {0} (units with W₀[m] = 0 are skipped); small means the family lies inside it,
    and together with an equal dimension, that the null space is the family.
    """

    kind: str
    S: np.ndarray
    residuals: np.ndarray
    residual: float
    parallel_inputs: bool
    family_residual: float | None


@dataclass(frozen=True, eq=False)
class NullspaceReport:
    """Numeric null space of vec(W_{L−1}) ↦ [J(x) − J(x)ᵀ]: dimension, evidence and basis.

    ``singular_values`` are the smallest ones, ascending (the null ones and
    :data:`SHOWN_EXTRA_SINGULAR_VALUES` more); ``s_max`` the largest.
    ``rank_tol`` is the relative tolerance and ``threshold = rank_tol·s_max``.
    ``null_ratio`` is the largest null singular value over s_max (0 if none) and
    ``kept_ratio`` the smallest kept one over s_max (None if all are null).
    ``basis`` has shape (dimension, d, n) and is orthonormal in the Frobenius
    inner product.  ``S`` is the :class:`TyingFit` (None for L = 1).
    """

    dimension: int
    unknowns: int
    rows: int
    points: int
    singular_values: tuple[float, ...]
    s_max: float
    rank_tol: float
    threshold: float
    null_ratio: float
    kept_ratio: float | None
    basis: np.ndarray
    S: TyingFit | None


def min_nullspace_points(dim: int, last_width: int) -> int:
    """Fewest points giving at least as many rows d(d−1)/2 per point as unknowns d·n."""
    pairs = dim * (dim - 1) // 2
    if pairs == 0:
        return 0
    return math.ceil(dim * last_width / pairs)


def output_nullspace(
    net: ConcreteNetwork,
    X: np.ndarray,
    rtol: float = DEFAULT_NULLSPACE_RTOL,
    chunk_size: int | None = None,
    max_unknowns: int = DEFAULT_MAX_UNKNOWNS,
) -> NullspaceReport:
    """Return the :class:`NullspaceReport` of the read-outs W_{L−1} making J symmetric on X.

    Only the shapes of W_{L−1} are used; its values are ignored.  Raises
    :class:`InputError` when X has fewer than :func:`min_nullspace_points` points
    and :class:`SizeLimitError` beyond ``max_unknowns`` unknowns.
    """
    X = net.check_points(X)
    if not (math.isfinite(rtol) and 0 < rtol < 1):
        raise InputError(f"rtol must be in (0, 1) (got {rtol!r})")
    d = net.dim
    n = net.weights[-1].shape[1]
    unknowns = d * n
    if unknowns > max_unknowns:
        raise SizeLimitError(
            f"null-space solve has {unknowns} unknowns (d·n = {d}·{n}), "
            f"above the limit {max_unknowns}"
        )
    iu, ju = np.triu_indices(d, k=1)
    pairs = iu.size
    rows = X.shape[0] * pairs
    if pairs > 0 and rows < unknowns:
        raise InputError(
            f"too few points for the null-space solve: need ≥ {min_nullspace_points(d, n)} "
            f"points ({unknowns} unknowns, {pairs} equation(s) per point), got {X.shape[0]}"
        )

    if pairs == 0:  # d = 1: every ψ: R → R is a gradient, no constraint at all
        s = np.zeros(0)
        vt = np.eye(unknowns)
        dimension = unknowns
        s_max = 0.0
    else:
        r = _streamed_r(net, X, iu, ju, chunk_size)  # square: rows ≥ unknowns
        _, s, vt = np.linalg.svd(r)
        s_max = float(s[0])
        dimension = unknowns if s_max == 0.0 else int(np.sum(s <= rtol * s_max))

    basis = vt[unknowns - dimension :].reshape(dimension, d, n).copy()
    basis.setflags(write=False)
    ascending = np.sort(s)
    shown = ascending[: dimension + SHOWN_EXTRA_SINGULAR_VALUES]
    null_ratio = float(ascending[dimension - 1] / s_max) if dimension and s_max else 0.0
    kept_ratio = float(ascending[dimension] / s_max) if dimension < s.size and s_max else None
    return NullspaceReport(
        dimension=dimension,
        unknowns=unknowns,
        rows=rows,
        points=int(X.shape[0]),
        singular_values=tuple(float(v) for v in shown),
        s_max=s_max,
        rank_tol=rtol,
        threshold=rtol * s_max,
        null_ratio=null_ratio,
        kept_ratio=kept_ratio,
        basis=basis,
        S=None if net.depth == 1 else fit_tying(net, basis, rtol),
    )


def _streamed_r(
    net: ConcreteNetwork,
    X: np.ndarray,
    iu: np.ndarray,
    ju: np.ndarray,
    chunk_size: int | None,
) -> np.ndarray:
    """R factor of the constraint matrix, built chunk by chunk (rows never all in memory)."""
    d = net.dim
    n = net.weights[-1].shape[1]
    pairs = iu.size
    unknowns = d * n
    if chunk_size is None:
        chunk = max(1, DEFAULT_CHUNK_ELEMENTS // (pairs * unknowns))
    else:
        chunk = net.chunk_size(chunk_size)
    r = np.zeros((0, unknowns))
    rows_idx = np.arange(pairs)
    for start in range(0, X.shape[0], chunk):
        bt = net.last_hidden_jacobians_t(X[start : start + chunk])  # (c, d, n) = B(x)ᵀ
        c = bt.shape[0]
        a = np.zeros((c, pairs, d, n))
        a[:, rows_idx, iu, :] = bt[:, ju, :]  # coefficient of W[i, :] in (J − Jᵀ)_ij
        a[:, rows_idx, ju, :] = -bt[:, iu, :]  # coefficient of W[j, :]
        stacked = np.vstack([r, a.reshape(c * pairs, unknowns)])
        # numpy's stubs type every qr() as QRResult; mode="r" returns the R array alone.
        r = np.linalg.qr(stacked, mode="r")  # type: ignore[assignment]
    return r


def fit_tying(net: ConcreteNetwork, basis: np.ndarray, rtol: float) -> TyingFit:
    """Fit every basis read-out to the input weights (see :class:`TyingFit`)."""
    w0 = net.weights[0]  # (n₁, d)
    norms2 = np.einsum("md,md->m", w0, w0)
    safe = np.where(norms2 > 0, norms2, 1.0)
    cols = basis.transpose(0, 2, 1)  # (k, n, d): column n of each basis read-out
    sv0 = np.linalg.svd(w0, compute_uv=False)
    parallel = bool(sv0.size == 1 or sv0[0] == 0 or sv0[1] <= rtol * sv0[0])
    if net.depth == 2:
        s = np.einsum("kmd,md->km", cols, w0) / safe
        res = np.linalg.norm(cols - s[:, :, None] * w0[None], axis=2)
        s = np.where(norms2 > 0, s, np.nan)
        family = [np.outer(w0[m], _unit(w0.shape[0], m)) for m in range(w0.shape[0])]
        kind = "per_unit"
    else:
        s = np.einsum("knd,md->knm", cols, w0) / safe
        res = np.linalg.norm(cols[:, :, None, :] - s[..., None] * w0[None, None], axis=3)
        s = np.where(norms2 > 0, s, np.nan)
        kind = "last_first"
        family = []
        if parallel and sv0[0] > 0:
            u = np.linalg.svd(w0)[2][0]
            family = [np.outer(u, _unit(basis.shape[2], k)) for k in range(basis.shape[2])]
    family = [member for member in family if np.any(member)]  # skip units with W₀[m] = 0
    family_residual = None
    if family:
        flat = basis.reshape(basis.shape[0], -1)
        worst = 0.0
        for member in family:
            v = member.ravel() / np.linalg.norm(member)
            worst = max(worst, float(np.linalg.norm(v - flat.T @ (flat @ v))))
        family_residual = worst
    for arr in (s, res):
        arr.setflags(write=False)
    return TyingFit(
        kind=kind,
        S=s,
        residuals=res,
        residual=float(res.max()) if res.size else 0.0,
        parallel_inputs=parallel,
        family_residual=family_residual,
    )


def _unit(size: int, index: int) -> np.ndarray:
    e = np.zeros(size)
    e[index] = 1.0
    return e
