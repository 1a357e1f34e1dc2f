"""Benchmark ``audit`` on the issue's large case: d = 64, widths 256, L = 6 (target < 10 s).

Run:  python benchmarks/bench_audit.py [--repeat 5] [--points 512]

Prints the median wall time of :func:`ptheorem.audit.run_audit` over ``--repeat``
runs for a random (not curl-free) and a parallel-family (curl-free) net, the
peak traced memory of one run (tracemalloc, numpy buffers included) and the
process's peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc

import numpy as np

from ptheorem.audit import run_audit
from ptheorem.numeric import ConcreteNetwork, parallel_network
from ptheorem.spec import NetworkSpec

SPEC = NetworkSpec(depth=6, dim=64, widths=(256,) * 5)


def bench(label: str, net: ConcreteNetwork, repeat: int, points: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        report = run_audit(net, points=points)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    run_audit(net, points=points)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    median = statistics.median(times)
    print(
        f"{label:9s} L={SPEC.depth} d={SPEC.dim} widths 256: median {median:.2f} s over {repeat} "
        f"runs, peak traced memory {peak / 2**20:.0f} MiB, verdict {report.verdict.status.value}, "
        f"√NAsym {report.curl_free.root:.2g}"
    )
    return median


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--points", type=int, default=512)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    worst = max(
        bench("random", ConcreteNetwork.random(SPEC, "tanh", rng), args.repeat, args.points),
        bench("parallel", parallel_network(SPEC, "swish", rng), args.repeat, args.points),
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {rss:.0f} MiB; slowest median {worst:.2f} s (target < 10 s)")
    return 0 if worst < 10.0 else 1


if __name__ == "__main__":
    sys.exit(main())
