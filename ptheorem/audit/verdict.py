"""The audit's verdicts: the literal statement for this net, and the corrected theorem.

Status of the literal statement (Eq. 2 for L = 2, Theorem 5 for L ≥ 3):

* **proved** — it holds here on a proof: "not curl-free" certified (exact or
  interval: the statement then holds vacuously), or curl-free proved exactly
  *and* the exact geometry of the stored weights satisfies it, or ψ trivial;
* **supported** — it holds on numeric evidence only (the bands, the tolerance geometry);
* **refuted** — a counterexample: curl-free proved exactly on the stored weights
  and the exact geometry violates the statement;
* **inconclusive** — anything less: curl-freeness undecided or contradicted,
  or a numeric "curl-free" with geometry that would break the statement (an
  uncertified candidate).

The corrected theorem (independent live path functions ⇒ [curl-free ⇔ every
connected pair (n, m) parallel]) is reported FAILING only when that is proved:
an exact curl-free certificate on the stored weights, proved independence
(interval determinant over every live path) and exact geometry.  Anything
less that disagrees with it is "inconsistent evidence: inconclusive" (None),
naming what disagreed.
"""

from __future__ import annotations

from ptheorem.audit.report import (
    AuditVerdict,
    CurlFreeFinding,
    CurlStatus,
    Degeneracy,
    Hypothesis,
    InputWeightsFinding,
    OutputPairsFinding,
)
from ptheorem.model.status import Basis, Status
from ptheorem.model.words import plural

CLAIMS = {
    1: "none: with no hidden layer ψ(x) = W0 x + b is linear and the paper makes no claim",
    2: "Eq. 2: a curl-free ψ with one hidden layer has tied weights θ⁽¹⁾ₘ = Sₘ θ⁽⁰⁾ₘ",
    3: "Theorem 5: a curl-free ψ with L > 2 (θ⁽ᴸ⁻¹⁾ ≠ 0) has all input weights, and the "
    "output weights, parallel",
}

PROOF_KINDS = ("exact", "validated")


def _evidence(curl: CurlFreeFinding) -> str:
    """How curl-freeness was established, for the explanation text."""
    cert = curl.certificate
    if cert is None:
        return "numeric evidence"
    if cert.kind == "validated":
        return f"interval-certified at {point_text(cert.point)}"
    return f"exact, {cert.method}, stored weights"


def point_text(point: tuple[float, ...] | None, shown: int = 4) -> str:
    """``x = (0.3, -1.2, …)``.

    >>> point_text((0.5, -1.0))
    'x = (0.5, -1)'
    """
    if point is None:
        return "x = ?"
    coords = ", ".join(f"{v:.4g}" for v in point[:shown])
    return f"x = ({coords}{', …' if len(point) > shown else ''})"


def verdict(
    depth: int,
    curl: CurlFreeFinding,
    degenerate: Degeneracy,
    inputs: InputWeightsFinding,
    pairs: OutputPairsFinding | None,
    hyps: tuple[Hypothesis, ...],
) -> AuditVerdict:
    """The :class:`AuditVerdict` of one audited net (see the module docstring)."""
    claim = CLAIMS[min(depth, 3)]
    h = {x.id: x for x in hyps}
    failed = tuple(x.id for x in hyps if not x.holds and x.id in ("H1", "H2", "H3"))
    corrected, corrected_detail = corrected_theorem(curl, pairs, h["H1"], depth)
    proved = curl.evidence in PROOF_KINDS and curl.disagreement is None
    how = _evidence(curl)

    def out(status: Status, text: str, names: tuple[str, ...] = ()) -> AuditVerdict:
        return AuditVerdict(status, claim, text, names, corrected, corrected_detail)

    if degenerate.value:
        return out(Status.PROVED, f"trivial case: {degenerate.reasons[0]}")
    if curl.status is CurlStatus.INCONCLUSIVE:
        head = curl.detail.split("; ")[0]
        return out(Status.INCONCLUSIVE, f"curl-freeness undecided: {head}")
    if curl.status is CurlStatus.NOT_CURL_FREE:
        return out(
            Status.PROVED if proved else Status.SUPPORTED,
            f"ψ is not curl-free ({how}), so the statement claims nothing about it",
        )
    if depth == 1:
        return out(Status.PROVED if proved else Status.SUPPORTED, "curl-free; no claim at L = 1")
    assert pairs is not None
    tied = pairs.exact_all_parallel if proved else pairs.all_parallel
    rows = inputs.exact_parallel if proved else inputs.parallel
    geometry = "exact geometry" if proved else "within the numeric tolerance"
    holds = tied if depth == 2 else (tied and rows)
    if holds:
        what = (
            "every live unit's readout tied to its input row"
            if depth == 2
            else "all live input weights parallel, as claimed"
        )
        return out(
            Status.PROVED if proved else Status.SUPPORTED,
            f"curl-free ({how}) with {what} ({geometry})",
        )
    head = _broken(depth, how, inputs, pairs, rows)
    if proved:
        return out(Status.REFUTED, _blame(head, failed, h), failed)
    return out(
        Status.INCONCLUSIVE,
        f"{head} [numeric evidence only: an uncertified candidate counterexample]",
        failed,
    )


