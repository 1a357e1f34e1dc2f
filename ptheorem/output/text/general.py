"""Rich rendering of the general proof: the short form ``check`` prints, step by step.

One line per step: its number, what took it (sympy, or a named rule with the
hypotheses it consumed), where the paper takes it, and what it established;
the relation follows when it is short enough to read.  The last line says what
was proved: every d ≥ 2 and every width.
"""

from __future__ import annotations

from typing import Any

from ptheorem.model.words import plural
from ptheorem.output.text.notation import indexed_text

#: Relations longer than this are left to ``explain --general``.
SHORT_RELATION = 160


def step_head(step: Any) -> str:
    """Who took the step, on which steps, with which hypotheses.

    E.g. ``sympy computed``, ``sympy on 1`` or ``rule A2 on 7 [uses A2]``.
    """
    on = f" on {', '.join(map(str, step.premises))}" if step.premises else ""
    if step.by == "sympy":
        return f"sympy{on}" if on else "sympy computed"
    used = f" [uses {', '.join(step.hypotheses)}]" if step.hypotheses else ""
    return f"rule {step.by}{on}{used}"


def relation_text(step: Any, limit: int | None = SHORT_RELATION) -> str | None:
    """``lhs = rhs`` of a step in the paper's notation, or None if it has none or is too long."""
    if step.lhs is None or step.rhs is None:
        return None
    text = f"{indexed_text(step.lhs)} = {indexed_text(step.rhs)}"
    if step.factor is not None:
        text = f"P = {indexed_text(step.factor)},  {text}"
    return text if limit is None or len(text) <= limit else None


def proof_lines(proof: Any) -> list[tuple[str, str]]:
    """(text, style) lines of a proof in short form; parts of an induction one after another."""
    out: list[tuple[str, str]] = []
    parts = proof.parts or (proof,)
    for k, part in enumerate(parts, start=1):
        if proof.parts:
            out.append((f"   part {k}: {part.depths}: {part.statement}", "bold"))
        for st in part.steps:
            paper = f" ({st.paper})" if st.paper else ""
            out.append((f"   {st.number:>2}. {step_head(st)}{paper}: {st.claim}", ""))
            rel = relation_text(st)
            if rel is not None:
                out.append((f"       {rel}", "dim"))
    return out


def general_sections(details: Any) -> list[Any]:
    """The proof in short form, its instantiation, and the cross-check with the instance."""
    from rich.text import Text

    proof, inst, cross = details.proof, details.instantiation, details.cross_check
    sizes = ", ".join(f"{_size_name(name)} = {value}" for name, value in inst.sizes)
    out: list[Any] = [
        Text(f"General proof ({proof.depths}; d and every width symbolic)", style="bold"),
        Text(f"   statement: {proof.statement}"),
    ]
    out += [Text(text, style=style) for text, style in proof_lines(proof)]
    out.append(Text(""))
    out.append(Text("Instantiated", style="bold"))
    out.append(
        Text(
            f"   at {sizes}: the proof stands for {plural(inst.constraints, 'reduced constraint')} "
            f"B(i, j; n, m) = 0 with i < j; conclusion: {proof.conclusion}"
        )
    )
    if cross is not None:
        mark = {True: " ✓", False: " ✗", None: ""}[cross.agrees]
        seconds = f" ({cross.seconds:.2f} s)" if cross.seconds is not None else ""
        style = "red" if cross.agrees is False else ""
        out.append(Text(f"   cross-check: {cross.detail}{mark}{seconds}", style=style))
    out.append(Text(""))
    return out


def scope_line(result: Any) -> Any:
    """The closing line: what the general proof proved, and under which hypotheses."""
    from rich.text import Text

    from ptheorem.general.check import SCOPE

    v = result.verdict
    if v.status.value != "proved":
        return Text(f"not proved here: {v.status.value}", style="bold yellow")
    under = f", under {', '.join(v.assumptions)}" if v.assumptions else ""
    return Text(f"{SCOPE} (L = {result.spec.depth}){under}", style="bold green")


def _size_name(name: str) -> str:
    return name[0] + name[1:].translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
