"""``audit``: check one concrete ψ network against Theorem 5 and the corrected theorem.

Pure numpy (sympy only inside :mod:`ptheorem.certificate`); returns a frozen
:class:`~ptheorem.audit.report.AuditReport`.

The literal statement audited depends on the depth L:

* L ≥ 3 — Theorem 5: a curl-free ψ (θ⁽ᴸ⁻¹⁾ ≠ 0) has all input weights, and the
  output weights, parallel to each other;
* L = 2 — Eq. 2: a curl-free one-hidden-layer ψ has tied weights
  θ⁽¹⁾ₘ = Sₘ θ⁽⁰⁾ₘ (input weights free);
* L = 1 — no claim (ψ is linear).

The corrected theorem: if the live path functions are linearly independent,
ψ is curl-free exactly when every live output column is parallel to every input
row it reaches through a path of nonzero weights; so the input weights are
parallel within each connected component of that graph.
"""

from __future__ import annotations

import math
import time

import numpy as np

from ptheorem.audit import tolerances as tol
from ptheorem.audit.geometry import (
    direction_count,
    is_parallel,
    line_angles,
    max_pairwise_angle_deg,
    unit_rows,
)
from ptheorem.audit.graph import Connectivity, connectivity, live_paths
from ptheorem.audit.hypotheses import (
    check_h1,
    check_h2,
    check_h3,
    check_h4,
    check_h5,
    dependence_causes,
)
from ptheorem.audit.report import (
    AuditReport,
    AuditVerdict,
    ComponentFinding,
    CurlFreeFinding,
    CurlStatus,
    Degeneracy,
    Hypothesis,
    InputWeightsFinding,
    NetworkSummary,
    OutputPairsFinding,
    PathFunctionsFinding,
    one_based,
)
from ptheorem.errors import InputError
from ptheorem.numeric.metrics import AsymmetryReport, asymmetry, sample_points
from ptheorem.numeric.network import ConcreteNetwork
from ptheorem.numeric.paths import path_count, path_rank
from ptheorem.status import Status

#: Extra points per path function in the rank test (N = 4P + 16, as measured in paths.py).
POINTS_PER_PATH = 4
POINTS_EXTRA = 16


def run_audit(
    net: ConcreteNetwork,
    points: int = tol.DEFAULT_POINTS,
    seed: int = 0,
    max_paths: int = tol.DEFAULT_MAX_PATHS,
    exact: bool = True,
) -> AuditReport:
    """Audit ``net``: ``points``/``seed`` set the curl-free sample, ``max_paths`` the rank test.

    ``exact=False`` skips the sympy certificate even for small rational nets.
    """
    if isinstance(points, bool) or not isinstance(points, int) or points < 1:
        raise InputError(f"--points must be a positive integer (got {points!r})")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError(f"--seed must be a non-negative integer (got {seed!r})")
    if isinstance(max_paths, bool) or not isinstance(max_paths, int) or max_paths < 1:
        raise InputError(f"--max-paths must be a positive integer (got {max_paths!r})")
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now

    notes: list[str] = []
    asym = asymmetry(net, sample_points(np.random.default_rng(seed), points, net.dim))
    curl = _curl_free(net, asym, points, seed, exact)
    lap("curl_free")
    conn = connectivity(net) if net.depth >= 2 else None
    degenerate = _degeneracy(net, conn, asym)
    inputs = _input_weights(net, conn)
    pairs = _output_pairs(net, conn)
    lap("weights")
    pf = _path_functions(net, conn, seed, max_paths)
    lap("path_functions")
    hyps = (
        check_h1(pf),
        check_h2(net, conn),
        check_h3(net.activation),
        check_h4(degenerate),
        check_h5(net),
    )
    verdict = _verdict(net, curl, degenerate, inputs, pairs, hyps)
    if pf is not None and pf.sampled:
        notes.append(
            f"path functions: {pf.paths} of {pf.live_paths} live paths sampled (--max-paths)"
        )
    lap("verdict")
    act = net.activation
    summary = NetworkSummary(
        depth=net.depth,
        dim=net.dim,
        widths=net.widths,
        activation=act.spec,
        activation_label=act.label,
        activation_kind=act.kind.value,
        bias=any(b is not None for b in net.biases),
    )
    return AuditReport(
        network=summary,
        curl_free=curl,
        degenerate=degenerate,
        input_weights=inputs,
        output_pairs=pairs,
        path_functions=pf,
        hypotheses=hyps,
        verdict=verdict,
        timings=timings,
        notes=tuple(notes),
    )


