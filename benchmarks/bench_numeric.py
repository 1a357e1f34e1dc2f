"""Benchmarks of ptheorem's numeric path, with every figure measured in one run.

    python benchmarks/bench_numeric.py [--quick] [--json]

1. Scale: ``ptheorem check --depth 8 --dim 64 --widths 256 --method numeric``
   end to end as a subprocess (median wall time, peak RSS from ``wait4``;
   target: the verdict in under 10 s; full mode also with OPENBLAS_NUM_THREADS=1),
   and ``numeric_check`` in-process with its per-stage ``result.timings`` and the
   tracemalloc peak (full mode; ``--quick`` shows the CLI's own timings line).
2. Comparison: NAsym = Σ‖J − Jᵀ‖²_F / Σ‖J‖²_F of a tanh MLP,
   ``ptheorem.numeric.metrics.asymmetry`` against the plain autograd route a
   user would write (``torch.vmap(torch.func.jacrev(ψ))`` on the CPU in
   float64, the same weights and points; ``jacfwd`` is shown too).  Both
   values must agree to ~1e-10 relative and the Jacobians are compared
   entry by entry.  Reported: the ratio ptheorem / torch (goal ≤ 1).  torch is
   optional: without it the comparison is skipped with a note.

Each engine of the comparison runs in its own worker process (this script with
``--worker``), so torch never shares a process with the scale figures and the
peak-RSS increase of the timed call (``VmHWM`` reset through
``/proc/self/clear_refs``) is like for like.  torch gets as many intra-op
threads as numpy's BLAS has (full mode: also 1 thread each, since two threads
on two shared cores suffer most from other load).  ``OPENBLAS_CORETYPE`` / ``OPENBLAS_L2_SIZE`` are
printed, never changed: they can slow numpy on this machine.  The machine may be
shared, so the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import ctypes
import importlib.util
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

PYTHON = sys.executable
SCRIPT = str(Path(__file__).resolve())
SCALE = (8, 64, 256)  # depth, dim, width of the scale target
SCALE_TARGET_S = 10.0
#: Comparison cases: name → (depth, dim, width, points).
CASES = {"L=8 d=64 w=256 N=256": (8, 64, 256, 256), "L=4 d=16 w=64 N=1024": (4, 16, 64, 1024)}
AGREE_RTOL = 1e-10
TORCH_HINT = "torch not installed: comparison skipped (pip install torch==2.13.0)"
CHUNKS = (16, 32, 64, 128)
#: jacfwd is timed (full mode) only where d·width is at most this (it is ~5x jacrev at d = 64).
JACFWD_MAX_D_WIDTH = 16 * 64  # chunk sizes tried for ptheorem's asymmetry (full mode)


# --------------------------------------------------------------------------- helpers


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def timed(fn: Callable[[], Any], repeats: int) -> tuple[list[float], Any, float | None]:
    """One warm-up call, then ``repeats`` timed calls.

    Returns the seconds, the last value and the peak RSS increase (MiB) of the
    warm-up call (``VmHWM`` reset through ``/proc/self/clear_refs`` just before
    it; None where that is not available).  The first call is the one that
    touches fresh pages: later calls reuse memory the allocator kept.
    """
    before = _reset_peak()
    value = fn()
    after = _status_kb("VmHWM") if before is not None else None
    extra = None if before is None or after is None else max(0, after - before) / 1024
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return times, value, extra


def _status_kb(key: str) -> int | None:
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return None
    m = re.search(rf"^{key}:\s+(\d+) kB", text, re.M)
    return int(m.group(1)) if m else None


def _reset_peak() -> int | None:
    """Reset VmHWM to the current RSS; return that RSS in kB (None if unsupported)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return None
    return _status_kb("VmRSS")


