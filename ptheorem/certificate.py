"""Is a concrete ψ a gradient field?  An exact sympy certificate where possible, else numeric.

:func:`certify_curl_free` answers "is J(x) − J(x)ᵀ ≡ 0?" for one concrete network:

* **exact** — when every weight and bias is a small rational (a fraction with
  denominator ≤ :data:`RATIONAL_MAX_DENOMINATOR`, matching the float to
  :data:`RATIONAL_RTOL` relative), σ has a sympy form and the net is small
  (≤ :data:`EXACT_MAX_PATHS` backward paths, d ≤ :data:`EXACT_MAX_DIM`), ψ is
  rebuilt in sympy with those rationals (:func:`ptheorem.symbolic.network.build_network`),
  J is the sympy Jacobian of ψ in x, and every off-diagonal difference J_ij − J_ji
  is expanded.  Expanding gives a canonical polynomial in x and in the atoms
  σ′(z) depends on (tanh(z), exp(z), Heaviside(z), …), so 0 means J − Jᵀ ≡ 0
  exactly.  A nonzero expansion is evaluated at rational points with
  :data:`EVALF_DIGITS` significant digits; a value clearly away from 0 proves
  J − Jᵀ ≢ 0.  When neither happens (the atoms satisfy an identity sympy does
  not see) or the sympy work exceeds its time budget, the answer falls back to
  the numeric test and ``detail`` says why.
* **numeric** — √NAsym (:func:`ptheorem.numeric.metrics.asymmetry`) over seeded
  N(0, I) points must be ≤ :data:`NUMERIC_CERT_ROOT` = 1e-12.  Exactly symmetric
  nets land near 1e-16 (a few ulps of rounding in J), so 1e-12 leaves four
  decades for rounding growth while staying far below the 1e-6 near-misses
  that are easy to build and are not gradients.

>>> from ptheorem.numeric import parallel_network
>>> from ptheorem.spec import NetworkSpec
>>> net = parallel_network(NetworkSpec(3, 2, (2, 2)), "tanh", np.random.default_rng(0))
>>> c = certify_curl_free(net, points=64, exact=False)
>>> c.kind, c.holds, c.nasym_root < NUMERIC_CERT_ROOT
('numeric', True, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ptheorem.errors import BudgetExceededError, PtheoremError
from ptheorem.numeric.metrics import asymmetry, sample_points
from ptheorem.numeric.network import ConcreteNetwork
from ptheorem.numeric.paths import path_count

#: √NAsym at or below this counts as curl-free in the numeric test (see module docstring).
NUMERIC_CERT_ROOT = 1e-12
#: Largest denominator :func:`rationalize_network` tries.
RATIONAL_MAX_DENOMINATOR = 1000
#: Relative distance between a float and its rational under which they count as equal.
RATIONAL_RTOL = 1e-12
#: The exact path runs only for nets with at most this many backward paths …
EXACT_MAX_PATHS = 64
#: … and at most this input dimension.
EXACT_MAX_DIM = 4
#: Wall-clock budget of the sympy work, in seconds (a killable child process).
EXACT_TIMEOUT = 10.0
#: Significant digits of the evaluation that proves a nonzero J − Jᵀ.
EVALF_DIGITS = 30
#: |(J − Jᵀ)_ij(x)| above this × max(1, ‖J(x)‖_max) at :data:`EVALF_DIGITS` digits is nonzero.
EVALF_NONZERO = 1e-15

Rational = tuple[int, int]


@dataclass(frozen=True)
class Certificate:
    """Whether J − Jᵀ ≡ 0, and what that answer rests on.

    ``kind`` is ``"exact"`` (sympy, rational weights) or ``"numeric"``
    (√NAsym on a seeded sample); ``holds`` the answer; ``nasym_root`` the
    numeric √NAsym on the sample (computed in both cases, for reference);
    ``tolerance`` the numeric threshold (None for exact answers); ``detail``
    one sentence saying how the answer was reached.
    """

    kind: str
    holds: bool
    nasym_root: float
    tolerance: float | None
    detail: str


def _to_fraction(x: float) -> Fraction | None:
    if x == 0.0:
        return Fraction(0)
    frac = Fraction(x).limit_denominator(RATIONAL_MAX_DENOMINATOR)
    if abs(float(frac) - x) <= RATIONAL_RTOL * abs(x):
        return frac
    return None


def _rational_arrays(net: ConcreteNetwork) -> tuple[list[Any], list[Any]] | None:
    """Weights and biases as nested lists of (numerator, denominator), or None."""

    def convert(arr: np.ndarray) -> Any:
        flat = []
        for x in arr.ravel().tolist():
            f = _to_fraction(float(x))
            if f is None:
                return None
            flat.append((f.numerator, f.denominator))
        if arr.ndim == 1:
            return flat
        cols = arr.shape[1]
        return [flat[r * cols : (r + 1) * cols] for r in range(arr.shape[0])]

    weights: list[Any] = []
    biases: list[Any] = []
    for w, b in zip(net.weights, net.biases, strict=True):
        cw = convert(w)
        if cw is None:
            return None
        weights.append(cw)
        if b is None:
            biases.append(None)
        else:
            cb = convert(b)
            if cb is None:
                return None
            biases.append(cb)
    return weights, biases


def rationalize_network(net: ConcreteNetwork) -> ConcreteNetwork | None:
    """Return ``net`` with every weight snapped to its small rational, or None if one is not.

    A weight is a small rational when ``Fraction(x).limit_denominator(1000)``
    is within 1e-12 relative of x.  The returned floats are the nearest
    doubles of those rationals.

    >>> from ptheorem.numeric import get_activation
    >>> w = (np.array([[0.5, 1 / 3]]), np.array([[2.0], [-0.25]]))
    >>> net = ConcreteNetwork(w, (None, None), get_activation("tanh"))
    >>> rationalize_network(net) is not None
    True
    >>> rationalize_network(net.replace_weights(0, np.array([[np.pi, 1.0]]))) is None
    True
    """
    arrays = _rational_arrays(net)
    if arrays is None:
        return None
    weights, biases = arrays

    def to_float(nested: Any) -> np.ndarray:
        return np.array(_map_nested(nested, lambda nd: nd[0] / nd[1]), dtype=np.float64)

    return ConcreteNetwork(
        tuple(to_float(w) for w in weights),
        tuple(None if b is None else to_float(b) for b in biases),
        net.activation,
    )


def _map_nested(nested: Any, fn: Any) -> Any:
    if isinstance(nested, tuple):
        return fn(nested)
    return [_map_nested(x, fn) for x in nested]


def certify_curl_free(
    net: ConcreteNetwork, points: int = 512, seed: int = 0, exact: bool = True
) -> Certificate:
    """Return the :class:`Certificate` of ``net``: exact (sympy) where possible, else numeric.

    ``points`` and ``seed`` define the N(0, I) sample of the numeric test;
    ``exact=False`` skips sympy.
    """
    rng = np.random.default_rng(seed)
    report = asymmetry(net, sample_points(rng, points, net.dim))
    root = report.root
    numeric_holds = root <= NUMERIC_CERT_ROOT
    if report.degenerate:
        numeric_text = f"J ≡ 0 on all {points} sampled points (seed {seed}), so J = Jᵀ there"
    else:
        relation = "≤" if numeric_holds else ">"
        numeric_text = (
            f"numeric: √NAsym = {root:.3g} {relation} {NUMERIC_CERT_ROOT:g} over {points} "
            f"N(0, I) points (seed {seed})"
        )

    def numeric(note: str = "") -> Certificate:
        detail = numeric_text if not note else f"{numeric_text}; {note}"
        return Certificate("numeric", numeric_holds, root, NUMERIC_CERT_ROOT, detail)

    if not exact:
        return numeric()
    why_not = exact_unavailable(net)
    if why_not is not None:
        return numeric(f"no exact certificate: {why_not}")
    arrays = _rational_arrays(net)
    assert arrays is not None  # exact_unavailable checked it
    from ptheorem.budget import run_with_budget

    args = (arrays[0], arrays[1], net.activation.spec, seed)
    try:
        holds, detail = run_with_budget(_exact_check, args, EXACT_TIMEOUT)
    except BudgetExceededError:
        return numeric(f"the sympy check ran out of its {EXACT_TIMEOUT:g} s budget")
    except PtheoremError as exc:
        return numeric(f"the sympy check failed ({exc})")
    if holds is None:
        return numeric(detail)
    return Certificate("exact", holds, root, None, detail)


def exact_unavailable(net: ConcreteNetwork) -> str | None:
    """Why the exact certificate cannot be attempted for ``net`` (None when it can)."""
    if net.activation.sympy_form is None:
        return f"σ = {net.activation.label} has no sympy form"
    paths = path_count(net)
    if paths > EXACT_MAX_PATHS or net.dim > EXACT_MAX_DIM:
        return (
            f"the net is too large for sympy ({paths} paths, d = {net.dim}; the exact check "
            f"needs ≤ {EXACT_MAX_PATHS} paths and d ≤ {EXACT_MAX_DIM})"
        )
    if _rational_arrays(net) is None:
        return f"some weights are not small rationals (denominator ≤ {RATIONAL_MAX_DENOMINATOR})"
    return None


def _exact_check(
    weights: list[Any], biases: list[Any], activation: str, seed: int
) -> tuple[bool | None, str]:
    """The sympy work (run in a child): (True | False | None for undecided, detail).

    1. J of ψ with an *undefined* σ: each distinct pre-activation z gives one
       atom σ′(z), so expanding J_ij − J_ji to 0 proves symmetry for every σ
       (cheap: no exp/tanh algebra).
    2. Otherwise J with the concrete σ, evaluated at rational points to
       :data:`EVALF_DIGITS` digits: a clear nonzero value refutes.
    3. Otherwise (vanishes at the points) the concrete difference is expanded;
       0 proves symmetry for this σ (polynomial σ), anything else is undecided.
    """
    import sympy as sp

    from ptheorem.spec import GENERIC_ACTIVATION, NetworkSpec
    from ptheorem.symbolic.network import build_network, jacobian

    def rat(nested: Any) -> Any:
        return _map_nested(nested, lambda nd: sp.Rational(nd[0], nd[1]))

    ws = [sp.Matrix(rat(w)) for w in weights]
    bs = [None if b is None else sp.Matrix(rat(b)) for b in biases]
    dim = ws[0].shape[1]
    widths = tuple(int(w.shape[0]) for w in ws[:-1])

    def jac_of(act: str) -> tuple[Any, Any]:
        # spec.bias stays False: the biases are passed explicitly (None = no bias).
        net = build_network(NetworkSpec(len(ws), dim, widths, False, act), weights=ws, biases=bs)
        return jacobian(list(net.psi()), net.inputs), net.inputs

    pairs = [(i, j) for i in range(dim) for j in range(i + 1, dim)]
    generic, _ = jac_of(GENERIC_ACTIVATION)
    open_pairs = [(i, j) for i, j in pairs if sp.expand(generic[i, j] - generic[j, i]) != 0]
    if not open_pairs:
        return True, (
            "sympy: J − Jᵀ ≡ 0 with weights rationalised exactly (identically in σ′, so for "
            "every σ)"
        )
    jac, x = jac_of(activation)
    rng = np.random.default_rng(seed)
    samples = [{xi: sp.Rational(int(rng.integers(-999, 1000)), 331) for xi in x} for _ in range(3)]
    for i, j in open_pairs:
        diff = jac[i, j] - jac[j, i]
        for point in samples:
            value = complex(sp.N(diff.subs(point), EVALF_DIGITS))
            scale = max(
                1.0, *(abs(complex(sp.N(jac[a, b].subs(point), 15))) for a, b in ((i, j), (j, i)))
            )
            if abs(value) > EVALF_NONZERO * scale:
                where = ", ".join(f"{k} = {v}" for k, v in point.items())
                return False, (
                    f"sympy: J{i + 1}{j + 1} − J{j + 1}{i + 1} = {value.real:.3g} ≠ 0 at the "
                    f"rational point {where} ({EVALF_DIGITS}-digit evaluation), weights "
                    "rationalised exactly"
                )
    undecided = [(i, j) for i, j in open_pairs if sp.expand(jac[i, j] - jac[j, i]) != 0]
    if undecided:
        where = ", ".join(f"({i + 1}, {j + 1})" for i, j in undecided)
        return None, (
            f"sympy could not decide J − Jᵀ at {where}: the expansion is not 0 but vanishes "
            f"to {EVALF_DIGITS} digits at sampled points"
        )
    return True, "sympy: J − Jᵀ ≡ 0 with weights rationalised exactly"
