"""Steps 7–10: the weight tying S, Eq. 8 and the rank, the verdict, sufficiency and φ.

Every statement here reads what the symbolic check computed: the null-space
dimensions and bases of the groups, the Eq. 8 solves, the minors per component,
the hypotheses with how each was established, and the sufficiency checks.
"""

from __future__ import annotations

import sympy as sp

from ptheorem.explain.common import TABLE_ROWS, Context, make_step, sub, tuple_text
from ptheorem.explain.model import Block, Math, Note, Prose, Step, Table
from ptheorem.explain.paths import sup
from ptheorem.model.words import plural

# --- 7. the weight tying S -------------------------------------------------------------------


def tying_step(ctx: Context) -> Step:
    title = "Solving for the weight tying S"
    sol = ctx.sol
    if sol.kind == "none":
        return make_step("tying", title, [Prose("d = 1: nothing to solve.")])
    if sol.kind == "symmetric":
        blocks: list[Block] = [
            Prose("sympy solves the constraints for the lower triangle: θ⁽⁰⁾ is symmetric.")
        ]
        blocks += [Math(k, v) for k, v in sol.symmetric.items()]
        return make_step("tying", title, blocks, [Prose("θ⁽⁰⁾ symmetric; no S")])
    L = ctx.depth
    if sol.kind == "vector":
        rel, eq, shape = "θ⁽¹⁾ₘ = Sₘ θ⁽⁰⁾ₘ", "Eq. 2", "a vector: one scale per hidden unit"
    else:
        rel = f"θ{sup(L - 1)}ₙ = Sₙₘ θ⁽⁰⁾ₘ"
        eq = "Eq. 7"
        shape = "a matrix: every last-layer column n is tied to every input row m it reaches"
    t = next((t for t in sol.tyings if ctx.group and t.units == ctx.group.units), sol.tyings[0])
    tied = sum(x.tied for x in sol.tyings)
    tying_rows = tuple(
        (tuple_text(x.units), str(x.nullity), "yes" if x.tied else "NO")
        for x in sol.tyings[:TABLE_ROWS]
    )
    out_name = f"θ{sup(L - 1)}{sub(t.units[0])}"
    in_name = f"θ⁽⁰⁾{sub(t.units[-1])}"
    blocks = [
        Prose(
            f"Each group's equations are linear in the output column {ctx.last}ₙ. sympy computes "
            "their null space over the rational functions of the input row θ⁽⁰⁾ₘ. When it is one "
            f"line whose basis vector sympy's cancel shows to be a multiple of θ⁽⁰⁾ₘ, the group "
            f"is tied: {rel} ({eq}), with Sₙₘ the free scale of that line."
        ),
    ]
    if t.basis:
        blocks.append(
            Math(
                sp.ImmutableMatrix([list(t.basis[0])]),
                sp.MatMul(
                    t.scale if t.scale is not None else sp.nan,
                    sp.ImmutableMatrix([list(t.input)]),
                    evaluate=False,
                ),
                label=f"basis of group {tuple_text(t.units)}",
            )
        )
    if t.tied:
        blocks.append(
            Math(
                sp.ImmutableMatrix([list(t.output)]),
                sp.MatMul(t.symbol, sp.ImmutableMatrix([list(t.input)]), evaluate=False),
                label=f"{out_name} = S{''.join(sub(u) for u in t.units)} {in_name}",
            )
        )
    blocks += [
        Prose(
            f"{tied} of {plural(len(sol.tyings), 'group')} tied this way; the null spaces as "
            "computed:"
        ),
        Table(("group", "null-space dim", "spanned by θ⁽⁰⁾ₘ"), tying_rows),
    ]
    if len(sol.tyings) > TABLE_ROWS:
        blocks.append(Note(f"… {plural(len(sol.tyings) - TABLE_ROWS, 'more group')}"))
    summary: list[Block] = [Prose(f"S is {shape}: {rel}")]
    if sol.S is not None:
        blocks += [Math("S", sol.S), Prose(f"S is {shape}.")]
        summary.append(Math("S", sol.S))
    elif sol.rank is not None:
        blocks.append(Prose(f"S is {shape}; read off per component:"))
        for c in sol.rank.components:
            blocks.append(Math(f"S (n ∈ {tuple_text(c.last)}, m ∈ {tuple_text(c.first)})", c.S))
    if sol.rank is not None and sol.kind == "matrix":
        linked = len(sol.tyings)
        pairs = ctx.spec.widths[0] * ctx.spec.widths[-1]
        if linked < pairs:
            blocks.append(
                Note(
                    f"Only {linked} of the {pairs} pairs (n, m) have a group: a pair with no path "
                    "of nonzero weights n → m has no constraint, and its entry of S is 0."
                )
            )
    return make_step("tying", title, blocks, summary)


