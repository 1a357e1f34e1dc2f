"""Regenerate, or check, the sample outputs shown in README.md (docs that run).

    python scripts/readme_samples.py                  # check: a diff and exit 1 if one is stale
    python scripts/readme_samples.py --write          # rewrite the stale blocks in README.md
    python scripts/readme_samples.py --only soft,sweep [--write]
    python scripts/readme_samples.py --list

A generated block in README.md is the fenced block right after a marker line
``<!-- sample: NAME -->``; :data:`SAMPLES` says what NAME runs.  Each command is
run as a fresh ``ptheorem`` process at the sample's width with colour off
(``COLUMNS``, ``NO_COLOR``; stdout and stderr together, stderr not a
terminal), in a scratch directory unless the sample reads the repository's
files, and printed after ``$ ptheorem …``.  Two things are elided, each
visibly:

* every duration (``0.29 s``, ``198 ms``) becomes ``‹time›``, six characters
  like most durations, so tables keep their columns;
* an excerpt keeps the lines from a line matching ``start`` up to, not
  including, a line matching ``stop`` (or to the end); each run of lines left
  out becomes one line ``‹N lines elided›``.

``tests/test_readme_samples.py`` regenerates every fast sample and compares it
with README.md; the slow ones (``slow=True``: ``soft``, ``sweep``) only when
``PTHEOREM_SLOW_SAMPLES=1``.  After a change to any output, run this script
with ``--write`` and review the README diff.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
MARKER = re.compile(r"^<!-- sample: ([a-z0-9-]+) -->$")
#: A duration as ptheorem prints it: ``0.29 s``, ``12.0 s``, ``198 ms`` (never ``2 steps``).
DURATION = re.compile(r"(?<![\w.])\d+(?:\.\d+)? ?m?s\b")
TIME = "‹time›"


@dataclass(frozen=True)
class Excerpt:
    """Keep the lines from one matching ``start`` up to one matching ``stop`` (excluded)."""

    start: str
    stop: str | None = None


@dataclass(frozen=True)
class Command:
    """One ``ptheorem`` command line of a sample, and the parts of its output shown."""

    args: str
    excerpts: tuple[Excerpt, ...] = ()


@dataclass(frozen=True)
class Sample:
    """A README block: its commands, width, and where they run."""

    name: str
    commands: tuple[Command, ...]
    width: int = 100
    #: Run in the repository (it reads ``tests/data``), not in a scratch directory.
    in_repo: bool = False
    #: Prepares the scratch directory (files the commands read).
    setup: Callable[[Path], None] | None = field(default=None, compare=False)
    #: Too slow for the default test run (see the module doc).
    slow: bool = False


def _tampered_golden(where: Path) -> None:
    """``L3.json``: the golden file of L=3, d=2 with one constraint and the verdict changed."""
    _ptheorem(["snapshot", "golden", "--grid", "depth=3,dim=2"], where, 100)
    doc = json.loads((where / "golden" / "L3_d2_w2-2_nobias.json").read_text(encoding="utf-8"))
    first = doc["constraints"]["groups"][0]["equations"][0]
    first["reduced"] = first["reduced"].replace("theta0_1_2", "theta0_2_2")
    doc["verdict"]["status"] = "refuted"
    (where / "L3.json").write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")


SAMPLES = (
    Sample("quickstart", (Command("check --depth 3 --dim 4"),)),
    Sample(
        "check-numeric",
        (
            Command(
                "check -L 8 -d 64 --widths 256 --method numeric",
                (Excerpt(r"^Numeric evidence", r"^Checked statement"),),
            ),
        ),
    ),
    Sample(
        "audit-block",
        (
            Command("check -L 3 -d 2 --widths 4 --mask blocks:2 --quiet --witness block.json"),
            # the timings line wraps where its durations' digits put it: left out
            Command("audit block.json", (Excerpt(r"^ptheorem audit ", r"^timings: "),)),
        ),
    ),
    Sample(
        "audit-require",
        (
            Command(
                "audit tests/data/parallel_tanh.safetensors --activation tanh "
                "--require curl-free -q"
            ),
            Command("audit tests/data/mlp_tanh.safetensors --require curl-free -q"),
        ),
        in_repo=True,
    ),
    Sample(
        "search-square",
        (
            Command(
                "search --depth 3 --dim 2 --widths 3,1 --activation square --witness witness.json"
            ),
        ),
    ),
    Sample("soft-tanh", (Command("soft --depth 3 --dim 2 --activation tanh"),), slow=True),
    Sample(
        "explain-general",
        (
            Command(
                "explain --general -L 3",
                (Excerpt(r"^Step 9/16 ", r"^Step 11/16 "),),
            ),
        ),
        width=80,
    ),
    Sample(
        "explain-steps",
        (
            Command(
                "explain --depth 3 --dim 2",
                (Excerpt(r"^Step 4/11 ", r"^Step 5/11 "), Excerpt(r"^Step 8/11 ", r"^Step 9/11 ")),
            ),
        ),
        width=80,
    ),
    Sample(
        "expect-tampered",
        (Command("check -L 3 -d 2 --quiet --expect L3.json"),),
        setup=_tampered_golden,
    ),
    Sample(
        "sweep",
        (
            Command(
                "sweep --grid 'depth=2..6,dim=2..6,widths=2..4' --jobs 2 --out sweep.jsonl",
                (Excerpt(r"^", r"^│ L2_d3_"), Excerpt(r"^│ L6_d6_w4-4-4-4-4_", None)),
            ),
        ),
        slow=True,
    ),
)


def _ptheorem(argv: list[str], cwd: Path, width: int) -> str:
    """stdout and stderr of one fresh ``ptheorem`` process at ``width`` columns, no colour."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "PTHEOREM_DEBUG")
    }
    env |= {"COLUMNS": str(width), "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    script = Path(sys.executable).parent / "ptheorem"
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "ptheorem"]
    proc = subprocess.run(
        [*cmd, *argv],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        check=False,
    )
    return proc.stdout


