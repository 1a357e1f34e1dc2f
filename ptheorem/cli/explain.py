"""``ptheorem explain``: the paper's argument, step by step, for one small network."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Annotated, Any

import typer

from ptheorem.cli.common import (
    AsciiOption,
    BiasOption,
    ForceOption,
    MaskOption,
    NoColorOption,
    OptionalDepthOption,
    WidthsOption,
    activation_option,
    exit_code_for,
    registrar,
)
from ptheorem.model.errors import InputError

EPILOG = "Exit codes as for check (0 proved, 1 refuted, 3 inconclusive)."
EXAMPLES = (
    "ptheorem explain -L 3 -d 2",
    "ptheorem explain -L 2 -d 2 --step",
    "ptheorem explain -d 2 --compare 2,3",
    "ptheorem explain -L 3 -d 2 --mask blocks:2",
    "ptheorem explain -L 3 -d 2 --export notes.tex",
    "ptheorem explain --general -L 3",
    "ptheorem explain --general -L 20 -d 64 --export proof.md",
)


def explain(
    dim: Annotated[
        int | None,
        typer.Option("--dim", "-d", help="Input and output dimension d (optional with --general)."),
    ] = None,
    depth: OptionalDepthOption = None,
    widths: WidthsOption = None,
    bias: BiasOption = False,
    activation: Annotated[
        str, activation_option("σ: generic, or a named one.", generic=True)
    ] = "generic",
    mask: MaskOption = None,
    compare: Annotated[
        str | None,
        typer.Option(help="Two depths side by side at the key steps, e.g. 2,3 (replaces -L)."),
    ] = None,
    general: Annotated[
        bool,
        typer.Option(
            "--general",
            help="The proof for every d and width (symbolic sizes); -d/--widths instantiate it.",
        ),
    ] = False,
    step: Annotated[
        bool, typer.Option("--step", help="Wait for Enter between steps (only in a terminal).")
    ] = False,
    export: Annotated[
        str | None,
        typer.Option(help="Also write FILE.svg, FILE.html, FILE.md or FILE.tex."),
    ] = None,
    force: ForceOption = False,
    ascii: AsciiOption = False,
    no_color: NoColorOption = False,
) -> int:
    """Explain the argument step by step for one small network, with the tool's own objects."""
    from ptheorem.output.text.export import export_format

    if export is not None:
        from ptheorem.io.files import check_target

        export_format(export)
        check_target(export, "--export", force)
    if general:
        return _general(
            depth, dim, widths, bias, activation, mask, compare, step, export, ascii, no_color
        )
    if dim is None:
        raise InputError("--dim is required (or give --general)")
    if compare is not None:
        return _compare(compare, dim, widths, bias, activation, mask, export, ascii, no_color)
    if depth is None:
        raise InputError("--depth is required (or give --compare A,B)")
    from ptheorem.output.text.explain import render_explanation
    from ptheorem.run.teaching import build_explanation

    spec = _spec(depth, dim, widths, bias, activation)
    expl = build_explanation(spec, mask=mask)
    console = _console(no_color)
    show_pages(render_explanation(expl, ascii), console, step, ascii, "step")
    if export is not None:
        _export(expl, export, ascii, no_color)
    return _code(expl)


register = registrar(explain, EPILOG, EXAMPLES)


