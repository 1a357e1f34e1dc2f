"""Benchmarks of ptheorem's symbolic path against the issue's targets, in one run.

    python benchmarks/bench_symbolic.py [--quick] [--json] [--timeout SECONDS]

(a) ``ptheorem --help`` must not import sympy: checked with ``-X importtime``,
    and its wall time.
(b) ``ptheorem check --depth 3 --dim 4`` end to end against a bare
    ``python -c "import sympy"`` (target: at most ~1.5x), with where the time goes.
(c) The derivation for d = 4, widths 4, L = 2..5: ``symbolic_check`` against a
    baseline written here, the plain-sympy route a user would take (ψ as one
    nested expression, ``Matrix.jacobian``, ``expand`` J - Jᵀ, σ′ frozen to fresh
    symbols, ``Poly(...).coeffs()``, ``solve`` for the output weights).  The two
    constraint sets are compared for small sizes.  Target: ≥ 20x at L = 5.
(d) ``symbolic_check`` alone for L = 6..10 (target: L = 10 under 10 s), and the
    CLI end to end at L = 10.
(e) The instance route at scale: ``symbolic_check`` for L = 3, d = 16, widths
    (16, 16), the 30 720 reduced equations of issue 14's target (under 20 s),
    median of 3 fresh processes, with where the time goes.  The worker calls
    ``symbolic_check`` directly, with the symbolic size limit (where the
    installed version still has one) switched off inside the worker only.

The header names the BLAS library and its thread count (threadpoolctl, when it
is installed): the symbolic route runs in one thread, numpy's BLAS may not.

Every figure is measured in this run: wall times are medians over fresh
processes (the first call in a process, so sympy's caches start cold for both
ptheorem and the baseline, and imports are outside the timed region of (c) and
(d)).  Peak memory is the tracemalloc peak of the timed work (an extra run) and
the peak RSS of the process tree (``wait4``).  Subprocesses may write bytecode,
as an installed package would have it.  ``--json`` prints the figures as JSON
instead of the table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

PYTHON = sys.executable
SCRIPT = str(Path(__file__).resolve())
# The plain-sympy baseline is the tests' oracle (tests/oracles/plain_sympy.py).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
D, WIDTH = 4, 4
#: (e): the instance route's size target from issue 14, and its time budget.
LARGE_DEPTH, LARGE_DIM, LARGE_WIDTH = 3, 16, 16
LARGE_TARGET_SECONDS = 20.0


# --------------------------------------------------------------------------- processes


@dataclass
class Run:
    """One finished (or killed) subprocess."""

    seconds: float
    cpu_seconds: float
    max_rss_mb: float
    stdout: str
    stderr: str
    timed_out: bool
    returncode: int | None


def run(argv: list[str], timeout: float | None = None) -> Run:
    """Run ``argv``; wall time from start to exit, peak RSS of its process tree from wait4."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("COLUMNS", "100")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env, start_new_session=True)
        result: dict[str, Any] = {}

        def reap() -> None:
            _, status, usage = os.wait4(proc.pid, 0)
            result["seconds"] = time.perf_counter() - start
            result["status"] = status
            result["rss"] = usage.ru_maxrss / 1024
            result["cpu"] = usage.ru_utime + usage.ru_stime

        waiter = threading.Thread(target=reap)
        waiter.start()
        waiter.join(timeout)
        timed_out = waiter.is_alive()
        if timed_out:
            os.killpg(proc.pid, 9)
            waiter.join()
        proc.returncode = os.waitstatus_to_exitcode(result["status"])
        out.seek(0)
        err.seek(0)
        return Run(
            seconds=result["seconds"],
            cpu_seconds=result["cpu"],
            max_rss_mb=result["rss"],
            stdout=out.read().decode(),
            stderr=err.read().decode(),
            timed_out=timed_out,
            returncode=None if timed_out else proc.returncode,
        )


def ptheorem_cmd() -> list[str]:
    """The ``ptheorem`` console script next to this Python, else ``python -m ptheorem``."""
    script = Path(PYTHON).parent / "ptheorem"
    return [str(script)] if script.exists() else [PYTHON, "-m", "ptheorem"]


def worker(
    kind: str,
    depth: int,
    trace: bool = False,
    timeout: float | None = None,
    dim: int = D,
    width: int = WIDTH,
) -> Run:
    """This script in worker mode (see :func:`worker_main`)."""
    argv = [PYTHON, SCRIPT, "--worker", kind, str(depth), str(dim), str(width)]
    return run(argv + (["--trace"] if trace else []), timeout)


def median(xs: list[float]) -> float:
    return statistics.median(xs)


