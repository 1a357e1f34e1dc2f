"""Rich rendering of ``search``: its progress bar (stderr), the search table and the witness."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ptheorem.counterexamples.search.core import SearchConfig, SearchResult
from ptheorem.model.claims import claim_for
from ptheorem.model.status import Status
from ptheorem.model.words import kind_words
from ptheorem.output.text.console import STATUS_STYLE

#: Largest network (weights in total) whose matrices are printed.
PRINT_WEIGHTS_LIMIT = 64


def make_progress(no_color: bool, label: str) -> Any:
    """A progress bar on stderr, on a terminal only (stdout stays clean for ``--format json``)."""
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn

    from ptheorem.output.text.progress import progress_bar

    return progress_bar(
        no_color,
        TextColumn(f"[bold]{label}[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[best]}", style="dim"),
    )


def best_text(root: float) -> str:
    """The progress bar's trailing field: the best √NAsym so far."""
    return "" if not math.isfinite(root) else f"best √NAsym {root:.3g}"


def constraints_line(config: SearchConfig) -> str:
    box = (
        f"middle |W| ∈ [{config.dense_min:g}, {config.max_weight:g}]"
        if config.dense_min > 0
        else "middle weights free"
    )
    mask = f", mask {config.mask.source}" if config.mask is not None else ""
    return (
        f"unit input weights ≥ {config.min_angle:g}° apart (as lines), {box}{mask}, "
        "read-out ‖θ⁽ᴸ⁻¹⁾‖_F = 1 solved exactly"
    )


def header(command: str, config: SearchConfig) -> list[Any]:
    from rich.text import Text

    spec = config.spec
    return [
        Text.assemble((f"ptheorem {command}", "bold"), f"  {spec.label()}, σ {spec.activation}"),
        Text("  " + constraints_line(config), style="dim"),
        Text(""),
    ]


def render_search(result: SearchResult, witness_file: str | None = None) -> list[Any]:
    """Renderables for ``search``: settings, what was reached, the certificate, the verdict."""
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    config, best = result.config, result.best
    out = header("search", config)
    table = Table(show_edge=False, box=None, padding=(0, 2, 0, 3), show_header=False)
    table.add_column("what")
    table.add_column("value")
    runs = len(result.restarts)
    table.add_row("restarts run", f"{runs} of {config.restarts} (seed {config.seed})")
    table.add_row("best √NAsym, search sample", f"{best.root:.3g} ({config.points} points)")
    table.add_row("best √NAsym, fresh points", f"{result.fresh_root:.3g}")
    table.add_row("smallest input-weight angle", f"{math.degrees(best.min_angle):.4g}°")
    cert = result.certificate
    if cert is not None:
        mark = "✓" if cert.holds else "✗"
        table.add_row("certificate", f"{cert.kind} {mark}: {cert.detail}")
    out += [Text("Search", style="bold"), table, Text("")]
    weights = sum(w.size for w in best.network.weights)
    if weights <= PRINT_WEIGHTS_LIMIT:
        if result.status is Status.REFUTED:
            title = "Witness (exact certificate)"
        elif result.witness is not None:
            title = "Candidate witness (numeric evidence only)"
        else:
            title = "Best point (not a witness)"
        out += [Text(title, style="bold"), *_weights(best.network, Text), Text("")]
    style = STATUS_STYLE[result.status]
    body = Text(result.summary + "\n", style=style)
    body.append(f"claim: {claim_for(config.spec)}", style="")
    if result.witness is None:
        body.append("\nno witness proves nothing: the search is local and sampled", style="dim")
    out.append(
        Panel(
            body,
            title=f"verdict: {result.status.value}",
            title_align="left",
            border_style=style,
        )
    )
    for note in result.notes:
        out.append(Text(f"note: {note}", style="yellow"))
    if witness_file is not None:
        out.append(Text(f"witness written to {witness_file}"))
    elif result.witness is None:
        out.append(Text("no witness: nothing written", style="dim"))
    times = ", ".join(f"{kind_words(k)} {v:.2f} s" for k, v in result.timings.items())
    out.append(Text(f"timings: {times}", style="dim"))
    return out


def _weights(net: Any, Text: Any) -> list[Any]:
    lines = []
    depth = len(net.weights)
    for k, w in enumerate(net.weights):
        name = f"θ⁽{k}⁾".translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
        role = "input" if k == 0 else ("read-out" if k == depth - 1 else "middle")
        rows = "; ".join(" ".join(f"{v: .4f}" for v in row) for row in np.asarray(w))
        lines.append(Text(f"   {name} ({role}) = [{rows}]"))
    return lines