def _general(
    depth: int | None,
    dim: int | None,
    widths: str | None,
    bias: bool,
    activation: str,
    mask: str | None,
    compare: str | None,
    step: bool,
    export: str | None,
    ascii: bool,
    no_color: bool,
) -> int:
    """``explain --general``: the parametric proof, and its instance when -d is given."""
    from ptheorem.model.spec import GENERIC_ACTIVATION, NetworkSpec, parse_widths
    from ptheorem.output.text.explain import render_explanation
    from ptheorem.run.teaching import build_general_explanation

    if mask is not None or compare is not None:
        raise InputError("--general covers nets without a mask; drop --mask/--compare")
    if activation != GENERIC_ACTIVATION:
        raise InputError("--general proves the statement for a generic σ; drop --activation")
    depth = 3 if depth is None else depth
    if not 1 <= depth <= 1024:
        raise InputError(f"depth must be an integer from 1 to 1024 (got {depth})")
    spec = None
    if dim is not None:
        spec = NetworkSpec(depth, dim, parse_widths(widths, depth, dim) if depth >= 1 else (), bias)
    elif widths is not None:
        raise InputError("--widths needs --dim (the proof itself is for every width)")
    expl = build_general_explanation(depth, spec, bias)
    console = _console(no_color)
    show_pages(render_explanation(expl, ascii), console, step, ascii, "step")
    if export is not None:
        _export(expl, export, ascii, no_color)
    return _code(expl)


def _compare(
    text: str,
    dim: int,
    widths: str | None,
    bias: bool,
    activation: str,
    mask: str | None,
    export: str | None,
    ascii: bool,
    no_color: bool,
) -> int:
    from ptheorem.explain.compare import compare
    from ptheorem.model.spec import parse_count
    from ptheorem.output.text.explain import render_comparison
    from ptheorem.run.teaching import build_explanation

    parts = [p.strip() for p in text.split(",")]
    try:
        depths = [parse_count(p, "--compare") for p in parts]
    except InputError:
        raise InputError(f"--compare takes two depths, e.g. 2,3 (got {text!r})") from None
    if len(depths) != 2:
        raise InputError(f"--compare takes exactly two depths, e.g. 2,3 (got {text!r})")
    specs = [_spec(L, dim, widths, bias, activation) for L in depths]
    left, right = (
        build_explanation(s, mask=mask if s.depth >= 3 else None, witnesses=False) for s in specs
    )
    cmp = compare(left, right)
    console = _console(no_color)
    for item in render_comparison(cmp, ascii):
        console.print(item)
    if export is not None:
        _export(cmp, export, ascii, no_color)
    return max(_code(left), _code(right))


def _spec(depth: int, dim: int, widths: str | None, bias: bool, activation: str) -> Any:
    from ptheorem.model.spec import GENERIC_ACTIVATION, NetworkSpec, parse_widths
    from ptheorem.run.teaching import check_size

    if activation != GENERIC_ACTIVATION:
        from ptheorem.activations import get_activation

        activation = str(get_activation(activation).spec)
    sizes = parse_widths(widths, depth, dim) if depth >= 1 else ()
    spec = NetworkSpec(depth, dim, sizes, bias, activation)
    check_size(spec)
    return spec


def _code(expl: Any) -> int:
    return int(exit_code_for(expl))


def _console(no_color: bool) -> Any:
    from ptheorem.output.text.console import make_console

    return make_console(no_color)


def _export(obj: Any, path: str, ascii: bool, no_color: bool) -> None:
    from ptheorem.io.files import show_path
    from ptheorem.output.text.export import export

    written = export(obj, path, ascii=ascii, no_color=no_color)
    typer.echo(f"ptheorem: wrote {show_path(written)}", err=True)


def interactive() -> bool:
    """Whether pacing may wait: stdin and stdout are both terminals."""
    stdin, stdout = sys.stdin, sys.stdout
    return bool(stdin and stdout and stdin.isatty() and stdout.isatty())


def show_pages(
    pages: Iterable[list[Any]], console: Any, step: bool, ascii: bool, what: str
) -> None:
    """Print pages as they come; with ``step`` in a terminal, wait for Enter before each next one.

    ``q`` quits; end of input stops the waiting.  Without a terminal it never waits.
    """
    wait = step and interactive()
    prompt = f"[Enter: next {what}, q: quit] " if ascii else f"⏎ next {what} · q quits "
    for k, page in enumerate(pages):
        if wait and k > 0:
            try:
                reply = console.input(prompt, markup=False)
            except EOFError:
                wait = False
                reply = ""
            if reply.strip().lower() == "q":
                break
        for item in page:
            console.print(item)
