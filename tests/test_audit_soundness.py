"""Property: ``audit`` never says more than it proved, over random constructions.

Constructions (ground truth from how they are built, not from the audit):

* **rule** — parallel within each component, small-integer directions and dyadic
  scales: the stored net is exactly curl-free;
* **pairs** — units in sign pairs (tanh, sin) or complement quadruples
  (softplus, swish, gelu) with read-outs tied exactly: curl-free, H1 fails exactly;
* **near miss** — a rule net with one output column tilted by 1e-3 … 1e-15: not curl-free;
* **scaled** — rule nets scaled by powers of two near 1e±150 (still exactly
  curl-free), and random nets scaled by 1e±150 (not curl-free).

Properties: an "exact" curl-free certificate is about the stored weights (every
interval entry of J − Jᵀ at fresh points then contains 0); the rendered report
ties every "exact" to the stored weights; "corrected theorem FAILS" never
appears without its certificates; a net that is not curl-free is never a
refutation; a curl-free one is never "proved not curl-free".
"""

from __future__ import annotations

import math
from io import StringIO

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st
from rich.console import Console
from test_audit_properties import rule_network

from ptheorem.audit import AuditReport, CurlStatus, run_audit
from ptheorem.audit.graph import connectivity
from ptheorem.model.spec import NetworkSpec
from ptheorem.model.status import Status
from ptheorem.numeric import ConcreteNetwork, get_activation
from ptheorem.output.text.audit import render_audit
from ptheorem.validated.arbnet import ArbNetwork


def _rule(seed: int) -> ConcreteNetwork:
    rng = np.random.default_rng(seed)
    depth = int(rng.choice([3, 4]))
    widths = tuple(int(w) for w in rng.integers(2, 4, size=depth - 1))
    act = str(rng.choice(["tanh", "swish:1.5", "softplus", "sin"]))
    keep = float(rng.choice([0.3, 0.6, 1.0]))
    return rule_network(seed, depth, 2, widths, act, keep)[0]


def _pairs(seed: int) -> ConcreteNetwork:
    rng = np.random.default_rng(seed)
    act = str(rng.choice(["tanh", "sin", "softplus", "swish:2", "gelu"]))
    rows = rng.integers(-3, 4, size=(2, 2)).astype(float)
    rows[np.all(rows == 0, axis=1), 0] = 1.0
    w0 = np.vstack([rows, -rows])  # units θ₁, θ₂, −θ₁, −θ₂
    s = rng.choice([-1.0, -0.5, 0.5, 2.0], size=4)
    return ConcreteNetwork((w0, (w0 * s[:, None]).T), (None, None), get_activation(act))


def _near_miss(seed: int, exponent: int) -> ConcreteNetwork:
    net = _rule(seed)
    live = connectivity(net).live_last  # tilt a column some live path reaches
    assume(len(live) > 0)
    w = net.weights[-1].copy()
    n = live[0]
    col = w[:, n]
    perp = np.array([col[1], -col[0]])
    w[:, n] = col + 10.0**-exponent * perp
    assume(not np.array_equal(w, net.weights[-1]))
    return net.replace_weights(net.depth - 1, w)


def _scaled(seed: int, exponent: int, rule: bool) -> ConcreteNetwork:
    if rule:
        net = _rule(seed)
        factor = 2.0 ** round(exponent * math.log2(10))  # exact: keeps the net curl-free
    else:
        net = ConcreteNetwork.random(NetworkSpec(3, 2, (3, 3)), "tanh", np.random.default_rng(seed))
        factor = 10.0**exponent
    return net.replace_weights(0, net.weights[0] * factor)


def _interval_symmetric(net: ConcreteNetwork, seed: int) -> bool:
    """Every interval entry of J − Jᵀ contains 0 at two fresh points (128 bits)."""
    arbnet = ArbNetwork(net)
    for x in np.random.default_rng(seed + 99).standard_normal((2, net.dim)):
        jac = arbnet.jacobian(x, 128)
        for i in range(net.dim):
            for j in range(i + 1, net.dim):
                if not (jac[i, j] - jac[j, i]).contains(0):
                    return False
    return True


def _text(report: AuditReport) -> str:
    console = Console(file=StringIO(), width=400, no_color=True, force_terminal=False)
    for item in render_audit(report):
        console.print(item)
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]


def _never_overclaims(net: ConcreteNetwork, report: AuditReport, seed: int) -> None:
    curl, v = report.curl_free, report.verdict
    if curl.evidence == "exact" and curl.value is True:
        assert _interval_symmetric(net, seed), curl.detail
    text = _text(report)
    for line in text.splitlines():
        if "(exact" in line and "curl-free" in line:
            assert "stored weights" in line, line
    if v.corrected_theorem_holds is False:  # only with every certificate in hand
        h1 = report.hypothesis("H1")
        assert curl.evidence == "exact" and h1.evidence == "validated"
        assert report.path_functions is not None and not report.path_functions.sampled
    assert ("corrected theorem: FAILS" in text) == (v.corrected_theorem_holds is False)
    if v.status is Status.REFUTED:
        assert curl.evidence == "exact" and curl.value is True


def _curl_free_truth(net: ConcreteNetwork, report: AuditReport, seed: int) -> None:
    _never_overclaims(net, report, seed)
    assert report.curl_free.value is not False, report.curl_free.detail
    assert report.verdict.corrected_theorem_holds is not False


def _not_curl_free_truth(net: ConcreteNetwork, report: AuditReport, seed: int) -> None:
    _never_overclaims(net, report, seed)
    assert report.verdict.status is not Status.REFUTED, report.verdict.explanation
    assert not (report.curl_free.value is True and report.curl_free.evidence == "exact")


seeds = st.integers(0, 2**32 - 1)


@given(seeds)
def test_parallel_within_component_nets(seed: int) -> None:
    net = _rule(seed)
    report = run_audit(net, points=64, seed=seed % 997)
    _curl_free_truth(net, report, seed)
    assert report.curl_free.evidence == "exact"


@given(seeds)
def test_sign_and_complement_pairs(seed: int) -> None:
    net = _pairs(seed)
    report = run_audit(net, points=64, seed=seed % 997)
    _curl_free_truth(net, report, seed)
    h1 = report.hypothesis("H1")
    assert not h1.holds and h1.evidence == "exact", h1.detail
    assert report.verdict.status is Status.PROVED


@given(seeds, st.integers(3, 15))
def test_near_misses(seed: int, exponent: int) -> None:
    net = _near_miss(seed, exponent)
    report = run_audit(net, points=64, seed=seed % 997)
    _not_curl_free_truth(net, report, seed)
    if report.curl_free.numeric_status is CurlStatus.NOT_CURL_FREE:
        assert report.curl_free.value is False


@given(seeds, st.sampled_from([-150, -100, 100, 150]), st.booleans())
def test_scale_extremes(seed: int, exponent: int, rule: bool) -> None:
    net = _scaled(seed, exponent, rule)
    report = run_audit(net, points=64, seed=seed % 997)
    assert all(
        math.isfinite(x) for x in (report.input_weights.max_angle_deg, report.curl_free.root)
    )
    if rule:
        _curl_free_truth(net, report, seed)
        assert report.curl_free.evidence == "exact"
        assert report.input_weights.directions == report.input_weights.exact_directions
    else:
        _not_curl_free_truth(net, report, seed)
        assert not report.degenerate.value
