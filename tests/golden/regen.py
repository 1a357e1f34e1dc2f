"""Regenerate the golden ``check --format json`` documents in this directory.

Run from the repository root after an intended change to the JSON output::

    python tests/golden/regen.py

then review ``git diff tests/golden`` before committing.  Each file is the
document ``ptheorem check -L L -d d --format json`` prints (default widths = d,
no bias) with the run-dependent ``timings`` and ``tool`` keys removed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

GOLDEN_DIR = Path(__file__).resolve().parent
#: (depth L, dimension d) of every golden file.
CASES: tuple[tuple[int, int], ...] = ((1, 2), (2, 2), (2, 3), (3, 2), (3, 3), (4, 2))
#: Keys whose values change from run to run or release to release.
VOLATILE_KEYS = ("timings", "tool")
REGEN_COMMAND = "python tests/golden/regen.py"


def golden_path(depth: int, dim: int) -> Path:
    """The golden file of one case."""
    return GOLDEN_DIR / f"check_L{depth}_d{dim}.json"


def check_args(depth: int, dim: int) -> list[str]:
    """The command line (after ``ptheorem``) whose output a golden file records."""
    return ["check", "--depth", str(depth), "--dim", str(dim), "--format", "json"]


def current_document(depth: int, dim: int) -> dict[str, Any]:
    """Run the CLI in-process and return its JSON document without the volatile keys."""
    from typer.testing import CliRunner

    from ptheorem.cli import app

    result = CliRunner().invoke(app, check_args(depth, dim), env={"NO_COLOR": "1"})
    if result.exit_code != 0:
        raise RuntimeError(
            f"ptheorem {' '.join(check_args(depth, dim))} exited {result.exit_code}:\n"
            f"{result.stdout}{result.stderr}"
        )
    data = json.loads(result.stdout)
    for key in VOLATILE_KEYS:
        data.pop(key, None)
    return data


def dumps(data: dict[str, Any]) -> str:
    """The text stored in a golden file (sorted keys, two-space indent, final newline)."""
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    """Rewrite every golden file; print which ones changed."""
    for depth, dim in CASES:
        path = golden_path(depth, dim)
        text = dumps(current_document(depth, dim))
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            path.write_text(text, encoding="utf-8")
            print(f"{'updated' if old is not None else 'created'} {path}")
        else:
            print(f"unchanged {path}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(GOLDEN_DIR.parent.parent))
    sys.exit(main())
