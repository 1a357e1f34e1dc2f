"""Properties: nets built from the corrected rule are gradients; nudged off it they are not.

The corrected theorem: with independent path functions, ψ is curl-free exactly
when every live output column is parallel to every input row it reaches
through a path of nonzero weights.  Here the rule is applied to random masks
of the middle layers (components computed independently of ``ptheorem.audit``)
with small-integer directions and dyadic scales, so the stored float64 weights
obey the rule *exactly* and the audit can prove it.
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from ptheorem.audit import CurlStatus, run_audit
from ptheorem.model.status import Status
from ptheorem.numeric import ConcreteNetwork, asymmetry, get_activation, sample_points

ACTIVATIONS = ["tanh", "swish:1.5", "softplus", "sin"]


def _components(reach: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Label first units (columns) and last units (rows) by connected component (BFS)."""
    n_last, n_first = reach.shape
    first = np.full(n_first, -1)
    last = np.full(n_last, -1)
    label = 0
    for start in range(n_first):
        if first[start] >= 0:
            continue
        first[start] = label
        frontier = [("m", start)]
        while frontier:
            kind, u = frontier.pop()
            if kind == "m":
                for n in np.flatnonzero(reach[:, u]):
                    if last[n] < 0:
                        last[n] = label
                        frontier.append(("n", int(n)))
            else:
                for m in np.flatnonzero(reach[u]):
                    if first[m] < 0:
                        first[m] = label
                        frontier.append(("m", int(m)))
        label += 1
    for n in np.flatnonzero(last < 0):  # last units no first unit reaches
        last[n] = label
        label += 1
    return first, last


def rule_network(
    seed: int, depth: int, dim: int, widths: tuple[int, ...], activation: str, keep: float
) -> tuple[ConcreteNetwork, np.ndarray]:
    """A net obeying the corrected rule on random middle masks; returns it and its reach."""
    rng = np.random.default_rng(seed)
    sizes = (dim, *widths, dim)
    middle = []
    for k in range(1, depth - 1):
        w = rng.standard_normal((sizes[k + 1], sizes[k]))
        w *= rng.random(w.shape) < keep
        middle.append(w)
    reach = np.eye(widths[0], dtype=bool)
    for w in middle:
        reach = (np.abs(w) @ reach.astype(float)) > 0
    first, last = _components(reach)
    count = int(max(first.max(), last.max())) + 1
    dirs = rng.integers(-3, 4, size=(count, dim)).astype(float)
    dirs[np.all(dirs == 0, axis=1), 0] = 1.0
    dyadic = np.array([0.5, 0.75, 1.0, 1.25, 1.5])  # a·u is exact in float64
    a = rng.choice((-1.0, 1.0), widths[0]) * rng.choice(dyadic, widths[0])
    c = rng.choice((-1.0, 1.0), widths[-1]) * rng.choice(dyadic, widths[-1])
    w0 = a[:, None] * dirs[first]
    w_last = (c[:, None] * dirs[last]).T
    biases = tuple(rng.standard_normal(s) * 0.5 for s in sizes[1:])
    net = ConcreteNetwork((w0, *middle, w_last), biases, get_activation(activation))
    return net, reach


nets = st.tuples(
    st.integers(0, 2**32 - 1),
    st.sampled_from([3, 4]),
    st.integers(2, 3),
    st.lists(st.integers(2, 4), min_size=3, max_size=3),
    st.sampled_from(ACTIVATIONS),
    st.sampled_from([0.3, 0.6, 1.0]),
)


@given(nets)
def test_nets_built_from_the_corrected_rule_are_curl_free(params) -> None:  # type: ignore[no-untyped-def]
    seed, depth, dim, widths, activation, keep = params
    net, _ = rule_network(seed, depth, dim, tuple(widths[: depth - 1]), activation, keep)
    X = sample_points(np.random.default_rng(seed), 128, dim)
    assert asymmetry(net, X).root <= 1e-12
    report = run_audit(net, points=128, seed=seed % 1000, exact=False)
    assert report.curl_free.status is CurlStatus.CURL_FREE
    assert report.curl_free.evidence == "exact"  # exactly parallel pairs, for every σ
    assert report.verdict.corrected_theorem_holds is True, report.verdict.corrected_detail
    assert report.verdict.status in (Status.PROVED, Status.REFUTED)
    for comp in report.input_weights.components:
        assert comp.parallel and comp.exact_parallel


@given(nets)
def test_nudging_a_live_input_row_off_the_rule_breaks_curl_freeness(params) -> None:  # type: ignore[no-untyped-def]
    seed, depth, dim, widths, activation, keep = params
    net, reach = rule_network(seed, depth, dim, tuple(widths[: depth - 1]), activation, keep)
    rng = np.random.default_rng(seed + 1)
    live = np.flatnonzero(reach.any(axis=0))
    assume(live.size > 0)
    m = int(rng.choice(live))
    row = net.weights[0][m]
    tilt = rng.standard_normal(dim)
    tilt -= tilt @ row / (row @ row) * row  # orthogonal to the row: off its line
    w0 = net.weights[0].copy()
    w0[m] += 1e-3 * np.linalg.norm(row) * tilt / np.linalg.norm(tilt)
    report = run_audit(net.replace_weights(0, w0), points=128, seed=seed % 1000, exact=False)
    assert report.curl_free.status is CurlStatus.NOT_CURL_FREE, report.curl_free.detail
    assert report.curl_free.evidence == "validated"
    assert report.verdict.status is Status.PROVED
    assert report.verdict.corrected_theorem_holds is True, report.verdict.corrected_detail