# --------------------------------------------------------------------------- workers


def baseline_constraints(depth: int, d: int, width: int) -> tuple[list[Any], Any]:
    """The plain-sympy route (tests/oracles/plain_sympy.py), then ``sp.solve`` for the read-out.

    Returns the constraints (coefficients of A = J − Jᵀ in the frozen σ′) and
    sympy's solution for the output weights.  The oracle runs in the issue's
    order (expand, then freeze); freezing σ′ before expanding is ~1.8x faster at
    L = 4, far from closing the gap.
    """
    import sympy as sp

    from tests.oracles.plain_sympy import plain_constraints, weights_for

    sizes = [d] + [width] * (depth - 1) + [d]
    constraints = plain_constraints(sizes)
    last = weights_for(sizes)[-1]
    outputs = [last[i, n] for i in range(d) for n in range(sizes[-2])]
    return constraints, sp.solve(constraints, outputs, dict=True)


def worker_main(kind: str, depth: int, d: int, width: int, trace: bool) -> None:
    """Print one JSON line: the timed work's seconds, tracemalloc peak, constraint count."""
    import sympy  # noqa: F401  (imports stay outside the timed region)

    from ptheorem.model.spec import NetworkSpec
    from ptheorem.symbolic.check import symbolic_check

    spec = NetworkSpec(depth, d, (width,) * (depth - 1))
    if kind == "ptheorem-unlimited":
        # (e) measures the instance route beyond the size limit it had; switch the limit
        # off in this worker only (later versions have no such limit in symbolic_check).
        import ptheorem.symbolic.check as symbolic

        if hasattr(symbolic, "check_limits"):
            symbolic.check_limits = lambda spec: None
        kind = "ptheorem"
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    info: dict[str, Any] = {}
    if kind == "ptheorem":
        result = symbolic_check(spec)
        t = result.timings
        info = {
            "status": result.verdict.status.value,
            "constraints": result.details.derivation.constraint_count,
            "equations": result.details.derivation.equation_count,
            "derive_solve_seconds": t["build"] + t["derive"] + t["solve"],
            "timings": t,
        }
    elif kind == "baseline":
        constraints, solution = baseline_constraints(depth, d, width)
        info = {"constraints": len(constraints), "solutions": len(solution)}
    elif kind == "ptheorem-constraints":
        result = symbolic_check(spec, per_path_limit=4096)
        paths = [p.raw for g in result.details.derivation.groups for p in g.per_path or ()]
        from tests.oracles.plain_sympy import canonical

        info = {"set": canonical(paths)}
    elif kind == "baseline-constraints":
        from tests.oracles.plain_sympy import canonical

        info = {"set": canonical(baseline_constraints(depth, d, width)[0])}
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    print(json.dumps({"seconds": seconds, "tracemalloc_mb": peak, **info}))


# --------------------------------------------------------------------------- sections


@dataclass
class Figures:
    """Everything measured, for the table and ``--json``."""

    environment: dict[str, Any]
    help: dict[str, Any] = field(default_factory=dict)
    end_to_end: dict[str, Any] = field(default_factory=dict)
    derivation: list[dict[str, Any]] = field(default_factory=list)
    constraint_sets: list[dict[str, Any]] = field(default_factory=list)
    deep: list[dict[str, Any]] = field(default_factory=list)
    large: dict[str, Any] = field(default_factory=dict)


def imported_packages(importtime: str) -> dict[str, float]:
    """Milliseconds spent importing each root package (own time of its modules).

    Parsed from ``-X importtime`` output, whose lines are ``self | cumulative | name``.
    """
    totals: dict[str, float] = {}
    for line in importtime.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s+(\S+)$", line)
        if m:
            root = m[2].split(".")[0]
            totals[root] = totals.get(root, 0.0) + int(m[1]) / 1000
    return totals


def measure_help(repeats: int) -> dict[str, Any]:
    """(a) Whether ``--help`` imports sympy, and its wall time."""
    probe = run([PYTHON, "-X", "importtime", "-m", "ptheorem", "--help"])
    imports = imported_packages(probe.stderr)
    walls = [run([*ptheorem_cmd(), "--help"]).seconds for _ in range(repeats)]
    return {
        "imports_sympy": "sympy" in imports,
        "imports_rich": "rich" in imports,
        "seconds": median(walls),
        "repeats": repeats,
    }


