"""``ptheorem.explain``: the steps quote the symbolic check's own objects; golden renders.

Golden renders live in ``tests/golden_render``; on an intended change regenerate
them with ``python tests/golden_render/regen.py`` and review the diff.
"""

from __future__ import annotations

import dataclasses
import difflib
import importlib.util
from pathlib import Path

import pytest
import sympy as sp

from ptheorem.explain import (
    STEP_KEYS,
    Math,
    PathPair,
    PathSum,
    Table,
)
from ptheorem.explain.paths import ordered_factors, term_path
from ptheorem.model.errors import SizeLimitError
from ptheorem.model.spec import NetworkSpec
from ptheorem.model.status import Status
from ptheorem.run.teaching import AUDIT, MAX_PATHS, build_explanation, check_size

_REGEN_PATH = Path(__file__).resolve().parent / "golden_render" / "regen.py"
_spec = importlib.util.spec_from_file_location("ptheorem_golden_render_regen", _REGEN_PATH)
assert _spec is not None and _spec.loader is not None
regen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(regen)


@pytest.mark.parametrize("name", regen.all_cases())
def test_render_matches_golden(name: str) -> None:
    path = regen.golden_path(name)
    assert path.exists(), f"missing golden render {path}; create it with: {regen.REGEN_COMMAND}"
    expected = path.read_text(encoding="utf-8")
    actual = regen.render_case(name)
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile=f"{path.name} (golden)",
                tofile="current",
                n=2,
            )
        )
        pytest.fail(
            f"the render of {name} differs from {path}.\nIf the change is intended, run\n"
            f"    {regen.REGEN_COMMAND}\nand review `git diff tests/golden_render`.\n\n{diff}",
            pytrace=False,
        )


def test_golden_renders_are_exactly_the_cases() -> None:
    on_disk = {p.name for p in regen.GOLDEN_DIR.glob("*.txt")}
    assert on_disk == {regen.golden_path(n).name for n in regen.all_cases()}


def test_golden_renders_fit_80_columns() -> None:
    for name in regen.all_cases():
        for line in regen.golden_path(name).read_text(encoding="utf-8").splitlines():
            assert len(line) <= regen.WIDTH, (name, line)


def test_ascii_golden_renders_are_ascii() -> None:
    for name in regen.all_cases():
        if name.endswith("_ascii"):
            text = regen.golden_path(name).read_text(encoding="utf-8")
            assert text.isascii(), sorted({c for c in text if not c.isascii()})


@pytest.fixture(scope="module")
def l3() -> object:
    return build_explanation(NetworkSpec(3, 2, (2, 2)))


def test_every_step_is_there_in_order(l3: object) -> None:
    assert tuple(s.key for s in l3.steps) == STEP_KEYS  # type: ignore[attr-defined]
    assert [s.number for s in l3.steps] == list(range(1, 12))  # type: ignore[attr-defined]


def test_path_pair_products_are_the_sympy_coefficient(l3: object) -> None:
    """The two drawn products differ by exactly the coefficient sympy derived (Eq. 5)."""
    step = l3.step("paths")  # type: ignore[attr-defined]
    pair = next(b for b in step.blocks if isinstance(b, PathPair))
    coefficient = next(b for b in step.blocks if isinstance(b, Math) and b.label == "sympy")
    difference = sp.Mul(*pair.weights) - sp.Mul(*pair.mirror_weights)
    assert sp.expand(difference - coefficient.rhs) == 0
    assert pair.path[1:-1] == pair.mirror[1:-1]
    assert (pair.path[0], pair.path[-1]) == (pair.mirror[-1], pair.mirror[0])
    assert pair.weights[1:-1] == pair.mirror_weights[1:-1]  # the shared middle


def test_cancelled_middle_times_reduced_is_the_path_constraint(l3: object) -> None:
    maths = [b for b in l3.step("cancel").blocks if isinstance(b, Math)]  # type: ignore[attr-defined]
    raw, middle, reduced = maths[0].lhs, maths[1].rhs, maths[2].lhs
    assert sp.expand(raw - middle * reduced) == 0
    assert not (reduced.free_symbols & middle.free_symbols)