# --- curl-free --------------------------------------------------------------------------


def _curl_free(
    net: ConcreteNetwork, asym: AsymmetryReport, points: int, seed: int, exact: bool
) -> CurlFreeFinding:
    from ptheorem.certificate import certify_curl_free, exact_unavailable

    factor = tol.size_factor(net.depth, (net.dim, *net.widths))
    low, high = tol.CURL_FREE_ROOT * factor, tol.NOT_CURL_FREE_ROOT * factor
    root = asym.root
    if root <= low:
        status = CurlStatus.CURL_FREE
        detail = f"√NAsym = {root:.3g} ≤ {low:.3g} (curl-free threshold)"
    elif root >= high:
        status = CurlStatus.NOT_CURL_FREE
        detail = f"√NAsym = {root:.3g} ≥ {high:.3g} (not-curl-free threshold)"
    else:
        status = CurlStatus.INCONCLUSIVE
        detail = f"√NAsym = {root:.3g} lies between {low:.3g} and {high:.3g}"
    if asym.degenerate:
        detail = f"J ≡ 0 at all {points} sampled points, so J = Jᵀ there"
    detail = f"numeric: {detail} over {points} N(0, I) points (seed {seed})"
    evidence = "numeric"
    if exact:
        why_not = exact_unavailable(net)
        if why_not is None:
            cert = certify_curl_free(net, points=points, seed=seed, exact=True)
            if cert.kind == "exact":
                evidence = "exact"
                status = CurlStatus.CURL_FREE if cert.holds else CurlStatus.NOT_CURL_FREE
                detail = f"{cert.detail}; {detail}"
            else:
                note = cert.detail.split("; ", 1)[-1]
                detail = f"{detail}; no exact certificate: {note}"
        else:
            detail = f"{detail}; no exact certificate: {why_not}"
    value = {CurlStatus.CURL_FREE: True, CurlStatus.NOT_CURL_FREE: False}.get(status)
    return CurlFreeFinding(
        status=status,
        value=value,
        nasym=asym.nasym,
        root=root,
        max_pointwise=asym.max_pointwise,
        curl_free_root=low,
        not_curl_free_root=high,
        size_factor=factor,
        evidence=evidence,
        detail=detail,
        points=points,
        seed=seed,
    )


# --- degeneracy and weights -------------------------------------------------------------


def _degeneracy(
    net: ConcreteNetwork, conn: Connectivity | None, asym: AsymmetryReport
) -> Degeneracy:
    reasons = []
    if not np.any(net.weights[-1] != 0.0):
        reasons.append("all output weights are zero: ψ is constant")
    if not np.any(net.weights[0] != 0.0):
        reasons.append("all input weights are zero: ψ is constant")
    if conn is not None and not reasons and conn.live_paths == 0:
        reasons.append(
            "no path of nonzero weights joins a nonzero input row to a nonzero output "
            "column: ψ is constant"
        )
    if asym.degenerate and not reasons:
        reasons.append(f"J ≡ 0 at all {asym.points} sampled points (every live path is inactive)")
    return Degeneracy(bool(reasons), tuple(reasons))


def _input_weights(net: ConcreteNetwork, conn: Connectivity | None) -> InputWeightsFinding:
    w0 = net.weights[0]
    nonzero = np.any(w0 != 0.0, axis=1)
    zero_rows = tuple(int(m) for m in np.flatnonzero(~nonzero))
    live = conn.live_first if conn is not None else tuple(int(m) for m in np.flatnonzero(nonzero))
    rows = w0[list(live)]
    angle = max_pairwise_angle_deg(rows)
    comps = []
    for c in conn.components if conn is not None else ():
        a = max_pairwise_angle_deg(w0[list(c.first)])
        comps.append(ComponentFinding(one_based(c.first), one_based(c.last), is_parallel(a), a))
    return InputWeightsFinding(
        parallel=is_parallel(angle),
        max_angle_deg=angle,
        directions=direction_count(rows),
        live_units=one_based(live),
        zero_rows=one_based(zero_rows),
        components=tuple(comps),
    )


