"""Rich rendering of a symbolic ``check`` result: formula, constraints, S, rank, verdict."""

from __future__ import annotations

from typing import Any

from ptheorem.model.claims import CORRECTED_THEOREM
from ptheorem.model.result import CheckResult
from ptheorem.model.words import kind_words, plural
from ptheorem.output.text.console import STATUS_STYLE
from ptheorem.output.text.formula import network_formula, path_label, show


def verdict_line(result: CheckResult) -> str:
    """The one line ``--quiet`` prints."""
    return f"{result.verdict.status.value}: {result.verdict.summary}"


def hypothesis_line(h: Any) -> str:
    """``A1 (assumed; used at: …): text`` or ``A2 FAILS (exact; not used): why``."""
    a = h.assumption
    if not h.holds:
        return f"{a.id} FAILS ({h.basis.value}; not used): {h.detail}"
    detail = f" [{h.detail}]" if h.detail else ""
    return f"{a.id} ({h.basis.value}; used at: {a.step}): {a.text}{detail}"


def render_check(result: CheckResult, show_constraints: int | None = 3) -> list[Any]:
    """Renderables for ``check``; ``show_constraints`` None means all."""
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    spec = result.spec
    out: list[Any] = []
    bias = "with bias" if spec.bias else "no bias"
    head = Text.assemble(
        ("ptheorem check", "bold"),
        f"  {spec.label()}, {bias}, σ {spec.activation}",
    )
    out += [head, Text("  " + network_formula(spec)), Text("")]
    details = result.details
    symbolic = result.verdict.method == "symbolic"
    general = result.verdict.method == "general"
    if symbolic:
        out += _symbolic_sections(details, show_constraints, Table, Text)
    elif general:
        from ptheorem.output.text.general import general_sections

        out += general_sections(details)
    elif result.verdict.method == "numeric":
        out += _numeric_sections(details, Table, Text)
    elif result.verdict.method == "hypothesis":
        out += _hypothesis_sections(details, Text)
    style = STATUS_STYLE[result.verdict.status]
    body = Text(result.verdict.summary + "\n", style=style)
    body.append(f"claim: {result.verdict.claim}\n", style="")
    body.append(f"evidence: {result.verdict.evidence.value}", style="")
    for h in result.verdict.hypotheses:
        body.append(f"\n{hypothesis_line(h)}", style="dim" if h.holds else "red")
    title = f"verdict: {result.verdict.status.value}"
    out.append(Panel(body, title=title, title_align="left", border_style=style))
    if symbolic and details.sufficiency is not None:
        out += _sufficiency(details.sufficiency, Text)
    instance = details.cross_check.instance if general and details.cross_check else None
    if instance is not None and instance.sufficiency is not None:
        marks = "   ".join(sufficiency_marks(instance.sufficiency))
        out.append(Text(f"Sufficiency, instance derivation: {marks}"))
    if result.witness is not None:
        out += _witness_sections(result.witness, Text)
    if spec.depth >= 3 or result.mask is not None:
        out.append(Text(f"Checked statement (corrected theorem): {CORRECTED_THEOREM}", style="dim"))
    for note in result.notes:
        out.append(Text(f"note: {note}", style="yellow"))
    times = ", ".join(f"{kind_words(k)} {v * 1000:.0f} ms" for k, v in result.timings.items())
    out.append(Text(f"timings: {times}", style="dim"))
    if general:
        from ptheorem.output.text.general import scope_line

        out.append(scope_line(result))
    from ptheorem.output.text.wrap import keep_indents

    return keep_indents(out)  # wrapped lines keep their indent; tuples stay whole


def _symbolic_sections(details: Any, limit: int | None, Table: Any, Text: Any) -> list[Any]:
    der, sol = details.derivation, details.solution
    spec = details.network.spec
    out: list[Any] = []
    frozen = len(der.layer_jacobians.frozen)
    chain = " ".join(
        [f"θ⁽{spec.depth - 1}⁾"] + [f"D⁽{k}⁾ θ⁽{k - 1}⁾" for k in range(spec.depth - 1, 0, -1)]
    ).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    out.append(Text("1. Jacobian (chain rule in sympy)", style="bold"))
    out.append(Text(f"   J = {chain}, σ′ frozen at {frozen} hidden units"))
    if der.jacobian_entry is not None:
        out.append(Text(f"   ∂₂ψ₁ = {show(der.jacobian_entry, 200)}"))
    if spec.depth >= 2:
        out.append(
            Text(
                "   (by construction J is linear in each frozen σ′: one D⁽ᵏ⁾ per layer)",
                style="dim",
            )
        )
    out.append(Text(""))
    out.append(Text("2. Constraints: coefficients of A = J − Jᵀ in the frozen σ′", style="bold"))
    if spec.dim == 1:
        out.append(Text("   none: d = 1 has no pair i < j, A ≡ 0"))
    else:
        out.append(
            Text(
                f"   {plural(der.constraint_count, 'path constraint')} in "
                f"{plural(len(der.groups), 'group')}, "
                f"{plural(der.equation_count, 'distinct equation')} after cancelling middle "
                "products"
            )
        )
        table = Table(show_edge=False, pad_edge=False, box=None, padding=(0, 2, 0, 3))
        table.add_column("paths (i…j) / (j…i)", no_wrap=True)  # a tuple never splits
        table.add_column("#", justify="right")
        table.add_column("reduced constraint")
        rows = [(g, e) for g in der.groups for e in g.equations]
        shown = rows if limit is None else rows[:limit]
        for g, e in shown:
            units = g.units
            table.add_row(
                f"{path_label((e.i, *units, e.j))} / {path_label((e.j, *units, e.i))}",
                str(g.paths),
                f"{show(e.reduced)} = 0",
            )
        from rich.padding import Padding

        out.append(Padding(table, (0, 0, 0, 3)))  # the table sits under its section's text
        if len(shown) < len(rows):
            out.append(
                Text(f"   … {len(rows) - len(shown)} more (--show-constraints all)", style="dim")
            )
        per_path = [p for g in der.groups for p in (g.per_path or ())]
        if per_path:
            out.append(Text("   per path (before cancelling):", style="dim"))
            for p in per_path if limit is None else per_path[:limit]:
                out.append(Text(f"   {path_label(p.path)}: {show(p.raw)} = 0"))
    out.append(Text(""))
    out += _solution_sections(spec, sol, Text)
    return out


