"""The search core: the exact read-out solve, exact Jacobians, constraints, and what it finds."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ptheorem.activations import get_activation
from ptheorem.counterexamples.search import (
    NONE_ROOT,
    SearchConfig,
    min_line_angle,
    quadratic_forms,
    repair_rows,
    run_search,
    solve_last_layer,
)
from ptheorem.counterexamples.search.core import make_problem, restart_rng
from ptheorem.counterexamples.search.lastlayer import ratio
from ptheorem.counterexamples.search.notes import mask_connects
from ptheorem.counterexamples.search.second import searchable_activations, second_derivative
from ptheorem.counterexamples.search.snap import rational_unit
from ptheorem.io.mask import parse_mask
from ptheorem.io.netfile import load_network, save_network
from ptheorem.model.spec import NetworkSpec
from ptheorem.model.status import Status
from ptheorem.numeric.metrics import asymmetry, sample_points
from ptheorem.output.json.search import witness_extra


def _bt(n: int, d: int, width: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((n, d, width))


# --- the read-out solved exactly ------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_quadratic_forms_match_direct_sums(seed: int) -> None:
    bt = _bt(40, 3, 4, seed)
    a, g = quadratic_forms(bt)
    w = np.random.default_rng(seed + 10).standard_normal((3, 4))
    _, num, den = ratio(w, bt)
    v = w.ravel()
    assert v @ a @ v == pytest.approx(num, rel=1e-12)
    assert v @ np.kron(np.eye(3), g) @ v == pytest.approx(den, rel=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_eigen_solve_equals_brute_force_minimum(seed: int) -> None:
    """d = 2, one last-hidden unit: the read-out is a direction in the plane, so a fine grid
    over its angle is a brute-force minimisation of the ratio."""
    bt = _bt(30, 2, 1, seed)
    sol = solve_last_layer(bt)
    grid = np.linspace(0.0, math.pi, 200_001)
    values = [ratio(np.array([[math.cos(t)], [math.sin(t)]]), bt)[0] for t in grid[::100]]
    coarse = int(np.argmin(values)) * 100
    fine = grid[max(0, coarse - 100) : coarse + 101]
    brute = min(ratio(np.array([[math.cos(t)], [math.sin(t)]]), bt)[0] for t in fine)
    assert sol.nasym == pytest.approx(brute, rel=1e-6, abs=1e-14)
    assert sol.nasym <= brute + 1e-14
    assert np.linalg.norm(sol.weight) == pytest.approx(1.0)


def test_eigen_solve_beats_random_read_outs() -> None:
    bt = _bt(50, 3, 3, 7)
    sol = solve_last_layer(bt)
    rng = np.random.default_rng(0)
    assert all(ratio(rng.standard_normal((3, 3)), bt)[0] >= sol.nasym for _ in range(2000))


def test_eigen_solve_ignores_directions_j_never_sees() -> None:
    """A dead last-hidden unit makes G singular; the answer must not be the trivial J ≡ 0."""
    bt = _bt(30, 2, 3, 4)
    bt[:, :, 2] = 0.0
    sol = solve_last_layer(bt)
    assert not sol.degenerate
    assert ratio(sol.weight, bt)[2] > 0
    assert np.allclose(sol.weight[:, 2], 0.0)
    assert solve_last_layer(np.zeros((5, 2, 2))).degenerate


# --- exact derivatives -------------------------------------------------------------------


@pytest.mark.parametrize("name", searchable_activations())
def test_second_derivatives_match_differences_of_first(name: str) -> None:
    act = get_activation(name)
    t = np.linspace(-3.1, 2.9, 41)
    h = 1e-6
    fd = (act.df(t + h) - act.df(t - h)) / (2 * h)
    assert np.allclose(second_derivative(act)(t), fd, atol=1e-6, rtol=1e-6)


@pytest.mark.parametrize(
    ("act", "dim", "widths", "dense_min", "mask"),
    [
        ("tanh", 2, (2, 2), 0.25, None),
        ("swish:1.5", 2, (3, 2, 2), 0.0, None),
        ("gelu", 3, (4, 4), 0.25, "blocks:2"),
        ("square", 2, (3, 1), 0.25, None),
    ],
)
def test_residual_jacobian_is_exact(
    act: str, dim: int, widths: tuple[int, ...], dense_min: float, mask: str | None
) -> None:
    spec = NetworkSpec(len(widths) + 1, dim, widths, False, act)
    config = SearchConfig(
        spec, None if mask is None else parse_mask(mask, spec), min_angle=1.0, dense_min=dense_min
    )
    problem, theta = make_problem(config).random_start(restart_rng(0, 2, 0))
    readout = np.random.default_rng(1).standard_normal((dim, widths[-1]))
    r, jac = problem.residuals(theta, readout)
    assert r @ r == pytest.approx(
        ratio(readout, problem.propagate(problem.weights(theta), None)[0])[0]
    )
    z = np.concatenate([theta, readout.ravel()])
    h = 1e-6
    fd = np.empty_like(jac)
    for k in range(z.size):
        zp, zm = z.copy(), z.copy()
        zp[k] += h
        zm[k] -= h
        rp = problem.residuals(zp[: theta.size], zp[theta.size :].reshape(readout.shape))[0]
        rm = problem.residuals(zm[: theta.size], zm[theta.size :].reshape(readout.shape))[0]
        fd[:, k] = (rp - rm) / (2 * h)
    assert np.max(np.abs(jac - fd)) <= 1e-6 * max(1.0, np.max(np.abs(fd)))


# --- constraints -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "n", "alpha"), [(2, 2, 80.0), (2, 3, 55.0), (3, 4, 40.0), (2, 6, 10)]
)
def test_repair_reaches_the_angle_bound(d: int, n: int, alpha: float) -> None:
    rng = np.random.default_rng(n)
    for _ in range(5):
        rows = repair_rows(rng.standard_normal((n, d)), math.radians(alpha))
        assert np.allclose(np.linalg.norm(rows, axis=1), 1.0)
        assert math.degrees(min_line_angle(rows)) >= alpha - 1e-9


def test_lines_not_vectors_count() -> None:
    assert min_line_angle(np.array([[1.0, 0.0], [-1.0, 0.0]])) == 0.0


def test_rational_unit_vectors_are_exact_and_close() -> None:
    rng = np.random.default_rng(3)
    for _ in range(20):
        u = rng.standard_normal(3)
        u /= np.linalg.norm(u)
        r = rational_unit(u)
        assert r is not None
        assert abs(np.linalg.norm(r) - 1.0) < 1e-15
        assert np.linalg.norm(r - u) < 0.05


def test_mask_connectivity() -> None:
    spec = NetworkSpec(3, 2, (2, 2), False, "tanh")
    assert not mask_connects(spec, parse_mask("blocks:2", spec))
    assert mask_connects(spec, parse_mask("blocks:1", spec))
    deep = NetworkSpec(4, 2, (2, 2, 2), False, "tanh")
    assert not mask_connects(deep, parse_mask("blocks:2", deep))


# --- what the search finds ----------------------------------------------------------------


def test_square_witness_is_found_certified_and_round_trips(tmp_path) -> None:
    config = SearchConfig(NetworkSpec(3, 2, (3, 1), False, "square"))
    result = run_search(config)
    assert result.status is Status.REFUTED
    net = result.witness
    assert net is not None
    assert result.certificate is not None and result.certificate.holds
    assert math.degrees(min_line_angle(net.weights[0])) >= config.min_angle
    middle = np.abs(net.weights[1])
    assert middle.min() > 0  # no backward path is cut
    inside = middle.min() >= config.dense_min and middle.max() <= config.max_weight
    assert inside or any("outside the search's" in n for n in result.notes)
    assert result.certificate.kind == "exact"
    assert np.linalg.norm(net.weights[-1]) == pytest.approx(1.0, rel=1e-3)
    path = save_network(net, tmp_path / "w.json", witness_extra(result))
    back = load_network(path)
    for a, b in zip(back.weights, net.weights, strict=True):
        assert np.array_equal(a, b)
    points = sample_points(np.random.default_rng(123), 1000, 2)
    assert asymmetry(back, points).root <= 1e-12
    assert result.notes and "polynomial" in result.notes[0]


def test_smooth_l3_finds_no_witness_and_that_proves_nothing() -> None:
    for act in ("tanh", "swish"):
        config = SearchConfig(NetworkSpec(3, 2, (2, 2), False, act), restarts=3)
        result = run_search(config)
        assert result.status is Status.INCONCLUSIVE, result.summary
        assert result.witness is None and result.certificate is None
        assert result.fresh_root > 100 * NONE_ROOT
        assert "finds nothing proves nothing" in result.summary


def test_blocks_mask_gives_an_exact_witness() -> None:
    spec = NetworkSpec(3, 2, (2, 2), False, "tanh")
    result = run_search(SearchConfig(spec, parse_mask("blocks:2", spec)))
    assert result.status is Status.REFUTED
    assert result.certificate is not None and result.certificate.kind == "exact"
    assert math.degrees(min_line_angle(result.best.network.weights[0])) >= 10.0
    assert any("A2" in n for n in result.notes)


def test_search_is_deterministic_for_a_seed() -> None:
    config = SearchConfig(NetworkSpec(3, 2, (2, 2), False, "tanh"), restarts=1, seed=5)
    a, b = run_search(config), run_search(config)
    assert [r.root for r in a.restarts] == [r.root for r in b.restarts]
    assert all(
        np.array_equal(x, y)
        for x, y in zip(a.best.network.weights, b.best.network.weights, strict=True)
    )


def test_without_the_floor_a_cut_path_witness_is_flagged() -> None:
    config = SearchConfig(NetworkSpec(3, 2, (2, 2), False, "tanh"), restarts=2, dense_min=0.0)
    result = run_search(config)
    assert result.status is Status.REFUTED
    assert any("zero middle weight" in n for n in result.notes)


def test_between_the_tolerances_is_inconclusive(monkeypatch: pytest.MonkeyPatch) -> None:
    from ptheorem.counterexamples.search import core

    monkeypatch.setattr(core, "NONE_ROOT", 1.0)
    result = run_search(SearchConfig(NetworkSpec(3, 2, (2, 2), False, "tanh"), restarts=1))
    assert result.status is Status.INCONCLUSIVE
    assert "inconclusive" in result.summary
