"""The one exception hierarchy of ptheorem.

A verdict is a return value; an exception means "could not check".
The CLI maps each class to an exit code (see :mod:`ptheorem.model.exitcodes`).
"""

from __future__ import annotations


class PtheoremError(Exception):
    """Base class: the check could not be carried out."""


class InputError(PtheoremError):
    """Bad user input: sizes, widths, activation specs, files (exit 2)."""


class SizeLimitError(InputError):
    """The configuration is beyond what the chosen method can handle (exit 2)."""


class BudgetExceededError(PtheoremError):
    """The time budget ran out before the method finished (exit 3)."""


class Terminated(KeyboardInterrupt):
    """SIGTERM: the run stops as on Ctrl-C (workers stopped, finished rows kept), exit 143."""
