"""``ptheorem audit NET``: is this concrete network a gradient field, and does Theorem 5 hold?"""

from __future__ import annotations

from typing import Annotated

import typer

from ptheorem.cli.common import (
    FormatOption,
    NoColorOption,
    OutputFormat,
    QuietOption,
    emit_json,
    print_all,
    print_line,
    registrar,
)
from ptheorem.model.errors import InputError

EPILOG = (
    "Formats: .npz with W0…W{L-1} in torch Linear.weight shape (out, in), optional b0…, "
    "activation and beta; or .json {activation, beta, weights, biases}. "
    "Exit codes: 0 proved (the statement holds for this net, on certificates), 1 refuted "
    "(a certified counterexample), 2 input error, 3 inconclusive, 5 supported (numeric "
    "evidence only). "
    "Examples: ptheorem audit net.npz | ptheorem audit net.json --activation swish:2 -f json"
)


def audit(
    net: Annotated[
        str, typer.Argument(help="Network file (.npz or .json), read only.", show_default=False)
    ],
    activation: Annotated[
        str | None,
        typer.Option(help="σ as NAME[:beta] (e.g. tanh, swish:1.5); overrides the file."),
    ] = None,
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
    output: FormatOption = OutputFormat.human,
    quiet: QuietOption = False,
    no_color: NoColorOption = False,
) -> int:
    """Audit a trained ψ network: curl-free?, degenerate?, parallel inputs?, hypotheses, verdict."""
    import hashlib
    from pathlib import Path

    from ptheorem.audit import run_audit
    from ptheorem.io.netfile import load_network
    from ptheorem.output.json.audit import audit_exit_code

    try:
        loaded = load_network(net, activation)
    except (ValueError, TypeError) as exc:  # malformed entries netfile does not catch itself
        raise InputError(f"{net}: not a valid network file ({exc})") from None
    try:
        report = run_audit(loaded, points=points, seed=seed, max_paths=max_paths, exact=exact)
    except KeyboardInterrupt:
        raise typer.Abort() from None
    if output is OutputFormat.json:
        from ptheorem.output.json.audit import audit_to_dict

        digest = hashlib.sha256(Path(net).read_bytes()).hexdigest()
        emit_json(audit_to_dict(report, {"path": net, "sha256": digest}))
    elif quiet:
        from ptheorem.output.text.audit import audit_line

        print_line(audit_line(report), no_color)
    else:
        from ptheorem.output.text.audit import render_audit

        print_all(render_audit(report, net), no_color)
    return int(audit_exit_code(report))


register = registrar(audit, EPILOG)
