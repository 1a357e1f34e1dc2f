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
    "evidence only). With --require curl-free|not-curl-free the exit code answers that "
    "requirement instead: 0 proved, 1 the opposite proved, 5 numeric evidence only (0 with "
    "--accept-evidence), 3 undecided. "
    "Examples: ptheorem audit net.npz | ptheorem audit model.safetensors --require curl-free | "
    "ptheorem audit net.json --activation swish:2 -f json"
)


def audit(
    net: Annotated[
        str,
        typer.Argument(
            help="Network file (.npz, .json, .safetensors, .pt, .pth), read only.",
            show_default=False,
        ),
    ],
    activation: Annotated[
        str | None,
        typer.Option(help="σ as NAME[:beta] (e.g. tanh, swish:1.5); overrides the file."),
    ] = None,
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
    seed: Annotated[int, typer.Option(help="Seed of the sample points and path sampling.")] = 0,
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
        int | None, typer.Option(help="BLAS threads (default: the CPUs this process may use).")
    ] = None,
    progress: ProgressOption = True,
    output: FormatOption = OutputFormat.human,
    quiet: QuietOption = False,
    no_color: NoColorOption = False,
) -> int:
    """Audit a trained ψ network: curl-free?, degenerate?, parallel inputs?, hypotheses, verdict."""
    import hashlib
    from pathlib import Path

    import ptheorem
    from ptheorem.output.json.audit import audit_exit_code

    wanted = None
    if require is not None:
        from ptheorem.audit.require import parse_requirement

        wanted = parse_requirement(require)
    try:
        loaded = ptheorem.load(net, activation, layers)
    except (ValueError, TypeError) as exc:  # malformed entries netfile does not catch itself
        raise InputError(f"{net}: not a valid network file ({exc})") from None
    show = progress and output is not OutputFormat.json
    try:
        report = _audit(loaded, points, seed, max_paths, exact, threads, show, no_color)
    except KeyboardInterrupt:
        raise typer.Abort() from None
    gate = None if wanted is None else ptheorem.require(report, wanted, accept_evidence)
    if output is OutputFormat.json:
        from ptheorem.output.json.audit import audit_to_dict, requirement_dict

        digest = hashlib.sha256(Path(net).read_bytes()).hexdigest()
        data = audit_to_dict(report, {"path": net, "sha256": digest})
        if gate is not None:
            data["requirement"] = requirement_dict(gate)
        emit_json(data)
    elif quiet:
        from ptheorem.output.text.audit import audit_line

        print_line(audit_line(report) if gate is None else _gate_line(gate), no_color)
    else:
        from ptheorem.output.text.audit import render_audit

        print_all(render_audit(report, net), no_color)
        if gate is not None:
            print_line(_gate_line(gate), no_color)
    return int(audit_exit_code(report) if gate is None else gate.exit_code)


def _gate_line(gate: Any) -> str:
    code = int(gate.exit_code)
    return f"require {gate.require.value}: {gate.status.value} (exit {code}) — {gate.detail}"


def _audit(
    net: Any,
    points: int,
    seed: int,
    max_paths: int,
    exact: bool,
    threads: int | None,
    show: bool,
    no_color: bool,
) -> Any:
    """The API's audit, with the stage display on stderr when it is wanted and a terminal."""
    import ptheorem

    def run(report: Any) -> Any:
        return ptheorem.audit(
            net,
            points=points,
            seed=seed,
            max_paths=max_paths,
            exact=exact,
            threads=threads,
            progress=report,
        )

    if not show:
        return run(None)
    from ptheorem.output.text.progress import stage_display

    with stage_display(no_color) as report:
        return run(report)


register = registrar(audit, EPILOG)
