"""``audit``: check one concrete ψ network against Theorem 5 and the corrected theorem.

Pure numpy, integers and python-flint (sympy only inside :mod:`ptheorem.audit.certificate`);
returns a frozen :class:`~ptheorem.audit.report.AuditReport` about the network
*as stored* (every float64 weight is the dyadic rational it denotes).

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

The order of work: exact facts first (supports, exact geometry, exact
dependences, exact curl-free proofs), then the range-safe sample, then the
interval certificate wherever the numeric answer alone would decide the
verdict, and sympy on the exact stored weights for small nets last.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np

from ptheorem import tolerances as tol
from ptheorem.audit.curl import band, decide, from_exact, from_interval
from ptheorem.audit.dependence import scan
from ptheorem.audit.exactcurl import ExactCurl, exact_curl
from ptheorem.audit.geometry import direction_count, is_parallel, line_angles, unit_rows
from ptheorem.audit.graph import Connectivity, connectivity
from ptheorem.audit.hypotheses import check_h1, check_h2, check_h3, check_h4, check_h5
from ptheorem.audit.independence import path_functions
from ptheorem.audit.report import (
    AuditReport,
    ComponentFinding,
    CurlCertificate,
    CurlFreeFinding,
    CurlStatus,
    Degeneracy,
    InputWeightsFinding,
    NetworkSummary,
    OutputPairsFinding,
    one_based,
)
from ptheorem.audit.sampling import Sample, measure_sample
from ptheorem.audit.verdict import CLAIMS, verdict
from ptheorem.model.errors import InputError
from ptheorem.numeric.network import ConcreteNetwork
from ptheorem.numeric.threads import blas_threads
from ptheorem.validated.curl import refute_by_columns, refute_curl_free
from ptheorem.validated.dyadic import line_keys, same_lines

__all__ = ["CLAIMS", "Progress", "run_audit"]

#: ``progress(stage, done, total)``: a stage started (done 0) or advanced.
Progress = Callable[[str, int, int], None]


def run_audit(
    net: ConcreteNetwork,
    points: int = tol.DEFAULT_POINTS,
    seed: int = 0,
    max_paths: int = tol.DEFAULT_MAX_PATHS,
    exact: bool = True,
    threads: int | None = None,
    progress: Progress | None = None,
) -> AuditReport:
    """Audit ``net``: ``points``/``seed`` set the curl-free sample, ``max_paths`` the rank test.

    ``exact=False`` skips the sympy step (the exact structural proofs, the exact
    geometry and the interval certificates always run).  ``threads`` caps the BLAS
    threads (:func:`ptheorem.numeric.threads.blas_threads`; None: as they are);
    ``progress(stage, done, total)`` is called as each stage starts and advances.
    """
    with blas_threads(threads):
        return _run_audit(net, points, seed, max_paths, exact, progress or _silent)


def _silent(stage: str, done: int, total: int) -> None:
    """The progress callback that shows nothing."""


def _run_audit(
    net: ConcreteNetwork,
    points: int,
    seed: int,
    max_paths: int,
    exact: bool,
    progress: Progress,
) -> AuditReport:
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
    progress("connectivity", 0, 0)
    conn = connectivity(net) if net.depth >= 2 else None
    lap("connectivity")
    progress("geometry", 0, 0)
    degenerate = _degeneracy(net, conn)
    inputs = _input_weights(net, conn)
    pairs = _output_pairs(net, conn)
    lap("weights")
    progress("exact arguments", 0, 0)
    deps = scan(net, conn) if conn is not None else None
    proof = exact_curl(net, conn)
    lap("exact")
    progress("curl-free sample", 0, 0)
    sample = measure_sample(
        net,
        conn,
        points,
        seed,
        report=lambda done, total: progress("curl-free sample", done, total),
    )
    lap("sample")
    progress("certificates", 0, 0)
    curl = _curl_free(net, sample, proof, inputs, pairs, exact, timings)
    clock = time.perf_counter()
    pf = None
    progress("path functions", 0, 0)
    if conn is not None and deps is not None:
        pf = path_functions(net, conn, deps, seed, max_paths)
    lap("path_functions")
    hyps = (
        check_h1(pf),
        check_h2(net, conn),
        check_h3(net.activation),
        check_h4(degenerate),
        check_h5(net),
    )
    result = verdict(net.depth, curl, degenerate, inputs, pairs, hyps)
    if pf is not None and pf.sampled:
        notes.append(
            f"path functions: sampled {pf.paths} of {pf.live_paths} live paths (--max-paths); "
            "their independence is evidence, not a proof"
        )
    if curl.relocated:
        notes.append(
            f"curl-free test: {curl.relocated} sample points were moved onto the active slabs "
            "of first-layer units (the N(0, I) points left units off or J = 0.0)"
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
        verdict=result,
        timings=timings,
        notes=tuple(notes),
    )


# --- curl-free --------------------------------------------------------------------------


def _curl_free(
    net: ConcreteNetwork,
    sample: Sample,
    proof: ExactCurl | None,
    inputs: InputWeightsFinding,
    pairs: OutputPairsFinding | None,
    exact: bool,
    timings: dict[str, float],
) -> CurlFreeFinding:
    """The exact proof if any; else an interval refutation and sympy where the verdict needs them.

    The interval certificate is tried when the sample is not in the curl-free
    band, and when a numeric "curl-free" would make a counterexample; sympy
    (small nets) when that candidate or an undecided band is still open.
    """
    factor = tol.size_factor(net.depth, (net.dim, *net.widths))
    low, high = tol.curl_bands(net.depth, (net.dim, *net.widths))
    numeric, _ = band(sample, low, high)
    candidate = _candidate(net.depth, inputs, pairs)
    attempts: list[str] = []
    cert: CurlCertificate | None = None if proof is None else from_exact(proof)
    if cert is None and (numeric is not CurlStatus.CURL_FREE or candidate):
        start = time.perf_counter()
        refute = refute_by_columns if sample.probes else refute_curl_free
        found, why_not = refute(net, sample.by_asymmetry())
        timings["interval"] = time.perf_counter() - start
        if found is not None:
            cert = from_interval(found)
        else:
            attempts.append(f"no interval certificate: {why_not}")
    if cert is None and (candidate or numeric is CurlStatus.INCONCLUSIVE):
        if exact:
            from ptheorem.audit.certificate import sympy_certificate

            start = time.perf_counter()
            proved, detail = sympy_certificate(net)
            timings["sympy"] = time.perf_counter() - start
            if proved:
                cert = CurlCertificate("exact", True, "sympy", detail)
            else:
                attempts.append(f"no exact certificate: {detail}")
        else:
            attempts.append("no exact certificate: sympy skipped (--no-exact)")
    return decide(sample, (low, high), factor, cert, tuple(attempts))


def _candidate(depth: int, inputs: InputWeightsFinding, pairs: OutputPairsFinding | None) -> bool:
    """Would a numeric "curl-free" break the statement or the corrected rule (tolerance)?"""
    if depth < 2 or pairs is None:
        return False
    if not pairs.all_parallel:
        return True
    return depth >= 3 and not inputs.parallel


# --- degeneracy and weights -------------------------------------------------------------


def _degeneracy(net: ConcreteNetwork, conn: Connectivity | None) -> Degeneracy:
    """ψ constant, from exact zeros only (a sample with J = 0.0 proves nothing)."""
    reasons = []
    if np.all(tol.is_zero(net.weights[-1])):
        reasons.append("all output weights are zero: ψ is constant")
    if np.all(tol.is_zero(net.weights[0])):
        reasons.append("all input weights are zero: ψ is constant")
    if conn is not None and not reasons and conn.live_paths == 0:
        reasons.append(
            "no path of nonzero weights joins a nonzero input row to a nonzero output "
            "column: ψ is constant"
        )
    return Degeneracy(bool(reasons), tuple(reasons))


def _input_weights(net: ConcreteNetwork, conn: Connectivity | None) -> InputWeightsFinding:
    w0 = net.weights[0]
    nonzero = np.any(~tol.is_zero(w0), axis=1)
    zero_rows = tuple(int(m) for m in np.flatnonzero(~nonzero))
    live = conn.live_first if conn is not None else tuple(int(m) for m in np.flatnonzero(nonzero))
    rows = w0[list(live)]
    keys = line_keys(w0)  # exact lines of every row, computed once
    unit = unit_rows(rows) if len(live) else rows
    angles = line_angles(unit, unit) if len(live) else np.zeros((0, 0))  # one buffer: syrk
    where = {m: k for k, m in enumerate(live)}
    angle = _max_deg(angles)
    comps = []
    for c in conn.components if conn is not None else ():
        idx = [where[m] for m in c.first]
        a = _max_deg(angles[np.ix_(idx, idx)])
        exact = len({keys[m] for m in c.first} - {None}) <= 1
        comps.append(
            ComponentFinding(one_based(c.first), one_based(c.last), is_parallel(a), a, exact)
        )
    lines = len({keys[m] for m in live} - {None})
    return InputWeightsFinding(
        parallel=is_parallel(angle),
        max_angle_deg=angle,
        directions=direction_count(rows, angles),
        live_units=one_based(live),
        zero_rows=one_based(zero_rows),
        components=tuple(comps),
        exact_parallel=lines <= 1,
        exact_directions=lines,
    )


def _max_deg(angles: np.ndarray) -> float:
    """Largest angle (degrees) of an angle matrix in radians (0 for fewer than two rows)."""
    return float(np.degrees(angles.max())) if angles.shape[0] >= 2 else 0.0


def _output_pairs(net: ConcreteNetwork, conn: Connectivity | None) -> OutputPairsFinding | None:
    if conn is None:
        return None
    mask = conn.connected_live_pairs()
    count = int(mask.sum())
    if count == 0:
        return OutputPairsFinding(0, 0.0, True, None, True, 0)
    cols = np.flatnonzero(mask.any(axis=1))
    rows = np.flatnonzero(mask.any(axis=0))
    out_dirs = unit_rows(net.weights[-1][:, cols].T)
    in_dirs = unit_rows(net.weights[0][rows])
    angles = line_angles(out_dirs, in_dirs)
    angles = np.where(mask[np.ix_(cols, rows)], angles, -1.0)
    same = same_lines(line_keys(net.weights[-1].T), cols, line_keys(net.weights[0]), rows)
    bad = int(np.sum(mask[np.ix_(cols, rows)] & ~same))
    if bad:  # the worst pair is one that is not exactly parallel
        angles = np.where(same, -0.5, angles)
    a, b = np.unravel_index(int(np.argmax(angles)), angles.shape)
    worst = math.degrees(max(float(angles[a, b]), 0.0))
    n, m = one_based((cols[a], rows[b]))
    return OutputPairsFinding(count, worst, is_parallel(worst), (n, m), bad == 0, bad)
