"""Audits at real sizes: the matrix-free √NAsym, the one-column interval certificate, Gram angles.

Each fast path is compared with the exact one it replaces on nets small enough
for both, and fed inputs that must make it answer differently.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ptheorem.audit import run_audit
from ptheorem.audit import sampling as sampling_module
from ptheorem.audit.curl import band
from ptheorem.audit.geometry import _direct, gram_angles, line_angles, unit_rows
from ptheorem.audit.graph import connectivity
from ptheorem.audit.report import CurlStatus
from ptheorem.audit.sampling import EXACT, PROBES, measure_sample, use_probes
from ptheorem.counterexamples.library import block_diagonal
from ptheorem.model.spec import NetworkSpec
from ptheorem.numeric import ConcreteNetwork, parallel_network
from ptheorem.validated.curl import refute_by_columns

SPEC = NetworkSpec(4, 12, (20, 20, 20), bias=True)


def random_net(seed: int = 0) -> ConcreteNetwork:
    return ConcreteNetwork.random(SPEC, "swish", np.random.default_rng(seed))


def exact_parallel_net() -> ConcreteNetwork:
    """Input rows and output columns dyadic multiples of one u: curl-free exactly, d = 12."""
    rng = np.random.default_rng(5)
    u = rng.integers(-4, 5, 12) / 4.0
    u[0] = 1.0
    w0 = np.outer(rng.integers(1, 8, 20) / 8.0, u)
    w3 = np.outer(u, rng.integers(-8, 8, 20) / 8.0)
    middle = [rng.standard_normal((20, 20)) / 5 for _ in range(2)]
    return ConcreteNetwork((w0, *middle, w3), (None,) * 4, random_net().activation)


def test_jvp_and_vjp_are_the_jacobian_products() -> None:
    net = random_net()
    X = np.random.default_rng(1).standard_normal((5, 12))
    V = np.random.default_rng(2).standard_normal((5, 12))
    J = net.jacobians(X)
    assert np.allclose(net.jvp(X, V), np.einsum("pij,pj->pi", J, V), atol=1e-14)
    assert np.allclose(net.vjp(X, V), np.einsum("pji,pj->pi", J, V), atol=1e-14)
    assert not np.allclose(net.jvp(X, V), net.vjp(X, V))  # J is not symmetric here


def test_the_probe_interval_covers_the_exact_nasym_about_95_percent_of_the_time() -> None:
    from ptheorem.audit.graph import live_units
    from ptheorem.audit.probes import confidence, measure_probes
    from ptheorem.audit.sampling import _pool, _scaled

    net = random_net(1)
    conn = connectivity(net)
    exact = measure_sample(net, conn, 128, 0, probes=0)
    assert exact.estimator == EXACT and exact.interval is None
    hits, widths = 0, []
    for seed in range(60):
        m = measure_probes(net, exact.X, _scaled(net.weights), live_units(conn), 4, 100 + seed)
        nasym = _pool(m)[0]
        lo, hi = confidence(m, nasym)
        hits += lo <= exact.nasym <= hi
        widths.append((hi - lo) / exact.nasym)
    assert hits >= 50  # ≈95 % of 60 is 57; below 50 has probability < 1e-3
    assert float(np.median(widths)) < 0.2  # informative, not vacuous


def test_measure_sample_labels_the_probe_estimate() -> None:
    net = random_net(2)
    conn = connectivity(net)
    exact = measure_sample(net, conn, 256, 0, probes=0)
    probed = measure_sample(net, conn, 256, 0, probes=8)
    assert probed.estimator == PROBES and probed.probes == 8 and probed.interval is not None
    assert abs(probed.root - exact.root) < 0.1 * exact.root


def test_a_symmetric_jacobian_stays_at_round_off_under_probes() -> None:
    net = parallel_network(SPEC, "tanh", np.random.default_rng(0))
    probed = measure_sample(net, connectivity(net), 128, 0, probes=4)
    assert probed.interval is not None and probed.interval[1] < 1e-13
    status, text = band(probed, 1e-12, 1e-9)
    assert status is CurlStatus.CURL_FREE and "matrix-free estimate, 4 random" in text


def test_the_bands_apply_to_the_interval_not_the_estimate() -> None:
    net = random_net()
    probed = measure_sample(net, connectivity(net), 64, 0, probes=2)
    assert probed.interval is not None
    lo, hi = probed.interval
    inside = (lo + probed.root) / 2  # a not-curl-free bound inside the interval
    assert band(probed, 1e-12, inside)[0] is CurlStatus.INCONCLUSIVE
    assert band(probed, 1e-12, lo)[0] is CurlStatus.NOT_CURL_FREE


def test_probes_run_only_past_the_budget(monkeypatch) -> None:
    small = random_net()
    assert not use_probes(small, 512)
    monkeypatch.setattr(sampling_module, "FULL_JACOBIAN_BUDGET", 0.0)
    assert use_probes(small, 512)
    one_layer = ConcreteNetwork.random(NetworkSpec(1, 12, ()), "tanh", np.random.default_rng(0))
    assert not use_probes(one_layer, 512)


@pytest.mark.parametrize(
    ("net", "status", "evidence"),
    [
        (random_net(), CurlStatus.NOT_CURL_FREE, "validated"),
        (exact_parallel_net(), CurlStatus.CURL_FREE, "exact"),
        (parallel_network(SPEC, "tanh", np.random.default_rng(0)), CurlStatus.CURL_FREE, "numeric"),
    ],
    ids=["random", "block", "parallel"],
)
def test_a_matrix_free_audit_reaches_the_exact_audits_verdict(
    monkeypatch, net, status, evidence
) -> None:
    exact = run_audit(net, points=128)
    monkeypatch.setattr(sampling_module, "FULL_JACOBIAN_BUDGET", 0.0)
    probed = run_audit(net, points=128)
    assert probed.curl_free.probes == 2 and probed.curl_free.interval is not None
    assert exact.curl_free.probes == 0
    for report in (exact, probed):
        assert report.curl_free.status is status
        assert report.curl_free.evidence == evidence
    assert probed.verdict.status is exact.verdict.status


def test_the_column_certificate_proves_not_curl_free_and_never_for_a_symmetric_net() -> None:
    net = random_net()
    X = np.random.default_rng(3).standard_normal((2, 12))
    cert, why = refute_by_columns(net, X)
    assert cert is not None and why == ""
    i, j = cert.entry
    J = net.jacobians(np.array([cert.point]))[0]
    assert cert.lower <= J[i - 1, j - 1] - J[j - 1, i - 1] <= cert.upper
    assert cert.lower > 0 or cert.upper < 0
    cert, why = refute_by_columns(
        block_diagonal(), np.random.default_rng(4).standard_normal((3, 2))
    )
    assert cert is None and "proves nothing" in why


def test_gram_angles_agree_with_the_chord_formula_down_to_tiny_tilts() -> None:
    rng = np.random.default_rng(0)
    u = rng.standard_normal(30)
    for tilt in (0.0, 1e-14, 1e-12, 1e-9, 1e-6, 1e-3, 1.0):
        rows = np.outer(rng.choice([-1.0, 1.0], 80) * rng.uniform(0.5, 2, 80), u)
        unit = unit_rows(rows + tilt * rng.standard_normal((80, 30)))
        exact = _direct(unit, unit)
        fast = gram_angles(unit, unit)
        assert np.allclose(fast, exact, rtol=1e-6, atol=1e-15), tilt


def test_gram_angles_group_path_matches_too(monkeypatch) -> None:
    from ptheorem.audit import geometry

    monkeypatch.setattr(geometry, "PAIRWISE_LIMIT", 4)  # force the group-by-group recheck
    rng = np.random.default_rng(1)
    u = rng.standard_normal(20)
    rows = np.outer(rng.uniform(0.5, 2, 60), u) + 1e-12 * rng.standard_normal((60, 20))
    other = rng.standard_normal((10, 20))  # not near anything
    unit = unit_rows(np.vstack([rows, other]))
    assert np.allclose(gram_angles(unit, unit), _direct(unit, unit), rtol=1e-4, atol=1e-15)


def test_line_angles_switches_to_gram_only_for_large_inputs(monkeypatch) -> None:
    from ptheorem.audit import geometry

    calls = []
    monkeypatch.setattr(geometry, "gram_angles", lambda a, b: calls.append(1) or _direct(a, b))
    small = unit_rows(np.random.default_rng(0).standard_normal((10, 4)))
    line_angles(small, small)
    assert not calls
    monkeypatch.setattr(geometry, "DIRECT_ELEMENTS", 10)
    line_angles(small, small)
    assert calls


def test_vectorised_line_keys_partition_rows_exactly_like_line_key() -> None:
    import itertools

    from ptheorem.validated.dyadic import line_key, line_keys

    rng = np.random.default_rng(0)
    rows = [np.zeros(5), np.array([0.0, 5e-324, 0, 0, 0]), np.array([0.0, 1.0, 0, 0, 0])]
    rows += [np.array([0.1, 0.3, 0, 0, 0]), np.array([1.0, 3.0, 0, 0, 0])]
    for base in rng.standard_normal((6, 5)):
        for c in (1.0, -1.0, 2.0**-600, 3.0, 0.1, -(2.0**300), 1e-310 / np.max(np.abs(base))):
            rows.append(base * c)
    fast = line_keys(np.array(rows))
    slow = [line_key(r) for r in rows]
    pairs = list(itertools.combinations(range(len(rows)), 2))
    assert sum(slow[i] == slow[j] for i, j in pairs) > 20  # the test has equal lines to find
    assert all((fast[i] == fast[j]) == (slow[i] == slow[j]) for i, j in pairs)
    assert fast[0] is None and slow[0] is None


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 9).flatmap(
        lambda n: st.integers(1, 9).flatmap(
            lambda m: st.lists(st.booleans(), min_size=n * m, max_size=n * m).map(
                lambda bits: np.array(bits, dtype=bool).reshape(n, m)
            )
        )
    )
)
def test_vectorised_components_are_the_union_find_components(pairs: np.ndarray) -> None:
    """The audit's label propagation finds exactly the union-find's components, in its order."""
    from ptheorem.audit.graph import Component, _components
    from ptheorem.model.links import bipartite_components

    live_first = tuple(int(m) for m in np.flatnonzero(pairs.any(axis=0)))
    live_last = tuple(int(n) for n in np.flatnonzero(pairs.any(axis=1)))
    links = [(int(n), int(m)) for n, m in np.argwhere(pairs)]
    expected = tuple(
        Component(f, la) for f, la in bipartite_components(links, live_first, live_last)
    )
    assert _components(pairs, live_first, live_last) == expected


def test_components_of_a_long_chain_and_of_many_blocks() -> None:
    from ptheorem.audit.graph import _components

    k = 300
    chain = np.eye(k, dtype=bool) | np.eye(k, k, 1, dtype=bool)  # n links m and m + 1
    everything = tuple(range(k))
    (only,) = _components(chain, everything, everything)
    assert only.first == everything and only.last == everything
    blocks = np.eye(k, dtype=bool)
    comps = _components(blocks, everything, everything)
    assert [(c.first, c.last) for c in comps] == [((u,), (u,)) for u in range(k)]
    broken = chain.copy()
    broken[149, 150] = False  # the chain cut in two
    assert [len(c.first) for c in _components(broken, everything, everything)] == [150, 150]