def measure_end_to_end(repeats: int) -> dict[str, Any]:
    """(b) ``ptheorem check --depth 3 --dim 4`` against ``import sympy``, interleaved."""
    check = [*ptheorem_cmd(), "check", "--depth", "3", "--dim", "4"]
    commands = {
        "python -c pass": [PYTHON, "-c", "pass"],
        'python -c "import sympy"': [PYTHON, "-c", "import sympy"],
        "import floor (sympy, typer, pydantic, rich.console)": [
            PYTHON,
            "-c",
            "import sympy, typer, pydantic, rich.console",
        ],
        "ptheorem check --depth 3 --dim 4": check,
    }
    for argv in commands.values():  # warm-up: bytecode written, files in the page cache
        run(argv)
    runs: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, argv in commands.items():
            runs[name].append(run(argv))
    rows = {
        name: {
            "seconds": median([r.seconds for r in rs]),
            "cpu_seconds": median([r.cpu_seconds for r in rs]),
            "max_rss_mb": max(r.max_rss_mb for r in rs),
        }
        for name, rs in runs.items()
    }
    sympy_row = rows['python -c "import sympy"']
    check_row = rows["ptheorem check --depth 3 --dim 4"]
    probe = run([PYTHON, "-X", "importtime", "-m", "ptheorem", "check", "-L", "3", "-d", "4"])
    imports = imported_packages(probe.stderr)
    timings = json.loads(run([*check, "--format", "json"]).stdout).get("timings", {})
    return {
        "rows": rows,
        "ratio": check_row["seconds"] / sympy_row["seconds"],
        "cpu_ratio": check_row["cpu_seconds"] / sympy_row["cpu_seconds"],
        "repeats": repeats,
        "imports_ms": {k: round(v, 1) for k, v in sorted(imports.items(), key=lambda kv: -kv[1])},
        "symbolic_ms": {k: round(v * 1000, 1) for k, v in timings.items()},
    }


def measure_derivation(
    depths: list[int], repeats: int, timeout: float, baseline_budget: float
) -> list[dict[str, Any]]:
    """(c) symbolic_check against the plain-sympy baseline, L = 2..5."""
    rows = []
    for depth in depths:
        ours = [worker("ptheorem", depth) for _ in range(repeats)]
        traced = worker("ptheorem", depth, trace=True)
        ours_info = json.loads(ours[-1].stdout)
        base: list[dict[str, Any]] = []
        spent = 0.0
        timed_out = False
        last = 0.0
        while len(base) < repeats and (not base or spent + last <= baseline_budget):
            r = worker("baseline", depth, timeout=timeout)
            last = r.seconds
            spent += last
            if r.timed_out:
                timed_out = True
                break
            base.append({**json.loads(r.stdout), "max_rss_mb": r.max_rss_mb})
        rows.append(
            {
                "depth": depth,
                "ptheorem_seconds": median([json.loads(r.stdout)["seconds"] for r in ours]),
                "ptheorem_derive_solve_seconds": median(
                    [json.loads(r.stdout)["derive_solve_seconds"] for r in ours]
                ),
                "ptheorem_repeats": repeats,
                "ptheorem_tracemalloc_mb": json.loads(traced.stdout)["tracemalloc_mb"],
                "ptheorem_max_rss_mb": max(r.max_rss_mb for r in ours),
                "ptheorem_constraints": ours_info["constraints"],
                "baseline_seconds": median([b["seconds"] for b in base]) if base else None,
                "baseline_repeats": len(base),
                "baseline_timeout": timeout if timed_out and not base else None,
                "baseline_max_rss_mb": max((b["max_rss_mb"] for b in base), default=None),
                "baseline_constraints": base[0]["constraints"] if base else None,
            }
        )
    return rows


def measure_constraint_sets(depths: list[int]) -> list[dict[str, Any]]:
    """(c) The baseline's constraints and ptheorem's per-path constraints, as sets up to sign."""
    out = []
    for depth in depths:
        ours = json.loads(worker("ptheorem-constraints", depth).stdout)["set"]
        theirs = json.loads(worker("baseline-constraints", depth).stdout)["set"]
        out.append({"depth": depth, "count": len(ours), "same": ours == theirs})
    return out


