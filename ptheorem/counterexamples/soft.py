"""The soft analysis: how close to a gradient can ψ get while its input weights keep an angle?

For each allowed minimum angle α (largest first) the search core minimises
NAsym with that bound.  Every restart set includes the best point of the
previous, larger α, as a start and as a candidate: it is still admissible (a
smaller bound only enlarges the feasible set), so the reported minimum on the
search sample never increases as α shrinks.  When at least three angles have
√NAsym above round-off, a least-squares line through (log α, log √NAsym) gives
the exponent p of √NAsym ≈ c·α^p; it uses the angles ≤ :data:`FIT_MAX_ANGLE`
when there are three of them (the small-angle regime the exponent describes).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ptheorem.counterexamples.search.core import (
    Candidate,
    SearchConfig,
    admissible,
    angle_reachable,
    fresh_root,
    make_problem,
    optimise,
    rescale_for,
    restart_rng,
)
from ptheorem.counterexamples.search.model import min_line_angle
from ptheorem.model.errors import InputError
from ptheorem.model.status import Status
from ptheorem.tolerances import FIT_FLOOR, ROUND_OFF

#: Default angles of ``soft``, degrees.
DEFAULT_ANGLES = (90.0, 45.0, 20.0, 10.0, 5.0, 2.0, 1.0, 0.5)
#: Default random restarts per angle (the warm start comes on top).
DEFAULT_SOFT_RESTARTS = 4
#: The fit prefers angles up to this many degrees (if enough of them are usable).
FIT_MAX_ANGLE = 20.0
#: The fit needs this many points …
FIT_MIN_POINTS = 3
#: … spanning at least this ratio of angles.
FIT_MIN_SPAN = 4.0

SoftProgress = Callable[[int, int, float], None]


@dataclass(frozen=True)
class SoftRow:
    """One angle: the smallest √NAsym on the search sample and on fresh points.

    ``reachable`` is false when the input weights cannot be that far apart
    (e.g. three lines in the plane are at most 60° apart); the figures are then None.
    """

    angle: float
    reachable: bool
    root: float | None
    fresh_root: float | None
    restarts: int
    achieved_angle: float | None


@dataclass(frozen=True)
class ScalingFit:
    """√NAsym ≈ c·α^p fitted on ``points`` angles (degrees); ``r2`` of the log–log fit."""

    exponent: float
    coefficient: float
    r2: float
    points: int


@dataclass(frozen=True, eq=False)
class SoftReport:
    """The soft analysis: one :class:`SoftRow` per angle and the scaling fit, if any."""

    config: SearchConfig
    rows: tuple[SoftRow, ...]
    fit: ScalingFit | None
    fit_note: str
    timings: dict[str, float] = field(default_factory=dict)
    #: Angles asked for; fewer rows than this when the time budget ran out (``partial``).
    angles: tuple[float, ...] = ()
    #: True when the time budget stopped the analysis before its last angle and restart.
    partial: bool = False

    @property
    def status(self) -> Status:
        """Supported (numeric evidence only) unless some angle reached round-off, or the
        budget ran out first: inconclusive."""
        if not any(r.reachable for r in self.rows) or self.at_round_off or self.partial:
            return Status.INCONCLUSIVE
        return Status.SUPPORTED

    @property
    def at_round_off(self) -> tuple[SoftRow, ...]:
        """Rows whose best point is curl-free to round-off on fresh points (candidates)."""
        return tuple(r for r in self.rows if r.fresh_root is not None and r.fresh_root <= ROUND_OFF)

    @property
    def summary(self) -> str:
        """The soft analysis' answer, in one sentence."""
        if self.partial:
            done = ", ".join(f"{r.angle:g}°" for r in self.rows) or "no angle"
            return (
                f"partial: the time budget ran out after {done} ({len(self.rows)} of "
                f"{len(self.angles)} angles); what was measured is an upper bound, nothing more"
            )
        if self.at_round_off:
            angles = ", ".join(f"{r.angle:g}°" for r in self.at_round_off)
            return (
                f"√NAsym reached round-off (≤ {ROUND_OFF:g}) at {angles}: candidate curl-free nets "
                "with input weights that far apart (certify them with `ptheorem search`)"
            )
        if not any(r.reachable for r in self.rows):
            return "no angle could be reached"
        return (
            "at every angle the smallest √NAsym found stays above round-off: numeric evidence "
            "that non-parallel inputs keep ψ away from a gradient (local search, upper bounds)"
        )


def parse_angles(text: str) -> tuple[float, ...]:
    """Parse ``--angles`` (comma-separated degrees in (0, 90]), sorted from large to small.

    >>> parse_angles("10, 90,0.5")
    (90.0, 10.0, 0.5)
    """
    values = []
    for part in text.split(","):
        part = part.strip()
        try:
            if not part.isascii():  # float() would take Unicode digits such as '٣'
                raise ValueError(part)
            value = float(part)
        except ValueError:
            raise InputError(f"--angles must be numbers in degrees (got {part!r})") from None
        if not (math.isfinite(value) and 0 < value <= 90):
            raise InputError(f"--angles must lie in (0, 90] degrees (got {part})")
        values.append(value)
    if not values:
        raise InputError("--angles needs at least one angle")
    if len(set(values)) != len(values):
        raise InputError("--angles has repeated values")
    return tuple(sorted(values, reverse=True))


