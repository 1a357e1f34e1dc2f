"""Levenberg–Marquardt in numpy, with the exact Jacobian supplied by the caller.

Made for the search's least-squares problem: the residuals are the entries of
J − Jᵀ, so a witness is a zero-residual point, where the method converges
quadratically, down to round-off.  No finite differences.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ptheorem.tolerances import STALL_RTOL

ResidualJac = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]

#: Damping increases tried per iteration before giving up.
MAX_DAMPING_TRIES = 40


@dataclass(frozen=True)
class OptimiseResult:
    """Where the optimiser stopped: point, ‖r‖², iterations and residual evaluations."""

    x: np.ndarray
    value: float
    iterations: int
    evaluations: int
    #: True when the deadline stopped it before it converged.
    stopped: bool = False


def levenberg_marquardt(
    fun: ResidualJac,
    x0: np.ndarray,
    max_iter: int = 100,
    target: float = 0.0,
    stall: int = 8,
    deadline: float | None = None,
) -> OptimiseResult:
    """Minimise ‖r(x)‖² with steps (JᵀJ + λI)δ = −Jᵀr, λ adapted after each trial.

    Stops after ``max_iter`` iterations, when ‖r‖² ≤ ``target``, when no damping
    gives a decrease, after ``stall`` iterations each improving by less than
    :data:`STALL_RTOL` relative, or (``stopped``) at ``deadline`` (a
    ``time.monotonic()`` value), checked before every evaluation of ``fun``.

    >>> r = levenberg_marquardt(lambda x: (x**2 - 1.0, np.diag(2 * x)), np.array([3.0, 0.5]))
    >>> np.round(r.x, 12).tolist()
    [1.0, 1.0]
    """
    x = np.array(x0, dtype=float, copy=True)
    r, jac = fun(x)
    evals = 1
    f = float(r @ r)
    if not np.isfinite(f):  # e.g. J ≡ 0 at the start (dead ReLU units): nowhere to go
        return OptimiseResult(x, f, 0, evals)
    jtj = jac.T @ jac
    lam = 1e-3 * max(float(np.max(np.diag(jtj), initial=0.0)), 1e-12)
    eye = np.eye(x.size)
    quiet = 0
    done = 0
    for _ in range(max_iter):
        if f <= target or quiet >= stall:
            break
        grad = jac.T @ r
        improved = False
        for _ in range(MAX_DAMPING_TRIES):
            if deadline is not None and time.monotonic() >= deadline:
                return OptimiseResult(x, f, done, evals, stopped=True)
            try:
                delta = np.linalg.solve(jtj + lam * eye, -grad)
            except np.linalg.LinAlgError:
                lam *= 10.0
                continue
            r_new, jac_new = fun(x + delta)
            evals += 1
            f_new = float(r_new @ r_new)
            if np.isfinite(f_new) and f_new < f:
                improved = True
                break
            lam *= 4.0
        if not improved:
            break
        done += 1
        quiet = quiet + 1 if f - f_new <= STALL_RTOL * f else 0
        x, r, jac, f = x + delta, r_new, jac_new, f_new
        jtj = jac.T @ jac
        lam = max(lam / 5.0, 1e-300)
    return OptimiseResult(x, f, done, evals)
