"""Tiny witness networks where a hypothesis of the theorem fails, audited live.

Each witness is a concrete (numpy) network that is curl-free although its
weights are not of the form the unqualified claim demands:

* :func:`block_diagonal` (L ≥ 3): zero middle weights split the net into two
  channels with different input directions (A2 fails);
* :func:`linear_symmetric` (L ≥ 2): σ linear, so J = θ⁽ᴸ⁻¹⁾ ⋯ θ⁽⁰⁾ is a constant
  matrix; it is made symmetric with non-parallel input rows (A1 fails);
* :func:`zero_readout` (L ≥ 3): θ⁽ᴸ⁻¹⁾ = 0, so ψ ≡ 0 (the trivial branch);
* :func:`zero_input_row` (L = 2): a zero input row leaves its output column
  free (A3 fails).

If :mod:`ptheorem.audit` provides an audit function at run time it judges each
witness; otherwise the asymmetry is measured with
:func:`ptheorem.numeric.asymmetry` and the angle between input rows is computed,
and the result says which was used.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ptheorem.explain.model import Note, Prose, Step, Witnesses, WitnessResult
from ptheorem.numeric.activations import get_activation
from ptheorem.numeric.metrics import asymmetry, sample_points
from ptheorem.numeric.network import ConcreteNetwork
from ptheorem.spec import NetworkSpec

#: √NAsym at or below this counts as curl-free (float64 round-off level).
CURL_FREE_ROOT = 1e-12
#: Sample points of the numeric fallback.
POINTS = 64
#: Names tried, in order, in :mod:`ptheorem.audit`.
AUDIT_FUNCTIONS = ("run_audit", "audit_network", "audit")

#: Two input directions 45° apart (rows of θ⁽⁰⁾ in the witnesses).
_U1 = np.array([1.0, 0.0])
_U2 = np.array([1.0, 1.0]) / math.sqrt(2.0)


@dataclass(frozen=True, eq=False)
class Witness:
    """A witness network, the hypothesis it breaks, and what the claim would demand."""

    name: str
    hypothesis: str
    construction: str
    network: ConcreteNetwork
    demand: str  # "parallel" (L ≥ 3) or "tied" (L = 2)
    trivial: bool = False  # the branch θ⁽ᴸ⁻¹⁾ = 0 that the claim sets aside


def _shape(depth: int) -> NetworkSpec:
    return NetworkSpec(depth, 2, (2,) * (depth - 1))


def block_diagonal(depth: int) -> Witness:
    """Two channels 1→1 and 2→2 through diagonal middle weights, input rows 45° apart."""
    if depth < 3:
        raise ValueError("the block-diagonal witness needs middle weights (depth ≥ 3)")
    rows = np.stack([0.9 * _U1, 1.2 * _U2])
    middle = [np.diag([1.1, -0.8]) for _ in range(depth - 2)]
    readout = np.stack([0.7 * _U1, -0.5 * _U2], axis=1)  # column n = c_n u_n
    net = ConcreteNetwork((rows, *middle, readout), (None,) * depth, get_activation("tanh"))
    return Witness(
        "block-diagonal middle weights",
        "A2 middle-weights-nonzero",
        "middle weights diagonal (two channels), θ⁽⁰⁾ rows 45° apart, each output column "
        "parallel to its channel's input row",
        net,
        "parallel",
    )


def linear_symmetric(depth: int) -> Witness:
    """σ linear and θ⁽ᴸ⁻¹⁾ chosen so that the constant J is symmetric; input rows 45° apart."""
    if depth < 2:
        raise ValueError("the linear witness needs a hidden layer (depth ≥ 2)")
    rows = np.stack([_U1, math.sqrt(2.0) * _U2])  # [[1, 0], [1, 1]]
    middle = [np.array([[1.0, 0.5], [-0.3, 1.0]]) for _ in range(depth - 2)]
    product = rows
    for w in middle:
        product = w @ product
    target = np.array([[2.0, 1.0], [1.0, 3.0]])  # the symmetric J
    readout = target @ np.linalg.inv(product)
    net = ConcreteNetwork((rows, *middle, readout), (None,) * depth, get_activation("linear"))
    demand = "parallel" if depth >= 3 else "tied"
    return Witness(
        "linear σ",
        "A1 path-functions-independent",
        "θ⁽⁰⁾ rows 45° apart, last layer solved so that J = [[2, 1], [1, 3]]",
        net,
        demand,
    )


def zero_readout(depth: int) -> Witness:
    """θ⁽ᴸ⁻¹⁾ = 0: ψ ≡ 0 whatever the input rows (the trivial branch the claim sets aside)."""
    if depth < 2:
        raise ValueError("the zero read-out witness needs a hidden layer (depth ≥ 2)")
    rows = np.stack([0.9 * _U1, 1.2 * _U2])
    middle = [np.array([[1.0, -0.6], [0.4, 0.9]]) for _ in range(depth - 2)]
    readout = np.zeros((2, 2))
    net = ConcreteNetwork((rows, *middle, readout), (None,) * depth, get_activation("tanh"))
    return Witness(
        "ψ ≡ 0",
        "trivial branch θ⁽ᴸ⁻¹⁾ = 0 (set aside by the claim)",
        "θ⁽⁰⁾ rows 45° apart, last layer 0",
        net,
        "parallel" if depth >= 3 else "tied",
        trivial=True,
    )


def zero_input_row() -> Witness:
    """L = 2: input row 2 is zero, so output column 2 is free (not tied to it)."""
    rows = np.array([[1.0, 0.5], [0.0, 0.0]])
    readout = np.array([[0.8 * 1.0, 1.0], [0.8 * 0.5, 2.0]])  # column 1 = 0.8·row 1
    net = ConcreteNetwork((rows, readout), (None, None), get_activation("tanh"))
    return Witness(
        "zero input row",
        "A3 input-rows-nonzero",
        "θ⁽⁰⁾₂ = 0, θ⁽¹⁾₁ = 0.8 θ⁽⁰⁾₁, θ⁽¹⁾₂ = (1, 2) free",
        net,
        "tied",
    )


def random_control(depth: int, seed: int = 0) -> Witness:
    """A random dense tanh net of the same shape: the control, far from curl-free."""
    net = ConcreteNetwork.random(_shape(depth), "tanh", np.random.default_rng(seed))
    return Witness(
        "random dense (control)",
        "",
        f"N(0, 1/fan-in) weights, seed {seed}",
        net,
        "parallel" if depth >= 3 else "tied",
    )


def witnesses_for(depth: int) -> tuple[Witness, ...]:
    """The witnesses that matter at this depth (none for L = 1), then the control."""
    if depth == 1:
        return ()
    found: tuple[Witness, ...]
    if depth == 2:
        found = (linear_symmetric(2), zero_input_row())
    else:
        found = (block_diagonal(depth), linear_symmetric(depth), zero_readout(depth))
    return (*found, random_control(depth))


# --- measuring ---------------------------------------------------------------------------


def row_angle(weight: np.ndarray) -> float | None:
    """Largest angle (degrees, in [0, 90]) between two nonzero rows; None with fewer than two."""
    rows = [r / np.linalg.norm(r) for r in weight if np.linalg.norm(r) > 0]
    if len(rows) < 2:
        return None
    worst = 0.0
    for a in range(len(rows)):
        for b in range(a + 1, len(rows)):
            cos = min(1.0, abs(float(rows[a] @ rows[b])))
            worst = max(worst, math.degrees(math.acos(cos)))
    return worst


def is_tied(w_in: np.ndarray, w_out: np.ndarray, rtol: float = 1e-10) -> bool:
    """Whether every output column m of a live unit is a multiple of input row m (Eq. 2).

    Units with a zero input row are dead (their output is the constant σ(0)) and
    are skipped, as the audit does.
    """
    for m in range(w_in.shape[0]):
        row, col = w_in[m], w_out[:, m]
        if np.linalg.norm(row) == 0:
            continue
        scale = max(float(np.linalg.norm(row)), float(np.linalg.norm(col)), 1.0)
        residual = col - (col @ row) / (row @ row) * row
        if np.linalg.norm(residual) > rtol * scale:
            return False
    return True


def is_parallel(w_in: np.ndarray, rtol: float = 1e-10) -> bool:
    """Whether θ⁽⁰⁾ has numerical rank at most one."""
    s = np.linalg.svd(w_in, compute_uv=False)
    return bool(s.size < 2 or s[0] == 0 or s[1] <= rtol * s[0])


def find_audit() -> tuple[Callable[..., Any], str] | None:
    """The audit function of :mod:`ptheorem.audit`, if that package exists at run time."""
    try:
        import ptheorem.audit as audit_module  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    for name in AUDIT_FUNCTIONS:
        fn = getattr(audit_module, name, None)
        if callable(fn):
            return fn, f"ptheorem.audit.{name}"
    return None


def audit_witness(
    witness: Witness, use_audit: bool = True, seed: int = 0
) -> tuple[WitnessResult, str | None]:
    """Measure one witness; returns the result and a note when the audit could not be used."""
    net = witness.network
    X = sample_points(np.random.default_rng(seed), POINTS, net.dim)
    report = asymmetry(net, X)
    root = report.root
    angle = row_angle(net.weights[0])
    curl_free = report.degenerate or report.root <= CURL_FREE_ROOT
    if witness.demand == "parallel":
        holds = is_parallel(net.weights[0])
        form = "input rows parallel" if holds else "input rows NOT parallel"
    else:
        holds = is_tied(net.weights[0], net.weights[-1])
        form = "weights tied" if holds else "weights NOT tied"
    conclusion = f"{'curl-free' if curl_free else 'not curl-free'}, {form}"
    status = "counterexample" if curl_free and not holds else "consistent"
    dead = [m + 1 for m in range(net.weights[0].shape[0]) if not np.any(net.weights[0][m])]
    if dead:
        units = ", ".join(map(str, dead))
        conclusion += f"; unit(s) {units} have a zero input row: dead, their output columns free"
    if witness.trivial and np.all(net.weights[-1] == 0):
        status = "consistent"
        conclusion += ": the trivial branch, which the claim sets aside"
    why = "ptheorem.audit not available" if use_audit else "audit not requested"
    method = f"ptheorem.numeric.asymmetry ({why})"
    hypotheses: tuple[str, ...] = ()
    problem = None
    found = find_audit() if use_audit else None
    if found is not None:
        fn, name = found
        try:
            status, conclusion, hypotheses, root = _from_audit(fn(net))
        except Exception as exc:  # noqa: BLE001 - a colleague's API may differ; say so
            problem = f"{name} could not audit the witness ({type(exc).__name__}: {exc})"
        else:
            method = name
    spec = net.spec
    shape = f"{spec.label()}, σ {net.activation.label}"
    result = WitnessResult(
        name=witness.name,
        shape=shape,
        hypothesis=witness.hypothesis,
        construction=witness.construction,
        method=method,
        status=status,
        root=root,
        degenerate=report.degenerate,
        points=report.points,
        angle=angle,
        conclusion=conclusion,
        hypotheses=hypotheses,
    )
    return result, problem


def _from_audit(report: Any) -> tuple[str, str, tuple[str, ...], float]:
    """Status, explanation, failed hypotheses and √NAsym of an audit report."""
    verdict = report.verdict
    status = str(getattr(verdict.status, "value", verdict.status))
    failed = tuple(f"{h.id} ({h.paper}) {h.name}" for h in report.hypotheses if not h.holds)
    return status, str(verdict.explanation), failed, float(report.curl_free.root)


def audit_witnesses(depth: int, use_audit: bool = True) -> Witnesses:
    """Audit every witness of this depth."""
    return _audit_all(witnesses_for(depth), use_audit)


def _audit_all(chosen: tuple[Witness, ...], use_audit: bool) -> Witnesses:
    results = []
    notes: list[str] = []
    for w in chosen:
        result, problem = audit_witness(w, use_audit)
        results.append(result)
        if problem and problem not in notes:
            notes.append(problem)
    audit = results[0].method if results else "none"
    if notes:
        audit += "; " + "; ".join(notes)
    return Witnesses(tuple(results), audit, CURL_FREE_ROOT)


def fallback_note(use_audit: bool) -> str:
    """Why and how the witnesses were measured without :mod:`ptheorem.audit`."""
    why = "ptheorem.audit is not available here" if use_audit else "the audit was not requested"
    return (
        f"{why}, so each witness was measured with ptheorem.numeric.asymmetry on {POINTS} "
        f"Gaussian points (curl-free: √NAsym ≤ {CURL_FREE_ROOT:g}) and the angle between its "
        "input rows."
    )


def witness_step(spec: NetworkSpec, use_audit: bool = True) -> Step:
    """Step 11: where the hypotheses bite, on tiny live witnesses of this depth."""
    title = "Where the hypotheses bite"
    if spec.depth == 1 or spec.dim == 1:
        text = "No hypothesis is used here: with no hidden layer (or d = 1) the argument is exact."
        return Step("witnesses", 0, title, (Prose(text),))
    witnesses = audit_witnesses(spec.depth, use_audit)
    fallback = not witnesses.audit.startswith("ptheorem.audit")
    blocks: list[Any] = [
        Prose(
            f"Each hypothesis is needed. Each tiny network below (depth {spec.depth}, d = 2, "
            "width 2) breaks one; the last is a random control. They are built and audited now."
        ),
        witnesses,
    ]
    if fallback:
        blocks.append(Note(fallback_note(use_audit)))
    return Step("witnesses", 0, title, tuple(blocks))


def demo_witnesses(use_audit: bool = True) -> Witnesses:
    """The counterexample classes of the demo: L = 3 ones, the L = 2 zero row, a control."""
    chosen = (
        block_diagonal(3),
        linear_symmetric(3),
        zero_readout(3),
        zero_input_row(),
        random_control(3),
    )
    return _audit_all(chosen, use_audit)
