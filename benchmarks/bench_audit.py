"""Benchmark ``audit`` on d = 64, widths 256, L = 6 (target: under 5 s, median of 3).

Run:  python benchmarks/bench_audit.py [--repeat 3] [--points 512] [--threads 1]

For a random (provably not curl-free), a parallel-family (curl-free at float64
resolution) and a sign-pair (random, with 128 first-layer units negated copies of
the other 128) net it prints the median wall time of :func:`ptheorem.audit.run_audit`
over ``--repeat`` runs with the audit's own stage timings, then the cost of the
two new proofs on their own: the exact dependence scan (plus the exact curl-free
arguments) and the interval certificate (arb ball arithmetic on J − Jᵀ), and the
peak RSS.  ``--threads`` sets the BLAS threads (OPENBLAS/OMP/MKL_NUM_THREADS,
set before numpy is imported): on a shared 2-core machine, 2 BLAS threads made
one 1040 × 256 SVD take 2.6 s instead of 0.01 s.
"""

from __future__ import annotations

import argparse
import os
import sys


def _threads(argv: list[str] | None) -> None:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--threads", type=int, default=1)
    known, _ = parser.parse_known_args(argv)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(known.threads)


def main(argv: list[str] | None = None) -> int:
    _threads(argv)
    import resource
    import statistics
    import time

    import numpy as np

    from ptheorem.audit import run_audit
    from ptheorem.audit.dependence import scan
    from ptheorem.audit.exactcurl import exact_curl
    from ptheorem.audit.graph import connectivity
    from ptheorem.audit.sampling import measure_sample
    from ptheorem.model.spec import NetworkSpec
    from ptheorem.numeric import ConcreteNetwork, parallel_network
    from ptheorem.validated.curl import refute_curl_free

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--points", type=int, default=512)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    spec = NetworkSpec(depth=6, dim=64, widths=(256,) * 5)
    rng = np.random.default_rng(0)
    random = ConcreteNetwork.random(spec, "tanh", rng)
    w0 = random.weights[0].copy()
    w0[128:] = -w0[:128]  # 128 sign pairs θ, −θ: tanh′ is even, so H1 fails exactly
    nets = {
        "random": random,
        "parallel": parallel_network(spec, "swish", rng),
        "pairs": random.replace_weights(0, w0),
    }
    print(
        f"L={spec.depth} d={spec.dim} widths 256, {args.points} points, BLAS threads {args.threads}"
    )
    worst = 0.0
    for label, net in nets.items():
        times, stages = [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            report = run_audit(net, points=args.points)
            times.append(time.perf_counter() - start)
            stages.append(report.timings)
        median = statistics.median(times)
        worst = max(worst, median)
        keys = list(stages[0])
        parts = ", ".join(
            f"{k} {statistics.median(s.get(k, 0.0) for s in stages):.2f}" for k in keys
        )
        print(
            f"{label:9s} audit median {median:.2f} s over {args.repeat} runs "
            f"({', '.join(f'{t:.2f}' for t in times)}); stages (median s): {parts}; "
            f"verdict {report.verdict.status.value} ({report.curl_free.evidence}), "
            f"√NAsym {report.curl_free.root:.2g}"
        )
        conn = connectivity(net)
        start = time.perf_counter()
        for _ in range(args.repeat):
            found = scan(net, conn)
            proof = exact_curl(net, conn)
        per = (time.perf_counter() - start) / args.repeat
        print(
            f"{'':9s} exact dependence scan + exact curl-free arguments: {per:.3f} s "
            f"({len(found.dependences)} dependences, proof {proof.method if proof else 'none'})"
        )
        sample = measure_sample(net, conn, args.points, 0)
        costs = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            cert, why = refute_curl_free(net, sample.by_asymmetry())
            costs.append(time.perf_counter() - start)
        outcome = cert.text if cert is not None else f"none ({why[:60]}…)"
        print(f"{'':9s} interval certificate: median {statistics.median(costs):.3f} s — {outcome}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {rss:.0f} MiB; slowest audit median {worst:.2f} s (target < 5 s)")
    return 0 if worst < 5.0 else 1


if __name__ == "__main__":
    sys.exit(main())