def _output_pairs(net: ConcreteNetwork, conn: Connectivity | None) -> OutputPairsFinding | None:
    if conn is None:
        return None
    mask = conn.connected_live_pairs()
    count = int(mask.sum())
    if count == 0:
        return OutputPairsFinding(0, 0.0, True, None)
    cols = np.flatnonzero(mask.any(axis=1))
    rows = np.flatnonzero(mask.any(axis=0))
    out_dirs = unit_rows(net.weights[-1][:, cols].T)
    in_dirs = unit_rows(net.weights[0][rows])
    angles = line_angles(out_dirs, in_dirs)
    angles = np.where(mask[np.ix_(cols, rows)], angles, -1.0)
    a, b = np.unravel_index(int(np.argmax(angles)), angles.shape)
    worst = math.degrees(float(angles[a, b]))
    n, m = one_based((cols[a], rows[b]))
    return OutputPairsFinding(count, worst, is_parallel(worst), (n, m))


# --- path functions ---------------------------------------------------------------------


def _path_functions(
    net: ConcreteNetwork, conn: Connectivity | None, seed: int, max_paths: int
) -> PathFunctionsFinding | None:
    if conn is None:
        return None
    seeds = np.random.SeedSequence([seed, 1]).spawn(2)
    paths, sampled = live_paths(net, conn, max_paths, np.random.default_rng(seeds[0]))
    n_points = POINTS_PER_PATH * len(paths) + POINTS_EXTRA
    X = sample_points(np.random.default_rng(seeds[1]), n_points, net.dim)
    report = path_rank(net, X, paths=paths)
    slopes = net.derivatives(X)
    causes = dependence_causes(net, slopes, len(paths)) if not report.full_rank else ()
    return PathFunctionsFinding(
        rank=report.rank,
        paths=report.paths,
        live_paths=int(conn.live_paths),
        total_paths=path_count(net),
        sampled=sampled,
        sv_ratio=report.sv_ratio,
        tolerance=report.tolerance,
        points=n_points,
        causes=causes,
    )


# --- verdict ----------------------------------------------------------------------------

CLAIMS = {
    1: "none: with no hidden layer ψ(x) = W0 x + b is linear and the paper makes no claim",
    2: "Eq. 2: a curl-free ψ with one hidden layer has tied weights θ⁽¹⁾ₘ = Sₘ θ⁽⁰⁾ₘ",
    3: "Theorem 5: a curl-free ψ with L > 2 (θ⁽ᴸ⁻¹⁾ ≠ 0) has all input weights, and the "
    "output weights, parallel",
}


