"""The five failure classes of issue 9, each on our own constructions, answered soundly.

Ground truth comes from the construction (exact dyadic weights, or a tilt we
put in), never from the audit itself.  Every test checks both that the audit
answers and that it does not say more than it proved.
"""

from __future__ import annotations

import math
from io import StringIO

import numpy as np
import pytest
from rich.console import Console

from ptheorem import tolerances
from ptheorem.audit import CurlStatus, certificate, run_audit
from ptheorem.audit.geometry import max_pairwise_angle_deg, unit_rows
from ptheorem.audit.graph import connectivity
from ptheorem.counterexamples.library import block_diagonal, parallel_integer
from ptheorem.model.spec import NetworkSpec
from ptheorem.model.status import Status
from ptheorem.numeric import ConcreteNetwork, get_activation
from ptheorem.output.text.audit import render_audit


def _text(report) -> str:  # type: ignore[no-untyped-def]
    console = Console(file=StringIO(), width=160, no_color=True, force_terminal=False)
    for item in render_audit(report):
        console.print(item)
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]


def _net(weights: list[object], activation: str, biases: tuple[object, ...] | None = None):  # type: ignore[no-untyped-def]
    ws = tuple(np.array(w, dtype=float) for w in weights)
    bs = biases if biases is not None else (None,) * len(ws)
    return ConcreteNetwork(ws, bs, get_activation(activation))  # type: ignore[arg-type]


# --- 1. "exact" means the stored weights --------------------------------------------------


def test_cancelling_large_weights_are_not_certified_through_a_rounded_neighbour() -> None:
    """Columns 1e9·u + 4e-4·e₁ and −1e9·u on two identical units: J = σ′·(4e-4, 0)ᵀuᵀ."""
    u = [1.0, 2.0]
    w0 = [u, u]
    w1 = np.array([[1e9 + 4e-4, -1e9], [2e9, -2e9]])
    net = _net([w0, w1], "tanh")
    assert certificate.rationalize_network(net) is not None  # the old, rounded neighbour exists
    report = run_audit(net, points=128)
    curl = report.curl_free
    assert curl.root > 0.3  # the file's net is far from curl-free
    assert curl.status is CurlStatus.NOT_CURL_FREE and curl.evidence == "validated"
    assert report.verdict.status is Status.PROVED
    assert "exact" not in _text(report).split("degenerate")[0]  # the curl-free lines
    neighbour = certificate.certify_nearby_rational(net)
    assert neighbour is not None and neighbour.kind == "nearby-rational" and neighbour.holds


def test_a_tied_net_is_never_called_not_curl_free_exactly() -> None:
    rng = np.random.default_rng(4)
    w0 = rng.standard_normal((3, 2))
    exact = _net([w0, (w0 * np.array([[0.5], [-2.0], [0.25]])).T], "tanh")  # S dyadic: exact tie
    report = run_audit(exact, points=128)
    assert report.curl_free.evidence == "exact" and report.curl_free.value is True
    assert report.verdict.status is Status.PROVED
    assert report.verdict.corrected_theorem_holds is True
    rounded = _net([w0, (w0 * np.array([[0.3], [-1.7], [0.1]])).T], "tanh")  # tie up to rounding
    report = run_audit(rounded, points=128)
    assert report.curl_free.root < 1e-15
    assert report.curl_free.evidence != "exact"
    assert report.verdict.status in (Status.SUPPORTED, Status.PROVED)
    assert report.verdict.corrected_theorem_holds is True


def test_exact_and_numeric_disagreement_is_inconclusive() -> None:
    from ptheorem.audit.curl import decide
    from ptheorem.audit.report import CurlCertificate
    from ptheorem.audit.sampling import measure_sample

    net = block_diagonal()
    sample = measure_sample(net, connectivity(net), 64, 0)
    skewed = type(sample)(**{**sample.__dict__, "nasym": 0.25, "root": 0.5})
    proof = CurlCertificate("exact", True, "parallel pairs", "exact: …")
    finding = decide(skewed, (1e-12, 1e-9), 1.0, proof, ())
    assert finding.status is CurlStatus.INCONCLUSIVE and finding.value is None
    assert finding.disagreement is not None and "0.5" in finding.disagreement


