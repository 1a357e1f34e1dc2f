"""Exact dependences among the live path functions, found from the weights and σ alone.

A path function is g(x) = Π_k σ′(z_k(x)) over the units of one backward path.
Some dependences follow from the stored weights and the identities σ′ declares
(:class:`~ptheorem.activations.Identity`), with no sampling:

* **identical units** — same incoming row and bias (after merging identical
  units of the layer below, whose outputs coincide): same z, same σ′;
* **sign pairs** — incoming (row, bias) negated, σ′ even or odd: σ′ equal or opposite;
* **scaled units** — (row, bias) a positive multiple, σ′(c·t) = σ′(t) (ReLU, linear);
* **complement pairs** — two pairs ±θ, ±u with σ′(t) + σ′(−t) = 1 (softplus,
  swish, gelu, ReLU): g_θ + g_−θ − g_u − g_−u ≡ 0;
* **constant σ′** (linear σ): every path function is 1;
* **polynomial σ** of degree p: the path functions are polynomials of degree
  ≤ p^(L−1) − 1 in d variables, a space of dimension C(d + D, d); more live
  paths than that are dependent.

A unit-level relation becomes a dependence of the *live* path functions once
two (or four) live paths run through the related units with the same units
everywhere else; :func:`scan` checks that exactly from the supports, so every
dependence marked ``live`` is a proof that H1 fails.  Related units without
such a shared context are *suspects*: the sampled rank test always includes
paths through them.  Each unit's σ′ is also written as α + β·s over one slope
symbol per class (:class:`SlopeForm`), which the exact curl-free proof uses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ptheorem.activations import ActivationKind, Identity
from ptheorem.audit.graph import Connectivity, completions, live_units, prefixes
from ptheorem.numeric.network import ConcreteNetwork
from ptheorem.validated.dyadic import ray_key

#: Complement pairs of one layer examined for a shared context (the first found suffices).
MAX_COMPLEMENT_PAIRS = 64


@dataclass(frozen=True)
class SlopeForm:
    """σ′ of one unit as α + β·s, s the slope symbol ``symbol`` of its class."""

    symbol: int
    alpha: int
    beta: int


@dataclass(frozen=True)
class Dependence:
    """One exact relation among units (``layer`` and ``units`` 1-based; layer 0: the whole net).

    ``live`` is true when it is exhibited on live paths, i.e. the live path
    functions are proved linearly dependent.
    """

    kind: str
    layer: int
    units: tuple[int, ...]
    live: bool
    text: str


@dataclass(frozen=True)
class DependenceScan:
    """Every exact dependence found, the suspect units and the duplicate units.

    ``suspects`` are (hidden layer, 0-based units) groups whose paths the rank
    test must include; ``duplicates`` map (hidden layer, 0-based unit) to a
    representative with the same or opposite σ′ (a path through the unit,
    when the representative's path is live, adds nothing to the span).
    """

    dependences: tuple[Dependence, ...]
    suspects: tuple[tuple[int, tuple[int, ...]], ...]
    duplicates: dict[tuple[int, int], int]
    forms: tuple[tuple[SlopeForm, ...], ...]

    @property
    def proved(self) -> bool:
        """Whether some dependence of the live path functions is proved."""
        return any(d.live for d in self.dependences)


def polynomial_dimension(
    dim: int, degree: int, hidden: int, homogeneous: bool = False
) -> tuple[int, int]:
    """(D, dimension): path functions of a degree-p polynomial σ are polynomials of degree ≤ D.

    σ′ has degree p − 1 and z_k has degree p^(k−1) in x, so a path function
    Π_k σ′(z_k) has degree Σ_k (p − 1)·p^(k−1) = D = p^(L−1) − 1: a space of
    dimension C(d + D, d).  Without biases every z_k is homogeneous, and so is
    every path function (degree exactly D): dimension C(d + D − 1, d − 1).

    >>> polynomial_dimension(2, 2, 1), polynomial_dimension(2, 2, 1, homogeneous=True)
    ((1, 3), (1, 2))
    """
    top = degree**hidden - 1
    if homogeneous:
        return top, math.comb(dim + top - 1, dim - 1)
    return top, math.comb(dim + top, dim)


def _neg(key: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(-v + 0 for v in key)


def _layer_keys(
    net: ConcreteNetwork, k: int, merge: list[list[int]] | None, scaling: bool
) -> list[Any]:
    """Canonical incoming vector (row, bias) of every unit of hidden layer k + 1 (None: zero).

    ``merge`` lists the identical-unit classes of the layer below (their
    columns are summed exactly); ``scaling`` reduces each vector to its
    primitive integer ray (equal keys ⇔ positive multiples).
    """
    w, b = net.weights[k], net.biases[k]
    rows = np.column_stack([w, np.zeros(w.shape[0]) if b is None else b])
    keys: list[Any] = []
    for row in rows:
        if merge is not None:
            exact = [sum((Fraction(float(row[u])) for u in cls), Fraction(0)) for cls in merge]
            exact.append(Fraction(float(row[-1])))
            if scaling:
                den = math.lcm(*(f.denominator for f in exact))
                ints = [int(f * den) for f in exact]
                g = math.gcd(*ints)
                keys.append(None if g == 0 else tuple(v // g for v in ints))
            else:
                keys.append(tuple(exact) if any(exact) else None)
        elif scaling:
            keys.append(ray_key(row))
        else:  # the stored floats' bytes (+ 0.0 makes −0.0 and 0.0 one key; all finite)
            keys.append((row + 0.0).tobytes() if np.any(row != 0.0) else None)
    return keys


def _negations(
    net: ConcreteNetwork, k: int, merge: list[list[int]] | None, scaling: bool, keys: list[Any]
) -> list[Any]:
    """The key of each unit's negated incoming vector (numpy does the plain-float case)."""
    if merge is None and not scaling:
        w, b = net.weights[k], net.biases[k]
        rows = -np.column_stack([w, np.zeros(w.shape[0]) if b is None else b]) + 0.0
        return [None if key is None else r.tobytes() for key, r in zip(keys, rows, strict=True)]
    return [None if key is None else _neg(key) for key in keys]


def _identical_classes(keys: list[Any]) -> list[list[int]]:
    """Units grouped by equal exact keys (in order of first appearance)."""
    groups: dict[Any, list[int]] = {}
    for u, key in enumerate(keys):
        groups.setdefault(("zero", u) if key is None else key, []).append(u)
    return list(groups.values())


def slope_forms(net: ConcreteNetwork) -> tuple[tuple[SlopeForm, ...], ...]:
    """σ′ of every hidden unit as α + β·s over shared symbols (by the declared identities)."""
    return _scan_layers(net)[0]


def _scan_layers(
    net: ConcreteNetwork,
) -> tuple[tuple[tuple[SlopeForm, ...], ...], list[dict[str, list[tuple[int, ...]]]]]:
    ids = net.activation.identities
    scaling = Identity.POSITIVE_SCALING in ids
    forms: list[tuple[SlopeForm, ...]] = []
    relations: list[dict[str, list[tuple[int, ...]]]] = []
    merge: list[list[int]] | None = None
    symbol = 0
    for k in range(net.depth - 1):
        exact_keys = _layer_keys(net, k, merge, scaling=False)
        keys = _layer_keys(net, k, merge, scaling=True) if scaling else exact_keys
        negs = _negations(net, k, merge, scaling, keys)
        reps: dict[tuple[Any, ...], int] = {}
        layer: list[SlopeForm] = []
        rel: dict[str, list[tuple[int, ...]]] = {}
        for u, key in enumerate(keys):
            if Identity.CONSTANT in ids:
                layer.append(SlopeForm(-1, 1, 0))
                continue
            if key is not None and key in reps:
                rep = reps[key]
                kind = "identical units" if exact_keys[rep] == exact_keys[u] else "scaled units"
                rel.setdefault(kind, []).append((rep, u))
                layer.append(SlopeForm(layer[rep].symbol, 0, 1))
                continue
            neg = negs[u]
            if neg is not None and neg in reps:
                rep = reps[neg]
                if Identity.EVEN in ids or Identity.ODD in ids:
                    rel.setdefault("sign pair", []).append((rep, u))
                    layer.append(SlopeForm(layer[rep].symbol, 0, 1 if Identity.EVEN in ids else -1))
                    continue
                if Identity.COMPLEMENT in ids:
                    rel.setdefault("complement pair", []).append((rep, u))
                    layer.append(SlopeForm(layer[rep].symbol, 1, -1))
                    continue
            if key is not None:
                reps[key] = u
            layer.append(SlopeForm(symbol, 0, 1))
            symbol += 1
        forms.append(tuple(layer))
        relations.append(rel)
        classes = _identical_classes(exact_keys)
        merge = classes if any(len(c) > 1 for c in classes) else None
    return tuple(forms), relations


def scan(net: ConcreteNetwork, conn: Connectivity) -> DependenceScan:
    """Every exact dependence of ``net``'s live path functions (depth ≥ 2)."""
    forms, relations = _scan_layers(net)
    live = live_units(conn)
    before = prefixes(conn)
    after = completions(conn.supports, conn.output_nonzero)
    found: list[Dependence] = []
    suspects: list[tuple[int, tuple[int, ...]]] = []
    duplicates: dict[tuple[int, int], int] = {}
    for k, rel in enumerate(relations):
        layer = k + 1

        def shared(units: tuple[int, ...], k: int = k) -> bool:
            return _shared_context(net, k, units, before, after)

        for kind in ("identical units", "scaled units", "sign pair"):
            for rep, u in rel.get(kind, []):
                if not (live[k][rep] and live[k][u]):
                    continue
                duplicates[(layer, u)] = rep
                proved = shared((rep, u))
                if not proved:
                    suspects.append((layer, (rep, u)))
                found.append(_unit_relation(net, kind, layer, (rep, u), proved))
        pairs = [(a, b) for a, b in rel.get("complement pair", []) if live[k][a] and live[k][b]]
        if pairs:
            suspects.append((layer, tuple(sorted({u for p in pairs for u in p}))))
            found.extend(_complement(net, layer, pairs, shared))
    found.extend(_global(net, conn))
    return DependenceScan(tuple(found), tuple(suspects), duplicates, forms)


def _shared_context(
    net: ConcreteNetwork,
    k: int,
    units: tuple[int, ...],
    before: list[np.ndarray],
    after: list[np.ndarray],
) -> bool:
    """Whether live paths through each of ``units`` (hidden layer k + 1) agree everywhere else."""
    if k > 0:
        w = net.weights[k][list(units)]  # rows: incoming weights from layer k
        if not np.any(np.all(w != 0.0, axis=0) & (before[k - 1] > 0)):
            return False
    if k < net.depth - 2:
        w = net.weights[k + 1][:, list(units)]  # columns: outgoing weights to layer k + 2
        return bool(np.any(np.all(w != 0.0, axis=1) & (after[k + 1] > 0)))
    return bool(np.all(np.any(net.weights[-1][:, list(units)] != 0.0, axis=0)))


def _unit_relation(
    net: ConcreteNetwork, kind: str, layer: int, units: tuple[int, int], proved: bool
) -> Dependence:
    a, b = units[0] + 1, units[1] + 1
    how = {
        "identical units": "identical incoming weights and bias, so identical σ′",
        "scaled units": "incoming weights and bias a positive multiple, and σ′(c·t) = σ′(t)",
        "sign pair": f"incoming weights and bias negated, and {_sign_formula(net)}",
    }[kind]
    where = (
        "their live paths with the same other units have dependent path functions"
        if proved
        else "but no two live paths through them share all other units"
    )
    text = f"{kind} {a}, {b} in hidden layer {layer}: {how}; {where}"
    return Dependence(kind, layer, (a, b), proved, text)


def _sign_formula(net: ConcreteNetwork) -> str:
    even = Identity.EVEN in net.activation.identities
    return (Identity.EVEN if even else Identity.ODD).formula


def _complement(
    net: ConcreteNetwork, layer: int, pairs: list[tuple[int, int]], shared: Any
) -> list[Dependence]:
    formula = Identity.COMPLEMENT.formula
    for i, p in enumerate(pairs[:MAX_COMPLEMENT_PAIRS]):
        for q in pairs[i + 1 : MAX_COMPLEMENT_PAIRS]:
            units: tuple[int, ...] = (*p, *q)
            if shared(units):
                names = ", ".join(str(u + 1) for u in units)
                text = (
                    f"complement pairs {p[0] + 1}/{p[1] + 1} and {q[0] + 1}/{q[1] + 1} in hidden "
                    f"layer {layer}: incoming weights negated and {formula}, so the path "
                    f"functions through units {names} (all else equal) satisfy "
                    "g₁ + g₂ − g₃ − g₄ ≡ 0"
                )
                named = tuple(u + 1 for u in units)
                return [Dependence("complement pairs", layer, named, True, text)]
    units = tuple(u + 1 for p in pairs for u in p)
    text = (
        f"complement pair(s) in hidden layer {layer} (units {', '.join(map(str, units[:8]))}): "
        f"{formula}; no two pairs share their other units, so no dependence is proved"
    )
    return [Dependence("complement pairs", layer, units, False, text)]


def _global(net: ConcreteNetwork, conn: Connectivity) -> list[Dependence]:
    act = net.activation
    paths = conn.live_paths
    if Identity.CONSTANT in act.identities and paths >= 2:
        text = f"σ′ ≡ 1: all {paths:.0f} live path functions are the constant 1"
        return [Dependence("constant σ′", 0, (), True, text)]
    if act.kind is ActivationKind.POLYNOMIAL and (act.degree or 1) >= 2:
        homogeneous = all(b is None for b in net.biases[:-1])
        top, space = polynomial_dimension(net.dim, act.degree or 2, net.depth - 1, homogeneous)
        if paths > space:
            kind = "homogeneous polynomials of degree" if homogeneous else "polynomials of degree ≤"
            text = (
                f"σ = {act.label} is a polynomial: the path functions are {kind} {top} in "
                f"{net.dim} variables, a space of dimension {space} < {paths:.0f} live paths"
            )
            return [Dependence("polynomial σ", 0, (), True, text)]
    return []