# --- 8. Eq. 8 and the rank argument ------------------------------------------------------------


def rank_step(ctx: Context) -> Step:
    title = "Eq. 8 and the rank of θ⁽⁰⁾"
    sol = ctx.sol
    if sol.kind in ("none", "symmetric") or sol.rank is None:
        text = (
            "No hidden layer: no S and no input rows to compare."
            if ctx.depth == 1
            else ("d = 1: nothing to compare.")
        )
        return make_step("rank", title, [Prose(text)], [Prose(text)])
    rank = sol.rank
    if sol.kind == "vector":
        tied_to: dict[int, list[int]] = {}
        for t in sol.tyings:
            tied_to.setdefault(t.units[0], []).append(t.units[-1])
        columns = tuple(
            (f"θ⁽¹⁾{sub(n)}", ", ".join(f"θ⁽⁰⁾{sub(m)}" for m in ms))
            for n, ms in list(tied_to.items())[:TABLE_ROWS]
        )
        free = all(len(ms) == 1 for ms in tied_to.values())
        verdict = "the input weights stay free" if free else "some input rows are linked"
        blocks: list[Block] = [
            Prose(
                "Eq. 8 needs two groups that share an output column. With one hidden layer "
                "each output column θ⁽¹⁾ₘ reaches the input only through its own unit m, so it "
                "is tied to one input row:"
            ),
            Table(("output column", "tied to"), columns),
            Prose(
                f"No column is shared ({plural(len(rank.components), 'separate unit')}), so "
                "nothing "
                f"links θ⁽⁰⁾₁, θ⁽⁰⁾₂, …: {verdict}. S only rescales each unit's own weights."
            ),
        ]
        summary: list[Block] = [Prose("input weights free: no shared output column, no Eq. 8")]
        return make_step("rank", title, blocks, summary)
    blocks = []
    by_units = {t.units: t for t in sol.tyings}
    if rank.eq8:
        e8 = rank.eq8[0]
        tm, tmp = by_units[(e8.n, e8.m)], by_units[(e8.n, e8.m_prime)]
        lhs = sp.MatMul(tm.symbol, sp.ImmutableMatrix([list(tm.input)]), evaluate=False)
        rhs = sp.MatMul(tmp.symbol, sp.ImmutableMatrix([list(tmp.input)]), evaluate=False)
        span = f"the line of θ⁽⁰⁾{sub(e8.m)}" if e8.spanned else f"NOT the line of θ⁽⁰⁾{sub(e8.m)}"
        blocks += [
            Prose(
                f"Output column n = {e8.n} is tied to input rows m = {e8.m} and m′ = "
                f"{e8.m_prime} at once, so the two tyings must agree (Eq. 8):"
            ),
            Math(lhs, rhs, label="Eq. 8"),
            Prose(
                f"sympy builds it from the groups themselves: it substitutes group "
                f"({e8.n}, {e8.m})'s tying into group ({e8.n}, {e8.m_prime})'s equations, which "
                f"become linear in θ⁽⁰⁾{sub(e8.m_prime)}, and computes their null space: "
                f"dimension {e8.nullity}, {span}. The tying of group ({e8.n}, {e8.m_prime}) "
                f"then fixes the scale (outside the trivial branch "
                f"S{sub(e8.n)}{sub(e8.m_prime)} = 0):"
            ),
        ]
        blocks += [Math(k, v) for k, v in e8.solution.items()]
    rows = tuple(
        (
            tuple_text(c.first),
            tuple_text(c.last),
            str(c.minors_checked),
            "✓ rank ≤ 1"
            if c.rank_at_most_one
            else "✗ " + (c.failures[0] if c.failures else "a minor ≠ 0"),
        )
        for c in rank.components[:TABLE_ROWS]
    )
    blocks += [
        Prose(
            "Along a spanning tree of each set of linked units these relations are substituted "
            "into every 2×2 minor of the set's rows of θ⁽⁰⁾, and sympy cancels each one:"
        ),
        Table(("units m", "linked through n", "minors", "result"), rows),
    ]
    if rank.unlinked:
        blocks.append(
            Note(
                f"Units {tuple_text(rank.unlinked)} reach no output column: no constraint binds "
                "their input weights."
            )
        )
    parts = len(rank.components) + len(rank.unlinked)
    if rank.single and rank.rank_at_most_one:
        text = "input weights parallel: Eq. 8 ⇒ every 2×2 minor of θ⁽⁰⁾ vanishes, rank ≤ 1"
        blocks.append(Prose("So all input weights θ⁽⁰⁾ₘ are parallel: one feature (Theorem 5)."))
    elif rank.rank_at_most_one:
        text = f"input weights parallel only within each of {plural(parts, 'part')}"
        blocks.append(
            Prose(
                f"The units split into {parts} parts: the rows are parallel within each linked "
                "set but nothing ties different parts together. Zero middle weights broke A2."
            )
        )
    else:
        text = "the rank step did not go through (see the table)"
        blocks.append(Prose("The rank step failed: the derivation does not force rank ≤ 1."))
    return make_step("rank", title, blocks, [Prose(text)])