def _broken(
    depth: int,
    how: str,
    inputs: InputWeightsFinding,
    pairs: OutputPairsFinding,
    rows_parallel: bool,
) -> str:
    n, m = pairs.worst_pair if pairs.worst_pair is not None else ("?", "?")
    if depth == 2:
        return (
            f"curl-free ({how}) yet unit {m}'s readout column is at {pairs.max_angle_deg:.3g}° "
            "to its input row: the weights are not tied"
        )
    if rows_parallel:
        return (
            f"curl-free ({how}) with parallel input weights, yet output column {n} is at "
            f"{pairs.max_angle_deg:.3g}° to them"
        )
    return (
        f"curl-free ({how}) and non-trivial, yet the live input weights span "
        f"{inputs.exact_directions} exact directions (largest angle {inputs.max_angle_deg:.3g}°)"
    )


def _blame(head: str, failed: tuple[str, ...], h: dict[str, Hypothesis]) -> str:
    if not failed:
        return f"{head}; no hypothesis H1–H3 fails on this evidence (see the corrected theorem)"
    parts = [f"{x} fails ({_short(h[x])})" for x in failed]
    return f"{head}; explained by: {'; '.join(parts)}"


def _short(h: Hypothesis) -> str:
    """A hypothesis' detail without its figures or listing."""
    if h.id == "H3":
        return h.detail
    if h.id == "H1":
        return h.detail.split("; rank", 1)[0]
    return h.detail.split(": ", 1)[0]


def corrected_theorem(
    curl: CurlFreeFinding, pairs: OutputPairsFinding | None, h1: Hypothesis, depth: int
) -> tuple[bool | None, str]:
    """(holds, detail) for the corrected theorem on this net; False only when proved."""
    if depth == 1:
        return True, "vacuous: no hidden layer, the corrected theorem makes no claim"
    if not h1.holds:
        basis = "exactly" if h1.evidence == Basis.EXACT.value else "on the sample (numeric)"
        return (
            True,
            f"vacuous: H1 fails (path functions dependent {basis}), the corrected theorem "
            "makes no claim",
        )
    if curl.value is None:
        why = f" ({curl.disagreement})" if curl.disagreement else ""
        return None, f"undecided: curl-freeness is inconclusive{why}"
    assert pairs is not None
    curl_proved = curl.evidence in PROOF_KINDS
    label = {"exact": "exact, stored weights", "validated": "interval-certified"}
    how = label.get(curl.evidence, "numeric")
    state = f"{'curl-free' if curl.value else 'not curl-free'} ({how})"
    exact_rule = pairs.exact_all_parallel
    if pairs.pairs == 0:
        rule_text = "no live pairs"
    elif exact_rule:
        rule_text = f"all {pairs.pairs} connected (n, m) pairs exactly parallel"
    else:
        n, m = pairs.worst_pair if pairs.worst_pair is not None else ("?", "?")
        within = "within the numeric tolerance but " if pairs.all_parallel else ""
        rule_text = (
            f"{plural(pairs.exact_bad_pairs, 'connected pair')} {within}not exactly parallel "
            f"(output column {n} at {pairs.max_angle_deg:.3g}° to input row {m})"
        )
    if curl.value == exact_rule:
        return True, f"{state} and {rule_text}, as predicted"
    if not curl.value:  # not curl-free, pairs exactly parallel: sufficiency contradicted
        return None, (
            f"inconsistent evidence: inconclusive — {state}, yet {rule_text}, which makes "
            "every term of J symmetric"
        )
    if not curl_proved:
        if pairs.all_parallel:
            return True, f"{state} and {rule_text}: as predicted within the numeric tolerance"
        return None, (
            f"inconsistent evidence: inconclusive — {state} on the sample only, yet {rule_text}"
        )
    independence = h1.evidence == Basis.VALIDATED.value
    if independence:
        return False, (
            f"{state} on the stored weights, H1 proved ({h1.evidence}), yet {rule_text} "
            "(exact geometry): CONTRADICTING the corrected theorem"
        )
    return None, (
        f"inconsistent evidence: inconclusive — {state} on the stored weights and {rule_text}, "
        f"but H1 rests on {h1.evidence} evidence only (a dependence may have been missed)"
    )
