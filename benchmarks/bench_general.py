"""Benchmark of the general route: ``check`` at any size in constant time, side by side.

    python benchmarks/bench_general.py [--repeats N] [--json]

(a) ``ptheorem check`` end to end (fresh processes, the console script) for the
    issue's targets — ``-L 3 -d 1000 --widths 4096`` and ``-L 20 -d 64`` under
    2 s — next to growing sizes at the same depth (the time must not grow with d
    or the width) and next to a bare ``python -c "import sympy"``.
(b) The proof alone, per depth, in a fresh process each (cold sympy caches):
    the explicit proofs L = 1 … 6 and L = 20 (L = 3, the base case and the
    induction step).
(c) The main job ``check --depth 3 --dim 4`` (general proof plus the instance
    cross-check) for comparison.

Medians over ``--repeats`` runs; the ratio column is the median over the
``import sympy`` median.  BLAS threads are reported (sympy does not use BLAS;
numpy is imported by the instance cross-check only).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

PYTHON = sys.executable
#: (label, check arguments): the targets first, then sizes that grow at fixed depth.
CHECKS = (
    ("target: L=3, d=1000, widths 4096", ["-L", "3", "-d", "1000", "--widths", "4096"]),
    ("target: L=20, d=64", ["-L", "20", "-d", "64"]),
    ("L=3, d=10, widths 10", ["-L", "3", "-d", "10", "--widths", "10"]),
    ("L=3, d=100, widths 100", ["-L", "3", "-d", "100", "--widths", "100"]),
    ("L=3, d=10000, widths 65536", ["-L", "3", "-d", "10000", "--widths", "65536"]),
    ("L=6, d=1000, widths 4096", ["-L", "6", "-d", "1000", "--widths", "4096"]),
    ("L=200, d=1000, widths 1000", ["-L", "200", "-d", "1000", "--widths", "1000"]),
    ("main job: L=3, d=4 (with cross-check)", ["--depth", "3", "--dim", "4"]),
)
PROOF_DEPTHS = (1, 2, 3, 4, 5, 6, 20)


def ptheorem_cmd() -> list[str]:
    """The ``ptheorem`` console script next to this Python, else ``python -m ptheorem``."""
    script = Path(PYTHON).parent / "ptheorem"
    return [str(script)] if script.exists() else [PYTHON, "-m", "ptheorem"]


def timed(argv: list[str]) -> tuple[float, int, str]:
    """Wall seconds, exit code and stdout of one fresh process."""
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, proc.returncode, proc.stdout


def blas_threads() -> str:
    """BLAS threads of numpy in this process, as threadpoolctl reports them."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (threadpoolctl not installed)"
    import numpy  # noqa: F401  (loads the BLAS library)

    found = [f"{i['internal_api']}: {i['num_threads']}" for i in threadpool_info()]
    return ", ".join(found) or "no BLAS loaded"


def measure(repeats: int) -> dict[str, Any]:
    baseline = [timed([PYTHON, "-c", "import sympy"])[0] for _ in range(repeats)]
    base = statistics.median(baseline)
    checks = []
    for label, args in CHECKS:
        runs = [timed([*ptheorem_cmd(), "check", *args, "-q"]) for _ in range(repeats)]
        codes = {code for _, code, _ in runs}
        verdict = runs[0][2].split(":", 1)[0]
        seconds = statistics.median(t for t, _, _ in runs)
        checks.append(
            {
                "label": label,
                "args": args,
                "median_s": seconds,
                "ratio_vs_import_sympy": seconds / base,
                "exit_codes": sorted(codes),
                "verdict": verdict,
            }
        )
    proofs = []
    for depth in PROOF_DEPTHS:
        code = (
            "import time; from ptheorem.general.proof import general_proof; "
            f"t = time.perf_counter(); general_proof({depth}); "
            "print(time.perf_counter() - t)"
        )
        runs = [
            float(subprocess.run([PYTHON, "-c", code], capture_output=True, text=True).stdout)
            for _ in range(repeats)
        ]
        proofs.append({"depth": depth, "median_s": statistics.median(runs)})
    return {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs",
        "python": platform.python_version(),
        "blas_threads": blas_threads(),
        "repeats": repeats,
        "import_sympy_median_s": base,
        "checks": checks,
        "proofs": proofs,
    }


def table(fig: dict[str, Any]) -> str:
    lines = [
        f"machine: {fig['machine']}, Python {fig['python']}, BLAS threads: {fig['blas_threads']}",
        f"medians of {fig['repeats']} fresh processes; "
        f"python -c 'import sympy': {fig['import_sympy_median_s']:.2f} s",
        "",
        f"{'ptheorem check … -q':<42} {'median':>8} {'× import sympy':>15}  exit  verdict",
    ]
    for row in fig["checks"]:
        codes = ",".join(map(str, row["exit_codes"]))
        lines.append(
            f"{row['label']:<42} {row['median_s']:>7.2f}s {row['ratio_vs_import_sympy']:>14.2f}x"
            f"  {codes:>4}  {row['verdict']}"
        )
    lines += ["", f"{'general_proof(L), cold process':<42} {'median':>8}"]
    for row in fig["proofs"]:
        how = " (L = 3, base case, induction)" if row["depth"] > 6 else ""
        lines.append(f"{'L = ' + str(row['depth']) + how:<42} {row['median_s']:>7.2f}s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    fig = measure(args.repeats)
    print(json.dumps(fig, indent=2) if args.json else table(fig))


if __name__ == "__main__":
    main()