def _solution_sections(spec: Any, sol: Any, Text: Any) -> list[Any]:
    out: list[Any] = [Text("3. Solve for S", style="bold")]
    if sol.kind == "none":
        out.append(Text("   nothing to solve (d = 1)"))
    elif sol.kind == "symmetric":
        pairs = ", ".join(f"{show(k)} = {show(v)}" for k, v in sol.symmetric.items())
        out.append(Text(f"   {pairs}: θ⁽⁰⁾ symmetric"))
    else:
        out += [Text("   " + line) for line in tying_lines(spec, sol)]
    if sol.rank is not None and sol.kind == "matrix":
        out += [Text(""), Text("4. Eq. 8 and the rank argument", style="bold")]
        out += [Text("   " + line) for line in rank_lines(sol.rank, spec.depth)]
    elif sol.kind == "vector":
        out.append(
            Text(
                "   each Sₘ ties one unit's own weights; no two groups share an output "
                "column, so nothing links different θ⁽⁰⁾ₘ: the input weights stay free"
            )
        )
    out.append(Text(""))
    return out


def tying_lines(spec: Any, sol: Any) -> list[str]:
    """What the null spaces were, as computed, and S as read off them."""
    last = f"θ{_sup(spec.depth - 1)}ₙ"
    rel = "θ⁽¹⁾ₘ = Sₘ θ⁽⁰⁾ₘ" if sol.kind == "vector" else f"{last} = Sₙₘ θ⁽⁰⁾ₘ"
    by_dim: dict[int, int] = {}
    for t in sol.tyings:
        by_dim[t.nullity] = by_dim.get(t.nullity, 0) + 1
    dims = ", ".join(f"{k} of dimension {d}" for d, k in sorted(by_dim.items()))
    lines = [f"null spaces of the {len(sol.tyings)} groups in {last} (sympy): {dims}"]
    tied = [t for t in sol.tyings if t.tied]
    if tied:
        t = tied[0]
        basis = ", ".join(show(b) for b in t.basis[0])
        lines.append(
            f"{len(tied)}/{len(sol.tyings)} tied, each basis ∝ θ⁽⁰⁾ₘ ⇒ {rel}; e.g. group "
            f"{t.units}: [{basis}] = ({show(t.scale)})·θ⁽⁰⁾{_sub(t.m)}"
        )
    untied = [t for t in sol.tyings if not t.tied]
    if untied:
        lines.append(f"NOT tied: {plural(len(untied), 'group')}, e.g. {untied[0].units}")
    if sol.kind == "vector":
        lines.append(f"S = {show(sol.S.tolist())}")
    elif sol.rank is not None:
        for c in sol.rank.components:
            lines.append(f"S on n ∈ {_set(c.last)}, m ∈ {_set(c.first)}: {show(c.S.tolist())}")
    return lines


