"""Docs that run: every sample output in README.md is what its commands print today.

``scripts/readme_samples.py`` generates the blocks; here each fast sample is
generated again and compared with README.md.  The slow ones (``soft``, about a
minute, and the 75-configuration ``sweep``) run only with
``PTHEOREM_SLOW_SAMPLES=1``.  After an intended change of output:
``python scripts/readme_samples.py --write``, then review the README diff.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "readme_samples.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("readme_samples", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


samples = _load()
SLOW = os.environ.get("PTHEOREM_SLOW_SAMPLES") == "1"


def test_every_marker_has_a_sample_and_every_sample_a_marker() -> None:
    text = samples.README.read_text(encoding="utf-8")
    assert set(samples.blocks(text)) == {s.name for s in samples.SAMPLES}


@pytest.mark.parametrize(
    "sample",
    [
        pytest.param(
            s,
            id=s.name,
            marks=[pytest.mark.slow]
            + ([] if SLOW or not s.slow else [pytest.mark.skip("PTHEOREM_SLOW_SAMPLES=1")]),
        )
        for s in samples.SAMPLES
    ],
)
def test_the_readme_shows_what_the_commands_print(sample: object) -> None:
    expected = samples.readme_block(sample.name)  # type: ignore[attr-defined]
    assert samples.render(sample) == expected, (
        f"README sample {sample.name} is stale: run "  # type: ignore[attr-defined]
        "python scripts/readme_samples.py --write and review the diff"
    )


def test_a_stale_block_is_reported_and_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = tmp_path / "README.md"
    text = samples.README.read_text(encoding="utf-8")
    first, _ = samples.blocks(text)["expect-tampered"]
    lines = text.splitlines()
    lines[first + 1] = "proved: an edited line"
    readme.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(samples, "README", readme)
    monkeypatch.setattr(sys, "argv", ["readme_samples.py", "--only", "expect-tampered"])
    assert samples.main() == 1
    assert "-proved: an edited line" in capsys.readouterr().out
    monkeypatch.setattr(sys, "argv", ["readme_samples.py", "--only", "expect-tampered", "--write"])
    assert samples.main() == 0
    assert readme.read_text(encoding="utf-8") == text


def test_durations_and_left_out_lines_are_marked() -> None:
    Excerpt = samples.Excerpt
    assert samples.elide(["timings: proof 198 ms, total 0.49 s", "in 16 steps"], ()) == [
        "timings: proof ‹time›, total ‹time›",
        "in 16 steps",
    ]
    lines = ["head", "Step 1", "a", "Step 2", "b", "tail"]
    assert samples.elide(lines, (Excerpt("^Step 1", "^Step 2"), Excerpt("^b"))) == [
        "‹1 lines elided›",
        "Step 1",
        "a",
        "‹1 lines elided›",
        "b",
        "tail",
    ]
    with pytest.raises(SystemExit, match="no line matches"):
        samples.elide(lines, (Excerpt("^Step 9"),))
