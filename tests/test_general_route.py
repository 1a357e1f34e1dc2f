"""``check`` by the general route: instantiation, the instance cross-check, and how it can fail.

Each ✓ of the route has a broken input that turns it ✗: a proof whose reduced
constraint is wrong makes the cross-check disagree (verdict inconclusive, exit
3); a proof that refuses sends ``check`` to the instance route with a note; a
proof about another depth or bias cannot be instantiated.
"""

from __future__ import annotations

import dataclasses
import json

import jsonschema
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from ptheorem.cli import app
from ptheorem.general import rules
from ptheorem.general.check import (
    SCOPE,
    CrossCheck,
    general_check,
    instantiate,
    proof_verdict,
)
from ptheorem.general.instances import agrees_with_instance, polynomial_key
from ptheorem.general.proof import Proof, general_proof, prove_depth
from ptheorem.model.exitcodes import ExitCode
from ptheorem.model.spec import NetworkSpec
from ptheorem.model.status import Status
from ptheorem.output.json.schema import check_schema
from ptheorem.run.check import Method, run_check
from ptheorem.run.golden import GENERAL_ONLY
from ptheorem.symbolic.check import symbolic_check

ENV: dict[str, str | None] = {"COLUMNS": "120", "NO_COLOR": "1", "PTHEOREM_DEBUG": None}