def rank_lines(rank: Any, depth: int) -> list[str]:
    """Eq. 8 and the minors, component by component, as computed."""
    last = f"θ{_sup(depth - 1)}"
    lines = []
    for c in rank.components:
        lines.append(f"units m ∈ {_set(c.first)} (linked through n ∈ {_set(c.last)}):")
        if c.eq8:
            e = c.eq8[0]
            m, mp = e.m, e.m_prime
            basis = "spanned by θ⁽⁰⁾" + _sub(m) if e.spanned else "NOT the line of θ⁽⁰⁾" + _sub(m)
            lines.append(
                f"  Eq. 8 (n={e.n}): group ({e.n}, {mp})'s equations with "
                f"{last}{_sub(e.n)} = S{_s(e.n, m)} θ⁽⁰⁾{_sub(m)} substituted: null space in "
                f"θ⁽⁰⁾{_sub(mp)} of dimension {e.nullity}, {basis}"
            )
            if e.spanned:
                lines.append(
                    f"  ⇒ θ⁽⁰⁾{_sub(mp)} = (S{_s(e.n, m)}/S{_s(e.n, mp)}) θ⁽⁰⁾{_sub(m)} "
                    f"(outside the trivial branch S{_s(e.n, mp)} = 0); "
                    f"{plural(len(c.eq8), 'such step')}"
                )
        for failure in c.failures:
            lines.append(f"  ✗ {failure}")
        if c.minors_checked:
            mark = "all ≡ 0 ✓ ⇒ rank ≤ 1" if c.rank_at_most_one else "NOT all ≡ 0 ✗"
            lines.append(
                f"  {plural(c.minors_checked, '2×2 minor')} of these rows, relations "
                f"substituted: {mark}"
            )
        else:
            lines.append("  a single unit: nothing to compare")
    if rank.unlinked:
        lines.append(
            f"units {_set(rank.unlinked)} reach no output column: no constraint binds their "
            "input weights"
        )
    parts = len(rank.components) + len(rank.unlinked)
    if parts > 1:
        lines.append(f"{parts} separate parts: nothing links their input weights to each other")
    return lines


def _set(units: Any) -> str:
    return "{" + ", ".join(map(str, units)) + "}"


def _sup(k: int) -> str:
    return f"({k})".translate(str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾"))


def _sufficiency(suf: Any, Text: Any) -> list[Any]:
    return [
        Text("Sufficiency certificate", style="bold"),
        Text(f"   family: {suf.family}"),
        Text("   " + "   ".join(sufficiency_marks(suf))),
        Text(f"   φ(x) = {potential_text(suf.potential)}"),
        Text(""),
    ]


def sufficiency_marks(suf: Any) -> list[str]:
    """The three checks with ✓ / ✗, or what was not checked."""
    mark = {True: "✓", False: "✗"}
    anti = (
        f"J − Jᵀ ≡ 0 ({suf.jacobian_method}) {mark[suf.antisymmetric]}"
        if suf.antisymmetric is not None
        else f"J − Jᵀ ≡ 0: {suf.jacobian_method}"
    )
    return [
        f"reduced constraints vanish {mark[suf.constraints_vanish]}",
        anti,
        f"∇φ = ψ {mark[suf.potential_checked]}",
    ]


def _sub(m: int) -> str:
    return str(m).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def _s(n: int, m: int) -> str:
    return _sub(n) + _sub(m) if n < 10 and m < 10 else _sub(n) + "," + _sub(m)


def _numeric_sections(details: Any, Table: Any, Text: Any) -> list[Any]:
    head = (
        f"Numeric evidence: σ = {details.activation}, seed {details.seed}, "
        f"up to {details.points} points, family: {details.family}"
    )
    table = Table(show_edge=False, box=None, padding=(0, 2, 0, 3))
    for col in ("check", "measured", "expected", "", "detail"):
        table.add_column(col)
    for c in details.checks:
        value = f"{c.value:.3g}" if isinstance(c.value, float) else str(c.value)
        mark = "✓" if c.passed else "✗"
        table.add_row(c.name, value, c.expected, mark, c.detail)
    out = [Text(head, style="bold"), table]
    null = details.nullspace_parallel or details.nullspace_random
    if null is not None and null.S is not None and null.S.S.size:
        fit = null.S
        out.append(
            Text(
                f"   recovered S ({kind_words(fit.kind)}, shape "
                f"{' × '.join(map(str, fit.S.shape))}): every null-space "
                f"read-out equals S times the input weights up to a residual {fit.residual:.1e}"
            )
        )
    return [*out, Text("")]


def _hypothesis_sections(details: Any, Text: Any) -> list[Any]:
    remark = "met" if details.remark1 else "not met"
    out = [
        Text(
            f"Counterexample search: σ = {details.activation} ({kind_words(details.kind)}; "
            f"Remark 1 {remark})",
            style="bold",
        )
    ]
    for a in details.attempts:
        out.append(Text(f"   {a.search}: {plural(a.draws, 'draw')}, {a.outcome}"))
    return [*out, Text("")]


def _witness_sections(witness: Any, Text: Any) -> list[Any]:
    cert = witness.certificate
    net = witness.network
    rows = "; ".join(
        "[" + ", ".join(f"{v:g}" for v in row) + "]" for row in net.weights[0].tolist()
    )
    return [
        Text("Witness", style="bold red"),
        Text(f"   {witness.explanation}"),
        Text(f"   L={net.depth}, d={net.dim}, widths {net.widths}, σ = {net.activation.label}"),
        Text(f"   input weights θ⁽⁰⁾ rows: {rows}"),
        Text(f"   certificate ({cert.kind}): {cert.detail}"),
        Text(""),
    ]


def potential_text(e: Any, limit: int = 240) -> str:
    """φ in the paper's notation (each ``Integral`` as ∫₀^(b) f dτ), cut to ``limit``."""
    return show(e, limit)
