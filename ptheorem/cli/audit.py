"""``ptheorem audit NET``: is this concrete network a gradient field, and does Theorem 5 hold?"""

from __future__ import annotations

from typing import Annotated

import typer

from ptheorem.cli.common import (
    FormatOption,
    NoColorOption,
    OutputFormat,
    QuietOption,
    TimeoutOption,
    check_timeout,
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
    timeout: TimeoutOption = 60.0,
    output: FormatOption = OutputFormat.human,
    quiet: QuietOption = False,
    no_color: NoColorOption = False,
) -> int:
    """Audit a trained ψ network: curl-free?, degenerate?, parallel inputs?, hypotheses, verdict."""
    from ptheorem.budget import run_with_budget
    from ptheorem.output.json.audit import audit_exit_code

    check_timeout(timeout)
    _warm()
    report, digest = run_with_budget(
        _load_and_audit, (net, activation, points, seed, max_paths, exact), timeout, "audit"
    )
    if output is OutputFormat.json:
        from ptheorem.io.files import show_path
        from ptheorem.output.json.audit import audit_to_dict

        emit_json(audit_to_dict(report, {"path": show_path(net), "sha256": digest}))
    elif quiet:
        from ptheorem.output.text.audit import audit_line

        print_line(audit_line(report), no_color)
    else:
        from ptheorem.io.files import show_path
        from ptheorem.output.text.audit import render_audit

        print_all(render_audit(report, show_path(net)), no_color)
    return int(audit_exit_code(report))


register = registrar(audit, EPILOG)


def _warm() -> None:
    """Import the audit before forking its budget child, so the child starts at once."""
    import ptheorem.audit  # noqa: F401
    import ptheorem.io.netfile  # noqa: F401


def _load_and_audit(
    net: str, activation: str | None, points: int, seed: int, max_paths: int, exact: bool
) -> tuple[object, str]:
    """Read the file and audit it (in the budget's child process); the report and the
    file's SHA-256."""
    import hashlib

    from ptheorem.audit import run_audit
    from ptheorem.io.files import open_regular
    from ptheorem.io.netfile import load_network

    try:
        loaded = load_network(net, activation)
    except (ValueError, TypeError) as exc:  # malformed entries netfile does not catch itself
        raise InputError(f"{net}: not a valid network file ({exc})") from None
    report = run_audit(loaded, points=points, seed=seed, max_paths=max_paths, exact=exact)
    digest = hashlib.sha256()
    with open_regular(net, "network file") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return report, digest.hexdigest()