# --- 2. dependences found exactly, before any sampling -----------------------------------


def _paired(activation: str, pairs: int, seed: int) -> ConcreteNetwork:
    """L = 3, d = 3, ~1000 live paths; first-layer units come in pairs θ, −θ (bias negated)."""
    rng = np.random.default_rng(seed)
    half = rng.standard_normal((pairs, 3))
    hb = rng.standard_normal(pairs)
    w0 = np.vstack([half, -half])
    b0 = np.concatenate([hb, -hb])
    w1 = rng.standard_normal((32, 2 * pairs))
    w2 = rng.standard_normal((3, 32))
    return ConcreteNetwork((w0, w1, w2), (b0, None, None), get_activation(activation))


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(
    ("activation", "kind"),
    [
        ("tanh", "sign pair"),
        ("sin", "sign pair"),
        ("softplus", "complement pairs"),
        ("swish:2", "complement pairs"),
        ("gelu", "complement pairs"),
    ],
)
def test_sign_and_complement_pairs_are_found_whatever_the_seed(
    activation: str, kind: str, seed: int
) -> None:
    net = _paired(activation, 16, seed)
    assert connectivity(net).live_paths == 1024
    report = run_audit(net, points=64, seed=seed, max_paths=256, exact=False)
    h1 = report.hypothesis("H1")
    assert not h1.holds and h1.evidence == "exact" and kind in h1.detail
    pf = report.path_functions
    assert pf is not None and pf.sampled and pf.dependence_proved
    assert pf.suspects > 0 if kind == "complement pairs" else True
    assert report.verdict.corrected_theorem_holds is not False


def test_a_single_complement_pair_proves_nothing_and_is_a_suspect() -> None:
    net = _paired("softplus", 1, 0)
    report = run_audit(net, points=64, exact=False)
    pf = report.path_functions
    assert pf is not None and not pf.dependence_proved
    assert any("no dependence is proved" in c for c in pf.causes)


# --- 3. one set of tolerances, consistent --------------------------------------------------


def test_every_threshold_comes_from_one_module() -> None:
    assert certificate.NUMERIC_CERT_ROOT == tolerances.CURL_FREE_ROOT
    assert tolerances.PARALLEL_SIN == tolerances.CURL_FREE_ROOT
    low, high = tolerances.curl_bands(6, (64, 256, 256, 64))
    assert high / low == tolerances.NOT_CURL_FREE_ROOT / tolerances.CURL_FREE_ROOT
    net = _net([[[1.0, 0.0], [-0.0, -0.0]], [[1.0, 0.0], [0.0, 1.0]]], "tanh")
    assert connectivity(net).live_first == (0,)  # −0.0 is a zero weight like 0.0


@pytest.mark.parametrize("tilt", [3e-9, 5e-9])
def test_a_tilt_of_a_few_1e_9_is_neither_parallel_nor_a_contradiction(tilt: float) -> None:
    net = parallel_integer("tanh")
    w0 = net.weights[0].copy()
    w0[0] += tilt * np.array([2.0, -1.0])
    report = run_audit(net.replace_weights(0, w0), points=128)
    assert not report.input_weights.parallel and not report.input_weights.exact_parallel
    assert report.curl_free.status is CurlStatus.NOT_CURL_FREE
    assert report.verdict.status is Status.PROVED
    assert report.verdict.corrected_theorem_holds is True


def test_parallel_within_tolerance_yet_not_curl_free_is_a_finding() -> None:
    """Rows 1e-13 apart; output columns ±1e6 cancel, so the tilt shows at O(1e-7)."""
    r1, r2 = np.array([1.0, 2.0]), np.array([1.0, 2.0 + 2e-13])
    w1 = np.stack([1e6 * r1, -1e6 * r1 + 1e-3 * r1], axis=1)
    report = run_audit(_net([[r1, r2], w1], "tanh"), points=128)
    assert report.output_pairs is not None and report.output_pairs.all_parallel
    assert not report.output_pairs.exact_all_parallel
    assert report.curl_free.status is CurlStatus.NOT_CURL_FREE
    assert report.curl_free.evidence == "validated"
    assert report.verdict.corrected_theorem_holds is True
    assert "within the numeric tolerance but not exactly parallel" in (
        report.verdict.corrected_detail
    )


