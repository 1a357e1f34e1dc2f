"""Benchmarks of ``ptheorem search`` and ``ptheorem soft`` against the issue's targets.

    python benchmarks/bench_search.py [--quick] [--json]

(a) ``search -L 3 -d 2 --widths 3,1 --activation square`` with the default
    restarts must find (and certify) its witness in under 60 s: end to end in a
    fresh process, one run per seed, median and worst wall time;
(b) smooth σ at L = 3 (tanh, swish; default widths 2, 2) must report no witness
    with the best √NAsym clearly above 0;
(c) ``--mask blocks:2`` with tanh must find a witness;
(d) ``soft -L 3 -d 2 --activation tanh`` with its defaults should take under ~30 s;
(e) ``check -L 3 -d 2 --widths 3,1 --activation square`` must refute with an exactly
    certified witness in under 5 s end to end (median of 5).

Every figure is measured in this run (wall time of the whole CLI process,
imports included).  ``--json`` prints the figures as JSON instead of the table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from typing import Any

CLI = [sys.executable, "-m", "ptheorem"]
SEARCH = ["search", "-L", "3", "-d", "2", "--no-progress", "--format", "json"]


def run(args: list[str]) -> tuple[float, int, dict[str, Any]]:
    """Wall seconds, exit code and parsed JSON of one CLI run."""
    start = time.perf_counter()
    proc = subprocess.run([*CLI, *args], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    return seconds, proc.returncode, json.loads(proc.stdout)


def bench_square(seeds: list[int]) -> dict[str, Any]:
    times, found, restarts, roots = [], 0, [], []
    for seed in seeds:
        t, code, doc = run(
            [*SEARCH, "--widths", "3,1", "--activation", "square", "--seed", str(seed)]
        )
        times.append(t)
        found += code == 1 and doc["certificate"]["kind"] == "exact"
        restarts.append(len(doc["restarts"]))
        roots.append(doc["best"]["nasym_root"])
    return {
        "case": "square L=3 d=2 widths 3,1 (witness)",
        "runs": len(seeds),
        "witnesses": found,
        "median_s": statistics.median(times),
        "max_s": max(times),
        "restarts_used_max": max(restarts),
        "nasym_root_max": max(roots),
        "target": "witness in < 60 s",
        "met": found == len(seeds) and max(times) < 60,
    }


def bench_smooth(activation: str, seeds: list[int]) -> dict[str, Any]:
    times, codes, roots = [], [], []
    for seed in seeds:
        t, code, doc = run([*SEARCH, "--activation", activation, "--seed", str(seed)])
        times.append(t)
        codes.append(code)
        roots.append(doc["best"]["nasym_root"])
    return {
        "case": f"{activation} L=3 d=2 widths 2,2 (none)",
        "runs": len(seeds),
        "none_found": codes.count(3),
        "median_s": statistics.median(times),
        "max_s": max(times),
        "nasym_root_min": min(roots),
        "target": "exit 3 (nothing found proves nothing), best √NAsym clearly > 0",
        "met": codes.count(3) == len(seeds) and min(roots) > 1e-6,
    }


def bench_blocks(seeds: list[int]) -> dict[str, Any]:
    times, found, kinds = [], 0, set()
    for seed in seeds:
        t, code, doc = run(
            [*SEARCH, "--widths", "2", "--activation", "tanh", "--mask", "blocks:2",
             "--seed", str(seed)]
        )  # fmt: skip
        times.append(t)
        found += code == 1
        kinds.add(doc["certificate"]["kind"] if doc["certificate"] else None)
    return {
        "case": "tanh L=3 d=2 widths 2 --mask blocks:2 (witness)",
        "runs": len(seeds),
        "witnesses": found,
        "median_s": statistics.median(times),
        "max_s": max(times),
        "certificates": sorted(str(k) for k in kinds),
        "target": "witness",
        "met": found == len(seeds),
    }


def bench_soft(repeats: int) -> dict[str, Any]:
    times, exponents = [], []
    for _ in range(repeats):
        t, code, doc = run(["soft", "-L", "3", "-d", "2", "--activation", "tanh",
                            "--no-progress", "--format", "json"])  # fmt: skip
        times.append(t)
        exponents.append(None if doc["fit"] is None else doc["fit"]["exponent"])
    return {
        "case": "soft L=3 d=2 tanh (defaults)",
        "runs": repeats,
        "median_s": statistics.median(times),
        "max_s": max(times),
        "exponent": exponents[0],
        "target": "< ~30 s",
        "met": max(times) < 30,
    }


def bench_check_square(repeats: int) -> dict[str, Any]:
    times, refuted, kinds = [], 0, set()
    for _ in range(repeats):
        t, code, doc = run(["check", "-L", "3", "-d", "2", "--widths", "3,1",
                            "--activation", "square", "--format", "json"])  # fmt: skip
        times.append(t)
        refuted += code == 1 and doc["verdict"]["status"] == "refuted"
        kinds.add(doc["witness"]["certificate"]["kind"] if doc["witness"] else None)
    return {
        "case": "check square L=3 d=2 widths 3,1 (refuted)",
        "runs": repeats,
        "refuted": refuted,
        "median_s": statistics.median(times),
        "max_s": max(times),
        "certificates": sorted(str(k) for k in kinds),
        "target": "refuted, exact certificate, median < 5 s",
        "met": refuted == repeats and kinds == {"exact"} and statistics.median(times) < 5,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="Fewer seeds and repeats.")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    args = parser.parse_args()
    seeds = [0, 1, 2] if args.quick else [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    smooth_seeds = [0] if args.quick else [0, 1, 2]
    rows = [
        bench_square(seeds),
        bench_smooth("tanh", smooth_seeds),
        bench_smooth("swish", smooth_seeds),
        bench_blocks(seeds[:3]),
        bench_soft(1),
        bench_check_square(5),
    ]
    if args.json:
        print(json.dumps({"python": sys.version.split()[0], "rows": rows}, indent=2))
    else:
        for r in rows:
            extra = {k: v for k, v in r.items() if k not in ("case", "median_s", "max_s", "met")}
            mark = "ok " if r["met"] else "MISS"
            print(
                f"{mark} {r['case']:<48} median {r['median_s']:6.2f} s  max {r['max_s']:6.2f} s  "
                + "  ".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}"
                            for k, v in extra.items())
            )  # fmt: skip
    return 0 if all(r["met"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
