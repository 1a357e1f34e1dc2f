"""Steps 1–6: network, Jacobian entry, frozen σ′, path pair, cancellation, constraint."""

from __future__ import annotations

from typing import Any

import sympy as sp

from ptheorem.explain.common import TABLE_ROWS, Context, make_step, sub, tuple_text
from ptheorem.explain.model import (
    Block,
    Formula,
    FrozenFactor,
    FrozenTable,
    Math,
    Note,
    PathSum,
    Prose,
    Step,
    Table,
)
from ptheorem.explain.paths import path_pair, sup
from ptheorem.model.spec import GENERIC_ACTIVATION
from ptheorem.model.words import plural
from ptheorem.symbolic.derive import jacobian_entry

# --- 1. the network ------------------------------------------------------------------


def network_step(ctx: Context, mask: str | None) -> Step:
    spec = ctx.spec
    hidden = spec.depth - 1
    widths = ", ".join(map(str, spec.widths)) if spec.widths else "none"
    bias = "with biases" if spec.bias else "no biases"
    blocks: list[Block] = [
        Prose(
            f"ψ: R{_sup_dim(spec.dim)} → R{_sup_dim(spec.dim)} with L = "
            f"{plural(spec.depth, 'weight layer')}, {hidden} hidden (widths: {widths}), "
            f"σ {spec.activation}, {bias}. "
            f"sympy builds it from weight symbols {_weight_names(spec.depth)} "
            "(o: unit of the next layer, i: unit of this one)."
        ),
        Formula(spec),
        Math("ψ₁(x)", ctx.net.psi()[0], label="sympy"),
    ]
    if mask is not None:
        zeros = sum(1 for k in range(1, spec.depth - 1) for e in ctx.net.weights[k] if e == 0)
        blocks.append(
            Note(f"mask {mask}: {plural(zeros, 'middle weight')} fixed to 0 before deriving.")
        )
    return make_step("network", "The network", blocks, [Formula(spec)])


def _weight_names(depth: int) -> str:
    if depth == 1:
        return "θ⁽⁰⁾ₒᵢ"
    return f"θ⁽⁰⁾ₒᵢ … θ{sup(depth - 1)}ₒᵢ"


def _sup_dim(d: int) -> str:
    return str(d).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


# --- 2. one Jacobian entry -------------------------------------------------------------


def jacobian_step(ctx: Context) -> Step:
    spec, lj = ctx.spec, ctx.der.layer_jacobians
    title = "One Jacobian entry ∂ⱼψᵢ, as sympy derived it"
    if spec.dim == 1:
        entry = jacobian_entry(lj, 1, 1)
        return make_step(
            "jacobian",
            title,
            [
                Prose("d = 1: the Jacobian is the single entry ∂₁ψ₁; there is no pair i < j."),
                Math("∂₁ψ₁", entry if entry is not None else "—"),
            ],
        )
    entry = ctx.der.jacobian_entry
    if spec.depth == 1:
        return make_step(
            "jacobian",
            title,
            [
                Prose("ψ is linear, so its Jacobian is the weight matrix itself: J = θ⁽⁰⁾."),
                Math("∂₂ψ₁", entry),
            ],
        )
    chain = f"θ{sup(spec.depth - 1)} " + " ".join(
        f"D{sup(k)} θ{sup(k - 1)}" for k in range(spec.depth - 1, 0, -1)
    )
    terms = tuple(sp.Add.make_args(entry)) if entry is not None else ()
    blocks: list[Block] = [
        Prose(
            "sympy differentiates every layer on its own (the affine part and the σ part) "
            f"and chains the layer Jacobians: J = {chain}, where D⁽ᵏ⁾ = diag σ′ of hidden "
            "layer k, each σ′ frozen to a symbol σ′ₖᵤ (step 3)."
        ),
        Prose(
            f"Expanded, ∂₂ψ₁ has one term per backward path from output 1 to input 2 "
            f"({plural(len(terms), 'path')}), each term the weights and σ′ met along the path:"
        ),
        PathSum("∂₂ψ₁", terms, spec.depth, 1, 2),
    ]
    blocks.append(
        Note("By construction J is linear in each frozen σ′: every layer adds one factor D⁽ᵏ⁾.")
    )
    return make_step("jacobian", title, blocks)


# --- 3. frozen σ′ and assumption A1 -----------------------------------------------------