def test_jacobian_entry_has_one_term_per_path(l3: object) -> None:
    block = next(b for b in l3.step("jacobian").blocks if isinstance(b, PathSum))  # type: ignore[attr-defined]
    paths = {term_path(t, 1, 2) for t in block.terms}
    assert len(paths) == len(block.terms) == 4
    for term in block.terms:
        assert sp.Mul(*ordered_factors(term, 3)) == term


def test_l4_groups_collect_middle_paths() -> None:
    expl = build_explanation(NetworkSpec(4, 2, (2, 2, 2)), witnesses=False)
    maths = [b for b in expl.step("cancel").blocks if isinstance(b, Math)]
    transfer = next(m for m in maths if str(m.lhs).startswith("P"))
    assert len(sp.Add.make_args(transfer.rhs)) == 2  # two middle paths n → m
    assert expl.verdict.status is Status.PROVED


def test_l2_explains_why_input_weights_stay_free() -> None:
    expl = build_explanation(NetworkSpec(2, 2, (2,)), witnesses=False)
    rank = expl.step("rank")
    table = next(b for b in rank.blocks if isinstance(b, Table))
    assert [row[0] for row in table.rows] == ["θ⁽¹⁾₁", "θ⁽¹⁾₂"]
    assert all("," not in row[1] for row in table.rows)  # each column tied to one row only
    assert "free" in rank.summary[0].text  # type: ignore[union-attr]
    assert "vector" in expl.step("tying").summary[0].text  # type: ignore[union-attr]


def test_mask_blocks_refutes_through_a2() -> None:
    expl = build_explanation(NetworkSpec(3, 2, (2, 2)), mask="blocks:2", witnesses=False)
    assert expl.verdict.status is Status.REFUTED
    assert "each of 2 parts" in expl.step("rank").summary[0].text  # type: ignore[union-attr]


def test_linear_sigma_says_a1_fails() -> None:
    spec = NetworkSpec(3, 2, (2, 2), activation="linear")
    expl = build_explanation(spec, witnesses=False)
    texts = " ".join(getattr(b, "text", "") for b in expl.step("freeze").blocks)
    assert "A1 fails" in texts


def test_witnesses_are_audited_and_break_the_literal_claim(l3: object) -> None:
    step = l3.step("witnesses")  # type: ignore[attr-defined]
    (block,) = [b for b in step.blocks if type(b).__name__ == "Witnesses"]
    assert block.audit == AUDIT
    result = {w.name: w for w in block.results}
    assert result["block-diagonal middle weights"].status == "refuted"
    # The L ≥ 3 linear witness has integer weights (a unimodular middle layer), so its
    # constant J is exactly the symmetric target: a certified counterexample (A1 fails).
    assert result["linear σ"].status == "refuted"
    assert "curl-free (exact, constant J" in result["linear σ"].conclusion
    assert result["ψ ≡ 0"].status == "proved"
    assert result["random dense (control)"].status == "proved"
    assert result["block-diagonal middle weights"].hypotheses[0].startswith("H2 (A2)")
    assert result["ψ ≡ 0"].degenerate
    assert result["random dense (control)"].root > 1e-3


def test_l2_witnesses_break_the_tying_claim() -> None:
    from ptheorem.counterexamples.library import teaching_set
    from ptheorem.run.teaching import audit_constructions

    status = {w.name: w.status for w in audit_constructions(teaching_set(2)).results}
    assert status == {
        "linear σ": "refuted",
        "zero input row": "proved",
        "random dense (control)": "proved",
    }


@pytest.mark.parametrize(
    "spec",
    [
        NetworkSpec(3, 3, (9, 9)),  # 81 paths
        NetworkSpec(2, 7, (7,)),  # d beyond the explain limit
        NetworkSpec(7, 2, (1,) * 6),  # depth beyond the explain limit
    ],
    ids=str,
)
def test_large_nets_are_refused(spec: NetworkSpec) -> None:
    with pytest.raises(SizeLimitError, match="explain is for small nets"):
        check_size(spec)


def test_path_limit_is_inclusive() -> None:
    check_size(NetworkSpec(3, 2, (8, 8)))
    assert 8 * 8 == MAX_PATHS


def test_explanation_is_frozen(l3: object) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        l3.steps = ()  # type: ignore[attr-defined]