def elide(lines: list[str], excerpts: tuple[Excerpt, ...]) -> list[str]:
    """Durations as ``‹time›``; with ``excerpts``, only their lines, the rest counted.

    >>> elide(["timings: proof 198 ms, total 0.49 s", "2 steps"], ())
    ['timings: proof ‹time›, total ‹time›', '2 steps']
    >>> elide(["a", "b", "c", "d"], (Excerpt("^b", "^d"),))
    ['‹1 lines elided›', 'b', 'c', '‹1 lines elided›']
    """
    lines = [DURATION.sub(TIME, line).rstrip() for line in lines]
    if not excerpts:
        return lines
    keep = [False] * len(lines)
    for ex in excerpts:
        start = next((k for k, line in enumerate(lines) if re.search(ex.start, line)), None)
        if start is None:
            raise SystemExit(f"readme_samples: no line matches {ex.start!r}")
        stop = len(lines)
        if ex.stop is not None:
            found = (k for k in range(start + 1, len(lines)) if re.search(ex.stop, lines[k]))
            stop = next(found, len(lines))
        keep[start:stop] = [True] * (stop - start)
    out: list[str] = []
    left_out = 0
    for line, kept in zip(lines, keep, strict=True):
        if kept:
            if left_out:
                out.append(f"‹{left_out} lines elided›")
                left_out = 0
            out.append(line)
        else:
            left_out += 1
    if left_out:
        out.append(f"‹{left_out} lines elided›")
    return out


def render(sample: Sample) -> list[str]:
    """The block's lines: each command after ``$ ptheorem``, then its (elided) output."""
    with tempfile.TemporaryDirectory(prefix="ptheorem-readme-") as scratch:
        cwd = ROOT if sample.in_repo else Path(scratch)
        if sample.setup is not None:
            sample.setup(cwd)
        block: list[str] = []
        for command in sample.commands:
            output = _ptheorem(shlex.split(command.args), cwd, sample.width)
            lines = output.splitlines()
            while lines and not lines[-1].strip():
                lines.pop()
            block += [f"$ ptheorem {command.args}", *elide(lines, command.excerpts)]
    return block


def blocks(text: str) -> dict[str, tuple[int, int]]:
    """Each sample's block in the README lines: NAME → (first line, line after the last)."""
    lines = text.splitlines()
    found: dict[str, tuple[int, int]] = {}
    for k, line in enumerate(lines):
        m = MARKER.match(line)
        if not m:
            continue
        if k + 1 >= len(lines) or not lines[k + 1].startswith("```"):
            raise SystemExit(f"README.md:{k + 1}: a sample marker must precede a ``` block")
        end = next((j for j in range(k + 2, len(lines)) if lines[j].startswith("```")), None)
        if end is None:
            raise SystemExit(f"README.md:{k + 2}: the sample block {m.group(1)} is not closed")
        found[m.group(1)] = (k + 2, end)
    return found


def readme_block(name: str, text: str | None = None) -> list[str]:
    """The lines README.md shows now for sample ``name``."""
    text = README.read_text(encoding="utf-8") if text is None else text
    first, end = blocks(text)[name]
    return text.splitlines()[first:end]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite stale blocks in README.md")
    parser.add_argument("--only", help="comma-separated sample names (default: all)")
    parser.add_argument("--list", action="store_true", help="list the samples and exit")
    args = parser.parse_args()
    if args.list:
        for s in SAMPLES:
            print(f"{s.name:<18} {'slow' if s.slow else 'fast'}  width {s.width}")
        return 0
    names = {s.name for s in SAMPLES}
    wanted = names if args.only is None else set(args.only.split(","))
    if wanted - names:
        raise SystemExit(f"readme_samples: unknown sample(s): {', '.join(sorted(wanted - names))}")
    text = README.read_text(encoding="utf-8")
    where = blocks(text)
    missing = sorted(n for n in wanted if n not in where)
    if missing:
        raise SystemExit(f"readme_samples: no marker in README.md for: {', '.join(missing)}")
    lines = text.splitlines()
    stale = 0
    # bottom to top, so the line numbers of the blocks not yet replaced stay valid
    for sample in sorted((s for s in SAMPLES if s.name in wanted), key=lambda s: -where[s.name][0]):
        first, end = where[sample.name]
        new = render(sample)
        if new == lines[first:end]:
            print(f"{sample.name}: up to date", file=sys.stderr)
            continue
        stale += 1
        if args.write:
            lines[first:end] = new
            print(f"{sample.name}: rewritten", file=sys.stderr)
        else:
            old = lines[first:end]
            print("\n".join(difflib.unified_diff(old, new, "README.md", sample.name, lineterm="")))
    if args.write:
        README.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return 0
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
