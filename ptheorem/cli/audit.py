"""``ptheorem audit NET``: is this concrete network a gradient field, and does Theorem 5 hold?"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ptheorem.cli.common import (
    FormatOption,
    NoColorOption,
    OutputFormat,
    ProgressOption,
    QuietOption,
    TimeoutOption,
    activation_option,
    check_timeout,
    emit_json,
    print_all,
    print_line,
    registrar,
)
from ptheorem.model.errors import InputError

EPILOG = (
    "Formats: .npz with W0…W{L-1} in torch Linear.weight shape (out, in), optional b0…, "
    "activation and beta; .json {activation, beta, weights, biases}; .safetensors; PyTorch "
    ".pt/.pth state_dicts (needs torch, read with weights_only=True). "
    "Exit codes: 0 proved (the statement holds for this net, on certificates), 1 refuted "
    "(a certified counterexample), 2 input error, 3 inconclusive, 5 supported (numeric "
    "evidence only). With --require curl-free or not-curl-free the exit code answers that "
    "requirement instead: 0 proved, 1 the opposite proved, 5 numeric evidence only (0 with "
    "--accept-evidence), 3 undecided."
)
EXAMPLES = (
    "ptheorem audit net.npz",
    "ptheorem audit model.safetensors --require curl-free",
    "ptheorem audit net.json --activation swish:2 -f json",
)


def audit(
    net: Annotated[
        str,
        typer.Argument(
            help="Network file (.npz, .json, .safetensors, .pt, .pth), read only.",
            show_default=False,
        ),
    ],
    activation: Annotated[str | None, activation_option("σ; overrides the file.")] = None,
    layers: Annotated[
        str | None,
        typer.Option(help="Checkpoint layers: NAME,NAME,… or a glob (default: every Linear)."),
    ] = None,
    require: Annotated[
        str | None,
        typer.Option(help="CI gate: curl-free or not-curl-free; the exit code answers it."),
    ] = None,
    accept_evidence: Annotated[
        bool,
        typer.Option(
            "--accept-evidence", help="With --require: numeric evidence passes (exit 0, not 5)."
        ),
    ] = False,
    seed: Annotated[
        int, typer.Option(min=0, help="Seed of the sample points and path sampling (≥ 0).")
    ] = 0,
    points: Annotated[int, typer.Option(help="Sample points of the curl-free test.")] = 512,
    max_paths: Annotated[
        int, typer.Option(help="Live paths examined by the path-rank test (sampled beyond).")
    ] = 256,
    exact: Annotated[
        bool,
        typer.Option(
            "--exact/--no-exact",
            help="Try the sympy certificate on the stored weights (small nets).",
        ),
    ] = True,
    threads: Annotated[
        int | None,
        typer.Option(help="BLAS threads (default 1: the same bytes on every machine)."),
    ] = None,
    progress: ProgressOption = True,
    timeout: TimeoutOption = 60.0,
    output: FormatOption = OutputFormat.human,
    quiet: QuietOption = False,
    no_color: NoColorOption = False,
) -> int:
    """Audit a trained ψ network: curl-free?, degenerate?, parallel inputs?, hypotheses, verdict."""
    import ptheorem
    from ptheorem.budget import run_with_budget
    from ptheorem.io.files import show_path
    from ptheorem.output.json.audit import audit_exit_code

    check_timeout(timeout)
    wanted = None
    if require is not None:
        from ptheorem.audit.require import parse_requirement

        wanted = parse_requirement(require)
    _warm()
    show = progress and output is not OutputFormat.json
    args = (net, activation, layers, points, seed, max_paths, exact, threads, show, no_color)
    report, digest = run_with_budget(_load_and_audit, args, timeout, "audit")
    gate = None if wanted is None else ptheorem.require(report, wanted, accept_evidence)
    if output is OutputFormat.json:
        from ptheorem.output.json.audit import audit_to_dict, requirement_dict

        data = audit_to_dict(report, {"path": show_path(net), "sha256": digest})
        if gate is not None:
            data["requirement"] = requirement_dict(gate)
        emit_json(data)
    elif quiet:
        from ptheorem.output.text.audit import audit_line

        print_line(audit_line(report) if gate is None else _gate_line(gate), no_color)
    else:
        from ptheorem.io.files import show_path
        from ptheorem.output.text.audit import render_audit

        print_all(render_audit(report, show_path(net)), no_color)
        if gate is not None:
            print_line(_gate_line(gate), no_color)
    return int(audit_exit_code(report) if gate is None else gate.exit_code)


def _gate_line(gate: Any) -> str:
    code = int(gate.exit_code)
    return f"require {gate.require.value}: {gate.status.value} (exit {code}) — {gate.detail}"


def _warm() -> None:
    """Import the audit before forking its budget child, so the child starts at once."""
    import ptheorem.audit.core  # noqa: F401
    import ptheorem.io.checkpoints  # noqa: F401
    import ptheorem.io.netfile  # noqa: F401


def _load_and_audit(
    net: str,
    activation: str | None,
    layers: str | None,
    points: int,
    seed: int,
    max_paths: int,
    exact: bool,
    threads: int | None,
    show: bool,
    no_color: bool,
) -> tuple[Any, str]:
    """In the budget's child process: read the file, audit it (with the stage display on
    stderr when it is wanted and a terminal); the report and the file's SHA-256."""
    import hashlib

    import ptheorem
    from ptheorem.io.files import open_regular

    try:
        loaded = ptheorem.load(net, activation, layers)
    except (ValueError, TypeError) as exc:  # malformed entries netfile does not catch itself
        raise InputError(f"{net}: not a valid network file ({exc})") from None

    def run(report: Any) -> Any:
        return ptheorem.audit(
            loaded,
            points=points,
            seed=seed,
            max_paths=max_paths,
            exact=exact,
            threads=threads,
            progress=report,
        )

    if show:
        from ptheorem.output.text.progress import stage_display

        with stage_display(no_color) as report_progress:
            audited = run(report_progress)
    else:
        audited = run(None)
    digest = hashlib.sha256()
    with open_regular(net, "network file") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return audited, digest.hexdigest()


register = registrar(audit, EPILOG, EXAMPLES)
