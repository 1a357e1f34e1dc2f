"""Golden files: the ``check --format json`` document for small (L, d) must not drift.

On an intended change, regenerate with ``python tests/golden/regen.py`` and
review the diff.
"""

from __future__ import annotations

import difflib
import importlib.util
import json
from pathlib import Path

import pytest

_REGEN_PATH = Path(__file__).resolve().parent / "golden" / "regen.py"
_spec = importlib.util.spec_from_file_location("ptheorem_golden_regen", _REGEN_PATH)
assert _spec is not None and _spec.loader is not None
regen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(regen)


@pytest.mark.parametrize(("depth", "dim"), regen.CASES, ids=lambda v: str(v))
def test_check_json_matches_golden(depth: int, dim: int) -> None:
    path = regen.golden_path(depth, dim)
    assert path.exists(), f"missing golden file {path}; create it with: {regen.REGEN_COMMAND}"
    expected = path.read_text(encoding="utf-8")
    actual = regen.dumps(regen.current_document(depth, dim))
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile=f"{path.name} (golden)",
                tofile=f"ptheorem {' '.join(regen.check_args(depth, dim))} (current)",
                n=2,
            )
        )
        pytest.fail(
            f"the JSON of L={depth}, d={dim} differs from {path}.\n"
            f"If the change is intended, regenerate the golden files with\n"
            f"    {regen.REGEN_COMMAND}\n"
            f"and review `git diff tests/golden`.\n\n{diff}",
            pytrace=False,
        )


def test_golden_files_are_exactly_the_cases() -> None:
    """No stale golden file lingers after a case is removed."""
    on_disk = {p.name for p in regen.GOLDEN_DIR.glob("*.json")}
    assert on_disk == {regen.golden_path(L, d).name for L, d in regen.CASES}


def test_golden_files_are_canonical_json() -> None:
    for depth, dim in regen.CASES:
        text = regen.golden_path(depth, dim).read_text(encoding="utf-8")
        data = json.loads(text)
        assert regen.dumps(data) == text
        assert not set(regen.VOLATILE_KEYS) & set(data)
        assert data["config"]["depth"] == depth and data["config"]["dim"] == dim
        assert data["verdict"]["status"] == "proved"
