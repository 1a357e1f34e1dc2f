"""`check` beyond the paper's hypotheses: named σ, masks, witnesses and their certificates."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from ptheorem.activations import get_activation
from ptheorem.cli import app
from ptheorem.counterexamples import claim_broken, polynomial_witness
from ptheorem.io.mask import parse_mask
from ptheorem.io.netfile import load_network
from ptheorem.model.spec import NetworkSpec
from ptheorem.numeric.metrics import asymmetry, sample_points

runner = CliRunner()


def _check(*args: str) -> tuple[int, dict]:
    result = runner.invoke(app, ["check", *args, "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


def _independent_root(path: Path) -> float:
    """√NAsym of a witness file, measured here on points of our own."""
    net = load_network(path)
    return asymmetry(net, sample_points(np.random.default_rng(123), 400, net.dim)).root


@pytest.mark.parametrize(
    "args",
    [
        ["-L", "2", "-d", "2", "--widths", "3", "--activation", "square"],
        ["-L", "3", "-d", "3", "--activation", "linear"],
        ["-L", "3", "-d", "2", "--widths", "3,1", "--activation", "square"],
        ["-L", "3", "-d", "2", "--widths", "4", "--mask", "blocks:2"],
    ],
)
def test_refutations_carry_an_exactly_certified_witness_that_breaks_the_claim(
    tmp_path: Path, args: list[str]
) -> None:
    path = tmp_path / "w.json"
    code, doc = _check(*args, "--witness", str(path))
    assert code == 1 and doc["verdict"]["status"] == "refuted"
    assert doc["verdict"]["evidence"] == "exact certificate"
    cert = doc["witness"]["certificate"]
    assert cert["kind"] == "exact" and cert["holds"] is True
    assert _independent_root(path) <= 1e-12
    assert claim_broken(load_network(path)) is not None
    assert json.loads(path.read_text())["certificate"]["holds"] is True


def test_relu_candidates_are_numeric_evidence_never_a_refutation(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    args = ["-L", "3", "-d", "2", "--widths", "2", "--activation", "relu", "--witness", str(path)]
    code, doc = _check(*args)
    assert code == 3 and doc["verdict"]["status"] == "inconclusive"
    if doc["witness"] is not None:  # a candidate: curl-free on samples, not certified exactly
        assert doc["witness"]["certificate"]["kind"] == "numeric"
        assert _independent_root(path) <= 1e-12
        assert claim_broken(load_network(path)) is not None


def test_the_witness_is_re_checked_by_audit(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    _check("-L", "3", "-d", "2", "--widths", "4", "--mask", "blocks:2", "--witness", str(path))
    result = runner.invoke(app, ["audit", str(path), "--format", "json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["verdict"]["status"] == "refuted"
    assert doc["verdict"]["corrected_theorem_holds"] is True


def test_mask_makes_the_verdict_per_component() -> None:
    code, doc = _check("-L", "4", "-d", "2", "--widths", "4", "--mask", "blocks:2")
    assert code == 1
    assert [c["first"] for c in doc["rank"]["components"]] == [[1, 2], [3, 4]]
    assert all(c["rank_at_most_one"] for c in doc["rank"]["components"])
    a2 = next(h for h in doc["verdict"]["hypotheses"] if h["id"] == "A2")
    assert a2["holds"] is False and "A2" not in doc["verdict"]["assumptions"]
    assert doc["config"]["mask"] == "blocks:2"
    # masked middle weights remove their groups: only same-block (n, m) pairs remain
    units = {tuple(g["units"]) for g in doc["constraints"]["groups"]}
    assert units == {
        (n, m) for n in range(1, 5) for m in range(1, 5) if (n - 1) // 2 == (m - 1) // 2
    }


def test_smooth_named_activation_is_only_supported_since_a1_is_sampled() -> None:
    code, doc = _check("-L", "3", "-d", "3", "--activation", "tanh")
    assert code == 5 and doc["verdict"]["status"] == "supported"
    a1 = next(h for h in doc["verdict"]["hypotheses"] if h["id"] == "A1")
    assert a1["basis"] == "numeric" and a1["holds"] is True
    assert "σ = tanh" in a1["detail"]


def test_no_witness_is_inconclusive_and_writes_no_file(tmp_path: Path) -> None:
    path = tmp_path / "none.json"
    code, doc = _check(
        "-L", "3", "-d", "2", "--widths", "3,1", "--activation", "square", "--witness", str(path)
    )
    if doc["witness"] is None:
        assert code == 3 and doc["verdict"]["status"] == "inconclusive"
        assert not path.exists()


def test_polynomial_witness_is_exact_over_the_rationals() -> None:
    search = polynomial_witness(NetworkSpec(2, 2, (3,)), get_activation("square"), seed=1)
    assert search.witness is not None and search.nullity > 0
    import sympy as sp

    net = search.witness
    x = sp.symbols("x1:3")
    h = sp.Matrix(x)
    for k, w in enumerate(net.weights):
        z = sp.Matrix([[sp.Rational(v) for v in row] for row in w.tolist()]) * h
        h = z.applyfunc(lambda t: t**2) if k < net.depth - 1 else z
    jac = h.jacobian(x)
    assert sp.expand(jac[0, 1] - jac[1, 0]) == 0


def test_bad_mask_inputs_are_one_line_errors(tmp_path: Path) -> None:
    for mask in ("blocks:0", "blocks:x", str(tmp_path / "missing.json")):
        result = runner.invoke(app, ["check", "-L", "3", "-d", "2", "--mask", mask])
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, mask
    result = runner.invoke(app, ["check", "-L", "2", "-d", "2", "--mask", "blocks:2"])
    assert result.exit_code == 2
    with pytest.raises(Exception, match="shape"):
        (tmp_path / "m.json").write_text(json.dumps({"masks": [[[1, 0]]]}))
        parse_mask(str(tmp_path / "m.json"), NetworkSpec(3, 2, (2, 2)))


def test_large_polynomial_nets_skip_the_exact_read_out_search_and_say_so() -> None:
    code, doc = _check("-L", "5", "-d", "3", "--widths", "3", "--activation", "square")
    assert code in (1, 3)
    assert any("exact read-out search would handle" in n for n in doc["notes"])
    assert doc["hypothesis"]["attempts"], doc["hypothesis"]


def test_a_candidate_that_fails_its_certificate_is_never_a_refutation() -> None:
    code, doc = _check("-L", "6", "-d", "4", "--widths", "4", "--activation", "cube")
    if doc["witness"] is not None:
        assert doc["witness"]["certificate"]["holds"] is (code == 1)
    else:
        assert code == 3


@pytest.mark.parametrize(
    "args",
    [
        ["-L", "1", "-d", "3", "--activation", "relu"],
        ["-L", "3", "-d", "1", "--activation", "square"],
    ],
    ids=" ".join,
)
def test_sigma_does_not_matter_for_linear_nets_or_one_dimension(args: list[str]) -> None:
    code, doc = _check(*args)
    assert code == 0 and doc["verdict"]["status"] == "proved"
    assert doc["verdict"]["method"] == "general"