def blas_threads() -> tuple[int | None, str]:
    """Threads of numpy's BLAS and how that was found (threadpoolctl, else the library)."""
    import numpy as np  # noqa: F401  (loads the BLAS library)

    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        pass
    else:
        for info in threadpool_info():
            if info.get("user_api") == "blas":
                return int(info["num_threads"]), f"threadpoolctl ({info.get('internal_api')})"
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        maps = ""
    libs = sorted({line.split()[-1] for line in maps.splitlines() if "openblas" in line.lower()})
    for lib in libs:
        handle = ctypes.CDLL(lib)
        for symbol in (
            "scipy_openblas_get_num_threads64_",
            "openblas_get_num_threads64_",
            "openblas_get_num_threads",
        ):
            fn = getattr(handle, symbol, None)
            if fn is not None:
                return int(fn()), f"{symbol}() in {Path(lib).name} (threadpoolctl not installed)"
    return None, "unknown (threadpoolctl not installed, OpenBLAS not found)"


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def ptheorem_cmd() -> list[str]:
    """The ``ptheorem`` console script next to this Python, else ``python -m ptheorem``."""
    script = Path(PYTHON).parent / "ptheorem"
    return [str(script)] if script.exists() else [PYTHON, "-m", "ptheorem"]


def run(argv: list[str], extra_env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``argv``: wall time to exit, peak RSS of the child (``wait4``), output, exit code."""
    env = dict(os.environ, COLUMNS="100", NO_COLOR="1", **(extra_env or {}))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {
            "seconds": seconds,
            "max_rss_mb": usage.ru_maxrss / 1024,
            "stdout": out.read().decode(),
            "stderr": err.read().decode(),
            "returncode": proc.returncode,
        }


def case_inputs(depth: int, d: int, width: int, n: int) -> tuple[Any, Any]:
    """The seeded tanh network and points of one comparison case (same in every worker)."""
    import numpy as np

    from ptheorem.model.spec import NetworkSpec
    from ptheorem.numeric.metrics import sample_points
    from ptheorem.numeric.network import ConcreteNetwork

    spec = NetworkSpec(depth, d, (width,) * (depth - 1))
    net = ConcreteNetwork.random(spec, "tanh", np.random.default_rng(0))
    return net, sample_points(np.random.default_rng(1), n, d)


# --------------------------------------------------------------------------- workers


def worker_ptheorem(quick: bool) -> dict[str, Any]:
    """Time ``asymmetry`` on every case (default chunks, and a chunk sweep in full mode)."""
    from ptheorem.numeric.metrics import asymmetry

    out = {}
    for name, (depth, d, width, n) in CASES.items():
        net, X = case_inputs(depth, d, width, n)
        call = partial(asymmetry, net, X)
        times, report, extra = timed(call, 2 if quick else 7)
        tracemalloc.start()
        asymmetry(net, X)
        traced = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        fig: dict[str, Any] = {
            "seconds": times,
            "median_s": median(times),
            "nasym": report.nasym,
            "default_chunk": net.chunk_size(),
            "tracemalloc_mb": traced,
            "peak_extra_rss_mb": extra,
            "blas_threads": blas_threads()[0],
        }
        if not quick:
            sweep = {}
            for c in CHUNKS:
                t, _, _ = timed(partial(asymmetry, net, X, chunk_size=c), 5)
                sweep[str(c)] = median(t)
            best = min(sweep, key=sweep.__getitem__)
            fig["chunk_sweep_s"] = sweep
            fig["best_chunk"] = int(best) if sweep[best] < fig["median_s"] else None
        out[name] = fig
    return out


def worker_torch(quick: bool, threads: int) -> dict[str, Any]:
    """Time NAsym through ``vmap(jacrev(ψ))`` (and ``jacfwd``) in float64 on the CPU."""
    import numpy as np
    import torch

    torch.set_num_threads(threads)
    out: dict[str, Any] = {
        "_torch": {"version": torch.__version__, "threads": torch.get_num_threads()}
    }
    for name, (depth, d, width, n) in CASES.items():
        net, X = case_inputs(depth, d, width, n)
        weights = [torch.from_numpy(np.array(w)) for w in net.weights]
        biases = [None if b is None else torch.from_numpy(np.array(b)) for b in net.biases]
        last = len(weights) - 1

        def psi(x: torch.Tensor, weights: list = weights, biases: list = biases, last: int = last):
            h = x
            for k, (w, b) in enumerate(zip(weights, biases, strict=True)):
                h = w @ h
                if b is not None:
                    h = h + b
                if k < last:
                    h = torch.tanh(h)
            return h

        Xt = torch.from_numpy(np.array(X))
        fig: dict[str, Any] = {}
        modes = [("jacrev", torch.func.jacrev)]
        if not quick and d * width <= JACFWD_MAX_D_WIDTH:  # jacfwd: d forward passes per point
            modes.append(("jacfwd", torch.func.jacfwd))
        for mode, transform in modes:
            batched = torch.func.vmap(transform(psi))

            def nasym(batched: Callable = batched, Xt: torch.Tensor = Xt) -> float:
                J = batched(Xt)
                skew = J - J.mT
                return float((skew * skew).sum() / (J * J).sum())

            times, value, extra = timed(nasym, 2 if quick else 7)
            fig[mode] = {
                "seconds": times,
                "median_s": median(times),
                "nasym": value,
                "peak_extra_rss_mb": extra,
            }
        J = torch.func.vmap(torch.func.jacrev(psi))(Xt).numpy()
        J_pt = net.jacobians(X)
        fig["max_rel_diff_J"] = float(np.abs(J - J_pt).max() / np.abs(J_pt).max())
        out[name] = fig
    return out


def spawn_worker(engine: str, quick: bool, threads: int) -> tuple[dict[str, Any] | None, str]:
    """Run one engine's worker at ``threads`` BLAS / torch threads; its JSON, or the error."""
    argv = [PYTHON, SCRIPT, "--worker", engine, "--threads", str(threads)]
    res = run(argv + (["--quick"] if quick else []), {"OPENBLAS_NUM_THREADS": str(threads)})
    if res["returncode"] != 0:
        return None, res["stderr"].strip().splitlines()[-1] if res["stderr"].strip() else "failed"
    return json.loads(res["stdout"].strip().splitlines()[-1]), ""


# --------------------------------------------------------------------------- sections


def header(threads: int | None, how: str) -> dict[str, Any]:
    import numpy as np

    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": f"{blas.get('name')} {blas.get('version')}",
        "blas_threads": threads,
        "blas_threads_from": how,
        "cpus": os.cpu_count(),
        "env": {
            k: os.environ.get(k)
            for k in (
                "OPENBLAS_CORETYPE",
                "OPENBLAS_L2_SIZE",
                "OPENBLAS_NUM_THREADS",
                "OMP_NUM_THREADS",
                "MKL_NUM_THREADS",
            )
        },
        "load_before": load_average(),
    }


