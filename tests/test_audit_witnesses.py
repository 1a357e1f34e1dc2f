"""``run_audit`` on one network per way the theorem can fail, built in the test module."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from ptheorem.audit import CurlStatus, run_audit
from ptheorem.audit.dependence import scan
from ptheorem.audit.graph import connectivity, live_paths
from ptheorem.counterexamples.library import (
    WITNESSES,
    block_diagonal,
    duplicate_units,
    linear_symmetric,
    parallel_integer,
    random_net,
    relu_linear_emulation,
    square_untied,
    zero_output,
)
from ptheorem.model.spec import NetworkSpec
from ptheorem.model.status import Status
from ptheorem.numeric import ConcreteNetwork, asymmetry, get_activation, parallel_network


def _holds(report, hid: str) -> bool:  # type: ignore[no-untyped-def]
    return report.hypothesis(hid).holds


@pytest.mark.parametrize("name", sorted(WITNESSES))
def test_every_witness_gets_its_verdict(name: str) -> None:
    witness = WITNESSES[name]
    report = run_audit(witness.build(), points=128)
    assert report.verdict.status is witness.status, report.verdict.explanation
    assert report.verdict.failed_hypotheses == witness.failed
    assert report.verdict.corrected_theorem_holds is True


def test_block_diagonal_middle_is_a_counterexample_explained_by_h2() -> None:
    report = run_audit(block_diagonal(), points=128)
    assert report.curl_free.status is CurlStatus.CURL_FREE
    assert report.curl_free.evidence == "exact"
    assert not report.input_weights.parallel
    assert report.input_weights.max_angle_deg == pytest.approx(90.0)
    assert [(c.first, c.last) for c in report.input_weights.components] == [
        ((1,), (1,)),
        ((2,), (2,)),
    ]
    assert all(c.parallel for c in report.input_weights.components)
    assert not _holds(report, "H2") and "(1, 2), (2, 1)" in report.hypothesis("H2").detail
    assert _holds(report, "H1") and _holds(report, "H3")
    assert report.verdict.status is Status.REFUTED
    assert "H2 fails" in report.verdict.explanation
    assert report.verdict.corrected_theorem_holds is True
    assert "as predicted" in report.verdict.corrected_detail


def _related(net: ConcreteNetwork) -> list[tuple[str, tuple[int, ...], bool]]:
    return [(d.kind, d.units, d.live) for d in scan(net, connectivity(net)).dependences]


def test_redundant_units_make_path_functions_dependent() -> None:
    net = duplicate_units()
    assert _related(net) == [("identical units", (1, 2), True)]
    report = run_audit(net, points=128)
    pf = report.path_functions
    assert pf is not None and pf.dependence_proved and pf.basis == "exact"
    assert (pf.rank, pf.paths, pf.duplicates) == (2, 2, 1)  # the duplicate's path is left out
    assert any("identical units 1, 2" in c for c in pf.causes)
    assert not _holds(report, "H1") and report.hypothesis("H1").evidence == "exact"
    assert _holds(report, "H2") and _holds(report, "H3")
    assert report.verdict.status is Status.REFUTED
    assert "vacuous" in report.verdict.corrected_detail


def test_even_sigma_prime_counts_negated_units_as_redundant() -> None:
    w0 = np.array([[1.0, 2.0], [-1.0, -2.0], [0.0, 1.0]])
    net = ConcreteNetwork((w0, np.ones((2, 3))), (None, None), get_activation("tanh"))
    assert _related(net) == [("sign pair", (1, 2), True)]
    swish = ConcreteNetwork((w0, np.ones((2, 3))), (None, None), get_activation("swish"))
    assert [(k, live) for k, _, live in _related(swish)] == [("complement pairs", False)]


def test_zero_output_is_degenerate_and_consistent() -> None:
    report = run_audit(zero_output(), points=64)
    assert report.degenerate.value
    assert "output weights are zero" in report.degenerate.reasons[0]
    assert not _holds(report, "H4")
    assert report.verdict.status is Status.PROVED
    assert report.verdict.explanation.startswith("trivial case")


def test_dead_middle_layer_is_degenerate_and_inactive_relus_are_not() -> None:
    act = get_activation("tanh")
    w = (np.eye(2), np.zeros((2, 2)), np.eye(2))
    report = run_audit(ConcreteNetwork(w, (None,) * 3, act), points=32, exact=False)
    assert report.degenerate.value and "no path of nonzero weights" in report.degenerate.reasons[0]
    assert report.verdict.status is Status.PROVED
    relu = get_activation("relu")
    dead = ConcreteNetwork((np.eye(2), np.eye(2)), (np.array([-1e3, -1e3]), None), relu)
    report = run_audit(dead, points=32, exact=False)
    assert not report.degenerate.value  # off on N(0, I) is not off everywhere
    assert report.curl_free.relocated == 32
    assert report.curl_free.evidence == "exact"  # tied: W1 = W0ᵀ = I, every pair parallel


def test_square_untied_is_exactly_curl_free_but_not_tied() -> None:
    net = square_untied()
    cols, rows = net.weights[1].T, net.weights[0]
    assert any(
        np.linalg.matrix_rank(np.vstack([c, r])) == 2 for c, r in zip(cols, rows, strict=True)
    )
    report = run_audit(net, points=128)
    assert report.curl_free.evidence == "exact" and report.curl_free.value is True
    assert report.curl_free.certificate is not None
    assert report.curl_free.certificate.method == "sympy"
    assert report.verdict.status is Status.REFUTED
    assert "not tied" in report.verdict.explanation
    assert _holds(report, "H3") and not _holds(report, "H1")
    assert report.hypothesis("H1").evidence == "exact"
    assert any("polynomial" in c for c in report.path_functions.causes)  # type: ignore[union-attr]


@pytest.mark.parametrize("depth", [2, 3])
def test_linear_sigma_symmetric_product_is_a_counterexample(depth: int) -> None:
    net = linear_symmetric(depth)
    product = (
        np.linalg.multi_dot(net.weights[::-1]) if depth > 2 else net.weights[1] @ net.weights[0]
    )
    np.testing.assert_array_equal(product, product.T)
    report = run_audit(net, points=64)
    assert report.verdict.status is Status.REFUTED
    assert report.curl_free.certificate is not None
    assert report.curl_free.certificate.method == "constant J"
    assert not _holds(report, "H3") and "σ′ is constant" in report.hypothesis("H3").detail
    assert report.path_functions is not None and report.path_functions.rank == 1


def test_relu_emulating_a_linear_unit_is_a_curl_free_counterexample() -> None:
    net = relu_linear_emulation()
    report = run_audit(net, points=256)
    assert report.curl_free.value is True and report.curl_free.evidence == "exact"
    assert report.curl_free.certificate is not None
    assert report.curl_free.certificate.method == "slope polynomial"
    assert report.curl_free.root == 0.0
    assert not report.input_weights.parallel
    assert _holds(report, "H2")
    assert not _holds(report, "H3") and "0 and 1" in report.hypothesis("H3").detail
    assert not _holds(report, "H1") and report.hypothesis("H1").evidence == "exact"
    assert "complement pairs 1/2 and 3/4" in report.hypothesis("H1").detail
    assert report.verdict.status is Status.REFUTED


def test_parallel_family_is_consistent_with_an_exact_certificate() -> None:
    report = run_audit(parallel_integer("swish:1.5"), points=128)
    assert report.curl_free.evidence == "exact"
    assert report.input_weights.parallel and report.input_weights.directions == 1
    assert report.output_pairs is not None and report.output_pairs.all_parallel
    assert report.verdict.status is Status.PROVED
    assert report.verdict.corrected_theorem_holds is True


@pytest.mark.parametrize("activation", ["tanh", "swish:2", "softplus"])
def test_random_nets_are_provably_not_curl_free(activation: str) -> None:
    report = run_audit(random_net(activation, seed=7), points=128)
    assert report.curl_free.status is CurlStatus.NOT_CURL_FREE
    assert report.curl_free.evidence == "validated"
    assert report.curl_free.root > 1e-3
    assert report.verdict.status is Status.PROVED
    assert report.verdict.corrected_theorem_holds is True
    assert all(h.holds for h in report.hypotheses)
    assert report.hypothesis("H1").evidence == "validated"


def _tilted(delta: float) -> ConcreteNetwork:
    net = parallel_network(NetworkSpec(3, 2, (3, 3)), "tanh", np.random.default_rng(1))
    w0 = net.weights[0].copy()
    w0[0] += delta * np.array([net.weights[0][0, 1], -net.weights[0][0, 0]])
    return net.replace_weights(0, w0)


def test_a_tilt_between_the_bands_is_decided_by_the_interval_certificate() -> None:
    report = run_audit(_tilted(3e-11), points=128)
    assert 1e-12 < report.curl_free.root < 1e-9
    assert report.curl_free.numeric_status is CurlStatus.INCONCLUSIVE
    assert report.curl_free.status is CurlStatus.NOT_CURL_FREE
    assert report.curl_free.evidence == "validated"
    assert report.verdict.status is Status.PROVED


def test_a_tilt_between_the_bands_stays_inconclusive_without_a_certificate() -> None:
    net = _tilted(3e-11)  # a σ with no interval form (not registered): only the bands speak
    act = replace(net.activation, name="tanh-no-interval")
    net = ConcreteNetwork(net.weights, net.biases, act)
    report = run_audit(net, points=128)
    assert report.curl_free.status is CurlStatus.INCONCLUSIVE
    assert "no interval form" in report.curl_free.detail
    assert report.verdict.status is Status.INCONCLUSIVE
    assert report.verdict.corrected_theorem_holds is None


def test_near_miss_at_1e_6_is_not_curl_free() -> None:
    report = run_audit(_tilted(1e-6), points=128)
    assert report.curl_free.status is CurlStatus.NOT_CURL_FREE
    assert report.verdict.status is Status.PROVED


def test_live_path_sampling_is_uniform_over_live_paths_and_exact_when_small() -> None:
    spec = NetworkSpec(4, 2, (3, 3, 3))
    net = ConcreteNetwork.random(spec, "tanh", np.random.default_rng(0))
    w1 = net.weights[1].copy()
    w1[0, :] = 0.0
    net = net.replace_weights(1, w1)
    conn = connectivity(net)
    assert conn.live_paths == 18  # 3 first units × 2 reachable middle units × 3 last units
    paths, sampled = live_paths(net, conn, 100, np.random.default_rng(0))
    assert not sampled and len(paths) == 18 and all(p[1] != 0 for p in paths)
    some, sampled = live_paths(net, conn, 5, np.random.default_rng(0))
    assert sampled and len(some) == 5 and set(some) <= set(paths)


def test_sampled_path_rank_on_a_wide_net_is_reported() -> None:
    net = ConcreteNetwork.random(NetworkSpec(3, 3, (20, 20)), "tanh", np.random.default_rng(2))
    report = run_audit(net, points=64, max_paths=50)
    pf = report.path_functions
    assert pf is not None and pf.sampled and pf.paths == 50 and pf.live_paths == 400
    assert pf.rank == 50 and pf.basis == "numeric" and pf.certificate is None
    assert "sampled 50 of 400 live paths (evidence, not a proof)" in report.hypothesis("H1").detail
    assert any("sampled" in n for n in report.notes)


def test_depth_one_makes_no_claim() -> None:
    sym = ConcreteNetwork((np.array([[2.0, 1.0], [1.0, 3.0]]),), (None,), get_activation("tanh"))
    report = run_audit(sym, points=16)
    assert report.curl_free.value is True and report.path_functions is None
    assert report.curl_free.evidence == "exact"
    assert report.verdict.status is Status.PROVED
    assert "no claim" in report.verdict.explanation
    skew = ConcreteNetwork((np.array([[2.0, 1.0], [1.0 + 2**-52, 3.0]]),), (None,), sym.activation)
    report = run_audit(skew, points=16)
    assert report.curl_free.value is False and report.curl_free.evidence == "exact"
    assert report.curl_free.numeric_status is CurlStatus.CURL_FREE  # below float64 resolution


def test_exact_certificate_numeric_root_matches_the_audit_sample() -> None:
    net = random_net("tanh", seed=3)
    report = run_audit(net, points=64, seed=5)
    rng = np.random.default_rng(5)
    from ptheorem.numeric import sample_points

    assert report.curl_free.root == pytest.approx(asymmetry(net, sample_points(rng, 64, 3)).root)


def test_parallel_inputs_with_a_tilted_output_column_is_a_counterexample() -> None:
    """Duplicate units let two output columns (1, 1), (1, −1) sum to (2, 0) ∥ the input e₁."""
    w = (np.array([[1.0, 0.0], [1.0, 0.0]]), np.ones((2, 2)), np.array([[1.0, 1.0], [1.0, -1.0]]))
    net = ConcreteNetwork(w, (None,) * 3, get_activation("tanh"))
    report = run_audit(net, points=64)
    assert report.curl_free.value is True and report.input_weights.parallel
    assert report.input_weights.exact_parallel
    assert report.output_pairs is not None and not report.output_pairs.all_parallel
    assert report.verdict.status is Status.REFUTED
    assert "output column" in report.verdict.explanation
    assert report.verdict.failed_hypotheses == ("H1",)


def test_units_are_numbered_from_one_in_fields_text_and_json() -> None:
    """Audit numbers units 1, 2, … as the paper and ``check`` do; W0 … W{L−1} keep array names."""
    from io import StringIO

    from rich.console import Console

    from ptheorem.output.json.audit import audit_to_dict
    from ptheorem.output.text.audit import render_audit

    report = run_audit(block_diagonal(), points=64)
    assert report.input_weights.live_units == (1, 2)
    console = Console(file=StringIO(), width=200, no_color=True, force_terminal=False)
    for item in render_audit(report):
        console.print(item)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "live first-layer units 1, 2" in text
    assert "m {1} ↔ n {1}" in text and "m {2} ↔ n {2}" in text
    doc = audit_to_dict(report)["input_weights"]
    assert doc["live_units"] == [1, 2]
    assert [(c["first"], c["last"]) for c in doc["components"]] == [([1], [1]), ([2], [2])]

    w = (np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), np.ones((2, 3)), np.eye(2))
    report = run_audit(ConcreteNetwork(w, (None,) * 3, get_activation("tanh")), points=64)
    assert report.input_weights.zero_rows == (1,) and report.input_weights.live_units == (2, 3)
    assert report.hypothesis("H5").detail == "zero input row of W0: 1"

    relu = get_activation("relu")
    w = (np.eye(3)[:, :2].copy(), np.ones((2, 3)), np.eye(2))
    dead = ConcreteNetwork(w, (np.array([0.0, 0.0, -1e3]), None, None), relu)
    causes = run_audit(dead, points=64, exact=False).path_functions.causes  # type: ignore[union-attr]
    assert "identical units 1, 2 in hidden layer 2" in " ".join(causes)

    net = square_untied()
    report = run_audit(net, points=128)
    pairs = report.output_pairs
    assert pairs is not None and pairs.worst_pair is not None
    n, m = pairs.worst_pair
    assert n >= 1 and m >= 1 and f"unit {m}'s readout column" in report.verdict.explanation
    col, row = net.weights[-1][:, n - 1], net.weights[0][m - 1]
    cos = abs(col @ row) / (np.linalg.norm(col) * np.linalg.norm(row))
    assert np.degrees(np.arccos(min(cos, 1.0))) == pytest.approx(pairs.max_angle_deg, abs=1e-6)