# --- 4. floating-point range ---------------------------------------------------------------


def test_tiny_exactly_parallel_rows_give_one_direction() -> None:
    net = parallel_integer("tanh")
    tiny = net.replace_weights(0, np.ldexp(net.weights[0], -548))  # rows of norm ~1e-165
    assert np.linalg.norm(tiny.weights[0][0]) ** 2 == 0.0  # squaring underflows
    report = run_audit(tiny, points=64)
    iw = report.input_weights
    assert iw.directions == 1 and iw.exact_directions == 1 and iw.max_angle_deg == 0.0
    assert report.verdict.status is Status.PROVED


def test_huge_orthogonal_rows_are_not_parallel() -> None:
    rows = np.array([[1e200, 0.0], [0.0, 1e200]])
    assert max_pairwise_angle_deg(rows) == pytest.approx(90.0)
    assert np.allclose(unit_rows(rows), np.eye(2))
    net = _net([rows, [[1.0, 0.0], [0.0, 3.0]]], "tanh")
    report = run_audit(net, points=64)
    assert not report.input_weights.parallel and report.input_weights.directions == 2


@pytest.mark.parametrize("activation", ["tanh", "sin"])
def test_huge_first_layer_weights_are_not_trivially_curl_free(activation: str) -> None:
    base = ConcreteNetwork.random(NetworkSpec(3, 3, (4, 4)), activation, np.random.default_rng(3))
    net = base.replace_weights(0, base.weights[0] * 1e9)
    report = run_audit(net, points=128)
    assert not report.degenerate.value
    assert report.curl_free.status is not CurlStatus.CURL_FREE
    assert report.curl_free.status is CurlStatus.NOT_CURL_FREE
    assert report.curl_free.evidence == "validated"
    assert report.verdict.status is Status.PROVED


def test_relus_switched_off_on_the_sample_are_moved_onto_their_slabs() -> None:
    base = ConcreteNetwork.random(NetworkSpec(3, 3, (4, 4)), "relu", np.random.default_rng(3))
    net = ConcreteNetwork(base.weights, (np.full(4, -1e3), None, None), base.activation)
    report = run_audit(net, points=128)
    assert not report.degenerate.value and "trivial" not in report.verdict.explanation
    assert report.curl_free.relocated > 0
    assert report.curl_free.status is CurlStatus.NOT_CURL_FREE
    assert report.curl_free.evidence == "validated"


def test_a_hidden_relu_that_no_sample_reaches_is_inconclusive_not_trivial() -> None:
    w = ([[1.0, 0.0], [0.0, 1.0]], [[1.0, 1.0]], [[1.0], [2.0]])
    net = _net(list(w), "relu", (None, np.array([-1e3]), None))
    report = run_audit(net, points=64)
    assert not report.degenerate.value
    assert report.curl_free.status is CurlStatus.INCONCLUSIVE
    assert report.curl_free.off_units == ((2, (1,)),)
    assert report.verdict.status is Status.INCONCLUSIVE


# --- 5. near misses below the curl-free band ----------------------------------------------


@pytest.mark.parametrize("delta", [1e-13, 1e-14, 1e-15])
def test_near_misses_below_the_band_are_never_counterexamples(delta: float) -> None:
    net = block_diagonal()
    w2 = net.weights[2].copy()
    w2[1, 0] += delta  # output column 1 tilts off its input row e₁
    report = run_audit(net.replace_weights(2, w2), points=128)
    assert report.curl_free.root < 1e-12  # in the curl-free band at float64 …
    assert report.verdict.status is not Status.REFUTED  # … but never a counterexample
    assert report.curl_free.evidence != "exact"
    assert report.verdict.corrected_theorem_holds is not False
    assert report.verdict.status in (Status.PROVED, Status.INCONCLUSIVE)
    if report.verdict.status is Status.PROVED:
        cert = report.curl_free.certificate
        assert cert is not None and cert.kind == "validated" and cert.interval is not None
        lo, hi = cert.interval
        assert (lo > 0 or hi < 0) and max(abs(lo), abs(hi)) < 1e-10
        assert math.isfinite(lo) and math.isfinite(hi)
