"""H1: are the live path functions linearly independent?  Exact scan first, then sampling.

1. The exact dependence scan (:mod:`ptheorem.audit.dependence`) runs first, from
   the weights and σ alone; a dependence it exhibits on live paths proves H1 fails.
2. The float64 rank test then runs on what remains: paths that merely repeat
   another live path's function (identical σ′) are left out, and whenever the
   live paths exceed ``max_paths`` the sample always includes, for every group
   of related units the scan flagged, paths through each unit of the group with
   the same other units.  Above the cap the answer is "sampled N of M paths":
   evidence, never a proof.
3. When every remaining live path was examined and there are at most
   :data:`~ptheorem.validated.independence.MAX_PATHS`, an interval determinant
   proves their independence (:mod:`ptheorem.validated.independence`).
"""

from __future__ import annotations

import numpy as np

from ptheorem.activations import ActivationKind
from ptheorem.audit.dependence import DependenceScan
from ptheorem.audit.graph import (
    Connectivity,
    Path,
    completions,
    live_paths,
    path_is_live,
    prefixes,
)
from ptheorem.audit.report import PathFunctionsFinding, one_based
from ptheorem.numeric.metrics import sample_points
from ptheorem.numeric.network import ConcreteNetwork
from ptheorem.numeric.paths import path_count, path_rank
from ptheorem.tolerances import path_rank_rtol
from ptheorem.validated.independence import MAX_PATHS, prove_independent

#: Extra points per path function in the rank test (N = 4P + 16, as measured in paths.py).
POINTS_PER_PATH = 4
POINTS_EXTRA = 16
#: Contexts (shared other units) drawn per suspect group when the paths are sampled.
CONTEXTS_PER_GROUP = 4
#: Units named per cause line before "…".
LIST_LIMIT = 6


def listing(items: list[str] | tuple[str, ...], limit: int = LIST_LIMIT) -> str:
    """``a, b, c`` or ``a, b, … (+k more)``."""
    shown = ", ".join(items[:limit])
    return shown if len(items) <= limit else f"{shown}, … (+{len(items) - limit} more)"


def _walk(
    net: ConcreteNetwork, conn: Connectivity, layer: int, unit: int, rng: np.random.Generator
) -> dict[int, int] | None:
    """A random live path through ``unit`` of hidden ``layer`` (1-based): {layer: unit}."""
    before = prefixes(conn)
    after = completions(conn.supports, conn.output_nonzero)
    if before[layer - 1][unit] <= 0 or after[layer - 1][unit] <= 0:
        return None
    chosen = {layer: unit}
    u = unit
    for k in range(layer - 1, 0, -1):  # predecessors in hidden layer k
        w = (net.weights[k][u] != 0.0) * before[k - 1]
        u = int(rng.choice(w.size, p=w / w.sum()))
        chosen[k] = u
    u = unit
    for k in range(layer + 1, net.depth):  # successors in hidden layer k
        w = (net.weights[k - 1][:, u] != 0.0) * after[k - 1]
        u = int(rng.choice(w.size, p=w / w.sum()))
        chosen[k] = u
    return chosen


def suspect_paths(
    net: ConcreteNetwork, conn: Connectivity, scan: DependenceScan, rng: np.random.Generator
) -> list[Path]:
    """For each suspect group: live paths through each of its units, all other units shared."""
    hidden = net.depth - 1
    out: list[Path] = []
    for layer, units in scan.suspects:
        for _ in range(CONTEXTS_PER_GROUP):
            base = _walk(net, conn, layer, units[0], rng)
            if base is None:
                continue
            for u in units:
                chosen = {**base, layer: u}
                path = tuple(chosen[hidden - pos] for pos in range(hidden))
                if path_is_live(net, path) and path not in out:
                    out.append(path)
    return out


