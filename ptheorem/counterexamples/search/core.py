"""The counterexample search: minimise NAsym over non-degenerate weights, certify what it finds.

Each restart draws a sign pattern and a start, runs Levenberg–Marquardt on the
entries of J − Jᵀ (read-out included, exact Jacobians), re-solves the read-out
exactly (:mod:`ptheorem.counterexamples.search.lastlayer`), moves the input weights onto the
angle bound if the penalty left them a hair inside, and measures √NAsym.  A
point with √NAsym ≤ :data:`CANDIDATE_ROOT` on the search sample goes to
:func:`ptheorem.audit.certificate.certify_curl_free`; a certified one is a witness
and ends the search.

The verdict on the paper's claim (input weights forced parallel):

* **refuted** — a witness with an exact certificate;
* **inconclusive** — anything else: a candidate certified numerically only, no
  witness (a search that finds nothing proves nothing), or a best √NAsym
  between the tolerances.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Generator
from contextlib import closing
from dataclasses import dataclass, field, replace
from functools import partial

import numpy as np

from ptheorem.activations import get_activation
from ptheorem.audit.certificate import NUMERIC_CERT_ROOT, Certificate, certify_curl_free
from ptheorem.counterexamples.search.lastlayer import solve_last_layer
from ptheorem.counterexamples.search.model import Problem, min_line_angle, repair_rows
from ptheorem.counterexamples.search.notes import bound_notes, cut_path_notes, hypothesis_notes
from ptheorem.counterexamples.search.optimize import levenberg_marquardt
from ptheorem.io.mask import Mask
from ptheorem.model.errors import BudgetExceededError, InputError, SizeLimitError
from ptheorem.model.spec import NetworkSpec
from ptheorem.model.status import Status
from ptheorem.numeric.metrics import asymmetry, sample_points
from ptheorem.numeric.network import ConcreteNetwork
from ptheorem.tolerances import ANGLE_RTOL, CANDIDATE_ROOT, NONE_ROOT

#: Default restarts of ``search``.
DEFAULT_RESTARTS = 16
#: Default minimum angle between input weights, degrees.
DEFAULT_MIN_ANGLE = 10.0
#: Default floor δ and cap M of the middle-weight magnitudes.
DEFAULT_DENSE_MIN = 0.25
DEFAULT_MAX_WEIGHT = 2.0
#: Largest number of free weights the search takes (its cost grows with their square).
MAX_UNKNOWNS = 400
#: Points the objective is measured on.
SEARCH_POINTS = 256
#: Fresh points of the reported √NAsym and of the certificate.
FRESH_POINTS = 512
#: Levenberg–Marquardt iterations per restart.
MAX_ITER = 100
#: Extra LM iterations that take a near-witness down to round-off.
POLISH_ITER = 60
#: Relative slack the penalty aims above the angle bound, so a witness rarely needs repair.
ANGLE_MARGIN = 1e-4

Progress = Callable[[int, int, float], None]


@dataclass(frozen=True, eq=False)
class SearchConfig:
    """What to search: the architecture, σ (in ``spec.activation``), mask and constraints."""

    spec: NetworkSpec
    mask: Mask | None = None
    restarts: int = DEFAULT_RESTARTS
    seed: int = 0
    min_angle: float = DEFAULT_MIN_ANGLE
    dense_min: float = DEFAULT_DENSE_MIN
    max_weight: float = DEFAULT_MAX_WEIGHT
    points: int = SEARCH_POINTS
    max_iter: int = MAX_ITER

    def __post_init__(self) -> None:
        validate(self)


@dataclass(frozen=True, eq=False)
class Candidate:
    """One optimised point: the signed problem, θ, the full network and its figures."""

    problem: Problem = field(repr=False)
    theta: np.ndarray = field(repr=False)
    network: ConcreteNetwork = field(repr=False)
    root: float
    min_angle: float
    iterations: int


@dataclass(frozen=True)
class RestartRecord:
    """What one restart reached: √NAsym on the search sample (None: no admissible start)."""

    index: int
    root: float | None
    iterations: int


@dataclass(frozen=True, eq=False)
class SearchResult:
    """Everything ``search`` found.

    ``best`` is the smallest √NAsym reached (the witness when there is one);
    ``fresh_root`` its √NAsym on :data:`FRESH_POINTS` fresh points (the
    certificate's sample); ``certificate`` is set when the best point was
    close enough to be certified.
    """

    config: SearchConfig
    status: Status
    summary: str
    best: Candidate
    fresh_root: float
    certificate: Certificate | None
    restarts: tuple[RestartRecord, ...]
    tolerances: dict[str, float]
    timings: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    #: True when the time budget stopped the search before its last restart.
    partial: bool = False

    @property
    def witness(self) -> ConcreteNetwork | None:
        """The curl-free network with non-parallel inputs whose certificate held, if any.

        Its certificate may be numeric only; then the status is inconclusive.
        """
        return (
            self.best.network if self.certificate is not None and self.certificate.holds else None
        )


def validate(config: SearchConfig) -> None:
    """Raise a one-line :class:`InputError` for a configuration the search cannot take."""
    spec = config.spec
    validate_spec(spec)
    get_activation(spec.activation)
    from ptheorem.counterexamples.search.second import second_derivative

    second_derivative(get_activation(spec.activation))
    _angle(config.min_angle, spec)
    if not (math.isfinite(config.dense_min) and config.dense_min >= 0):
        raise InputError(f"--dense-min must be a number ≥ 0 (got {config.dense_min:g})")
    if not (math.isfinite(config.max_weight) and config.max_weight > config.dense_min):
        raise InputError(
            f"--max-weight must be larger than --dense-min (got {config.max_weight:g} ≤ "
            f"{config.dense_min:g})"
        )
    unknowns = parameter_count(config)
    if unknowns > MAX_UNKNOWNS:
        raise SizeLimitError(
            f"the search is for small nets: this one has {unknowns} free weights, the limit is "
            f"{MAX_UNKNOWNS} (use fewer or narrower layers)"
        )
    if config.restarts < 1:
        raise InputError(f"--restarts must be ≥ 1 (got {config.restarts})")
    if config.points < 8:
        raise InputError(f"the search needs at least 8 points (got {config.points})")


def validate_spec(spec: NetworkSpec) -> None:
    """The architecture checks of :func:`validate` (before any angle is looked at)."""
    if spec.depth < 3:
        raise InputError(
            f"search needs depth ≥ 3 (the claim is about L > 2; got {spec.depth}): with one "
            "hidden layer tied weights already give gradients with free input weights"
        )
    if spec.dim < 2:
        raise InputError("search needs dim ≥ 2: in d = 1 every ψ is a gradient")
    if spec.widths[0] < 2:
        raise InputError("search needs at least 2 units in the first hidden layer")
    if spec.bias:
        raise InputError("search works without biases (as the paper does)")


def parameter_count(config: SearchConfig) -> int:
    """Free weights the optimiser moves: input, unmasked middle and read-out weights."""
    sizes = config.spec.sizes
    count = sizes[0] * sizes[1] + sizes[-1] * sizes[-2]
    for k in range(1, config.spec.depth - 1):
        layer = None if config.mask is None else config.mask.for_layer(k)
        count += sizes[k] * sizes[k + 1] if layer is None else int(np.sum(layer))
    return count


def _angle(degrees: float, spec: NetworkSpec) -> None:
    if not (math.isfinite(degrees) and 0 < degrees <= 90):
        raise InputError(f"--min-angle must be in (0, 90] degrees (got {degrees:g})")
    n1 = spec.widths[0]
    if spec.dim == 2 and degrees > 180.0 / n1 + 1e-9:
        raise InputError(
            f"--min-angle {degrees:g}° is out of reach: {n1} lines in the plane are at most "
            f"{180.0 / n1:g}° apart"
        )


def angle_reachable(degrees: float, spec: NetworkSpec) -> bool:
    """Whether :func:`_angle` accepts ``degrees`` for ``spec`` (no exception)."""
    try:
        _angle(degrees, spec)
    except InputError:
        return False
    return True


# --- the pieces ------------------------------------------------------------------------


def make_problem(config: SearchConfig, min_angle: float | None = None) -> Problem:
    """The unsigned :class:`Problem` of ``config`` (search points drawn from its seed)."""
    spec = config.spec
    act = get_activation(spec.activation)
    points = sample_points(np.random.default_rng([config.seed, 1]), config.points, spec.dim)
    degrees = config.min_angle if min_angle is None else min_angle
    return Problem(
        spec,
        act,
        points,
        penalty_angle(degrees),
        config.dense_min,
        config.max_weight,
        config.mask,
    )


def penalty_angle(degrees: float) -> float:
    """The angle (radians) the penalty aims at: the bound plus :data:`ANGLE_MARGIN`, ≤ π/2."""
    return min(math.radians(degrees) * (1.0 + ANGLE_MARGIN), math.pi / 2)


def admissible(angle: float, alpha: float) -> bool:
    """Whether a measured smallest angle meets the bound α (both radians), up to rounding."""
    return angle >= alpha * (1.0 - ANGLE_RTOL)


def restart_rng(seed: int, stream: int, index: int) -> np.random.Generator:
    """The generator of restart ``index`` (independent of how many restarts run)."""
    return np.random.default_rng([seed, stream, index])


def optimise(
    problem: Problem,
    theta: np.ndarray,
    min_angle: float,
    max_iter: int = MAX_ITER,
    deadline: float | None = None,
) -> Candidate:
    """Run LM from θ, re-solve the read-out, repair the angles to ``min_angle`` (radians).

    ``deadline`` (``time.monotonic()``) stops LM early; the point reached is still measured.
    """
    sol = solve_last_layer(problem.propagate(problem.weights(theta), None)[0])
    iterations = 0
    if not sol.degenerate:
        theta, iterations = _lm(problem, theta, sol.weight, 0, max_iter, deadline)
    return finish(problem, theta, min_angle, iterations)


def polish(
    cand: Candidate, min_angle: float, max_iter: int = POLISH_ITER, deadline: float | None = None
) -> Candidate:
    """Take a near-witness down to round-off: LM on the middle weights and read-out only.

    The input weights stay where they are (so the angle bound and its penalty
    no longer interfere); the result replaces ``cand`` only if it is better.
    """
    fixed = cand.problem.spec.widths[0] * cand.problem.spec.dim
    theta, iterations = _lm(
        cand.problem, cand.theta, cand.network.weights[-1], fixed, max_iter, deadline
    )
    out = finish(cand.problem, theta, min_angle, cand.iterations + iterations)
    return out if out.root < cand.root else cand


def _lm(
    problem: Problem,
    theta: np.ndarray,
    readout: np.ndarray,
    fixed: int,
    max_iter: int,
    deadline: float | None = None,
) -> tuple[np.ndarray, int]:
    """LM on (θ[fixed:], read-out) with θ[:fixed] held; returns the new θ and iterations."""
    shape = readout.shape
    head = theta[:fixed]
    m = theta.size - fixed

    def fun(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r, jac = problem.residuals(np.concatenate([head, z[:m]]), z[m:].reshape(shape))
        return r, jac[:, fixed:]

    z0 = np.concatenate([theta[fixed:], readout.ravel()])
    out = levenberg_marquardt(fun, z0, max_iter=max_iter, target=1e-32, deadline=deadline)
    return np.concatenate([head, out.x[:m]]), out.iterations


def finish(problem: Problem, theta: np.ndarray, min_angle: float, iterations: int) -> Candidate:
    """Repair the angles of θ to ``min_angle``, solve the read-out exactly, measure."""
    ws = problem.weights(theta)
    rows = repair_rows(ws[0], min_angle)
    if not np.array_equal(rows, ws[0]):
        theta = problem.theta_for_rows(theta, rows)
        ws = problem.weights(theta)
    bt, _ = problem.propagate(ws, None)
    sol = solve_last_layer(bt)
    net = ConcreteNetwork((*ws, sol.weight), (None,) * (len(ws) + 1), problem.activation)
    root = 2.0 if sol.degenerate else math.sqrt(sol.nasym)
    return Candidate(problem, theta, net, root, min_line_angle(ws[0]), iterations)


def fresh_root(net: ConcreteNetwork, seed: int) -> float:
    """√NAsym of ``net`` on the certificate's :data:`FRESH_POINTS` N(0, I) points."""
    points = sample_points(np.random.default_rng(seed), FRESH_POINTS, net.dim)
    return asymmetry(net, points).root


def certify(net: ConcreteNetwork, seed: int) -> Certificate:
    """The certificate of ``net`` (exact with sympy where possible, else numeric)."""
    return certify_curl_free(net, points=FRESH_POINTS, seed=seed, exact=True)


def certify_candidate(
    cand: Candidate, alpha: float, seed: int, deadline: float | None = None
) -> tuple[Candidate, Certificate]:
    """Certify a near-witness exactly if a nearby exact network holds, else as it is.

    Tried in turn: the rational snap (:mod:`ptheorem.counterexamples.search.snap`) and, for a
    polynomial σ, the one-feature construction over QQ seeded with the point's
    input rows and read-out direction (:mod:`ptheorem.counterexamples.feature`).  A
    nearby network replaces the candidate only if its own exact certificate
    holds and its input weights still meet the angle bound.
    """
    from ptheorem.activations import ActivationKind
    from ptheorem.counterexamples.feature import feature_witness
    from ptheorem.counterexamples.search.snap import snap_witness

    cand = polish(cand, alpha, deadline=deadline)
    nearby = [snap_witness(cand.problem, cand.theta, alpha)]
    problem = cand.problem
    if problem.activation.kind is ActivationKind.POLYNOMIAL:
        built = feature_witness(problem.spec, problem.activation, problem.mask, hint=cand.network)
        nearby.append(built.witness)
    for net in nearby:
        if net is None or not admissible(min_line_angle(net.weights[0]), alpha):
            continue
        cert = certify(net, seed)
        if cert.holds and cert.kind == "exact":
            root = asymmetry(net, problem.points).root
            angle = min_line_angle(net.weights[0])
            return replace(cand, network=net, root=root, min_angle=angle), cert
    return cand, certify(cand.network, seed)


# --- the search ------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RestartOutcome:
    """What one restart produced: its optimised point, or None (an inadmissible start)."""

    index: int
    candidate: Candidate | None
    #: False when the budget had run out before the restart began.
    started: bool = True


#: Runs ``restart(k)`` for ``k`` in ``range(count)`` and yields the outcomes in index
#: order, lazily where it can (the search stops at a witness and closes the iterator);
#: e.g. one by one here (:func:`in_turn`), or on a cluster (:mod:`ptheorem.run.cluster`).
RestartRunner = Callable[
    [Callable[[int], RestartOutcome], int], Generator[RestartOutcome, None, None]
]


def in_turn(
    restart: Callable[[int], RestartOutcome], count: int
) -> Generator[RestartOutcome, None, None]:
    """The default :data:`RestartRunner`: each restart in this process, one after another."""
    for index in range(count):
        yield restart(index)


def run_restart(
    base: Problem, config: SearchConfig, wall_deadline: float | None, index: int
) -> RestartOutcome:
    """Restart ``index``: draw its start from its own generator and optimise it.

    ``wall_deadline`` is a ``time.time()`` value (a cluster worker's monotonic clock
    is not ours); the restart does not begin after it, and LM stops at it.
    """
    deadline = None
    if wall_deadline is not None:
        deadline = time.monotonic() + (wall_deadline - time.time())
        if time.monotonic() >= deadline:
            return RestartOutcome(index, None, started=False)
    alpha = math.radians(config.min_angle)
    problem, theta = base.random_start(restart_rng(config.seed, 2, index))
    if not admissible(min_line_angle(problem.weights(theta)[0]), alpha):  # d ≥ 3
        return RestartOutcome(index, None)
    return RestartOutcome(index, optimise(problem, theta, alpha, config.max_iter, deadline))


def run_search(
    config: SearchConfig,
    progress: Progress | None = None,
    deadline: float | None = None,
    runner: RestartRunner = in_turn,
) -> SearchResult:
    """Search ``config`` for a curl-free net with non-parallel inputs; see the module doc.

    ``deadline`` (a ``time.monotonic()`` value) stops the search early, inside a
    restart if need be (checked before every evaluation of the objective); the result
    is then ``partial`` and its notes say how many restarts ran.  A budget that runs
    out before any restart reached an admissible point raises
    :class:`BudgetExceededError`.

    ``runner`` decides where the restarts run (:data:`RestartRunner`); they are
    folded in index order here whatever the runner, so the result does not depend on it.
    """
    t0 = time.perf_counter()
    base = make_problem(config)
    alpha = math.radians(config.min_angle)
    wall = None if deadline is None else time.time() + (deadline - time.monotonic())
    restart = partial(run_restart, base, config, wall)
    records: list[RestartRecord] = []
    best: Candidate | None = None
    cert: Certificate | None = None
    rejected = 0
    stopped = False
    with closing(runner(restart, config.restarts)) as outcomes:
        for outcome in outcomes:
            index, cand = outcome.index, outcome.candidate
            if not outcome.started:
                stopped = True
                break
            if cand is None:  # the start itself broke the angle bound
                records.append(RestartRecord(index, None, 0))
                rejected += 1
                if progress is not None:
                    progress(index + 1, config.restarts, math.inf if best is None else best.root)
                continue
            records.append(RestartRecord(index, cand.root, cand.iterations))
            if not admissible(cand.min_angle, alpha):
                rejected += 1
            elif best is None or cand.root < best.root:
                best = cand
                if cand.root <= CANDIDATE_ROOT:
                    best, cert = certify_candidate(cand, alpha, config.seed, deadline)
            if progress is not None:
                progress(index + 1, config.restarts, math.inf if best is None else best.root)
            if cert is not None and cert.holds:
                break
            if deadline is not None and time.monotonic() >= deadline:
                stopped = index + 1 < config.restarts or cand.iterations < config.max_iter
                break
    if best is None and stopped:
        raise BudgetExceededError(
            f"the search budget ran out before any of {config.restarts} restart(s) finished"
        )
    if best is None:
        raise InputError(
            f"no restart could place {config.spec.widths[0]} input weights at ≥ "
            f"{config.min_angle:g}° from each other in R^{config.spec.dim}"
        )
    t_search = time.perf_counter() - t0
    fresh = fresh_root(best.network, config.seed)
    certified = cert is not None and cert.holds
    status, summary = _verdict(config, best, fresh, cert, len(records), rejected)
    return SearchResult(
        config=config,
        status=status,
        summary=summary,
        best=best,
        fresh_root=fresh,
        certificate=cert,
        restarts=tuple(records),
        tolerances={
            "candidate_root": CANDIDATE_ROOT,
            "none_root": NONE_ROOT,
            "certificate_root": NUMERIC_CERT_ROOT,
        },
        timings={"search": t_search, "total": time.perf_counter() - t0},
        partial=stopped,
        notes=hypothesis_notes(config.spec, config.mask)
        + (cut_path_notes(best.network, config.mask) if certified else ())
        + (bound_notes(best.network, config.dense_min, config.max_weight) if certified else ())
        + (
            (f"the time budget ran out after {len(records)} of {config.restarts} restarts",)
            if stopped
            else ()
        ),
    )


def _verdict(
    config: SearchConfig,
    best: Candidate,
    fresh: float,
    cert: Certificate | None,
    runs: int,
    rejected: int,
) -> tuple[Status, str]:
    """Refuted only for an exactly certified witness; finding nothing is inconclusive."""
    angle = math.degrees(best.min_angle)
    where = f"restart {runs} of {config.restarts}"
    if cert is not None and cert.holds and cert.kind == "exact":
        return Status.REFUTED, (
            f"witness found: a curl-free net whose input weights are {angle:.3g}° apart "
            f"({where}, exact certificate)"
        )
    if cert is not None and cert.holds:
        return Status.INCONCLUSIVE, (
            f"candidate witness ({where}): input weights {angle:.3g}° apart and √NAsym = "
            f"{fresh:.3g} on fresh points, but only numeric evidence; no exact certificate, so "
            "the claim is not refuted"
        )
    lost = f", {rejected} restart(s) could not meet the angle bound" if rejected else ""
    if fresh > NONE_ROOT:
        return Status.INCONCLUSIVE, (
            f"no witness in {runs} restarts: the smallest √NAsym reached is {fresh:.3g} > "
            f"{NONE_ROOT:g}{lost}; a search that finds nothing proves nothing"
        )
    return Status.INCONCLUSIVE, (
        f"no certified witness in {runs} restarts, but √NAsym got down to {fresh:.3g} "
        f"(≤ {NONE_ROOT:g}){lost}: inconclusive"
    )


def rescale_for(problem: Problem, degrees: float) -> Problem:
    """``problem`` (sign pattern kept) with a new angle bound in degrees."""
    return replace(problem, min_angle=penalty_angle(degrees))


def search_spec(depth: int, dim: int, widths: str | None, activation: str) -> NetworkSpec:
    """The network of ``search`` and ``soft``: no bias, σ by name (one-line errors)."""
    from ptheorem.model.spec import parse_widths

    act = get_activation(activation)
    if depth < 1:
        raise InputError(f"depth must be a positive integer (got {depth})")
    spec = NetworkSpec(depth, dim, parse_widths(widths, depth, dim), False, act.spec)
    validate_spec(spec)
    return spec


def search_config(
    spec: NetworkSpec,
    mask: str | None,
    *,
    restarts: int,
    seed: int,
    min_angle: float,
    dense_min: float,
    max_weight: float,
) -> SearchConfig:
    """The search configuration of ``search`` and ``soft``, with ``--mask`` parsed for ``spec``."""
    config = SearchConfig(
        spec=spec,
        restarts=restarts,
        seed=seed,
        min_angle=min_angle,
        dense_min=dense_min,
        max_weight=max_weight,
    )
    if mask is not None:
        from ptheorem.io.mask import parse_mask

        config = replace(config, mask=parse_mask(mask, spec))
    return config
