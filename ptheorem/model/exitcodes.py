"""Exit codes, kept apart so CI can tell a proof from evidence, and a result from a broken run."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit status of every ``ptheorem`` command (see :mod:`ptheorem.model.status`)."""

    #: Proved: the claim holds by a symbolic proof (audit: proved for this net with
    #: certificates; verify/--expect: every derivation matches its golden file).
    OK = 0
    #: Refuted: a certified witness (verify/--expect: a derivation changed).
    REFUTED = 1
    #: Usage or input error: bad options, sizes or files.
    USAGE = 2
    #: Inconclusive: a budget ran out, evidence sits between tolerances, or a candidate
    #: counterexample could not be certified.
    INCONCLUSIVE = 3
    #: Internal error: a bug in ptheorem (set PTHEOREM_DEBUG=1 for the traceback).
    INTERNAL = 4
    #: Supported: numeric evidence for the claim only, not a proof.
    SUPPORTED = 5
    #: Interrupted (Ctrl-C, SIGINT): worker processes stopped, finished sweep rows kept.
    INTERRUPTED = 130
    #: Output closed by its reader (``ptheorem check … | head -1``): 128 + SIGPIPE,
    #: quietly; never a verdict code.
    BROKEN_PIPE = 141
    #: Terminated (SIGTERM): stopped and cleaned up as on Ctrl-C.
    TERMINATED = 143
