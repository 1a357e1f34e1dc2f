"""The general proof as an :class:`Explanation`: one step per proof step, in the paper's order.

Each step says what established it — sympy (a computation anyone can repeat) or
a named rule (its statement, its side conditions and the hypotheses it
consumed) — where the paper takes it (Eq. 1–8, Prop. 3–4, Theorem 5), and
shows the relation it established.  A proof by induction (L > 6) is shown part
by part.  With a configuration, the last steps instantiate the proof at its
sizes and show the instance cross-check.  Nothing here computes.
"""

from __future__ import annotations

from typing import Any

from ptheorem.explain.model import Block, Explanation, Math, Note, Prose, Step
from ptheorem.general.check import SCOPE, GeneralDetails, proof_verdict
from ptheorem.general.proof import Proof
from ptheorem.general.proof import Step as ProofStep
from ptheorem.general.rules import RULES
from ptheorem.model.result import CheckResult
from ptheorem.model.words import plural

#: Display names of the proof's plain symbols (the renderers keep sympy objects as they are).
_NAMES = {"psi_i": "ψᵢ", "J_ij": "Jᵢⱼ", "A_ij": "Aᵢⱼ", "c": "c", "B": "B", "z_n": "zₙ"}
#: Hypotheses as the statement uses them.
_HYPOTHESES = {
    "A1": "A1 (path functions independent): ∂ⱼψᵢ = ∂ᵢψⱼ for all x forces every path's "
    "coefficient to vanish (Remark 1: fails for ReLU and other σ with finitely many σ′ values)",
    "A2": "A2 (middle weights nonzero): for every (n, m) some path n → m has a nonzero middle "
    "product (fails with zero middle weights: parallel only within each connected component)",
    "A3": "A3 (input rows nonzero): θ⁽⁰⁾ₘ ≠ 0, so a vanishing 2×2 minor means proportional rows",
}


def general_explanation(proof: Proof, result: CheckResult | None = None) -> Explanation:
    """The proof step by step; with ``result`` (a general-route check), its instantiation too."""
    steps: list[Step] = [_statement_step(proof)]
    parts = proof.parts or (proof,)
    for k, part in enumerate(parts, start=1):
        label = f"part {k} ({part.depths}) · " if proof.parts else ""
        if proof.parts:
            steps.append(_part_step(k, part, len(steps) + 1))
        for st in part.steps:
            steps.append(_proof_step(st, label, len(steps) + 1))
    if result is not None:
        steps.append(_instance_step(result, len(steps) + 1))
    verdict = result.verdict if result is not None else proof_verdict(proof)
    steps.append(_verdict_step(proof, verdict, result, len(steps) + 1))
    depth = proof.depth if proof.depth is not None else 3
    where = f", at {result.spec.label()}" if result is not None else ""
    heading = f"ptheorem explain --general: L = {depth}, every d and every width{where}"
    spec = result.spec if result is not None else None
    return Explanation(spec, None, tuple(steps), verdict, heading)


def _statement_step(proof: Proof) -> Step:
    blocks: list[Block] = [
        Prose(f"Statement: {proof.statement}."),
        Prose(
            "Sizes are symbols: d, k₁, … are positive integers and the weights are indexed "
            "(θ⁽ᵏ⁾[row, column]), so one derivation covers every dimension and width. sympy "
            "differentiates the nested sums; the steps sympy does not take are named rules "
            "that check their pattern and refuse anything else."
        ),
    ]
    blocks += [Note(_HYPOTHESES[h]) for h in proof.hypotheses]
    return Step("statement", 1, "What is proved, and from what", tuple(blocks))


def _part_step(k: int, part: Proof, number: int) -> Step:
    return Step(
        f"part-{k}",
        number,
        f"Part {k}: {part.depths}",
        (Prose(part.statement + "."), Note(f"conclusion of this part: {part.conclusion}")),
    )


def _proof_step(st: ProofStep, label: str, number: int) -> Step:
    paper = f" ({st.paper})" if st.paper else ""
    blocks: list[Block] = [Prose(st.claim + ".")]
    if st.factor is not None:
        blocks.append(Math("P", st.factor, label="the factor divided out"))
    if st.lhs is not None and st.rhs is not None:
        blocks.append(Math(_side(st.lhs), st.rhs, label=st.paper))
    rule = RULES.get(st.by)
    if rule is None:
        blocks.append(Note("sympy computed this; no hypothesis is used."))
    else:
        blocks.append(Note(f"rule {st.by} ({rule.name}): {rule.statement}."))
        for cond in rule.side_conditions:
            blocks.append(Note(f"side condition, checked: {cond}"))
        for h in st.hypotheses:
            blocks.append(Note(f"uses {_HYPOTHESES[h]}"))
    if st.premises:
        blocks.append(
            Note(
                f"from {'step' if len(st.premises) == 1 else 'steps'} "
                + ", ".join(map(str, st.premises))
                + " of this part"
            )
        )
    by = "sympy" if rule is None else f"rule {st.by}"
    title = f"{label}{st.number}. {by}{paper}"
    return Step(f"{label}{st.by}-{st.number}", number, title, tuple(blocks))


def _instance_step(result: CheckResult, number: int) -> Step:
    details: GeneralDetails = result.details
    inst, cross = details.instantiation, details.cross_check
    sizes = ", ".join(f"{name} = {value}" for name, value in inst.sizes)
    blocks: list[Block] = [
        Prose(
            f"At {sizes} the proof stands for {plural(inst.constraints, 'reduced constraint')} "
            "B(i, j; n, m) = 0 with i < j, and its conclusion holds there."
        )
    ]
    if cross is not None:
        mark = {True: " ✓", False: " ✗", None: ""}[cross.agrees]
        blocks.append(Prose(f"Cross-check by the instance derivation: {cross.detail}{mark}"))
    return Step("instance", number, "The proof at these sizes", tuple(blocks))


def _verdict_step(proof: Proof, verdict: Any, result: CheckResult | None, number: int) -> Step:
    blocks: list[Block] = [
        Prose(f"{verdict.status.value}: {verdict.summary}"),
        Prose(f"claim: {verdict.claim}"),
        Prose(f"evidence: {verdict.evidence.value}"),
    ]
    for h in verdict.hypotheses:
        blocks.append(Note(f"{h.id} ({h.assumption.title}, {h.basis.value}): {h.detail}"))
    for note in result.notes if result is not None else ():
        blocks.append(Note(note))
    depth = f"L = {proof.depth}" if proof.depth is not None else "every L ≥ 3"
    under = f", under {', '.join(proof.hypotheses)}" if proof.hypotheses else ""
    blocks.append(Prose(f"{SCOPE} ({depth}){under}"))
    return Step("verdict", number, "The verdict", tuple(blocks), (blocks[0],))


def _side(e: Any) -> Any:
    """A plain symbol of the proof by its display name; anything else as sympy has it."""
    return _NAMES.get(str(e), e) if getattr(e, "is_Symbol", False) else e