def run_soft(
    config: SearchConfig,
    angles: tuple[float, ...] = DEFAULT_ANGLES,
    progress: SoftProgress | None = None,
    deadline: float | None = None,
) -> SoftReport:
    """Minimise NAsym for every angle bound in ``angles``; see the module docstring.

    ``deadline`` (a ``time.monotonic()`` value) stops the analysis early, inside a
    restart if need be; the report is then ``partial`` (and inconclusive).
    """
    t0 = time.perf_counter()
    angles = tuple(sorted(angles, reverse=True))
    base = make_problem(config, angles[0])
    rows: list[SoftRow] = []
    previous: Candidate | None = None
    total = len(angles) * (config.restarts + 1)
    done = 0
    stopped = False

    def expired() -> bool:
        return deadline is not None and time.monotonic() >= deadline

    for a_index, degrees in enumerate(angles):
        if stopped or expired():
            stopped = True
            break
        if not angle_reachable(degrees, config.spec):
            rows.append(SoftRow(degrees, False, None, None, 0, None))
            done += config.restarts + 1
            if progress is not None:
                progress(done, total, math.inf)
            continue
        alpha = math.radians(degrees)
        problem = rescale_for(base, degrees)
        best: Candidate | None = None
        runs = 0
        starts = []
        if previous is not None:
            starts.append((rescale_for(previous.problem, degrees), previous.theta))
        for k in range(config.restarts):
            starts.append(problem.random_start(restart_rng(config.seed, 3 + a_index, k)))
        for signed, theta in starts:
            if expired():
                stopped = True
                break
            done += 1
            if admissible(min_line_angle(signed.weights(theta)[0]), alpha):  # else d ≥ 3
                cand = optimise(signed, theta, alpha, config.max_iter, deadline)
                runs += 1
                if admissible(cand.min_angle, alpha) and (best is None or cand.root < best.root):
                    best = cand
            if progress is not None:
                progress(done, total, math.inf if best is None else best.root)
            if expired():
                stopped = True
                break
        done += config.restarts + 1 - len(starts)
        if previous is not None and (best is None or previous.root < best.root):
            best = previous  # still admissible: the minimum never increases as α shrinks
        if best is None:
            if stopped:
                break
            rows.append(SoftRow(degrees, False, None, None, runs, None))
            continue
        previous = best
        rows.append(
            SoftRow(
                degrees,
                True,
                best.root,
                fresh_root(best.network, config.seed),
                runs,
                math.degrees(best.min_angle),
            )
        )
    fit, note = fit_scaling(rows)
    timings = {"total": time.perf_counter() - t0}
    return SoftReport(config, tuple(rows), fit, note, timings, angles, stopped)


def fit_scaling(rows: list[SoftRow] | tuple[SoftRow, ...]) -> tuple[ScalingFit | None, str]:
    """Least-squares fit of log √NAsym = log c + p·log α over rows above :data:`FIT_FLOOR`.

    Only the angles ≤ :data:`FIT_MAX_ANGLE` are used when at least
    :data:`FIT_MIN_POINTS` of them are usable.

    >>> rows = [SoftRow(a, True, 0.1 * a**2, 0.1 * a**2, 1, a) for a in (1.0, 2.0, 4.0, 8.0)]
    >>> fit, _ = fit_scaling(rows)
    >>> round(fit.exponent, 9), round(fit.coefficient, 9)
    (2.0, 0.1)
    """
    usable = [r for r in rows if r.reachable and r.root is not None and r.root > FIT_FLOOR]
    small = [r for r in usable if r.angle <= FIT_MAX_ANGLE]
    if len(small) >= FIT_MIN_POINTS:
        usable = small
    if len(usable) < FIT_MIN_POINTS:
        return None, (
            f"no fit: {len(usable)} angle(s) with √NAsym > {FIT_FLOOR:g}, {FIT_MIN_POINTS} needed"
        )
    a = np.array([r.angle for r in usable])
    if a.max() / a.min() < FIT_MIN_SPAN:
        return None, f"no fit: the angles span less than a factor {FIT_MIN_SPAN:g}"
    x = np.log(a)
    y = np.log(np.array([r.root for r in usable], dtype=float))
    slope, intercept = np.polyfit(x, y, 1)
    resid = y - (slope * x + intercept)
    spread = float(np.sum((y - y.mean()) ** 2))
    r2 = 1.0 - float(np.sum(resid**2)) / spread if spread > 0 else 1.0
    fit = ScalingFit(float(slope), float(math.exp(intercept)), r2, len(usable))
    return fit, f"fitted on {len(usable)} angles from {a.min():g}° to {a.max():g}°"
