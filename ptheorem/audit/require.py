"""``audit --require``: the curl-free finding as a CI gate, in the one status vocabulary.

A training pipeline asks one question of its model — "is the vector field my net
outputs a gradient?" — and wants the answer as an exit code.  The requirement is
judged on the audit's curl-free finding alone (not on Theorem 5's verdict):

==========================  =====================  ==================================
``--require curl-free``     status (exit code)     when
==========================  =====================  ==================================
proved                      proved (0)             J − Jᵀ ≡ 0 proved exactly on the stored weights
refuted                     refuted (1)            J ≠ Jᵀ proved (exact or interval certificate)
numeric evidence for it     supported (5)          √NAsym in the curl-free band, no proof
anything else               inconclusive (3)       between the bands, disagreement, or numeric
                                                   evidence *against* without a certificate
==========================  =====================  ==================================

``--require not-curl-free`` is the mirror image (proved by a certificate that
J ≠ Jᵀ; refuted by an exact proof of J − Jᵀ ≡ 0; supported by the
not-curl-free band alone).  Numeric evidence is not a pass for a gate that asks
for a proof: it exits 5, and becomes 0 only with ``accept_evidence``
(``--accept-evidence``), the user's explicit opt-in.

>>> Requirement("curl-free").opposite
<Requirement.NOT_CURL_FREE: 'not-curl-free'>
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ptheorem.audit.report import AuditReport, CurlStatus
from ptheorem.model.errors import InputError
from ptheorem.model.exitcodes import ExitCode
from ptheorem.model.status import Status, exit_code

#: Curl-free evidence that is a proof (exact arithmetic, interval enclosures).
PROOFS = ("exact", "validated")


class Requirement(StrEnum):
    """What a gate requires of the audited net."""

    CURL_FREE = "curl-free"
    NOT_CURL_FREE = "not-curl-free"

    @property
    def opposite(self) -> Requirement:
        """The other requirement."""
        return Requirement.NOT_CURL_FREE if self is Requirement.CURL_FREE else Requirement.CURL_FREE

    @property
    def status(self) -> CurlStatus:
        """The curl-free status that meets it."""
        return CurlStatus.CURL_FREE if self is Requirement.CURL_FREE else CurlStatus.NOT_CURL_FREE


@dataclass(frozen=True)
class RequirementResult:
    """The gate's answer: ``status`` in the one vocabulary, and the exit code it maps to."""

    require: Requirement
    status: Status
    detail: str
    accept_evidence: bool = False

    @property
    def exit_code(self) -> ExitCode:
        """0 proved, 1 refuted, 3 inconclusive, 5 supported (0 with ``accept_evidence``)."""
        if self.status is Status.SUPPORTED and self.accept_evidence:
            return ExitCode.OK
        return exit_code(self.status)


def parse_requirement(text: str) -> Requirement:
    """``curl-free`` or ``not-curl-free``, else a one-line :class:`InputError`."""
    try:
        return Requirement(text)
    except ValueError:
        raise InputError(f"--require must be curl-free or not-curl-free (got {text!r})") from None


def judge(
    report: AuditReport, require: Requirement | str, accept_evidence: bool = False
) -> RequirementResult:
    """Judge ``require`` on ``report``'s curl-free finding (see the module docstring)."""
    want = require if isinstance(require, Requirement) else parse_requirement(require)
    curl = report.curl_free
    proof = curl.evidence in PROOFS and curl.disagreement is None
    how = "proved" if proof else "numeric evidence only"
    found = f"{curl.status.value} ({curl.evidence})"
    if curl.status is CurlStatus.INCONCLUSIVE:
        status, text = Status.INCONCLUSIVE, f"curl-freeness undecided ({curl.evidence})"
    elif curl.status is want.status:
        status = Status.PROVED if proof else Status.SUPPORTED
        text = f"{want.value} required: {found}, {how}"
    elif proof:
        status, text = Status.REFUTED, f"{want.value} required, but {found} is proved"
    else:
        status = Status.INCONCLUSIVE
        text = f"{want.value} required: {found} on numeric evidence only, which refutes nothing"
    if status is Status.SUPPORTED:
        text += "; " + (
            "accepted (--accept-evidence)"
            if accept_evidence
            else "not a proof: exit 5 (pass --accept-evidence to accept it)"
        )
    return RequirementResult(want, status, text, accept_evidence)
