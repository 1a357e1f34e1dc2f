"""The numeric check: the paper's claim for one configuration, as measured evidence.

With seeded random weights and a random smooth activation (swish σ_β, β drawn
from :data:`RANDOM_BETA_RANGE`) it measures, each against a stated tolerance:

1. a random dense net is not curl-free (√NAsym > :data:`NONVACUOUS_ROOT`);
2. the null space of W_{L−1} ↦ J − Jᵀ: its dimension is the number of free
   read-out directions (L = 2: the width; L ≥ 3: 0 for random inputs, the last
   width once the inputs are parallel); for wide last layers a random subset of
   at most :data:`MAX_UNKNOWNS` / d units is kept, and the report says so;
3. the tied / parallel / symmetric family is curl-free (√NAsym ≤ :data:`FAMILY_ROOT`);
4. the path functions are linearly independent (the paper's indexwise step).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ptheorem.activations import (
    RANDOM_BETA_RANGE,
    Activation,
    get_activation,
    random_smooth_activation,
)
from ptheorem.model.claims import claim_for
from ptheorem.model.errors import InputError, SizeLimitError
from ptheorem.model.result import INDEPENDENCE, CheckResult, HypothesisUse, Verdict
from ptheorem.model.spec import GENERIC_ACTIVATION, NetworkSpec
from ptheorem.model.status import Basis, Evidence, Status
from ptheorem.numeric.families import parallel_network, tied_network
from ptheorem.numeric.metrics import AsymmetryReport, asymmetry, sample_points
from ptheorem.numeric.network import ConcreteNetwork
from ptheorem.numeric.nullspace import NullspaceReport, min_nullspace_points, output_nullspace
from ptheorem.numeric.paths import PathRankReport, path_count, path_rank
from ptheorem.tolerances import (
    FAMILY_ROOT,
    MAX_ARRAY_ENTRIES,
    MAX_FILE_ENTRIES,
    NONVACUOUS_ROOT,
)

#: Unknowns d·k of the null-space solve; wider last layers are subsampled to k units.
MAX_UNKNOWNS = 256
#: Path functions examined by the independence test (a random subset beyond).
MAX_PATHS = 512
#: Default number of points for the asymmetry figures.
ASYMMETRY_POINTS = 256


@dataclass(frozen=True)
class NumericCheck:
    """One measured figure, its tolerance, and whether it matches the claim."""

    name: str
    value: float
    expected: str
    passed: bool
    detail: str


@dataclass(frozen=True, eq=False)
class NumericDetails:
    """The numeric method's reports, for renderers and serializers."""

    activation: str
    seed: int
    points: int
    random_asymmetry: AsymmetryReport
    family_asymmetry: AsymmetryReport
    family: str
    nullspace_random: NullspaceReport | None
    nullspace_parallel: NullspaceReport | None
    kept_units: int | None
    path_rank: PathRankReport | None
    checks: tuple[NumericCheck, ...]
    tolerances: dict[str, float]


def check_numeric_size(spec: NetworkSpec) -> None:
    """Refuse (one line, exit 2) a net whose random weights would not fit in memory.

    The limits are those of network files (:data:`~ptheorem.tolerances.MAX_ARRAY_ENTRIES`
    per layer, :data:`~ptheorem.tolerances.MAX_FILE_ENTRIES` in all), checked from the
    sizes alone, before anything is allocated.
    """
    sizes = spec.sizes
    total = 0
    for k in range(spec.depth):
        entries = sizes[k] * sizes[k + 1]
        if entries > MAX_ARRAY_ENTRIES:
            raise SizeLimitError(
                f"layer {k} would have {sizes[k + 1]} × {sizes[k]} = {entries} weights; the "
                f"numeric method takes at most {MAX_ARRAY_ENTRIES} per layer"
            )
        total += entries
    if total > MAX_FILE_ENTRIES:
        raise SizeLimitError(
            f"the net would have {total} weights; the numeric method takes at most "
            f"{MAX_FILE_ENTRIES}"
        )