def cli_runs(argv: list[str], repeats: int, env: dict[str, str] | None = None) -> dict[str, Any]:
    """``repeats`` end-to-end runs of the CLI: wall times, peak RSS, exit codes, verdicts."""
    runs = [run(argv, env) for _ in range(repeats)]
    seconds = [r["seconds"] for r in runs]
    verdicts = [
        m.group(1) if (m := re.search(r"verdict: (\w+)", r["stdout"])) else None for r in runs
    ]
    timings = [
        m.group(1) if (m := re.search(r"timings: (.*)", r["stdout"])) else None for r in runs
    ]
    return {
        "env": env or {},
        "seconds": seconds,
        "median_s": median(seconds),
        "max_rss_mb": max(r["max_rss_mb"] for r in runs),
        "returncodes": [r["returncode"] for r in runs],
        "verdict": verdicts,
        "cli_timings": timings,
        "target_met": median(seconds) < SCALE_TARGET_S and all(v == "confirmed" for v in verdicts),
    }


def measure_scale(quick: bool) -> dict[str, Any]:
    """The CLI end to end (full mode: also at 1 BLAS thread) and numeric_check in-process."""
    from ptheorem.model.spec import NetworkSpec
    from ptheorem.numeric.check import numeric_check

    depth, d, width = SCALE
    args = ["check", "--depth", str(depth), "--dim", str(d), "--widths", str(width)]
    argv = ptheorem_cmd() + args + ["--method", "numeric"]
    out: dict[str, Any] = {"command": " ".join(["ptheorem", *argv[-9:]]), "in_process": None}
    out["cli"] = [cli_runs(argv, 1 if quick else 3)]
    if quick:  # the CLI's own timings line stands in for the in-process stages
        return out
    out["cli"].append(cli_runs(argv, 3, {"OPENBLAS_NUM_THREADS": "1"}))
    spec = NetworkSpec(depth, d, (width,) * (depth - 1))
    stages = [dict(numeric_check(spec).timings) for _ in range(3)]
    tracemalloc.start()
    result = numeric_check(spec)
    traced = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    out["in_process"] = {
        "runs": len(stages),
        "stage_median_s": {k: median([s[k] for s in stages]) for k in stages[0]},
        "tracemalloc_peak_mb": traced,
        "status": result.verdict.status.value,
    }
    return out


