"""Second derivatives σ″ of the registered activations, for exact gradients of the search.

The search differentiates the Jacobian J(x) = W_{L−1} D_{L−1} ⋯ D₁ W₀ with
respect to the weights; D_k = diag σ′(z_k) then contributes σ″(z_k).  The
numeric registry gives σ and σ′ only, so σ″ is written out here by name.

>>> from ptheorem.activations import get_activation
>>> second_derivative(get_activation("square"))(np.array([0.5, -2.0])).tolist()
[2.0, 2.0]
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ptheorem.activations import Activation
from ptheorem.model.errors import InputError

ArrayFn = Callable[[np.ndarray], np.ndarray]

_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _swish(beta: float) -> ArrayFn:
    def d2(t: np.ndarray) -> np.ndarray:
        s, s_minus = _sigmoid(beta * t), _sigmoid(-beta * t)
        return beta * s * s_minus * (2.0 + beta * t * (s_minus - s))

    return d2


def _tanh(t: np.ndarray) -> np.ndarray:
    th = np.tanh(t)
    return -2.0 * th * (1.0 - th * th)


def _softplus(t: np.ndarray) -> np.ndarray:
    return _sigmoid(t) * _sigmoid(-t)


def _gelu(t: np.ndarray) -> np.ndarray:
    return _INV_SQRT_2PI * np.exp(-0.5 * t * t) * (2.0 - t * t)


def _zero(t: np.ndarray) -> np.ndarray:
    return np.zeros_like(t, dtype=np.float64)


def _const(value: float) -> ArrayFn:
    def d2(t: np.ndarray) -> np.ndarray:
        return np.full_like(t, value, dtype=np.float64)

    return d2


def _cube(t: np.ndarray) -> np.ndarray:
    return 6.0 * t


_BY_NAME: dict[str, Callable[[Activation], ArrayFn]] = {
    "swish": lambda a: _swish(float(a.beta if a.beta is not None else 1.0)),
    "tanh": lambda a: _tanh,
    "softplus": lambda a: _softplus,
    "sin": lambda a: lambda t: -np.sin(t),
    "gelu": lambda a: _gelu,
    "relu": lambda a: _zero,  # almost everywhere
    "square": lambda a: _const(2.0),
    "cube": lambda a: _cube,
    "linear": lambda a: _zero,
}


def second_derivative(act: Activation) -> ArrayFn:
    """Return σ″ of ``act`` as an elementwise float64 function; :class:`InputError` if unknown."""
    make = _BY_NAME.get(act.name)
    if make is None:
        known = ", ".join(sorted(_BY_NAME))
        raise InputError(f"search needs σ″ of activation {act.label!r}; it knows: {known}")
    return make(act)


def searchable_activations() -> tuple[str, ...]:
    """Names of the activations whose σ″ is known (the ones ``search`` accepts)."""
    return tuple(sorted(_BY_NAME))