def numeric_check(spec: NetworkSpec, seed: int = 0, points: int | None = None) -> CheckResult:
    """Measure the claim for ``spec`` with seeded random weights; deterministic per seed."""
    check_numeric_size(spec)
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    act = _activation(spec, rng)
    net = ConcreteNetwork.random(spec, act, rng)
    kept, net_null = _restrict_last(net, rng)
    sizes = _point_counts(spec, net, net_null, points)
    X = sample_points(rng, max(sizes.values()), spec.dim)
    Xa, Xn, Xp = X[: sizes["asymmetry"]], X[: sizes["nullspace"]], X[: sizes["path_rank"]]
    timings: dict[str, float] = {}
    t = time.perf_counter()
    random_asym = asymmetry(net, Xa)
    family_name, family_net = _family(spec, act, rng)
    family_asym = asymmetry(family_net, Xa)
    timings["asymmetry"] = time.perf_counter() - t
    t = time.perf_counter()
    null_random = null_parallel = None
    if spec.dim > 1:
        null_random = output_nullspace(net_null, Xn)
        if spec.depth >= 3:
            par = parallel_network(net_null.spec, act, rng)
            null_parallel = output_nullspace(par, Xn)
    timings["nullspace"] = time.perf_counter() - t
    t = time.perf_counter()
    ranks = path_rank(net, Xp, rng, max_paths=MAX_PATHS) if spec.depth >= 2 else None
    timings["path_rank"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - start
    checks = _checks(spec, random_asym, family_asym, null_random, null_parallel, ranks, kept)
    details = NumericDetails(
        act.label,
        seed,
        int(X.shape[0]),
        random_asym,
        family_asym,
        family_name,
        null_random,
        null_parallel,
        kept,
        ranks,
        checks,
        {
            "nonvacuous_root": NONVACUOUS_ROOT,
            "family_root": FAMILY_ROOT,
            "nullspace_rtol": null_random.rank_tol if null_random else 0.0,
            "path_rank_rtol": ranks.tolerance if ranks else 0.0,
        },
    )
    return CheckResult(spec, _verdict(spec, checks, ranks, seed), details, timings)


def _point_counts(
    spec: NetworkSpec, net: ConcreteNetwork, net_null: ConcreteNetwork, points: int | None
) -> dict[str, int]:
    """Points for each test: asymmetry, null space (see below), path rank (2P + 16).

    ``points`` (``--points``) sets all three; it must meet both rank tests' minimum.
    """
    last = net_null.widths[-1] if spec.depth > 1 else spec.dim
    null_min = min_nullspace_points(spec.dim, last)
    # With parallel inputs J(x) = κ(x)·u vᵀ-like blocks give only d − 1 independent
    # equations per point, so the solve needs about d·k/(d − 1) points; take 3× that.
    null_points = 3 * -(-spec.dim * last // max(spec.dim - 1, 1)) + 4
    n_paths = min(path_count(net), MAX_PATHS) if spec.depth >= 2 else 0
    if points is not None:
        need = max(null_min, n_paths, 1)
        if points < need:
            raise InputError(
                f"--points {points} is too few for the rank tests: need at least {need} "
                f"({n_paths} path functions, {null_min} for the null-space solve)"
            )
        return {"asymmetry": points, "nullspace": points, "path_rank": points}
    return {
        "asymmetry": ASYMMETRY_POINTS,
        "nullspace": max(null_points, null_min),
        "path_rank": 2 * n_paths + 16,
    }


def _activation(spec: NetworkSpec, rng: np.random.Generator) -> Activation:
    if spec.activation != GENERIC_ACTIVATION:
        return get_activation(spec.activation)
    return random_smooth_activation(rng)


def _restrict_last(
    net: ConcreteNetwork, rng: np.random.Generator
) -> tuple[int | None, ConcreteNetwork]:
    """Keep a random subset of last-hidden units so d·k ≤ MAX_UNKNOWNS (None: all kept)."""
    if net.depth == 1:
        return None, net
    n = net.widths[-1]
    k = max(1, MAX_UNKNOWNS // net.dim)
    if n <= k:
        return None, net
    keep = np.sort(rng.choice(n, size=k, replace=False))
    weights, biases = list(net.weights), list(net.biases)
    weights[-2] = weights[-2][keep]
    weights[-1] = weights[-1][:, keep]
    if biases[-2] is not None:
        biases[-2] = biases[-2][keep]
    return k, ConcreteNetwork(tuple(weights), tuple(biases), net.activation)


def _family(
    spec: NetworkSpec, act: Activation, rng: np.random.Generator
) -> tuple[str, ConcreteNetwork]:
    if spec.depth == 1:
        net = ConcreteNetwork.random(spec, act, rng)
        w = net.weights[0]
        return "θ⁽⁰⁾ symmetric", net.replace_weights(0, (w + w.T) / 2)
    if spec.depth == 2:
        return "tied: θ⁽¹⁾ₘ = Sₘ θ⁽⁰⁾ₘ", tied_network(spec, act, rng)
    return "parallel: θ⁽⁰⁾ = a uᵀ, θ⁽ᴸ⁻¹⁾ = u cᵀ", parallel_network(spec, act, rng)


def _checks(
    spec: NetworkSpec,
    random_asym: AsymmetryReport,
    family_asym: AsymmetryReport,
    null_random: NullspaceReport | None,
    null_parallel: NullspaceReport | None,
    ranks: PathRankReport | None,
    kept: int | None,
) -> tuple[NumericCheck, ...]:
    out = []
    if spec.dim > 1:
        out.append(
            NumericCheck(
                "random net is not curl-free",
                random_asym.root,
                f"√NAsym > {NONVACUOUS_ROOT:g}",
                random_asym.root > NONVACUOUS_ROOT,
                f"{random_asym.points} points",
            )
        )
    out.append(
        NumericCheck(
            "solution family is curl-free",
            family_asym.root,
            f"√NAsym ≤ {FAMILY_ROOT:g}",
            family_asym.root <= FAMILY_ROOT,
            f"{random_asym.points} points",
        )
    )
    units = kept if kept is not None else (spec.widths[-1] if spec.depth > 1 else spec.dim)
    sub = f" (random subset of {kept} last-hidden units)" if kept is not None else ""
    if null_random is not None:
        if spec.depth == 1:
            want = spec.dim * (spec.dim + 1) // 2
            label = "free read-outs: symmetric matrices"
        elif spec.depth == 2:
            want, label = units, "free read-out directions (one Sₘ per unit)"
        else:
            want, label = 0, "free read-out directions, random inputs"
        out.append(
            NumericCheck(
                label,
                null_random.dimension,
                f"= {want}",
                null_random.dimension == want,
                f"null space of {null_random.unknowns} unknowns{sub}, "
                f"σ ratio {null_random.null_ratio:.1e}/{_fmt(null_random.kept_ratio)}",
            )
        )
    if null_parallel is not None:
        out.append(
            NumericCheck(
                "free read-out directions, parallel inputs",
                null_parallel.dimension,
                f"= {units}",
                null_parallel.dimension == units,
                f"null space of {null_parallel.unknowns} unknowns{sub}",
            )
        )
    if ranks is not None:
        sampled = f", a random subset of {ranks.total_paths}" if ranks.sampled else ""
        out.append(
            NumericCheck(
                "path functions independent (A1)",
                ranks.rank,
                f"= {ranks.paths}",
                ranks.full_rank,
                f"{ranks.paths} paths{sampled} at {ranks.points} points, "
                f"s_min/s_max {_fmt(ranks.sv_ratio)}",
            )
        )
    return tuple(out)


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.1e}"


def _verdict(
    spec: NetworkSpec,
    checks: tuple[NumericCheck, ...],
    ranks: PathRankReport | None,
    seed: int,
) -> Verdict:
    """Supported (numeric evidence only) when every figure matches the claim, else inconclusive."""
    head = f"L={spec.depth}, d={spec.dim}"
    failed = [c.name for c in checks if not c.passed]
    if spec.dim == 1:
        summary, parallel = f"{head}: vacuous, every ψ: R → R is a gradient", None
    elif spec.depth == 1:
        summary, parallel = f"{head}: curl-free exactly on the symmetric matrices", False
    elif spec.depth == 2:
        summary, parallel = f"{head}: weights only tied, input weights free", False
    else:
        summary, parallel = f"{head}: input weights forced parallel", True
    hyps: tuple[HypothesisUse, ...] = ()
    if ranks is not None:
        hyps = (
            HypothesisUse(
                INDEPENDENCE,
                ranks.full_rank,
                Basis.NUMERIC,
                f"rank {ranks.rank} of {ranks.paths} sampled path functions at {ranks.points} "
                f"points (seed {seed}, rtol {ranks.tolerance:.1e})",
            ),
        )
    if failed:
        return Verdict(
            claim_for(spec),
            Status.INCONCLUSIVE,
            None,
            "numeric",
            Evidence.NUMERIC,
            f"{head}: numeric evidence does not match the claim ({'; '.join(failed)})",
            hyps,
        )
    return Verdict(
        claim_for(spec),
        Status.SUPPORTED,
        parallel,
        "numeric",
        Evidence.NUMERIC,
        f"{summary} (numeric evidence, seed {seed}; not a proof)",
        hyps,
    )


__all__ = ["RANDOM_BETA_RANGE", "NumericDetails", "numeric_check"]