def run(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert "Traceback" not in result.stdout + result.stderr
    return result


# --- instantiation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "count"),
    [
        (NetworkSpec(1, 5, ()), 10),
        (NetworkSpec(2, 5, (7,)), 70),
        (NetworkSpec(3, 1000, (4096, 4096)), 4096 * 4096 * 1000 * 999 // 2),
        (NetworkSpec(20, 64, (64,) * 19), 64 * 64 * 64 * 63 // 2),
        (NetworkSpec(3, 2, (3, 5), bias=True), 15),
    ],
)
def test_the_proof_is_instantiated_at_any_size(spec: NetworkSpec, count: int) -> None:
    result = general_check(spec)
    assert result.verdict.status is Status.PROVED and result.verdict.method == "general"
    assert result.details.instantiation.constraints == count
    assert result.details.proof.depth == spec.depth and result.details.proof.bias == spec.bias
    assert result.verdict.input_weights_forced_parallel is (spec.depth >= 3)
    expected = {1: (), 2: ("A1", "A3")}.get(spec.depth, ("A1", "A2", "A3"))
    assert result.verdict.assumptions == expected
    for h in result.verdict.hypotheses:  # where the proof consumed it
        assert "general proof" in h.detail


def test_a_proof_about_another_network_is_not_instantiated() -> None:
    with pytest.raises(ValueError, match="L = 3, not L = 4"):
        instantiate(prove_depth(3), NetworkSpec(4, 2, (2, 2, 2)))
    with pytest.raises(ValueError, match="biases"):
        instantiate(prove_depth(3), NetworkSpec(3, 2, (2, 2), bias=True))


def test_the_proof_on_its_own_has_a_verdict_for_every_size() -> None:
    v = proof_verdict(general_proof(9))
    assert v.status is Status.PROVED and SCOPE in v.summary
    assert v.assumptions == ("A1", "A2", "A3")


# --- routes ----------------------------------------------------------------------------------


def test_auto_answers_from_the_proof_and_cross_checks_within_budget() -> None:
    result = run_check(NetworkSpec(3, 3, (2, 3)))
    assert result.verdict.method == "general" and result.verdict.status is Status.PROVED
    cross = result.details.cross_check
    assert cross.ran and cross.agrees is True
    assert "the same 18 reduced constraint(s)" in cross.detail
    assert cross.instance.solution.rank.single


def test_method_general_skips_the_cross_check_and_instance_takes_the_old_route() -> None:
    general = run_check(NetworkSpec(3, 3, (2, 3)), Method.general)
    assert general.details.cross_check == CrossCheck(False, None, GENERAL_ONLY)
    instance = run_check(NetworkSpec(3, 3, (2, 3)), Method.instance)
    assert instance.verdict.method == "symbolic"


def test_a_cross_check_that_does_not_fit_the_budget_is_not_run() -> None:
    result = run_check(NetworkSpec(3, 40, (40, 40)), timeout=5)
    cross = result.details.cross_check
    assert result.verdict.status is Status.PROVED
    assert (
        not cross.ran and cross.agrees is None and "more than the --timeout budget" in cross.detail
    )


def _wrong_bracket(proof: Proof) -> Proof:
    """The proof with its reduced constraint B replaced by the transposed output weight's one."""
    steps = list(proof.steps)
    k = next(n for n, s in enumerate(steps) if s.by == "A2")
    i, j = sp.symbols("i j", integer=True, positive=True)
    n, m = sp.symbols("n m", integer=True, positive=True)
    last, first = sp.IndexedBase("theta2"), sp.IndexedBase("theta0")
    wrong = last[n, i] * first[m, j] - last[n, j] * first[m, i]
    steps[k] = dataclasses.replace(steps[k], rhs=wrong)
    return dataclasses.replace(proof, steps=tuple(steps))


def test_a_proof_with_a_wrong_constraint_disagrees_with_the_instance_and_is_inconclusive(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ptheorem.general.check

    spec = NetworkSpec(3, 3, (3, 3))
    monkeypatch.setattr(
        ptheorem.general.check,
        "general_proof",
        lambda depth, granted, bias: _wrong_bracket(prove_depth(depth, granted, bias)),
    )
    result = run_check(spec)
    cross = result.details.cross_check
    assert cross.ran and cross.agrees is False and "differ" in cross.detail
    assert result.verdict.status is Status.INCONCLUSIVE
    assert "disagree" in result.verdict.summary


def test_a_refused_proof_sends_check_to_the_instance_route(monkeypatch: pytest.MonkeyPatch) -> None:
    import ptheorem.general.check

    def refuse(*args: object, **kwargs: object) -> Proof:
        raise rules.RuleRefused("tie: not a minor")

    monkeypatch.setattr(ptheorem.general.check, "general_proof", refuse)
    result = run_check(NetworkSpec(3, 2, (2, 2)))
    assert result.verdict.method == "symbolic" and result.verdict.status is Status.PROVED
    assert any("did not go through (tie: not a minor)" in n for n in result.notes)


def test_a_mask_takes_the_instance_route_and_general_refuses_it() -> None:
    from ptheorem.io.mask import parse_mask

    spec = NetworkSpec(3, 2, (2, 2))
    result = run_check(spec, mask=parse_mask("blocks:2", spec))
    assert result.verdict.method == "symbolic"
    assert any("a mask fixes middle weights" in n for n in result.notes)
    from ptheorem.model.errors import InputError

    with pytest.raises(InputError, match="--mask"):
        run_check(spec, Method.general, mask=parse_mask("blocks:2", spec))


# --- the cross-check compares constraints exactly -------------------------------------------


@settings(max_examples=25, deadline=None)
@given(
    depth=st.integers(1, 8),
    dim=st.integers(2, 4),
    widths=st.lists(st.integers(1, 3), min_size=7, max_size=7),
    bias=st.booleans(),
)
def test_the_proof_instantiated_is_the_instance_derivation(
    depth: int, dim: int, widths: list[int], bias: bool
) -> None:
    """Every depth up to 8 (explicit proofs to 6, L = 3 with induction beyond) and both biases."""
    spec = NetworkSpec(depth, dim, tuple(widths[: depth - 1]), bias)
    der = symbolic_check(spec).details.derivation
    equations = [e.reduced for g in der.groups for e in g.equations]
    agrees, detail = agrees_with_instance(
        general_proof(depth, bias=bias), dim, spec.widths, equations
    )
    assert agrees, detail
    if len(equations) > 1:  # one constraint changed: the comparison sees it
        broken = [*equations[:-1], equations[-1] + equations[0]]
        assert not agrees_with_instance(general_proof(depth, bias=bias), dim, spec.widths, broken)[
            0
        ]


def test_constraints_are_compared_up_to_sign_and_order() -> None:
    a, b, c = sp.symbols("a b c")
    assert polynomial_key(a * b - c) == polynomial_key(c - b * a)
    assert polynomial_key(a * b - c) != polynomial_key(a * b + c)
    assert polynomial_key((a - b) ** 2) == polynomial_key(a**2 - 2 * a * b + b**2)


# --- the CLI -----------------------------------------------------------------------------------


def test_check_prints_the_short_proof_and_ends_with_its_scope() -> None:
    result = run("check", "--depth", "3", "--dim", "4")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.rstrip().splitlines()[-1] == f"{SCOPE} (L = 3), under A1, A2, A3"
    for fragment in ("rule A1 on 6 [uses A1] (Eq. 5)", "rule A2 on 7 [uses A2] (Eq. 5 → 6)"):
        assert fragment in out
    assert "rule tie on 8 [uses A3] (Eq. 7)" in out and "rule link on 9 (Eq. 8)" in out
    assert "cross-check: instance derivation proved; the same 96 reduced constraint(s)" in out


def test_check_json_of_the_general_route_follows_the_schema() -> None:
    result = run("check", "-L", "20", "-d", "64", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    jsonschema.validate(data, check_schema())
    proof = data["general"]["proof"]
    assert [p["depths"] for p in proof["parts"]][0] == "L = 3"
    assert proof["hypotheses"] == ["A1", "A2", "A3"]
    steps = [s for p in proof["parts"] for s in p["steps"]]
    assert {s["paper"] for s in steps} >= {"Eq. 5", "Eq. 5 → 6", "Eq. 7", "Eq. 8"}
    assert all(s["rule"] is None for s in steps if s["by"] == "sympy")


def test_a_broken_cross_check_exits_inconclusive(monkeypatch: pytest.MonkeyPatch) -> None:
    import ptheorem.general.check

    monkeypatch.setattr(
        ptheorem.general.check,
        "general_proof",
        lambda depth, granted, bias: _wrong_bracket(prove_depth(depth, granted, bias)),
    )
    result = run("check", "-L", "3", "-d", "2")
    assert result.exit_code == ExitCode.INCONCLUSIVE
    assert "cross-check" in result.stdout and "✗" in result.stdout
    assert "not proved here: inconclusive" in result.stdout


@pytest.mark.parametrize(
    ("args", "steps"),
    [(["-L", "3"], 16), (["-L", "2"], 13), (["-L", "9", "-d", "5", "--widths", "300"], 32)],
)
def test_explain_general_teaches_the_proof(args: list[str], steps: int) -> None:
    result = run("explain", "--general", *args)
    assert result.exit_code == 0, result.stderr
    assert f"Step {steps}/{steps} · The verdict" in result.stdout
    assert SCOPE in result.stdout


@pytest.mark.parametrize("suffix", [".md", ".tex"])
def test_explain_general_exports(tmp_path: object, suffix: str) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / f"proof{suffix}"
    result = run("explain", "--general", "-L", "4", "--export", str(path))
    assert result.exit_code == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    if suffix == ".tex":
        assert "proved for every d $\\ge 2$ and every width (L = 4)" in text
        assert r"{\theta^{(0)}}_{m,j}" in text
    else:
        assert "proved for every d $\\ge 2$ and every width (L = 4)" in text
        assert SCOPE == "proved for every d ≥ 2 and every width"
        assert "## Step 9/" in text


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["explain", "--general", "-L", "3", "--mask", "blocks:2"], "--mask"),
        (["explain", "--general", "-L", "3", "--widths", "3"], "--widths needs --dim"),
        (["explain", "--general", "-L", "3", "--activation", "tanh"], "generic"),
        (["explain", "-L", "3"], "--dim is required"),
        (["check", "-L", "3", "-d", "2", "--method", "general", "--mask", "blocks:2"], "--mask"),
    ],
)
def test_general_usage_errors_are_one_line(args: list[str], fragment: str) -> None:
    result = run(*args)
    assert result.exit_code == ExitCode.USAGE
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and fragment in lines[0], result.stderr