def freeze_step(ctx: Context) -> Step:
    spec, lj = ctx.spec, ctx.der.layer_jacobians
    title = "Freezing σ′: the indexwise step"
    if spec.depth == 1:
        return make_step(
            "freeze",
            title,
            [
                Prose(
                    "No hidden layer, so there is no σ′ to freeze: A = J − Jᵀ = θ⁽⁰⁾ − θ⁽⁰⁾ᵀ "
                    "is constant and must vanish entry by entry. No assumption is needed."
                )
            ],
        )
    inputs = {sp.Symbol(f"h0_{j + 1}"): x for j, x in enumerate(ctx.net.inputs)}
    factors = []
    for sym in (s for layer in lj.frozen_by_layer for s in layer):
        value = lj.frozen[sym].xreplace(inputs)
        point = value.point[0] if isinstance(value, sp.Subs) else None
        factors.append(FrozenFactor(sym, value, point))
    from ptheorem.model.result import INDEPENDENCE

    if spec.dim == 1:
        return make_step(
            "freeze",
            title,
            [
                Prose(
                    f"σ′ is frozen to {plural(len(factors), 'symbol')}, but with d = 1 A = J − "
                    "Jᵀ ≡ 0 "
                    "already: no coefficient to read off, no assumption needed."
                ),
                FrozenTable(tuple(factors)),
            ],
        )
    blocks: list[Block] = [
        Prose(
            f"Each σ′ in J is replaced by a symbol σ′ₖᵤ (hidden layer k, unit u), "
            f"{len(factors)} in all. They stand for these functions of x (h⁽ᵏ⁾ is the "
            "output of hidden layer k):"
        ),
        FrozenTable(tuple(factors)),
        Prose(
            "A = J − Jᵀ is then a polynomial in the frozen symbols. ∂ⱼψᵢ = ∂ᵢψⱼ for every "
            "x makes A(x) ≡ 0; the paper concludes that every coefficient of that polynomial "
            "vanishes on its own (indexwise). That is assumption A1:"
        ),
        Note(f"{INDEPENDENCE.id} ({INDEPENDENCE.title}): {INDEPENDENCE.text}"),
        Note(_activation_remark(ctx)),
    ]
    return make_step("freeze", title, blocks)


def _activation_remark(ctx: Context) -> str:
    spec = ctx.spec
    if ctx.constant_slopes:
        values = sorted({str(v) for v in ctx.der.layer_jacobians.frozen.values()})
        return (
            f"Here every σ′ is the constant {', '.join(values)}: all path functions are the "
            "same constant, A1 fails, and the constraints below are sufficient but not "
            "necessary (step 11 shows a curl-free net that breaks them)."
        )
    if spec.activation == GENERIC_ACTIVATION:
        return (
            "σ is the generic sympy Function sigma: nothing is known about σ′, so A1 is an "
            "assumption, not a fact about σ (Remark 1 of the paper)."
        )
    from ptheorem.activations import ActivationKind, get_activation

    act = get_activation(spec.activation)
    if act.kind is ActivationKind.SMOOTH:
        return (
            f"σ = {act.label} is smooth and σ′ takes infinitely many values (Remark 1): A1 is "
            "expected for generic weights; 'ptheorem check --method numeric' measures the "
            "rank of the path functions."
        )
    if act.kind is ActivationKind.POLYNOMIAL:
        return (
            f"σ = {act.label} is a polynomial: the path functions live in a finite-dimensional "
            "space of polynomials, so A1 can fail once there are more paths than that."
        )
    return (
        f"σ = {act.label} is piecewise linear: σ′ takes finitely many values, so A1 fails "
        "as stated; the paper argues through smooth approximations σ_β (Remark 1)."
    )


# --- 4. two backward paths ---------------------------------------------------------------


def paths_step(ctx: Context) -> Step:
    title = "Two backward paths (i, n, …, m, j) and (j, n, …, m, i)"
    p = ctx.path
    if ctx.spec.dim == 1 or p is None:
        return make_step("paths", title, [Prose("d = 1: there is no pair i < j, so no path pair.")])
    pair = path_pair(ctx.net, ctx.der, p)
    if ctx.depth == 1:
        intro = (
            f"Without hidden layers a backward path is one weight: {p.path} uses θ⁽⁰⁾ᵢⱼ and its "
            f"mirror {p.mirror} uses θ⁽⁰⁾ⱼᵢ."
        )
        coefficient = f"A{sub(p.i)}{sub(p.j)}"
    else:
        sigmas = "·".join(_sigma_text(s) for s in pair.sigmas)
        intro = (
            "A backward path runs from output unit i through one hidden unit per layer to "
            f"input unit j. The path {tuple_text(p.path)} and its mirror "
            f"{tuple_text(p.mirror)} pass through the same hidden units, so both carry the "
            f"same path function {sigmas}: "
            f"in A{sub(p.i)}{sub(p.j)} = ∂{sub(p.j)}ψ{sub(p.i)} − ∂{sub(p.i)}ψ{sub(p.j)} their "
            "weight products land in one coefficient."
        )
        coefficient = f"coefficient of {sigmas} in A{sub(p.i)}{sub(p.j)}"
    blocks: list[Block] = [
        Prose(intro),
        pair,
        Math(coefficient, p.raw, label="sympy"),
    ]
    if ctx.depth == 1:
        blocks.append(Prose("J − Jᵀ = 0 makes it vanish: θ⁽⁰⁾ must be symmetric."))
    else:
        eq = {2: "Eq. 1", 3: "Eq. 5"}.get(ctx.depth, "Proposition 4")
        blocks.append(Prose(f"A1 makes this coefficient vanish: the paper's {eq}."))
    return make_step("paths", title, blocks)


