"""Steps 7–10: the weight tying S, Eq. 8 and the rank, the verdict, sufficiency and φ."""

from __future__ import annotations

import sympy as sp

from ptheorem.explain.common import TABLE_ROWS, Context, make_step, sub, tuple_text
from ptheorem.explain.model import Block, Math, Note, Prose, Step, Table
from ptheorem.explain.paths import sup

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
        shape = "a matrix: every last-layer column n is tied to every input row m"
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
            "their null space over the rational functions of the input row θ⁽⁰⁾ₘ: dimension "
            f"1, spanned by θ⁽⁰⁾ₘ, means {rel} ({eq})."
        ),
        Math(
            sp.ImmutableMatrix([list(t.output)]),
            sp.MatMul(t.symbol, sp.ImmutableMatrix([list(t.input)]), evaluate=False),
            label=f"{out_name} = S{''.join(sub(u) for u in t.units)} {in_name}",
        ),
        Prose(
            f"{tied}/{len(sol.tyings)} group(s) tied this way "
            f"({in_name} spans the null space above):"
        ),
        Table(("group", "null-space dim", "spanned by θ⁽⁰⁾ₘ"), tying_rows),
    ]
    if len(sol.tyings) > TABLE_ROWS:
        blocks.append(Note(f"… {len(sol.tyings) - TABLE_ROWS} more group(s)"))
    blocks += [Math("S", sol.S), Prose(f"S is {shape}.")]
    if sol.S is not None and len(sol.tyings) < len(sol.S):
        blocks.append(
            Note(
                f"Only {len(sol.tyings)} of the {len(sol.S)} entries of S belong to a group; "
                "a pair (n, m) with no path of nonzero weights n → m has no constraint."
            )
        )
    summary: list[Block] = [Prose(f"S is {shape}: {rel}"), Math("S", sol.S)]
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
                f"No column is shared ({len(rank.components)} separate unit(s)), so nothing "
                f"links θ⁽⁰⁾₁, θ⁽⁰⁾₂, …: {verdict}. S only rescales each unit's own weights."
            ),
        ]
        summary: list[Block] = [Prose("input weights free: no shared output column, no Eq. 8")]
        return make_step("rank", title, blocks, summary)
    blocks = []
    if rank.eq8:
        e8 = rank.eq8[0]
        by_units = {t.units: t for t in sol.tyings}
        tm, tmp = by_units[(e8.n, e8.m)], by_units[(e8.n, e8.m_prime)]
        lhs = sp.MatMul(tm.symbol, sp.ImmutableMatrix([list(tm.input)]), evaluate=False)
        rhs = sp.MatMul(tmp.symbol, sp.ImmutableMatrix([list(tmp.input)]), evaluate=False)
        blocks += [
            Prose(
                f"Output column n = {e8.n} is tied to input rows m = {e8.m} and m′ = "
                f"{e8.m_prime} at once, so the two tyings must agree (Eq. 8):"
            ),
            Math(lhs, rhs, label="Eq. 8"),
            Prose(
                f"sympy solves it for θ⁽⁰⁾{sub(e8.m_prime)} (outside the trivial branch "
                f"S{sub(e8.n)}{sub(e8.m_prime)} = 0):"
            ),
        ]
        blocks += [Math(k, v) for k, v in e8.solution.items()]
    single = len(rank.components) == 1
    where = "rank θ⁽⁰⁾ ≤ 1" if single else "rank ≤ 1 within each set"
    mark = f"all ≡ 0 ✓ ⇒ {where}" if rank.minors_vanish else "NOT all 0"
    comps = "; ".join("{" + ", ".join(map(str, c)) + "}" for c in rank.components)
    blocks.append(
        Prose(
            f"Substituting along the shared columns, the {rank.minors_checked} 2×2 minor(s) of "
            f"θ⁽⁰⁾ within each linked set are {mark}. First-layer units linked through shared "
            f"output columns: {comps}."
        )
    )
    if single and rank.minors_vanish:
        text = "input weights parallel: Eq. 8 ⇒ every 2×2 minor of θ⁽⁰⁾ vanishes, rank ≤ 1"
        blocks.append(Prose("So all input weights θ⁽⁰⁾ₘ are parallel: one feature (Theorem 5)."))
    else:
        text = f"input weights parallel only within {len(rank.components)} linked set(s)"
        blocks.append(
            Prose(
                f"The units split into {len(rank.components)} linked sets: the rows are parallel "
                "within each set but not across sets. Zero middle weights broke A2."
            )
        )
    return make_step("rank", title, blocks, [Prose(text)])


# --- 9. the verdict ----------------------------------------------------------------------------


def verdict_step(ctx: Context) -> Step:
    v = ctx.result.verdict
    blocks: list[Block] = [
        Prose(f"{v.status.value}: {v.summary}"),
        Prose(f"claim: {v.claim}"),
        Prose(f"evidence: {v.evidence.value}"),
    ]
    for a in ctx.result.assumptions:
        blocks.append(Note(f"{a.id} {a.name}, used at: {a.step}"))
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
    mark = {True: "✓", False: "✗"}
    blocks: list[Block] = [
        Prose(
            f"Conversely, sympy substitutes the family {suf.family} back into the network "
            "and checks three facts:"
        ),
        Table(
            ("check", "result"),
            (
                ("every reduced constraint vanishes", mark[suf.constraints_vanish]),
                (f"J − Jᵀ ≡ 0 ({suf.jacobian_method})", mark[suf.antisymmetric_zero]),
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
            Note("The family certified is the globally parallel one; with a mask wider ones exist.")
        )
    return make_step("sufficiency", title, blocks)
