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

Each witness is judged by :func:`ptheorem.audit.run_audit` (status, explanation,
failing hypotheses, √NAsym on its seeded sample).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ptheorem.activations import get_activation
from ptheorem.audit import CURL_FREE_ROOT, AuditReport, run_audit
from ptheorem.audit.geometry import max_pairwise_angle_deg
from ptheorem.explain.model import Block, Prose, Step, Witnesses, WitnessResult
from ptheorem.model.spec import NetworkSpec
from ptheorem.numeric.network import ConcreteNetwork

#: What judges the witnesses (shown under them).
AUDIT = "ptheorem.audit.run_audit"

#: Two input directions 45° apart (rows of θ⁽⁰⁾ in the witnesses).
_U1 = np.array([1.0, 0.0])
_U2 = np.array([1.0, 1.0]) / math.sqrt(2.0)


@dataclass(frozen=True, eq=False)
class Witness:
    """A witness network, the hypothesis it breaks, and how it was built."""

    name: str
    hypothesis: str
    construction: str
    network: ConcreteNetwork


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
    )


def linear_symmetric(depth: int) -> Witness:
    """σ linear and θ⁽ᴸ⁻¹⁾ chosen so that the constant J is symmetric; input rows 45° apart."""
    if depth < 2:
        raise ValueError("the linear witness needs a hidden layer (depth ≥ 2)")
    rows = np.array([[1.0, 0.0], [1.0, 1.0]])  # 45° apart
    # Dense and unimodular (det 1): the product has an integer inverse, so every stored
    # weight is an integer and J is exactly the symmetric target.
    middle = [np.array([[2.0, 1.0], [1.0, 1.0]]) for _ in range(depth - 2)]
    product = rows
    for w in middle:
        product = w @ product
    inverse = np.round(np.linalg.inv(product))
    assert np.array_equal(product @ inverse, np.eye(2))
    target = np.array([[2.0, 1.0], [1.0, 3.0]])  # the symmetric J
    readout = target @ inverse
    net = ConcreteNetwork((rows, *middle, readout), (None,) * depth, get_activation("linear"))
    return Witness(
        "linear σ",
        "A1 path-functions-independent",
        "θ⁽⁰⁾ rows 45° apart, last layer solved so that J = [[2, 1], [1, 3]]",
        net,
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
    )


def random_control(depth: int, seed: int = 0) -> Witness:
    """A random dense tanh net of the same shape: the control, far from curl-free."""
    net = ConcreteNetwork.random(_shape(depth), "tanh", np.random.default_rng(seed))
    return Witness(
        "random dense (control)",
        "",
        f"N(0, 1/fan-in) weights, seed {seed}",
        net,
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


# --- auditing ----------------------------------------------------------------------------


def row_angle(weight: np.ndarray) -> float | None:
    """Largest angle (degrees, in [0, 90]) between two nonzero rows; None with fewer than two."""
    rows = weight[np.any(weight != 0.0, axis=1)]
    return max_pairwise_angle_deg(rows) if rows.shape[0] >= 2 else None


def audit_witness(witness: Witness, seed: int = 0) -> WitnessResult:
    """Audit one witness with :func:`ptheorem.audit.run_audit` (seeded, so deterministic)."""
    net = witness.network
    report = run_audit(net, seed=seed)
    return WitnessResult(
        name=witness.name,
        shape=f"{net.spec.label()}, σ {net.activation.label}",
        hypothesis=witness.hypothesis,
        construction=witness.construction,
        method=AUDIT,
        status=str(report.verdict.status),
        root=report.curl_free.root,
        degenerate=report.degenerate.value,
        points=report.curl_free.points,
        angle=row_angle(net.weights[0]),
        conclusion=report.verdict.explanation,
        hypotheses=_failed(report),
    )


def _failed(report: AuditReport) -> tuple[str, ...]:
    return tuple(f"{h.id} ({h.paper}) {h.name}" for h in report.hypotheses if not h.holds)


def audit_witnesses(depth: int) -> Witnesses:
    """Audit every witness of this depth."""
    return _audit_all(witnesses_for(depth))


def _audit_all(chosen: tuple[Witness, ...]) -> Witnesses:
    return Witnesses(tuple(audit_witness(w) for w in chosen), AUDIT, CURL_FREE_ROOT)


def witness_step(spec: NetworkSpec) -> Step:
    """Step 11: where the hypotheses bite, on tiny live witnesses of this depth."""
    title = "Where the hypotheses bite"
    if spec.depth == 1 or spec.dim == 1:
        text = "No hypothesis is used here: with no hidden layer (or d = 1) the argument is exact."
        return Step("witnesses", 0, title, (Prose(text),))
    blocks: tuple[Block, ...] = (
        Prose(
            f"Each hypothesis is needed. Each tiny network below (depth {spec.depth}, d = 2, "
            "width 2) breaks one; the last is a random control. They are built and audited now."
        ),
        audit_witnesses(spec.depth),
    )
    return Step("witnesses", 0, title, blocks)


def demo_witnesses() -> Witnesses:
    """The counterexample classes of the demo: L = 3 ones, the L = 2 zero row, a control."""
    chosen = (
        block_diagonal(3),
        linear_symmetric(3),
        zero_readout(3),
        zero_input_row(),
        random_control(3),
    )
    return _audit_all(chosen)