def measure_comparison(quick: bool, threads: int) -> dict[str, Any]:
    """Both engines on every case, at ``threads`` threads each (full mode: also at 1 thread)."""
    have_torch = importlib.util.find_spec("torch") is not None
    out: dict[str, Any] = {"torch": None, "note": None if have_torch else TORCH_HINT}
    out["pairings"] = {}
    for n_threads in [threads] if quick or threads == 1 else [threads, 1]:
        pairing: dict[str, Any] = {}
        pt, err = spawn_worker("ptheorem", quick, n_threads)
        if pt is None:
            pairing["error"] = f"ptheorem worker failed: {err}"
            out["pairings"][f"{n_threads} thread(s)"] = pairing
            continue
        th: dict[str, Any] | None = None
        if have_torch:
            th, err = spawn_worker("torch", quick, n_threads)
            if th is None:
                out["note"] = f"torch worker failed: {err}"
            else:
                out["torch"] = th.pop("_torch")["version"]
        for name, p in pt.items():
            pairing[name] = compare_case(p, None if th is None else th[name])
        out["pairings"][f"{n_threads} thread(s)"] = pairing
    return out


def compare_case(p: dict[str, Any], t: dict[str, Any] | None) -> dict[str, Any]:
    """Ratios ptheorem / torch and the agreement of the two NAsym values and Jacobians."""
    case: dict[str, Any] = {"ptheorem": p}
    if t is None:
        return case
    case["torch"] = t
    modes = [m for m in ("jacrev", "jacfwd") if m in t]
    case["ratio_vs_jacrev"] = p["median_s"] / t["jacrev"]["median_s"]
    case["ratio_vs_best_torch"] = p["median_s"] / min(t[m]["median_s"] for m in modes)
    if p.get("best_chunk"):
        tuned = p["chunk_sweep_s"][str(p["best_chunk"])]
        case["ratio_vs_jacrev_best_chunk"] = tuned / t["jacrev"]["median_s"]
    rel = {m: abs(t[m]["nasym"] - p["nasym"]) / abs(p["nasym"]) for m in modes}
    case["rel_diff_nasym"] = rel
    case["agree"] = max(rel.values()) <= AGREE_RTOL and t["max_rel_diff_J"] <= AGREE_RTOL
    return case


# --------------------------------------------------------------------------- output


def _mb(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.0f} MB"


def case_lines(name: str, case: dict[str, Any]) -> list[str]:
    p = case["ptheorem"]
    lines = [
        f"  {name}",
        f"    ptheorem       median {p['median_s'] * 1e3:8.1f} ms  (chunk {p['default_chunk']})"
        f"  peak +RSS {_mb(p['peak_extra_rss_mb'])}, tracemalloc {_mb(p['tracemalloc_mb'])}"
        f"  NAsym {p['nasym']:.15g}",
    ]
    if "chunk_sweep_s" in p:
        sweep = ", ".join(f"{c}: {s * 1e3:.1f}" for c, s in p["chunk_sweep_s"].items())
        lines.append(f"    ptheorem chunk_size sweep (ms) {sweep}")
    if "torch" not in case:
        return lines
    t = case["torch"]
    for mode in ("jacrev", "jacfwd"):
        if mode in t:
            lines.append(
                f"    torch {mode}   median {t[mode]['median_s'] * 1e3:8.1f} ms"
                f"  peak +RSS {_mb(t[mode]['peak_extra_rss_mb'])}"
                f"  NAsym rel. diff {case['rel_diff_nasym'][mode]:.1e}"
            )
    verdict = "≤ 1: no slower" if case["ratio_vs_jacrev"] <= 1 else "> 1: SLOWER"
    tuned = case.get("ratio_vs_jacrev_best_chunk")
    lines.append(
        f"    ratio ptheorem/jacrev {case['ratio_vs_jacrev']:.2f} ({verdict});"
        f" vs best torch {case['ratio_vs_best_torch']:.2f}"
        + (f"; with chunk_size={p['best_chunk']}: {tuned:.2f}" if tuned is not None else "")
    )
    lines.append(
        f"    agreement: max |J_torch − J_ptheorem| / max |J| = {t['max_rel_diff_J']:.1e};"
        f" {'agree' if case['agree'] else 'DISAGREE'} (tolerance {AGREE_RTOL:g})"
    )
    return lines


