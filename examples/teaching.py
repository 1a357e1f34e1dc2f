"""A teaching session, run non-interactively: explain, compare, a counterexample, notes, demo.

Run it from anywhere (it calls the installed CLI through ``python -m ptheorem``)::

    python examples/teaching.py [OUTPUT_DIR]

In a lecture, add ``--step`` to the ``explain`` and ``demo`` commands below to
wait for Enter between steps; here stdout is a pipe, so ``--step`` never waits.
Lecture notes (Markdown and LaTeX) and a slide (SVG) are written to OUTPUT_DIR
(a temporary directory by default).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path


def ptheorem(*args: str, expect: int = 0) -> str:
    """Run ``ptheorem ARGS`` at 80 columns without colour; check its exit status."""
    cmd = [sys.executable, "-m", "ptheorem", *args]
    print("$ ptheorem " + " ".join(args), flush=True)
    env = {"COLUMNS": "80", "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**_base_env(), **env},
        timeout=300,
        check=False,
    )
    sys.stdout.write(proc.stdout)
    if proc.returncode != expect:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"exit status {proc.returncode}, expected {expect}: {' '.join(args)}")
    return proc.stdout


def _base_env() -> dict[str, str]:
    import os

    return dict(os.environ)


def main(out: Path) -> None:
    # 1. One hidden layer: the weights are tied, the input weights stay free.
    ptheorem("explain", "--depth", "2", "--dim", "2", "--step")
    # 2. One vs two hidden layers, side by side: S turns from a vector into a matrix.
    ptheorem("explain", "--dim", "2", "--compare", "2,3")
    # 3. Zero middle weights break A2: the theorem's conclusion fails (exit 1: refuted).
    ptheorem("explain", "-L", "3", "-d", "2", "--mask", "blocks:2", "--ascii", expect=1)
    # 4. Notes and a slide for the two-hidden-layer proof.
    for ext in ("md", "tex", "svg"):
        ptheorem("explain", "-L", "3", "-d", "2", "--export", str(out / f"two-hidden.{ext}"))
    # 5. The whole tour.
    ptheorem("demo", "--step")
    print(f"notes written to {out}")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        target = Path(sys.argv[1])
        target.mkdir(parents=True, exist_ok=True)
        main(target)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(Path(tmp))
