"""Is a concrete ψ a gradient field?  A proof about the stored weights where one exists.

:func:`certify_curl_free` answers "is J(x) − J(x)ᵀ ≡ 0?" for one concrete
network *as stored*: every float64 weight is the dyadic rational it denotes
(``Fraction(0.1)`` = 3602879701896397/2⁵⁵), and no certificate ever replaces a
weight by a nearby fraction.  The kinds, strongest first:

* **exact** — exact arithmetic on the stored weights: the structural proofs of
  :mod:`ptheorem.audit.exactcurl` (symmetric W₀, constant J, every connected
  output column exactly parallel to its input rows, the slope polynomial with
  σ's declared identities), or, for small nets (≤ :data:`EXACT_MAX_PATHS`
  paths, d ≤ :data:`EXACT_MAX_DIM`) whose σ has a sympy form, sympy's
  expansion of J_ij − J_ji with ``sympy.Rational`` of every stored float, which
  must be 0 (polynomial σ, e.g. the square witness J = 2W₁ diag(W₀x) W₀).
* **validated** — an interval (arb ball) enclosure of some J_ij(x) − J_ji(x)
  that excludes 0 at a point x: ψ is provably *not* curl-free
  (:mod:`ptheorem.validated.curl`).
* **numeric** — √NAsym on seeded N(0, I) points (range-safe, moved onto active
  slabs when units are off) in the curl-free band of :mod:`ptheorem.tolerances`:
  evidence, never a proof.

A "nearby rational network" (weights snapped to denominators ≤ 1000) is a
different network: :func:`certify_nearby_rational` certifies *it*, under its
own kind ``"nearby-rational"``, and says so.

>>> from ptheorem.numeric import parallel_network
>>> from ptheorem.model.spec import NetworkSpec
>>> net = parallel_network(NetworkSpec(3, 2, (2, 2)), "tanh", np.random.default_rng(0))
>>> c = certify_curl_free(net, points=64, exact=False)
>>> c.kind, c.holds  # rounding to float64 broke the exact parallelism: provably not curl-free
('validated', False)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ptheorem.model.errors import BudgetExceededError, PtheoremError
from ptheorem.numeric.network import ConcreteNetwork
from ptheorem.numeric.paths import path_count
from ptheorem.tolerances import CURL_FREE_ROOT, RATIONAL_RTOL, curl_bands

#: √NAsym at or below this (× the size factor) counts as curl-free in the numeric test.
NUMERIC_CERT_ROOT = CURL_FREE_ROOT
#: Largest denominator :func:`rationalize_network` tries (the nearby-rational analysis only).
RATIONAL_MAX_DENOMINATOR = 1000
#: The sympy check runs only for nets with at most this many backward paths …
EXACT_MAX_PATHS = 64
#: … and at most this input dimension.
EXACT_MAX_DIM = 4
#: Wall-clock budget of the sympy work, in seconds (a killable child process).
EXACT_TIMEOUT = 10.0

Rational = tuple[int, int]


@dataclass(frozen=True)
class Certificate:
    """Whether J − Jᵀ ≡ 0, and what that answer rests on.

    ``kind`` is ``"exact"`` (exact arithmetic on the stored weights),
    ``"validated"`` (an interval enclosure proving J − Jᵀ ≠ 0 at ``point``),
    ``"numeric"`` (√NAsym on a seeded sample) or ``"nearby-rational"`` (a proof
    about the rounded neighbour of :func:`certify_nearby_rational`, not about the
    stored net); ``holds`` the answer; ``nasym_root`` the numeric √NAsym on the
    sample (computed in every case, for reference); ``tolerance`` the numeric
    threshold (None for proofs); ``detail`` how the answer was reached;
    ``method`` names the argument; ``point``/``entry``/``interval``/``precision``
    locate a validated certificate (``entry`` 1-based).
    """

    kind: str
    holds: bool
    nasym_root: float
    tolerance: float | None
    detail: str
    method: str = "numeric"
    point: tuple[float, ...] | None = None
    entry: tuple[int, int] | None = None
    interval: tuple[float, float] | None = None
    precision: int | None = None


def stored_rationals(net: ConcreteNetwork) -> tuple[list[Any], list[Any]]:
    """Weights and biases as nested lists of (numerator, denominator): the exact stored values."""

    def convert(arr: np.ndarray) -> Any:
        flat = [Fraction(float(x)).as_integer_ratio() for x in arr.ravel().tolist()]
        if arr.ndim == 1:
            return flat
        cols = arr.shape[1]
        return [flat[r * cols : (r + 1) * cols] for r in range(arr.shape[0])]

    weights = [convert(w) for w in net.weights]
    biases = [None if b is None else convert(b) for b in net.biases]
    return weights, biases


def _small_fraction(x: float) -> Fraction | None:
    if x == 0.0:
        return Fraction(0)
    frac = Fraction(x).limit_denominator(RATIONAL_MAX_DENOMINATOR)
    if abs(float(frac) - x) <= RATIONAL_RTOL * abs(x):
        return frac
    return None


def _nearby_rationals(net: ConcreteNetwork) -> tuple[list[Any], list[Any]] | None:
    """The small rationals next to every weight and bias, or None if one has none."""

    def convert(arr: np.ndarray) -> Any:
        flat = []
        for x in arr.ravel().tolist():
            f = _small_fraction(float(x))
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
        cb = None if b is None else convert(b)
        if b is not None and cb is None:
            return None
        biases.append(cb)
    return weights, biases


def rationalize_network(net: ConcreteNetwork) -> ConcreteNetwork | None:
    """The *nearby rational network*: every weight snapped to a small rational, or None.

    A weight is snapped when ``Fraction(x).limit_denominator(1000)`` is within
    1e-12 relative of x; the returned floats are the nearest doubles of those
    rationals.  This is a different network from ``net`` (see
    :func:`certify_nearby_rational`); the audit never certifies it in place of
    the stored one.

    >>> from ptheorem.numeric import get_activation
    >>> w = (np.array([[0.5, 1 / 3]]), np.array([[2.0], [-0.25]]))
    >>> net = ConcreteNetwork(w, (None, None), get_activation("tanh"))
    >>> rationalize_network(net) is not None
    True
    >>> rationalize_network(net.replace_weights(0, np.array([[np.pi, 1.0]]))) is None
    True
    """
    arrays = _nearby_rationals(net)
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
    """Return the :class:`Certificate` of the stored ``net``: exact, validated, else numeric.

    ``points`` and ``seed`` define the sample of the numeric test and the
    candidate points of the interval certificate; ``exact=False`` skips sympy
    (the structural exact proofs and the interval certificate always run).
    """
    from ptheorem.audit.curl import band
    from ptheorem.audit.exactcurl import exact_curl
    from ptheorem.audit.graph import connectivity
    from ptheorem.audit.report import CurlStatus
    from ptheorem.audit.sampling import measure_sample
    from ptheorem.validated.curl import refute_curl_free

    conn = connectivity(net) if net.depth >= 2 else None
    sample = measure_sample(net, conn, points, seed)
    root = sample.root
    low, high = curl_bands(net.depth, (net.dim, *net.widths))
    status, numeric_text = band(sample, low, high)
    proof = exact_curl(net, conn)
    if proof is not None:
        return Certificate("exact", proof.holds, root, None, proof.detail, proof.method)
    cert, why_not = refute_curl_free(net, sample.by_asymmetry())
    if cert is not None:
        return Certificate(
            "validated",
            False,
            root,
            None,
            f"validated: {cert.text}, so J(x) ≠ J(x)ᵀ there; {numeric_text}",
            "interval",
            cert.point,
            cert.entry,
            (cert.lower, cert.upper),
            cert.precision,
        )
    notes = [f"no interval certificate: {why_not}"]
    if exact:
        proved, detail = sympy_certificate(net)
        if proved:
            return Certificate("exact", True, root, None, detail, "sympy")
        notes.append(f"no exact certificate: {detail}")
    holds = status is CurlStatus.CURL_FREE
    return Certificate("numeric", holds, root, low, "; ".join([numeric_text, *notes]))


def exact_unavailable(net: ConcreteNetwork) -> str | None:
    """Why the sympy check cannot be attempted for ``net`` (None when it can)."""
    if net.activation.sympy_form is None:
        return f"σ = {net.activation.label} has no sympy form"
    paths = path_count(net)
    if paths > EXACT_MAX_PATHS or net.dim > EXACT_MAX_DIM:
        return (
            f"the net is too large for sympy ({paths} paths, d = {net.dim}; the exact check "
            f"needs ≤ {EXACT_MAX_PATHS} paths and d ≤ {EXACT_MAX_DIM})"
        )
    return None


def sympy_certificate(net: ConcreteNetwork) -> tuple[bool, str]:
    """(True, detail) when sympy proves J − Jᵀ ≡ 0 on the stored weights, else (False, why not)."""
    why_not = exact_unavailable(net)
    if why_not is not None:
        return False, why_not
    weights, biases = stored_rationals(net)
    return _run_sympy(weights, biases, net.activation.spec, "the stored weights (exact dyadic)")


def _run_sympy(weights: list[Any], biases: list[Any], spec: str, what: str) -> tuple[bool, str]:
    from ptheorem.budget import run_with_budget

    try:
        holds, detail = run_with_budget(_exact_check, (weights, biases, spec, what), EXACT_TIMEOUT)
    except BudgetExceededError:
        return False, f"the sympy check ran out of its {EXACT_TIMEOUT:g} s budget"
    except PtheoremError as exc:
        return False, f"the sympy check failed ({exc})"
    return bool(holds), detail


def certify_nearby_rational(net: ConcreteNetwork) -> Certificate | None:
    """sympy on the *nearby rational network* (:func:`rationalize_network`), labelled as such.

    None when some weight has no small rational neighbour or the net is too
    large; otherwise a certificate of kind ``"nearby-rational"`` whose
    ``holds`` is about the neighbour, not about ``net``.
    """
    arrays = _nearby_rationals(net)
    if arrays is None or exact_unavailable(net) is not None:
        return None
    what = f"the nearby rational network (denominators ≤ {RATIONAL_MAX_DENOMINATOR})"
    holds, detail = _run_sympy(arrays[0], arrays[1], net.activation.spec, what)
    note = "; this is a statement about that neighbour, not about the stored weights"
    return Certificate("nearby-rational", holds, float("nan"), None, detail + note, "sympy")


def _exact_check(
    weights: list[Any], biases: list[Any], activation: str, what: str
) -> tuple[bool, str]:
    """The sympy work (run in a child): (proved, detail).

    J with the concrete σ, every off-diagonal difference J_ij − J_ji expanded:
    all 0 proves J − Jᵀ ≡ 0 for these exact rational weights.  Anything else
    proves nothing (sympy may miss an identity of σ): (False, why).
    """
    import sympy as sp

    from ptheorem.model.spec import NetworkSpec
    from ptheorem.symbolic.network import build_network, jacobian

    def rat(nested: Any) -> Any:
        return _map_nested(nested, lambda nd: sp.Rational(nd[0], nd[1]))

    ws = [sp.Matrix(rat(w)) for w in weights]
    bs = [None if b is None else sp.Matrix(rat(b)) for b in biases]
    dim = ws[0].shape[1]
    widths = tuple(int(w.shape[0]) for w in ws[:-1])
    # spec.bias stays False: the biases are passed explicitly (None = no bias).
    sym = build_network(NetworkSpec(len(ws), dim, widths, False, activation), weights=ws, biases=bs)
    jac = jacobian(list(sym.psi()), sym.inputs)
    open_pairs = [
        (i + 1, j + 1)
        for i in range(dim)
        for j in range(i + 1, dim)
        if sp.expand(jac[i, j] - jac[j, i]) != 0
    ]
    if not open_pairs:
        return True, f"exact: sympy expands every J_ij − J_ji to 0 with {what}"
    where = ", ".join(f"({i}, {j})" for i, j in open_pairs)
    return False, f"sympy's expansion of J_ij − J_ji at {where} is not 0 with {what}"