def _sigma_text(symbol: Any) -> str:
    """σ′ₖᵤ for a frozen symbol named dsigma{k}_{u}."""
    k, u = str(symbol).removeprefix("dsigma").split("_")
    return f"σ′{sub(k)}{sub(u)}"


# --- 5. the cancelled middle product ------------------------------------------------------


def cancel_step(ctx: Context) -> Step:
    title = "Cancelling the middle product"
    p, g, e = ctx.path, ctx.group, ctx.equation
    if ctx.spec.dim == 1 or p is None or g is None or e is None:
        return make_step("cancel", title, [Prose("d = 1: nothing to cancel.")])
    if ctx.depth == 1:
        return make_step(
            "cancel",
            title,
            [Prose("No hidden layer, so no middle product: the constraint is already final.")],
        )
    if ctx.depth == 2:
        return make_step(
            "cancel",
            title,
            [
                Prose(
                    "With one hidden layer the path (i, m, j) has no middle segment: the "
                    "middle product is 1 and the constraint is already the paper's Eq. 1."
                ),
                Math(p.raw, 0, label="Eq. 1"),
            ],
        )
    from ptheorem.model.result import MIDDLE_NONZERO

    blocks: list[Block] = [
        Prose(
            "Both products contain the weights of the shared middle segment n → … → m. "
            "sympy divides every term by that middle product and it cancels, leaving only the "
            "weights at the two ends (the paper's step from Eq. 5 to Eq. 6):"
        ),
        Math(p.raw, 0, label=f"path {tuple_text(p.path)}"),
        Math("middle product", p.middle_product, label="cancelled"),
        Math(e.reduced, 0, label="left"),
    ]
    if g.paths > 1:
        check = "✓" if sp.expand(e.raw - g.middle * e.reduced) == 0 else "✗"
        blocks += [
            Prose(
                f"The group (n, m) = {tuple_text(g.units)} collects {g.paths} middle paths n → m, "
                "each with its own σ′ and middle weights but the same end weights. Their "
                "coefficients sum to Pₙₘ × (the same reduced constraint), with the transfer"
            ),
            Math(f"P{sub(g.units[0])}{sub(g.units[-1])}", g.middle),
            Note(f"sympy: group coefficient − Pₙₘ·(reduced) expands to 0 {check}"),
        ]
    blocks.append(
        Note(
            f"Dividing needs the middle product nonzero on some path n → m: "
            f"{MIDDLE_NONZERO.id} ({MIDDLE_NONZERO.title})."
        )
    )
    return make_step("cancel", title, blocks)


# --- 6. the reduced constraint ---------------------------------------------------------------


def constraint_step(ctx: Context) -> Step:
    title = "The constraint"
    e = ctx.equation
    if ctx.spec.dim == 1 or e is None:
        return make_step("constraint", title, [Prose("d = 1: no constraint, A ≡ 0.")])
    label = {1: "θ⁽⁰⁾ symmetric", 2: "Eq. 1"}.get(ctx.depth, "Eq. 6")
    lhs, rhs = _sides(e.reduced)
    rows = [
        (ctx.der.groups[k], eq)
        for k in range(len(ctx.der.groups))
        for eq in ctx.der.groups[k].equations
    ]
    table_rows = tuple(
        (tuple_text((eq.i, *g.units, eq.j)), eq.reduced) for g, eq in rows[:TABLE_ROWS]
    )
    count = ctx.der.equation_count
    intro = (
        "θ⁽⁰⁾ must equal its transpose, entry by entry:"
        if ctx.depth == 1
        else "What remains ties the output weights at i and j to the input weights at j and i:"
    )
    blocks: list[Block] = [
        Prose(intro),
        Math(lhs, rhs, label=label),
        Prose(
            f"All {plural(count, 'distinct reduced equation')}, one per group "
            f"and pair i < j ({plural(len(ctx.der.groups), 'group')}), each = 0:"
        ),
        Table(("path (i, …, j)", "reduced constraint"), table_rows),
    ]
    if len(rows) > TABLE_ROWS:
        blocks.append(
            Note(f"… {len(rows) - TABLE_ROWS} more ('ptheorem check --show-constraints all')")
        )
    summary: list[Block] = [
        Math(lhs, rhs, label=label),
        Prose(f"{plural(count, 'reduced equation')} of this kind in all"),
    ]
    return make_step("constraint", title, blocks, summary)


def _sides(expr: Any) -> tuple[Any, Any]:
    """Split ``a − b`` into (a, b): positive terms left, negated negative terms right."""
    pos: list[Any] = []
    neg: list[Any] = []
    for term in sp.Add.make_args(expr):
        (neg if term.could_extract_minus_sign() else pos).append(term)
    if not pos or not neg:
        return expr, sp.Integer(0)
    return sp.Add(*pos), -sp.Add(*neg)
