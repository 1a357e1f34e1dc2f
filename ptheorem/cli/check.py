"""``ptheorem check``: one configuration, derived, solved and judged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import typer

from ptheorem.cli.common import (
    ForceOption,
    FormatOption,
    MaskOption,
    MethodOption,
    NoColorOption,
    OptionalDepthOption,
    OutputFormat,
    QuietOption,
    WidthsOption,
    activation_option,
    choice,
    emit_json,
    exit_code_for,
    print_all,
    print_line,
    registrar,
)
from ptheorem.model.errors import InputError


def _show_limit(text: str) -> int | None:
    if text == "all":
        return None
    from ptheorem.model.spec import parse_count

    if text.strip().startswith("-"):
        raise InputError(f"--show-constraints must be ≥ 0 (got {text})")
    try:
        return parse_count(text, "--show-constraints")
    except InputError:
        raise InputError(f"--show-constraints takes a number or 'all' (got {text!r})") from None


EPILOG = (
    "Exit codes: 0 proved (symbolic proof), 1 refuted (a witness with an exact certificate), "
    "2 bad input, 3 inconclusive, 5 supported (numeric evidence only, not a proof); with "
    "--expect: 0 match, 1 differ, 3 the golden file's route could not be re-run in budget."
)
EXAMPLES = (
    "ptheorem check --depth 3 --dim 4",
    "ptheorem check -L 2 -d 3 --widths 5 --format json",
    "ptheorem check -L 4 -d 2 --widths 3,2,3 --show-constraints all",
    "ptheorem check -L 8 -d 64 --widths 256 --method numeric",
    "ptheorem check --expect golden/L3_d2_w2-2_nobias.json",
)


def check(
    depth: OptionalDepthOption = None,
    dim: Annotated[
        int | None, typer.Option("--dim", "-d", help="Input and output dimension d.")
    ] = None,
    widths: WidthsOption = None,
    bias: Annotated[
        bool | None, typer.Option("--bias/--no-bias", help="Give every layer a bias.")
    ] = None,
    output: FormatOption = OutputFormat.human,
    show_constraints: Annotated[
        str, typer.Option(help="How many labelled constraints to show: N or 'all'.")
    ] = "3",
    per_path: Annotated[
        bool, typer.Option("--per-path", help="Also enumerate every backward path (small sizes).")
    ] = False,
    method: MethodOption = None,
    timeout: Annotated[
        float,
        typer.Option(
            help="Budget in seconds for the whole check (exit 3 when it runs out); auto runs "
            "the instance cross-check only when it fits."
        ),
    ] = 60.0,
    activation: Annotated[
        str | None, activation_option("σ: generic (any σ), or a named one.", generic=True)
    ] = None,
    seed: Annotated[
        int | None, typer.Option(min=0, help="Seed of the numeric method's random draws (≥ 0).")
    ] = None,
    mask: MaskOption = None,
    witness: Annotated[
        str | None,
        typer.Option(help="Write a counterexample, if found, to FILE.json|.npz (audit format)."),
    ] = None,
    force: ForceOption = False,
    points: Annotated[
        int | None, typer.Option(help="Sample points of the numeric method (default: automatic).")
    ] = None,
    quiet: QuietOption = False,
    expect: Annotated[
        str | None,
        typer.Option(
            help="Compare with a golden JSON file: exit 0 if equal, 1 with a diff. The "
            "configuration, method and seed come from the file (options given must agree)."
        ),
    ] = None,
    no_color: NoColorOption = False,
) -> int:
    """Derive the constraints for one network, solve for S, and give the verdict."""
    import time

    from ptheorem.cli.verify import load_expected, report_expect
    from ptheorem.tolerances import BUDGET_GRACE

    deadline = time.monotonic() + timeout
    from ptheorem.run.check import run_check

    limit = _show_limit(show_constraints)
    golden = load_expected(expect)
    given = Given(depth, dim, widths, bias, activation, method, mask, seed)
    if golden is not None and expect is not None:
        spec, chosen, seed, mask = _from_golden(golden, expect, given)
    else:
        spec, chosen, seed = _from_options(given)
    per_path_limit = 0
    if per_path:
        from ptheorem.symbolic.derive import PER_PATH_LIMIT

        if spec.path_count > PER_PATH_LIMIT:
            raise InputError(
                f"--per-path needs at most {PER_PATH_LIMIT} paths per (i, j); this net has "
                f"{spec.path_count}"
            )
        per_path_limit = PER_PATH_LIMIT
    if witness is not None:
        _check_witness_target(witness, force)
    try:
        parsed_mask = _parse_mask(mask, spec)
        from ptheorem.output.text.progress import stage_display

        wanted = output is not OutputFormat.json
        with stage_display(no_color, label="check", enabled=wanted) as report:
            args = (spec, chosen, timeout, seed, points, per_path_limit, parsed_mask, report)
            result = run_check(*args)
        if witness is not None:
            result = _write_witness(result, witness)
        if golden is not None and expect is not None:
            show = lambda: _emit(result, output, limit, quiet, no_color)  # noqa: E731
            json_mode = output is OutputFormat.json
            left = max(deadline - time.monotonic(), BUDGET_GRACE)
            return report_expect(result, golden, expect, json_mode, show, no_color, left)
        _emit(result, output, limit, quiet, no_color)
    except KeyboardInterrupt:  # typer would turn it into a silent exit 130
        raise typer.Abort() from None
    return int(exit_code_for(result))


register = registrar(check, EPILOG, EXAMPLES)


@dataclass(frozen=True)
class Given:
    """The configuration options as given on the command line (None: not given)."""

    depth: int | None
    dim: int | None
    widths: str | None
    bias: bool | None
    activation: str | None
    method: str | None
    mask: str | None
    seed: int | None


def _from_options(given: Given) -> tuple[Any, Any, int]:
    """Without ``--expect``: the network, method and seed from the options (-L, -d needed)."""
    from ptheorem.model.spec import NetworkSpec, parse_widths
    from ptheorem.run.check import Method

    if given.depth is None:
        raise InputError("missing option '--depth' / '-L' (or give --expect GOLDEN.json)")
    if given.dim is None:
        raise InputError("missing option '--dim' / '-d' (or give --expect GOLDEN.json)")
    spec = NetworkSpec(
        given.depth,
        given.dim,
        parse_widths(given.widths, given.depth, given.dim) if given.depth >= 1 else (),
        bool(given.bias),
        _activation_name(given.activation or "generic"),
    )
    chosen = choice(Method, given.method or "auto", "--method")
    return spec, chosen, given.seed or 0


def _from_golden(golden: dict[str, Any], path: str, given: Given) -> tuple[Any, Any, int, Any]:
    """With ``--expect``: the network, method, seed and mask the golden file records.

    An option given as well must say the same as the file (a one-line error otherwise).
    """
    from ptheorem.io.files import show_path
    from ptheorem.model.spec import parse_widths
    from ptheorem.run.check import Method
    from ptheorem.run.golden import recipe_of, spec_of

    spec, recipe = spec_of(golden), recipe_of(golden)

    def agree(option: str, value: Any, recorded: Any) -> None:
        if value is not None and value != recorded:
            raise InputError(
                f"{option} {_shown(value)} contradicts {show_path(path)}, which records "
                f"{_shown(recorded)}; drop the option to take the file's"
            )

    agree("--depth", given.depth, spec.depth)
    agree("--dim", given.dim, spec.dim)
    if given.widths is not None:
        widths = parse_widths(given.widths, spec.depth, spec.dim) if spec.depth >= 1 else ()
        agree("--widths", ",".join(map(str, widths)), ",".join(map(str, spec.widths)))
    agree("--bias" if given.bias else "--no-bias", given.bias, spec.bias)
    if given.activation is not None:
        agree("--activation", _activation_name(given.activation), spec.activation)
    agree("--mask", given.mask, recipe.get("mask"))
    if given.method is not None:
        wanted = choice(Method, given.method, "--method")
        wanted = Method.instance if wanted is Method.symbolic else wanted
        agree("--method", wanted.value, recipe["method"])
    agree("--seed", given.seed, recipe.get("seed", given.seed))
    seed = recipe.get("seed", 0) if given.seed is None else given.seed
    return spec, Method(recipe["method"]), seed, recipe.get("mask")


def _shown(value: Any) -> str:
    """An option's value as the error message shows it (True/False as on/off)."""
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def _emit(
    result: Any, output: OutputFormat, limit: int | None, quiet: bool, no_color: bool
) -> None:
    if output is OutputFormat.json:
        from ptheorem.output.json.check import check_to_dict

        emit_json(check_to_dict(result))
    elif quiet:
        from ptheorem.output.text.check import verdict_line

        print_line(verdict_line(result), no_color)
    else:
        from ptheorem.output.text.check import render_check

        print_all(render_check(result, limit), no_color)


