"""Start-up benchmark: ``ptheorem check --depth 3 --dim 4`` against ``python -c "import sympy"``.

    python benchmarks/bench_startup.py [--repeats N] [--json]

Both are whole fresh processes, run side by side in one session (interleaved,
so a busy machine slows both alike); the figures are medians of ``--repeats``
runs (default 7) of the wall time and of the CPU time (user + system, from
``getrusage``; steadier than wall time when other work shares the cores).  The
ratio is check over ``import sympy``; issue 12's target is at most
:data:`TARGET`.  The header names the BLAS library and its thread count
(threadpoolctl) in this process; ptheorem pins BLAS to one thread in its own
processes (``ptheorem.cli.main``), and this check does not load numpy at all.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

PYTHON = sys.executable
#: Issue 12: ``check --depth 3 --dim 4`` at most this many times ``import sympy``.
TARGET = 1.5
CHECK_ARGS = ["check", "--depth", "3", "--dim", "4"]


def ptheorem_cmd() -> list[str]:
    """The ``ptheorem`` console script next to this Python, else ``python -m ptheorem``."""
    script = Path(PYTHON).parent / "ptheorem"
    return [str(script)] if script.exists() else [PYTHON, "-m", "ptheorem"]


def timed(argv: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and exit code of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.returncode


def blas_threads() -> str:
    """BLAS library and threads of numpy in this process, as threadpoolctl reports them."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (threadpoolctl not installed)"
    import numpy  # noqa: F401  (loads the BLAS library)

    found = [f"{i['internal_api']}: {i['num_threads']}" for i in threadpool_info()]
    return ", ".join(found) or "no BLAS loaded"


def measure(repeats: int) -> dict[str, Any]:
    """Interleaved runs of both commands; medians, ratios and exit codes."""
    check_cmd = [*ptheorem_cmd(), *CHECK_ARGS]
    sympy_cmd = [PYTHON, "-c", "import sympy"]
    timed(check_cmd)  # one unmeasured run each: bytecode and file caches warm
    timed(sympy_cmd)
    runs: dict[str, list[tuple[float, float, int]]] = {"check": [], "sympy": []}
    for _ in range(repeats):
        runs["check"].append(timed(check_cmd))
        runs["sympy"].append(timed(sympy_cmd))
    fig: dict[str, Any] = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs",
        "python": platform.python_version(),
        "blas_threads": blas_threads(),
        "load_average": os.getloadavg()[0],
        "repeats": repeats,
        "command": " ".join(["ptheorem", *CHECK_ARGS]),
        "target_ratio": TARGET,
    }
    for name, rows in runs.items():
        fig[name] = {
            "wall_median_s": statistics.median(r[0] for r in rows),
            "cpu_median_s": statistics.median(r[1] for r in rows),
            "exit_codes": sorted({r[2] for r in rows}),
        }
    fig["wall_ratio"] = fig["check"]["wall_median_s"] / fig["sympy"]["wall_median_s"]
    fig["cpu_ratio"] = fig["check"]["cpu_median_s"] / fig["sympy"]["cpu_median_s"]
    return fig


def table(fig: dict[str, Any]) -> str:
    """The figures as a small text table."""
    lines = [
        f"machine: {fig['machine']}, Python {fig['python']}, BLAS threads: {fig['blas_threads']}",
        f"load average (1 min) at the end: {fig['load_average']:.2f}; "
        f"medians of {fig['repeats']} fresh processes each, interleaved",
        "",
        f"{'command':<40} {'wall':>8} {'CPU':>8}  exit",
    ]
    for name, label in (("check", fig["command"]), ("sympy", 'python -c "import sympy"')):
        row = fig[name]
        codes = ",".join(map(str, row["exit_codes"]))
        lines.append(
            f"{label:<40} {row['wall_median_s']:>7.3f}s {row['cpu_median_s']:>7.3f}s  {codes:>4}"
        )
    lines += [
        "",
        f"ratio check / import sympy: wall {fig['wall_ratio']:.2f}x, CPU {fig['cpu_ratio']:.2f}x "
        f"(target ≤ {fig['target_ratio']}x)",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="runs per command (median)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    fig = measure(args.repeats)
    print(json.dumps(fig, indent=2) if args.json else table(fig))


if __name__ == "__main__":
    main()