# --- 9. the verdict ----------------------------------------------------------------------------


def verdict_step(ctx: Context) -> Step:
    v = ctx.result.verdict
    blocks: list[Block] = [
        Prose(f"{v.status.value}: {v.summary}"),
        Prose(f"claim: {v.claim}"),
        Prose(f"evidence: {v.evidence.value}"),
    ]
    for h in v.hypotheses:
        a = h.assumption
        if h.holds:
            blocks.append(Note(f"{a.id} ({a.title}, {h.basis.value}), used at: {a.step}"))
        else:
            blocks.append(Note(f"{a.id} ({a.title}) FAILS ({h.basis.value}), not used: {h.detail}"))
    if ctx.constant_slopes:
        blocks.append(
            Note(
                "σ′ is constant here, so A1 does not hold: the verdict is about the frozen "
                "constraints, which this σ does not force (see step 11)."
            )
        )
    for note in ctx.result.notes:
        blocks.append(Note(note))
    return make_step("verdict", "The verdict", blocks, [Prose(f"{v.status.value}: {v.summary}")])


# --- 10. sufficiency and φ ---------------------------------------------------------------------


def sufficiency_step(ctx: Context, mask: str | None) -> Step:
    title = "Sufficiency and the potential φ"
    suf = ctx.suf
    if suf is None:
        return make_step(
            "sufficiency",
            title,
            [Prose("d = 1: every ψ: R → R is a gradient, φ(x) = ∫₀ˣ ψ.")],
        )
    mark = {True: "✓", False: "✗", None: "not checked"}
    blocks: list[Block] = [
        Prose(
            f"Conversely, sympy substitutes the family {suf.family} into the network's own ψ "
            "(every layer) and checks three facts, each of which could fail:"
        ),
        Table(
            ("check", "result"),
            (
                ("every reduced constraint vanishes", mark[suf.constraints_vanish]),
                (f"J − Jᵀ ≡ 0 ({suf.jacobian_method})", mark[suf.antisymmetric]),
                ("∇φ = ψ for the potential below", mark[suf.potential_checked]),
            ),
        ),
        Math("φ(x)", suf.potential),
    ]
    if ctx.depth >= 3:
        blocks.append(
            Prose(
                "On the parallel family ψ only sees the scalar uᵀx, so φ integrates the network "
                "read along the line τu: ψ = ∇φ is a gradient."
            )
        )
    if mask is not None:
        blocks.append(
            Note(
                "With the mask each linked set of units gets its own direction u: the family "
                "certified is parallel within each part, the corrected theorem's condition."
            )
        )
    return make_step("sufficiency", title, blocks)