def _verdict(
    net: ConcreteNetwork,
    curl: CurlFreeFinding,
    degenerate: Degeneracy,
    inputs: InputWeightsFinding,
    pairs: OutputPairsFinding | None,
    hyps: tuple[Hypothesis, ...],
) -> AuditVerdict:
    claim = CLAIMS[min(net.depth, 3)]
    h = {x.id: x for x in hyps}
    failed = tuple(x.id for x in hyps if not x.holds and x.id in ("H1", "H2", "H3"))
    corrected, corrected_detail = _corrected(curl, pairs, h["H1"], net.depth)
    evidence = f"{curl.evidence} evidence"

    certified = curl.evidence == "exact"

    def verdict(status: Status, text: str, names: tuple[str, ...] = ()) -> AuditVerdict:
        return AuditVerdict(status, claim, text, names, corrected, corrected_detail)

    def holds(text: str) -> AuditVerdict:
        """The statement holds for this net: proved with an exact certificate, else supported."""
        return verdict(Status.PROVED if certified else Status.SUPPORTED, text)

    def broken(text: str) -> AuditVerdict:
        """A counterexample: refuted with an exact certificate, else an uncertified candidate."""
        if certified:
            return verdict(Status.REFUTED, text, failed)
        return verdict(
            Status.INCONCLUSIVE,
            f"{text} [numeric evidence only: an uncertified candidate counterexample]",
            failed,
        )

    if curl.status is CurlStatus.INCONCLUSIVE:
        return verdict(
            Status.INCONCLUSIVE,
            f"curl-freeness undecided: {curl.detail.split('; ')[0]}; rerun with more --points "
            "or export the weights in float64",
        )
    if degenerate.value:
        trivial = f"trivial case: {degenerate.reasons[0]}"
        exact = "sampled points" not in degenerate.reasons[0]
        return verdict(Status.PROVED if exact else Status.SUPPORTED, trivial)
    if curl.status is CurlStatus.NOT_CURL_FREE:
        return holds(f"ψ is not curl-free ({evidence}), so the statement claims nothing about it")
    if net.depth == 1:
        return holds("curl-free (W0 symmetric); no claim at L = 1")
    assert pairs is not None
    if net.depth == 2:
        if pairs.all_parallel:
            return holds(
                f"curl-free ({evidence}) with every live unit's readout tied to its input row"
            )
        assert pairs.worst_pair is not None
        n, m = pairs.worst_pair
        head = (
            f"curl-free ({evidence}) yet unit {m}'s readout column is at "
            f"{pairs.max_angle_deg:.3g}° to its input row: the weights are not tied"
        )
        return broken(_blame(head, failed, h))
    if inputs.parallel and pairs.all_parallel:
        return holds(f"curl-free ({evidence}) with all live input weights parallel, as claimed")
    if inputs.parallel:
        assert pairs.worst_pair is not None
        n, m = pairs.worst_pair
        head = (
            f"curl-free ({evidence}) with parallel input weights, yet output column {n} is at "
            f"{pairs.max_angle_deg:.3g}° to them"
        )
    else:
        head = (
            f"curl-free ({evidence}) and non-trivial, yet the live input weights span "
            f"{inputs.directions} directions (largest angle {inputs.max_angle_deg:.3g}°)"
        )
    return broken(_blame(head, failed, h))


def _blame(head: str, failed: tuple[str, ...], h: dict[str, Hypothesis]) -> str:
    if not failed:
        return (
            f"{head}; no hypothesis H1–H3 fails on this evidence, which contradicts the "
            "corrected theorem too (or the numeric path rank missed a dependence)"
        )
    parts = [f"{x} fails ({_short(h[x])})" for x in failed]
    return f"{head}; explained by: {'; '.join(parts)}"


def _short(h: Hypothesis) -> str:
    """A hypothesis' detail without its figures or listing."""
    if h.id == "H3":
        return h.detail
    if h.id == "H1":
        return h.detail.split("; rank", 1)[0]
    return h.detail.split(": ", 1)[0]


def _corrected(
    curl: CurlFreeFinding, pairs: OutputPairsFinding | None, h1: Hypothesis, depth: int
) -> tuple[bool | None, str]:
    if depth == 1:
        return True, "vacuous: no hidden layer, the corrected theorem makes no claim"
    if not h1.holds:
        return (
            True,
            "vacuous: H1 fails (path functions dependent), the corrected theorem makes no claim",
        )
    if curl.value is None:
        return None, "undecided: curl-freeness is inconclusive"
    assert pairs is not None
    rule = pairs.all_parallel
    rule_text = (
        (f"all {pairs.pairs} connected (n, m) pairs parallel" if pairs.pairs else "no live pairs")
        if rule
        else (
            f"output column {pairs.worst_pair[0] if pairs.worst_pair else '?'} is at "
            f"{pairs.max_angle_deg:.3g}° to input row "
            f"{pairs.worst_pair[1] if pairs.worst_pair else '?'} it reaches"
        )
    )
    holds = curl.value == rule
    state = "curl-free" if curl.value else "not curl-free"
    verb = "as predicted" if holds else "CONTRADICTING the corrected theorem"
    return holds, f"{state} and {rule_text}, {verb}"
