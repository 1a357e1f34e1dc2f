"""Backward paths of the symbolic network: choosing one, and the weights along it."""

from __future__ import annotations

from typing import Any

from ptheorem.explain.model import PathPair
from ptheorem.symbolic.derive import ConstraintGroup, Derivation, PathConstraint
from ptheorem.symbolic.network import SymbolicNetwork

_SUP = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")


def sup(k: int) -> str:
    """The superscript ⁽ᵏ⁾ of layer ``k``."""
    return f"({k})".translate(_SUP)


def layer_labels(depth: int) -> tuple[str, ...]:
    """Column labels in backward order: output, last hidden … first hidden, input."""
    hidden = tuple(f"h{sup(k)}" for k in range(depth - 1, 0, -1))
    return ("out", *hidden, "in")


def example_path(derivation: Derivation) -> tuple[ConstraintGroup, PathConstraint] | None:
    """The backward-path pair the explanation follows, with its group.

    Deterministic: the first pair (i, j) in order, preferring a path whose last
    and first hidden units differ (n ≠ m) so the drawing shows a turn.
    """
    candidates = [(g, p) for g in derivation.groups for p in (g.per_path or ())]
    if not candidates:
        return None
    first = min((p.i, p.j) for _, p in candidates)
    same_pair = [(g, p) for g, p in candidates if (p.i, p.j) == first]
    for g, p in same_pair:
        if len(p.units) >= 2 and p.units[0] != p.units[-1]:
            return g, p
    return same_pair[0]


def path_weights(net: SymbolicNetwork, path: tuple[int, ...]) -> tuple[Any, ...]:
    """The weights met along a backward path (i, n, …, m, j), output side first."""
    depth = net.spec.depth
    w = net.weights
    if depth == 1:
        i, j = path
        return (w[0][i - 1, j - 1],)
    i, *units, j = path
    out = [w[depth - 1][i - 1, units[0] - 1]]
    for t in range(len(units) - 1):
        out.append(w[depth - 2 - t][units[t] - 1, units[t + 1] - 1])
    out.append(w[0][units[-1] - 1, j - 1])
    return tuple(out)


def path_sigmas(derivation: Derivation, units: tuple[int, ...]) -> tuple[Any, ...]:
    """The frozen σ′ symbols a path through ``units`` (last hidden first) meets."""
    by_layer = derivation.layer_jacobians.frozen_by_layer
    hidden = len(by_layer)
    return tuple(by_layer[hidden - 1 - t][u - 1] for t, u in enumerate(units))


def path_pair(net: SymbolicNetwork, derivation: Derivation, constraint: PathConstraint) -> PathPair:
    """The :class:`PathPair` for one per-path constraint."""
    spec = net.spec
    sizes = tuple(reversed(spec.sizes))
    return PathPair(
        sizes=sizes,
        labels=layer_labels(spec.depth),
        path=constraint.path,
        mirror=constraint.mirror,
        weights=path_weights(net, constraint.path),
        mirror_weights=path_weights(net, constraint.mirror),
        sigmas=path_sigmas(derivation, constraint.units),
    )


def ordered_factors(term: Any, depth: int) -> tuple[Any, ...]:
    """The factors of one path term, read along the path: θ⁽ᴸ⁻¹⁾, σ′ of layer L−1, …, θ⁽⁰⁾.

    >>> import sympy as sp
    >>> t = sp.Symbol("theta0_1_2") * sp.Symbol("dsigma1_1") * sp.Symbol("theta1_1_1")
    >>> ordered_factors(t, 2)
    (theta1_1_1, dsigma1_1, theta0_1_2)
    """
    import sympy as sp

    def key(factor: Any) -> tuple[int, str]:
        name = str(factor)
        if name.startswith("theta"):
            return 2 * (depth - 1 - int(name[5:].split("_")[0])), name
        if name.startswith("dsigma"):
            return 2 * (depth - 1 - int(name[6:].split("_")[0])) + 1, name
        return -1, name

    coeff, factors = term.as_coeff_mul()
    ordered = tuple(sorted(factors, key=key))
    return ordered if coeff == 1 else (sp.Integer(coeff), *ordered)


def term_path(term: Any, i: int, j: int) -> tuple[int, ...]:
    """The backward path (i, n, …, m, j) of one term of ∂ⱼψᵢ, read off its σ′ symbols."""
    units: dict[int, int] = {}
    for s in term.free_symbols:
        name = str(s)
        if name.startswith("dsigma"):
            layer, unit = name[6:].split("_")
            units[int(layer)] = int(unit)
    return (i, *(units[k] for k in sorted(units, reverse=True)), j)
