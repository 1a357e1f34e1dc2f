"""The one vocabulary of ptheorem's answers: how strong a verdict is, and what it rests on.

Every command (check, audit, search, soft, sweep, snapshot/verify) and every JSON
document speaks it:

* :class:`Status` — the answer to the command's question about the paper's claim:
  **proved** (a symbolic proof, under the hypotheses it lists), **refuted** (a
  certified witness: exact, or validated numerics), **supported** (numeric evidence
  for the claim only, with its tolerance and seed) or **inconclusive** (anything
  less: a budget ran out, evidence between tolerances, or an uncertified candidate
  counterexample).
* :class:`Evidence` — what the verdict rests on.
* :class:`Basis` — how one hypothesis the verdict uses was established.

:func:`exit_code` maps a status to the process exit code, so CI can tell a proof
(0) from evidence (5), a refutation (1) and an open question (3).

>>> exit_code(Status.PROVED), exit_code(Status.SUPPORTED)
(<ExitCode.OK: 0>, <ExitCode.SUPPORTED: 5>)
"""

from __future__ import annotations

from enum import StrEnum

from ptheorem.model.exitcodes import ExitCode


class Status(StrEnum):
    """The verdict on the paper's claim for one configuration or one network."""

    #: Proved symbolically (under the hypotheses the verdict lists).
    PROVED = "proved"
    #: Refuted by a certified witness (exact, or validated numerics).
    REFUTED = "refuted"
    #: Numeric evidence for the claim only (with its tolerance and seed): not a proof.
    SUPPORTED = "supported"
    #: Not decided: a budget ran out, evidence sits between tolerances, or a
    #: candidate counterexample could not be certified.
    INCONCLUSIVE = "inconclusive"


class Evidence(StrEnum):
    """What a verdict rests on."""

    SYMBOLIC_PROOF = "symbolic proof"
    EXACT_CERTIFICATE = "exact certificate"
    VALIDATED = "validated numerics"
    NUMERIC = "numeric evidence"


class Basis(StrEnum):
    """How one hypothesis (or one fact) a verdict uses was established."""

    #: Proved by sympy for every weight the statement covers.
    PROVED = "proved"
    #: Checked exactly on the weights at hand (exact zeros, exact rationals).
    EXACT = "exact"
    #: Proved by interval (ball) arithmetic on the weights at hand.
    VALIDATED = "validated"
    #: Supported numerically only (sampled, floating point).
    NUMERIC = "numeric"
    #: Not checked: part of the statement's hypotheses.
    ASSUMED = "assumed"


_EXIT = {
    Status.PROVED: ExitCode.OK,
    Status.REFUTED: ExitCode.REFUTED,
    Status.INCONCLUSIVE: ExitCode.INCONCLUSIVE,
    Status.SUPPORTED: ExitCode.SUPPORTED,
}


def exit_code(status: Status) -> ExitCode:
    """The exit code of a status: proved 0, refuted 1, inconclusive 3, supported 5."""
    return _EXIT[status]


def weakest(statuses: list[Status]) -> Status:
    """The overall status of several verdicts: the first of refuted, inconclusive, supported.

    >>> weakest([Status.PROVED, Status.SUPPORTED])
    <Status.SUPPORTED: 'supported'>
    >>> weakest([])
    <Status.PROVED: 'proved'>
    """
    for status in (Status.REFUTED, Status.INCONCLUSIVE, Status.SUPPORTED):
        if status in statuses:
            return status
    return Status.PROVED
