"""A concrete ψ network Rᵈ → Rᵈ with numeric weights, its forward pass and exact Jacobians.

ψ(x) = W_{L−1} σ(W_{L−2} σ(⋯ σ(W₀ x + b₀) ⋯) + b_{L−2}) + b_{L−1}: ``L`` weight
layers, σ on every hidden layer, a linear read-out (as in the paper).  Weights
have the torch ``Linear.weight`` shape ``(out, in)``.

The Jacobian is computed exactly by the chain rule,
J(x) = W_{L−1} diag σ′(z_{L−1}) W_{L−2} ⋯ diag σ′(z₁) W₀, never by finite
differences.  It is accumulated from the input side as Jᵀ rows: starting from
W₀ᵀ (d × n₁) each layer is one GEMM of shape ``(N·d, n_k) @ (n_k, n_{k+1})`` over the
whole chunk of points, so the cost is Σ_k N·d·n_k·n_{k+1} multiply-adds done by BLAS.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from ptheorem.activations import Activation, get_activation
from ptheorem.model.errors import InputError
from ptheorem.model.spec import NetworkSpec

#: Largest intermediate array (in float64 elements, 2²² = 32 MiB) the automatic
#: chunk size aims for: a chunk of c points holds a (c, d, max width) array.
DEFAULT_CHUNK_ELEMENTS = 1 << 22


@dataclass(frozen=True, eq=False)
class ConcreteNetwork:
    """A ψ network with float64 weights; arrays are copied and made read-only.

    >>> net = ConcreteNetwork.random(NetworkSpec(3, 2, (4, 5)), "tanh", np.random.default_rng(0))
    >>> net.depth, net.dim, net.widths, net.jacobians(np.zeros((7, 2))).shape
    (3, 2, (4, 5), (7, 2, 2))
    """

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray | None, ...]
    activation: Activation

    def __post_init__(self) -> None:
        weights = tuple(
            _frozen_array(w, f"weight of layer {k}") for k, w in enumerate(self.weights)
        )
        if len(self.biases) != len(weights):
            raise InputError(
                f"{len(weights)} weight layer(s) but {len(self.biases)} bias entr(y/ies)"
            )
        biases = tuple(
            None if b is None else _frozen_array(b, f"bias of layer {k}")
            for k, b in enumerate(self.biases)
        )
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "biases", biases)
        if not isinstance(self.activation, Activation):
            raise InputError(f"activation must be an Activation (got {self.activation!r})")
        self.validate()

    def validate(self) -> None:
        """Check shapes chain from d to d and every entry is finite; raise :class:`InputError`."""
        if not self.weights:
            raise InputError("a network needs at least one weight layer")
        for k, w in enumerate(self.weights):
            if w.ndim != 2 or 0 in w.shape:
                raise InputError(f"weight of layer {k} must be a non-empty matrix (got {w.shape})")
            if k > 0 and w.shape[1] != self.weights[k - 1].shape[0]:
                raise InputError(
                    f"weight of layer {k} has {w.shape[1]} input column(s) but layer {k - 1} "
                    f"has {self.weights[k - 1].shape[0]} output(s)"
                )
            b = self.biases[k]
            if b is not None and b.shape != (w.shape[0],):
                raise InputError(f"bias of layer {k} has shape {b.shape}, expected ({w.shape[0]},)")
        d_in, d_out = self.weights[0].shape[1], self.weights[-1].shape[0]
        if d_in != d_out:
            raise InputError(
                f"ψ must map Rᵈ to Rᵈ: layer 0 takes {d_in} input(s) but layer "
                f"{self.depth - 1} gives {d_out} output(s)"
            )

    # --- shape -------------------------------------------------------------------------

    @property
    def depth(self) -> int:
        """L, the number of weight layers."""
        return len(self.weights)

    @property
    def dim(self) -> int:
        """d, the input (= output) dimension."""
        return int(self.weights[0].shape[1])

    @property
    def widths(self) -> tuple[int, ...]:
        """Hidden widths n₁, …, n_{L−1}."""
        return tuple(int(w.shape[0]) for w in self.weights[:-1])

    @property
    def spec(self) -> NetworkSpec:
        """The :class:`NetworkSpec` of this net (``bias`` true if any layer has one)."""
        return NetworkSpec(
            depth=self.depth,
            dim=self.dim,
            widths=self.widths,
            bias=any(b is not None for b in self.biases),
            activation=self.activation.spec,
        )

    # --- constructors ------------------------------------------------------------------

    @classmethod
    def random(
        cls,
        spec: NetworkSpec,
        activation: Activation | str,
        rng: np.random.Generator,
        scale: float = 1.0,
    ) -> ConcreteNetwork:
        """Draw weights W_k ~ N(0, scale²/fan_in) (LeCun normal), biases likewise if ``spec.bias``.

        With inputs of unit variance the pre-activations are then O(scale) at every
        layer, the regime where σ′ varies and the path functions are well separated.
        """
        act = get_activation(activation) if isinstance(activation, str) else activation
        if not isinstance(scale, int | float) or not math.isfinite(scale) or scale <= 0:
            raise InputError(f"scale must be a finite number > 0 (got {scale!r})")
        sizes = spec.sizes
        weights = []
        biases: list[np.ndarray | None] = []
        for k in range(spec.depth):
            fan_in, fan_out = sizes[k], sizes[k + 1]
            std = scale / np.sqrt(fan_in)
            weights.append(rng.standard_normal((fan_out, fan_in)) * std)
            biases.append(rng.standard_normal(fan_out) * std if spec.bias else None)
        return cls(tuple(weights), tuple(biases), act)

    def replace_weights(self, layer: int, weight: np.ndarray) -> ConcreteNetwork:
        """Return a copy of this net with the weight of ``layer`` replaced."""
        weights = list(self.weights)
        weights[layer] = weight
        return ConcreteNetwork(tuple(weights), self.biases, self.activation)

    # --- evaluation --------------------------------------------------------------------

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Return ψ(X) of shape (N, d) for points X of shape (N, d)."""
        h = self.check_points(X)
        for k, w in enumerate(self.weights):
            z = h @ w.T
            if self.biases[k] is not None:
                z += self.biases[k]
            h = z if k == self.depth - 1 else self.activation.f(z)
        return h

    def derivatives(self, X: np.ndarray) -> list[np.ndarray]:
        """Return σ′(z_k) of shape (N, n_k) for every hidden layer k = 1, …, L−1."""
        h = self.check_points(X)
        out = []
        for k, w in enumerate(self.weights[:-1]):
            z = h @ w.T
            if self.biases[k] is not None:
                z += self.biases[k]
            out.append(self.activation.df(z))
            if k < self.depth - 2:
                h = self.activation.f(z)
        return out

    def jvp(self, X: np.ndarray, V: np.ndarray) -> np.ndarray:
        """J(x_p) v_p for each row pair (forward mode, exact chain rule), shape (N, d)."""
        X = self.check_points(X)
        slopes = self.derivatives(X)
        t = np.asarray(V, dtype=np.float64)
        for k, w in enumerate(self.weights):
            t = t @ w.T
            if k < len(slopes):
                t = t * slopes[k]
        return t

    def vjp(self, X: np.ndarray, U: np.ndarray) -> np.ndarray:
        """J(x_p)ᵀ u_p for each row pair (reverse mode, exact chain rule), shape (N, d)."""
        X = self.check_points(X)
        slopes = self.derivatives(X)
        u = np.asarray(U, dtype=np.float64)
        for k in range(self.depth - 1, -1, -1):
            u = u @ self.weights[k]
            if k > 0:
                u = u * slopes[k - 1]
        return u

    def last_hidden_jacobians_t(self, X: np.ndarray) -> np.ndarray:
        """Return B(x)ᵀ of shape (N, d, n) where B(x) = ∂h_{L−1}/∂x = D_{L−1} W_{L−2} ⋯ D₁ W₀.

        J(x) = W_{L−1} B(x).  For L = 1 there is no hidden layer and B = I_d.
        No chunking here: callers pass one chunk (see :meth:`iter_jacobians`).
        """
        X = self.check_points(X)
        n_points, d = X.shape
        if self.depth == 1:
            return np.broadcast_to(np.eye(d), (n_points, d, d)).copy()
        slopes = self.derivatives(X)
        bt = self.weights[0].T[None, :, :] * slopes[0][:, None, :]  # (N, d, n₁)
        for k in range(1, self.depth - 1):
            w = self.weights[k]
            bt = (bt.reshape(n_points * d, w.shape[1]) @ w.T).reshape(n_points, d, w.shape[0])
            bt *= slopes[k][:, None, :]
        return bt

    def iter_jacobians(self, X: np.ndarray, chunk_size: int | None = None) -> Iterator[np.ndarray]:
        """Yield exact Jacobians J(x) in consecutive chunks of shape (c, d, d), in order of X."""
        X = self.check_points(X)
        size = self.chunk_size(chunk_size)
        w_last = self.weights[-1]
        d = self.dim
        for start in range(0, X.shape[0], size):
            chunk = X[start : start + size]
            c = chunk.shape[0]
            if self.depth == 1:
                yield np.broadcast_to(w_last, (c, d, d)).copy()
                continue
            bt = self.last_hidden_jacobians_t(chunk)
            jt = (bt.reshape(c * d, w_last.shape[1]) @ w_last.T).reshape(c, d, d)  # J(x)ᵀ
            yield np.ascontiguousarray(jt.transpose(0, 2, 1))

    def jacobians(self, X: np.ndarray, chunk_size: int | None = None) -> np.ndarray:
        """Return the exact Jacobians J(x) = ∂ψ/∂x of shape (N, d, d), J[p, i, j] = ∂ⱼψᵢ(x_p)."""
        X = self.check_points(X)
        out = np.empty((X.shape[0], self.dim, self.dim))
        start = 0
        for jac in self.iter_jacobians(X, chunk_size):
            out[start : start + jac.shape[0]] = jac
            start += jac.shape[0]
        return out

    # --- helpers -----------------------------------------------------------------------

    def chunk_size(self, requested: int | None = None) -> int:
        """Points per chunk: ``requested`` if given, else from :data:`DEFAULT_CHUNK_ELEMENTS`."""
        if requested is None:
            widest = max((self.dim, *self.widths))
            return max(1, DEFAULT_CHUNK_ELEMENTS // (self.dim * widest))
        if isinstance(requested, bool) or not isinstance(requested, int | np.integer):
            raise InputError(f"chunk_size must be a positive integer (got {requested!r})")
        if requested < 1:
            raise InputError(f"chunk_size must be a positive integer (got {requested!r})")
        return int(requested)

    def check_points(self, X: np.ndarray) -> np.ndarray:
        """Return X as a float64 array of shape (N, d); raise :class:`InputError` otherwise."""
        arr = np.asarray(X, dtype=np.float64)
        if arr.ndim != 2 or arr.shape[1] != self.dim:
            raise InputError(f"points must have shape (N, {self.dim}) (got {arr.shape})")
        if not np.all(np.isfinite(arr)):
            raise InputError("points must be finite")
        return arr


def _frozen_array(value: np.ndarray, what: str) -> np.ndarray:
    try:
        arr = np.array(value, dtype=np.float64, copy=True)
    except (TypeError, ValueError):
        raise InputError(f"{what} is not a numeric array") from None
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{what} has non-finite entries")
    arr.setflags(write=False)
    return arr
