"""Benchmark ``audit``: d = 64 (< 5 s), d = 784 (< 15 s, < 2 GB RSS), d = 3072 (< 60 s).

Run:  python benchmarks/bench_audit.py [--case small|d784|d3072|torch|all] [--repeat 3]
                                      [--threads 2]

Each case runs in its own process, so its peak RSS is its own.  Every case prints
the BLAS library and thread count (threadpoolctl), the median wall time of
:func:`ptheorem.audit` over ``--repeat`` runs, the median of each audit stage, the
peak RSS and the verdict.

* ``small`` — d = 64, widths 256, L = 6: a random, a parallel-family and a
  sign-pair tanh net (exact Jacobians: under the probe budget).
* ``d784`` / ``d3072`` — random swish nets, L = 4, widths 2048 / 4096 (the
  matrix-free estimate and the one-column interval certificate; reachability by
  boolean products in ``audit/graph.py``).
* ``torch`` — the d = 784 net's √NAsym from the same points and probes, with
  ptheorem's numpy J·v / Jᵀ·v against ``torch.func.jvp``/``vjp``, and the ratio
  (needs ``pip install torch==2.13.0``; skipped with a note otherwise).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

CASES = ("small", "d784", "d3072", "torch")
TARGETS = {"small": 5.0, "d784": 15.0, "d3072": 60.0}


def _threads(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--threads", type=int, default=2)
    known, _ = parser.parse_known_args(argv)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(known.threads)
    return int(known.threads)


def _blas() -> str:
    from ptheorem.numeric.threads import blas_info

    return blas_info()


def _rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run(label: str, net, repeat: int, threads: int) -> float:  # type: ignore[no-untyped-def]
    import statistics
    import time

    import ptheorem

    times, stages = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        report = ptheorem.audit(net, threads=threads)
        times.append(time.perf_counter() - start)
        stages.append(report.timings)
    median = statistics.median(times)
    parts = ", ".join(
        f"{k} {statistics.median(s.get(k, 0.0) for s in stages):.2f}" for k in stages[0]
    )
    curl = report.curl_free
    interval = (
        "" if curl.interval is None else f" in [{curl.interval[0]:.3g}, {curl.interval[1]:.3g}]"
    )
    print(
        f"{label:9s} audit median {median:.2f} s over {repeat} run(s) "
        f"({', '.join(f'{t:.2f}' for t in times)}); stages (median s): {parts}\n"
        f"{'':9s} verdict {report.verdict.status.value}; curl-free {curl.status.value} "
        f"({curl.evidence}); √NAsym {curl.root:.3g}{interval} by {curl.estimator}"
        + (f", {curl.probes} probes/point" if curl.probes else "")
    )
    return median


def case_small(args: argparse.Namespace) -> int:
    import numpy as np

    from ptheorem.model.spec import NetworkSpec
    from ptheorem.numeric import ConcreteNetwork, parallel_network

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
    worst = max(_run(label, net, args.repeat, args.threads) for label, net in nets.items())
    return _verdict("small", worst)


def _big(d: int, width: int) -> object:
    import numpy as np

    from ptheorem.model.spec import NetworkSpec
    from ptheorem.numeric import ConcreteNetwork

    spec = NetworkSpec(depth=4, dim=d, widths=(width,) * 3)
    return ConcreteNetwork.random(spec, "swish", np.random.default_rng(0))


def case_big(args: argparse.Namespace, name: str, d: int, width: int) -> int:
    net = _big(d, width)
    return _verdict(name, _run(name, net, args.repeat, args.threads))


def case_torch(args: argparse.Namespace) -> int:
    try:
        import torch
        from torch.func import jvp, vjp
    except ImportError:
        print("torch: not installed (pip install torch==2.13.0): comparison skipped")
        return 0
    import statistics
    import time

    import numpy as np

    from ptheorem.audit.probes import _forward, _reverse
    from ptheorem.audit.sampling import _scaled
    from ptheorem.numeric.metrics import sample_points

    torch.set_num_threads(args.threads)
    net = _big(784, 2048)
    points, probes = 512, 2
    X = sample_points(np.random.default_rng(0), points, net.dim)
    V = np.random.default_rng(1).integers(0, 2, (points, probes, net.dim)) * 2.0 - 1.0
    scaled = _scaled(net.weights)

    def ours() -> float:
        slopes = [s[:, None, :] for s in net.derivatives(X)]
        jv, _ = _forward(scaled, slopes, V, points)
        jtv, _ = _reverse(scaled, slopes, V, points)
        num = np.sum((jv - jtv) ** 2)
        return float(num / (0.5 * np.sum(jv**2) + 0.5 * np.sum(jtv**2)))

    ws = [torch.from_numpy(np.array(w)) for w in net.weights]
    beta = net.activation.beta or 1.0

    def f(x):  # type: ignore[no-untyped-def]
        for w in ws[:-1]:
            z = x @ w.T
            x = z * torch.sigmoid(beta * z)
        return x @ ws[-1].T

    def theirs() -> float:
        x = torch.from_numpy(X)
        num = den = 0.0
        for k in range(probes):
            v = torch.from_numpy(np.ascontiguousarray(V[:, k, :]))
            _, jv = jvp(f, (x,), (v,))
            _, pull = vjp(f, x)
            (jtv,) = pull(v)
            num += float(((jv - jtv) ** 2).sum())
            den += 0.5 * float((jv**2).sum() + (jtv**2).sum())
        return num / den

    rows = {}
    for label, fn in (("ptheorem numpy", ours), ("torch.func jvp/vjp", theirs)):
        times, value = [], 0.0
        for _ in range(args.repeat):
            start = time.perf_counter()
            value = fn()
            times.append(time.perf_counter() - start)
        rows[label] = (statistics.median(times), value)
        print(f"{label:20s} median {rows[label][0]:.2f} s, √NAsym estimate {value**0.5:.12g}")
    (t_ours, a), (t_torch, b) = rows.values()
    print(
        f"ratio ptheorem/torch {t_ours / t_torch:.2f} (d=784, widths 2048, L=4, {points} points × "
        f"{probes} probes, {args.threads} threads); estimates agree to {abs(a - b) / b:.1e}"
    )
    return 0


def _verdict(name: str, median: float) -> int:
    target = TARGETS[name]
    ok = median < target
    rss = _rss_mib()
    rss_note = f"; peak RSS {rss:.0f} MiB" + (" (target < 2048 MiB)" if name == "d784" else "")
    print(
        f"{name}: slowest median {median:.2f} s (target < {target:.0f} s: "
        f"{'met' if ok else 'NOT met'}){rss_note}"
    )
    return 0 if ok and (name != "d784" or rss < 2048) else 1


def main(argv: list[str] | None = None) -> int:
    threads = _threads(argv)
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--case", choices=(*CASES, "all"), default="all")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    if args.case == "all":
        codes = []
        for case in CASES:
            cmd = [sys.executable, __file__, "--case", case, "--repeat", str(args.repeat)]
            cmd += ["--threads", str(threads)]
            codes.append(subprocess.run(cmd, check=False).returncode)
        return max(codes)
    print(f"[{args.case}] BLAS: {_blas()}; audit threads {threads}; cpus {os.cpu_count()}")
    if args.case == "small":
        return case_small(args)
    if args.case == "d784":
        return case_big(args, "d784", 784, 2048)
    if args.case == "d3072":
        return case_big(args, "d3072", 3072, 4096)
    return case_torch(args)


if __name__ == "__main__":
    sys.exit(main())
