"""``ptheorem explain``: the paper's argument, step by step, for one small network."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import Annotated, Any, NamedTuple

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
    "ptheorem explain -L 3 -d 2 --only 4 --export step4.svg",
    "ptheorem explain -L 3 -d 2 --export slides/ --no-color",
    "ptheorem explain --general -L 3",
    "ptheorem explain --general -L 20 -d 64 --export proof.md",
)

OnlyOption = Annotated[
    int | None,
    typer.Option(
        "--only",
        min=1,
        metavar="K",
        help="Show (and export) step K alone, numbered as in the whole (for a slide).",
    ),
]
ExportOption = Annotated[
    str | None,
    typer.Option(
        help="Also write FILE.svg, FILE.html, FILE.md or FILE.tex; a folder DIR/ gets one "
        "SVG per step. Without colour (--no-color, NO_COLOR) black on white, for print.",
        metavar="FILE|DIR/",
    ),
]


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
    only: OnlyOption = None,
    export: ExportOption = None,
    force: ForceOption = False,
    ascii: AsciiOption = False,
    no_color: NoColorOption = False,
) -> int:
    """Explain the argument step by step for one small network, with the tool's own objects."""
    check_export(export, force)
    out = Output(step, only, export, force, ascii, no_color)
    if general:
        return _general(depth, dim, widths, bias, activation, mask, compare, out)
    if dim is None:
        raise InputError("--dim is required (or give --general)")
    if compare is not None:
        if only is not None:
            raise InputError("--only picks a step of one explanation; drop it with --compare")
        return _compare(compare, dim, widths, bias, activation, mask, out)
    if depth is None:
        raise InputError("--depth is required (or give --compare A,B)")
    from ptheorem.run.teaching import build_explanation

    spec = _spec(depth, dim, widths, bias, activation)
    expl = build_explanation(spec, mask=mask)
    return _show(expl, out)


def check_export(export: str | None, force: bool) -> None:
    """Refuse a bad ``--export`` target before any work: its type, folder and overwrite."""
    if export is None:
        return
    from pathlib import Path

    from ptheorem.io.files import check_target
    from ptheorem.output.text.export import check_folder, export_format, is_folder_target

    export_format(export)
    if is_folder_target(export):
        check_folder(Path(export))
    else:
        check_target(export, "--export", force)


class Output(NamedTuple):
    """How to show and export: pacing, one step, the export target and the text options."""

    step: bool
    only: int | None
    export: str | None
    force: bool
    ascii: bool
    no_color: bool


def _show(expl: Any, out: Output) -> int:
    """Show ``expl`` (or its step ``out.only``), export it, and return its exit code."""
    from ptheorem.output.text.explain import render_explanation

    shown = expl if out.only is None else expl.only(out.only)
    title, *pages = render_explanation(shown, out.ascii)
    show_pages(with_title(title, pages), _console(out.no_color), out.step, out.ascii, "step")
    if out.export is not None:
        export_to(shown, out)
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
    out: Output,
) -> int:
    """``explain --general``: the parametric proof, and its instance when -d is given."""
    from ptheorem.model.spec import GENERIC_ACTIVATION, NetworkSpec, parse_widths
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
    return _show(expl, out)


def _compare(
    text: str,
    dim: int,
    widths: str | None,
    bias: bool,
    activation: str,
    mask: str | None,
    out: Output,
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
    console = _console(out.no_color)
    for item in render_comparison(cmp, out.ascii):
        console.print(item)
    if out.export is not None:
        export_to(cmp, out)
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


def export_to(obj: Any, out: Output) -> None:
    """Export ``obj`` to ``out.export`` and say what was written, on stderr."""
    from ptheorem.io.files import show_path
    from ptheorem.output.text.export import export, is_folder_target, step_files

    assert out.export is not None
    folder = is_folder_target(out.export)
    written = export(obj, out.export, out.ascii, out.no_color, out.force)
    if folder:
        count = len(step_files(obj, written))
        typer.echo(f"ptheorem: wrote {count} files into {show_path(written)}", err=True)
    else:
        typer.echo(f"ptheorem: wrote {show_path(written)}", err=True)


def interactive() -> bool:
    """Whether pacing may wait: stdin and stdout are both terminals."""
    stdin, stdout = sys.stdin, sys.stdout
    return bool(stdin and stdout and stdin.isatty() and stdout.isatty())


def with_title(title: list[Any], pages: Iterable[list[Any]]) -> Iterator[list[Any]]:
    """``pages`` with ``title`` on top of the first: pacing starts after the first step.

    ``explain --step`` and ``demo --step`` both open with their title and first
    part, then wait.
    """
    first = True
    for page in pages:
        yield [*title, *page] if first else page
        first = False


def discard_typeahead() -> None:
    """Drop keys pressed while a page was computing, so they cannot answer the next prompt."""
    try:
        import termios

        termios.tcflush(sys.stdin.fileno(), termios.TCIFLUSH)
    except (ImportError, OSError, ValueError, AttributeError):
        pass


def show_pages(
    pages: Iterable[list[Any]], console: Any, step: bool, ascii: bool, what: str
) -> None:
    """Print pages as they come; with ``step`` in a terminal, wait for Enter before each next one.

    The next page is computed while the last one is read; keys pressed meanwhile
    are discarded before the prompt (an early Enter would otherwise answer it
    unseen and run the next header onto the prompt line).  ``q`` quits; end of
    input stops the waiting.  Without a terminal it never waits.
    """
    wait = step and interactive()
    prompt = f"[Enter: next {what}, q: quit] " if ascii else f"⏎ next {what} · q quits "
    for k, page in enumerate(pages):
        if wait and k > 0:
            discard_typeahead()
            try:
                reply = console.input(prompt, markup=False)
            except EOFError:
                console.print()  # end the prompt line
                wait = False
                reply = ""
            if reply.strip().lower() == "q":
                break
        for item in page:
            console.print(item)
