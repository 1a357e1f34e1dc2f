"""Exit codes, kept apart so CI can tell a mathematical result from a broken run."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit status of every ``ptheorem`` command."""

    #: The claim holds for this configuration (or the audited net is consistent).
    OK = 0
    #: The claim is refuted: a contradiction or a counterexample was found.
    REFUTED = 1
    #: Usage or input error: bad options, sizes or files.
    USAGE = 2
    #: Inconclusive: the budget ran out or the evidence sits between tolerances.
    INCONCLUSIVE = 3
    #: Internal error: a bug in ptheorem (set PTHEOREM_DEBUG=1 for the traceback).
    INTERNAL = 4