def measure_deep(depths: list[int], repeats: int) -> list[dict[str, Any]]:
    """(d) symbolic_check alone for deep nets, and the CLI end to end at the deepest."""
    rows = []
    for depth in depths:
        runs = [worker("ptheorem", depth) for _ in range(repeats)]
        traced = worker("ptheorem", depth, trace=True)
        info = json.loads(runs[-1].stdout)
        rows.append(
            {
                "depth": depth,
                "seconds": median([json.loads(r.stdout)["seconds"] for r in runs]),
                "repeats": repeats,
                "tracemalloc_mb": json.loads(traced.stdout)["tracemalloc_mb"],
                "max_rss_mb": max(r.max_rss_mb for r in runs),
                "status": info["status"],
            }
        )
    deepest = depths[-1]
    cli = [*ptheorem_cmd(), "check", "--depth", str(deepest), "--dim", str(D), "--no-color"]
    cli_runs = [run(cli) for _ in range(max(1, repeats // 2 + 1))]
    rows[-1]["cli_seconds"] = median([r.seconds for r in cli_runs])
    rows[-1]["cli_max_rss_mb"] = max(r.max_rss_mb for r in cli_runs)
    rows[-1]["cli_repeats"] = len(cli_runs)
    return rows


def measure_large(repeats: int) -> dict[str, Any]:
    """(e) symbolic_check at L = 3, d = 16, widths 16, limits off, in fresh processes."""
    runs = [
        worker("ptheorem-unlimited", LARGE_DEPTH, dim=LARGE_DIM, width=LARGE_WIDTH)
        for _ in range(repeats)
    ]
    infos = [json.loads(r.stdout) for r in runs]
    stages = ("build", "derive", "solve", "certify")
    return {
        "depth": LARGE_DEPTH,
        "dim": LARGE_DIM,
        "width": LARGE_WIDTH,
        "seconds": median([i["seconds"] for i in infos]),
        "all_seconds": [i["seconds"] for i in infos],
        "stages": {k: median([i["timings"][k] for i in infos]) for k in stages},
        "repeats": repeats,
        "max_rss_mb": max(r.max_rss_mb for r in runs),
        "status": infos[-1]["status"],
        "equations": infos[-1]["equations"],
        "target_seconds": LARGE_TARGET_SECONDS,
    }


def blas_threads() -> str:
    """The BLAS libraries numpy loaded and their thread counts (threadpoolctl), or why not."""
    try:
        import numpy  # noqa: F401  (loads its BLAS, so threadpoolctl can see it)
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (threadpoolctl not installed)"
    pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
    if not pools:
        return "no BLAS loaded"
    return ", ".join(f"{p['internal_api']} {p['num_threads']} thread(s)" for p in pools)


# --------------------------------------------------------------------------- report


def _s(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _growth(rows: list[dict[str, Any]], key: str, k: int) -> str:
    if k == 0 or rows[k][key] is None or rows[k - 1][key] is None:
        return ""
    return f"{rows[k][key] / rows[k - 1][key]:.1f}x"


def table(fig: Figures) -> str:
    """The compact side-by-side report."""
    env, lines = fig.environment, []
    lines.append(
        f"ptheorem symbolic benchmarks: python {env['python']}, sympy {env['sympy']}, "
        f"{env['cpus']} CPU(s), BLAS {env['blas']}, {env['mode']} mode, "
        f"{env['total_seconds']:.0f} s in all"
    )
    h = fig.help
    lines += [
        "",
        "(a) ptheorem --help",
        f"    imports sympy: {'YES' if h['imports_sympy'] else 'no'}   "
        f"imports rich: {'yes' if h['imports_rich'] else 'no'}   "
        f"wall {_s(h['seconds'])} (median of {h['repeats']})",
    ]
    e = fig.end_to_end
    lines += [
        "",
        f"(b) end to end, median of {e['repeats']} interleaved runs          wall       cpu"
        "  peak RSS",
    ]
    for name, row in e["rows"].items():
        lines.append(
            f"    {name:<54}{_s(row['seconds']):>8}  {_s(row['cpu_seconds']):>8}"
            f"  {row['max_rss_mb']:5.0f} MB"
        )
    lines.append(
        f"    ratio check / import sympy: {e['ratio']:.2f}x wall, {e['cpu_ratio']:.2f}x cpu"
        " (target ≤ 1.5x)"
    )
    top = ", ".join(f"{k} {v:.0f}" for k, v in list(e["imports_ms"].items())[:6])
    work = ", ".join(f"{k} {v:.0f}" for k, v in e["symbolic_ms"].items())
    lines.append(f"    where it goes: imports (ms, -X importtime) {top}")
    lines.append(f"                   symbolic work (ms, the check's own timings) {work}")
    lines += [
        "",
        f"(c) derivation, d={D}, widths {WIDTH}: ptheorem symbolic_check (all of it: derive, "
        "solve, certify) vs plain-sympy baseline",
        "    L   ptheorem  (derive+solve)  x/layer  tracemalloc  RSS      baseline"
        "           x/layer  RSS      speed-up   constraints",
    ]
    rows = fig.derivation
    for k, r in enumerate(rows):
        if r["baseline_seconds"] is not None:
            base = f"{_s(r['baseline_seconds'])} (n={r['baseline_repeats']})"
            speed = f"{r['baseline_seconds'] / r['ptheorem_seconds']:.0f}x"
            agree = "=" if r["baseline_constraints"] == r["ptheorem_constraints"] else "≠"
            cons = f"{r['ptheorem_constraints']} {agree} {r['baseline_constraints']}"
        else:
            base = f"> {r['baseline_timeout']:.0f} s (timeout)"
            speed = f"≥ {r['baseline_timeout'] / r['ptheorem_seconds']:.0f}x"
            cons = f"{r['ptheorem_constraints']} / -"
        base_rss = f"{r['baseline_max_rss_mb']:.0f} MB" if r["baseline_max_rss_mb"] else "-"
        ours = f"{_s(r['ptheorem_seconds']):>8}  ({_s(r['ptheorem_derive_solve_seconds'])})"
        lines.append(
            f"    {r['depth']:<3} {ours:<24} {_growth(rows, 'ptheorem_seconds', k):>6}"
            f"  {r['ptheorem_tracemalloc_mb']:7.1f} MB  {r['ptheorem_max_rss_mb']:3.0f} MB"
            f"   {base:<18} {_growth(rows, 'baseline_seconds', k):>6}  {base_rss:>6}"
            f"   {speed:>8}   {cons}"
        )
    for c in fig.constraint_sets:
        verdict = "identical" if c["same"] else "DIFFERENT"
        lines.append(
            f"    constraint sets at L={c['depth']}, d={D}, widths {WIDTH} (per path, up to sign): "
            f"{verdict} ({c['count']} constraints)"
        )
    lines += [
        "",
        f"(d) ptheorem alone, d={D}, widths {WIDTH}: symbolic_check (target: L=10 under 10 s)",
        "    L    verdict time  x/layer  tracemalloc  RSS     status",
    ]
    for k, r in enumerate(fig.deep):
        lines.append(
            f"    {r['depth']:<4} {_s(r['seconds']):>10}  {_growth(fig.deep, 'seconds', k):>7}"
            f"  {r['tracemalloc_mb']:7.1f} MB  {r['max_rss_mb']:3.0f} MB  {r['status']}"
        )
    last = fig.deep[-1]
    lines.append(
        f"    ptheorem check --depth {last['depth']} --dim {D} end to end (human output): "
        f"{_s(last['cli_seconds'])} (median of {last['cli_repeats']}), "
        f"peak RSS {last['cli_max_rss_mb']:.0f} MB"
    )
    g = fig.large
    met = "met" if g["seconds"] < g["target_seconds"] else "MISSED"
    where = ", ".join(f"{k} {_s(v)}" for k, v in g["stages"].items())
    runs = ", ".join(_s(x) for x in g["all_seconds"])
    lines += [
        "",
        f"(e) instance route, L={g['depth']}, d={g['dim']}, widths {g['width']} "
        f"({g['equations']:,} reduced equations): symbolic_check, limits off",
        f"    {_s(g['seconds'])} (median of {g['repeats']} fresh processes: {runs})   "
        f"target < {g['target_seconds']:.0f} s: {met}   status {g['status']}   "
        f"peak RSS {g['max_rss_mb']:.0f} MB",
        f"    where it goes (medians): {where}",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and sizes (~1 min)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--timeout", type=float, help="cap of one baseline run, seconds")
    parser.add_argument(
        "--worker", nargs=4, metavar=("KIND", "L", "D", "WIDTH"), help=argparse.SUPPRESS
    )
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind, depth, d, width = args.worker
        worker_main(kind, int(depth), int(d), int(width), args.trace)
        return
    import sympy

    start = time.perf_counter()
    quick = args.quick
    repeats = 3 if quick else 5
    timeout = args.timeout or (8.0 if quick else 120.0)
    fig = Figures(
        environment={
            "python": platform.python_version(),
            "sympy": sympy.__version__,
            "cpus": os.cpu_count(),
            "mode": "quick" if quick else "default",
            "baseline_timeout_s": timeout,
            "blas": blas_threads(),
        }
    )
    fig.help = measure_help(repeats)
    fig.end_to_end = measure_end_to_end(repeats)
    fig.derivation = measure_derivation([2, 3, 4, 5], repeats, timeout, 8.0 if quick else 25.0)
    fig.constraint_sets = measure_constraint_sets([2, 3] if quick else [2, 3, 4])
    fig.deep = measure_deep([6, 10] if quick else [6, 7, 8, 9, 10], 2 if quick else repeats)
    fig.large = measure_large(3)
    fig.environment["total_seconds"] = time.perf_counter() - start
    fig.environment["self_max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(asdict(fig), indent=2) if args.json else table(fig))


if __name__ == "__main__":
    main()