def table(fig: dict[str, Any]) -> str:
    env, scale, comp = fig["environment"], fig["scale"], fig["comparison"]
    lines = [
        f"ptheorem numeric benchmark ({env['mode']}): python {env['python']}, numpy {env['numpy']}"
        f" ({env['blas']}, {env['blas_threads']} BLAS threads via {env['blas_threads_from']}),"
        f" {env['cpus']} CPUs",
        "environment (left as is): "
        + ", ".join(f"{k}={'unset' if v is None else v}" for k, v in env["env"].items()),
        f"load average before {env['load_before']}, after {env['load_after']}"
        " (the machine may be shared: compare figures within this run)",
        "",
        "1. Scale",
    ]
    lines.append(f"  {scale['command']}")
    for cli in scale["cli"]:
        runs = ", ".join(f"{s:.2f}" for s in cli["seconds"])
        env_note = " ".join(f"{k}={v}" for k, v in cli["env"].items()) or "environment as is"
        lines += [
            f"    [{env_note}] wall median {cli['median_s']:.2f} s over"
            f" {len(cli['seconds'])} run(s) [{runs}]; peak RSS {_mb(cli['max_rss_mb'])};"
            f" exit {cli['returncodes']}; verdict {cli['verdict']}",
            f"      target < {SCALE_TARGET_S:g} s: {'met' if cli['target_met'] else 'NOT met'};"
            f" CLI's own timings (last run): {cli['cli_timings'][-1]}",
        ]
    inproc = scale["in_process"]
    if inproc is None:
        lines.append("  numeric_check in-process and tracemalloc: skipped in --quick")
    else:
        lines += [
            f"  numeric_check(NetworkSpec{SCALE[:2] + ((SCALE[2],) * (SCALE[0] - 1),)})"
            f" in-process, median of {inproc['runs']} runs:",
            "    "
            + ", ".join(f"{k} {v:.2f} s" for k, v in inproc["stage_median_s"].items())
            + f"; tracemalloc peak {_mb(inproc['tracemalloc_peak_mb'])} (extra run);"
            f" {inproc['status']}",
        ]
    lines += [
        "",
        "2. Comparison: NAsym of a tanh MLP, ptheorem asymmetry() vs torch vmap(jacrev) float64",
    ]
    if comp["torch"]:
        lines.append(f"  torch {comp['torch']}, intra-op threads = BLAS threads of numpy")
    if comp["note"]:
        lines.append("  " + comp["note"])
    for label, pairing in comp["pairings"].items():
        lines.append(f"  -- {label} each (OPENBLAS_NUM_THREADS / torch.set_num_threads)")
        if "error" in pairing:
            lines.append("  " + pairing["error"])
            continue
        for name, case in pairing.items():
            lines += case_lines(name, case)
    lines.append(f"\ntotal {env['total_seconds']:.1f} s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one CLI run, fewer repeats (< 30 s)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--worker", choices=("ptheorem", "torch"), help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker == "ptheorem":
        print(json.dumps(worker_ptheorem(args.quick)))
        return
    if args.worker == "torch":
        print(json.dumps(worker_torch(args.quick, args.threads)))
        return
    start = time.perf_counter()
    threads, how = blas_threads()
    fig: dict[str, Any] = {"environment": header(threads, how)}
    fig["environment"]["mode"] = "quick" if args.quick else "full"
    fig["scale"] = measure_scale(args.quick)
    torch_threads = threads if threads else (os.cpu_count() or 1)
    fig["comparison"] = measure_comparison(args.quick, torch_threads)
    fig["environment"]["load_after"] = load_average()
    fig["environment"]["total_seconds"] = time.perf_counter() - start
    print(json.dumps(fig, indent=2) if args.json else table(fig))


if __name__ == "__main__":
    main()