def _without_duplicates(
    net: ConcreteNetwork, paths: list[Path], scan: DependenceScan
) -> tuple[list[Path], int]:
    """Drop paths whose function equals ± that of another live path (a duplicate unit's twin)."""
    if not scan.duplicates:
        return paths, 0
    hidden = net.depth - 1
    kept = []
    for path in paths:
        twin = list(path)
        for pos, unit in enumerate(path):
            rep = scan.duplicates.get((hidden - pos, unit))
            if rep is not None:
                twin[pos] = rep
        if tuple(twin) != path and path_is_live(net, tuple(twin)):
            continue
        kept.append(path)
    return kept, len(paths) - len(kept)


def path_functions(
    net: ConcreteNetwork,
    conn: Connectivity,
    scan: DependenceScan,
    seed: int,
    max_paths: int,
) -> PathFunctionsFinding:
    """The H1 finding: exact scan, rank test on what remains, interval proof when small."""
    seeds = np.random.SeedSequence([seed, 1]).spawn(3)
    required: tuple[Path, ...] = ()
    if conn.live_paths > max_paths:
        required = tuple(suspect_paths(net, conn, scan, np.random.default_rng(seeds[2])))
    paths, sampled = live_paths(net, conn, max_paths, np.random.default_rng(seeds[0]), required)
    paths, dropped = _without_duplicates(net, paths, scan)
    n_points = POINTS_PER_PATH * len(paths) + POINTS_EXTRA
    X = sample_points(np.random.default_rng(seeds[1]), n_points, net.dim)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        report = path_rank(net, X, paths=paths, rtol=path_rank_rtol(n_points, len(paths)))
        slopes = net.derivatives(X)
    causes = [d.text for d in scan.dependences]
    if not report.full_rank:
        causes += numeric_causes(net, slopes)
    cert_text, not_validated = None, None
    basis = "exact" if scan.proved else "numeric"
    if report.full_rank and paths and not sampled:
        if len(paths) <= MAX_PATHS:
            cert, why = prove_independent(net, paths, X)
            if cert is not None:
                cert_text = cert.text
                basis = basis if scan.proved else "validated"
            else:
                not_validated = why
        else:
            not_validated = f"{len(paths)} paths exceed the {MAX_PATHS} of the interval determinant"
    return PathFunctionsFinding(
        rank=report.rank,
        paths=report.paths,
        live_paths=int(conn.live_paths),
        total_paths=path_count(net),
        sampled=sampled,
        sv_ratio=report.sv_ratio,
        tolerance=report.tolerance,
        points=n_points,
        causes=tuple(causes),
        basis=basis,
        dependences=tuple(d.text for d in scan.dependences if d.live),
        dependence_proved=scan.proved,
        suspects=len(required),
        duplicates=dropped,
        certificate=cert_text,
        not_validated=not_validated,
    )


def numeric_causes(net: ConcreteNetwork, slopes: list[np.ndarray]) -> list[str]:
    """Reasons the sampled path functions look dependent (numeric, from the sample)."""
    act = net.activation
    causes = []
    if act.kind is ActivationKind.PIECEWISE_LINEAR:
        causes.append(
            f"σ = {act.label} is piecewise linear: σ′ takes the values 0 and 1 only, so path "
            "functions are products of indicators"
        )
    if act.kind is ActivationKind.POLYNOMIAL and (act.degree or 1) == 1:
        return causes
    for k, s in enumerate(slopes):
        flat = np.flatnonzero(np.all(s == s[:1], axis=0))
        if flat.size:
            dead = one_based(int(u) for u in flat if s[0, u] == 0.0)
            const = one_based(int(u) for u in flat if s[0, u] != 0.0)
            if dead:
                causes.append(
                    f"units {listing([str(u) for u in dead])} of hidden layer {k + 1} have "
                    "σ′ = 0 at every sampled point (inactive)"
                )
            if const:
                causes.append(
                    f"units {listing([str(u) for u in const])} of hidden layer {k + 1} have "
                    "a constant σ′ on the sample (they act linearly there)"
                )
    return causes