def _activation_name(text: str) -> str:
    """Validate ``--activation`` early (one-line error) and return its canonical spec."""
    from ptheorem.model.spec import GENERIC_ACTIVATION

    if text == GENERIC_ACTIVATION:
        return text
    from ptheorem.activations import get_activation

    return str(get_activation(text).spec)


def _parse_mask(text: str | None, spec: Any) -> Any:
    if text is None:
        return None
    from ptheorem.io.mask import parse_mask

    return parse_mask(text, spec)


def _check_witness_target(path: str, force: bool) -> None:
    """Before the check runs: the witness file can be written (one-line errors otherwise)."""
    from ptheorem.io.files import check_target, show_path

    if not path.endswith((".json", ".npz")):
        raise InputError(f"--witness {show_path(path)}: use a .json or .npz file name")
    check_target(path, "--witness", force)


def _write_witness(result: Any, path: str) -> Any:
    """Save the witness in the audit format (atomic); note when there is none."""
    import dataclasses

    from ptheorem.io.files import show_path

    if result.witness is None:
        note = f"no witness to write: {show_path(path)} was not created"
        return dataclasses.replace(result, notes=(*result.notes, note))
    from ptheorem.io.netfile import save_network
    from ptheorem.output.json.check import certificate_dict

    extra = {
        "certificate": certificate_dict(result.witness.certificate),
        "explanation": result.witness.explanation,
    }
    save_network(result.witness.network, path, extra)
    note = f"witness written to {show_path(path)}"
    return dataclasses.replace(result, notes=(*result.notes, note))
