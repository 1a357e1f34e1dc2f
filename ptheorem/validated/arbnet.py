"""A concrete ψ evaluated in ball arithmetic (python-flint ``arb``): σ, σ′ and J at a point.

Weights, biases and points are float64, so they enter ``arb`` exactly; every
operation after that rounds outward, and each result is a ball that contains
the true real number.  σ′ is evaluated in forms that stay accurate where the
float64 code underflows (``sech²`` for tanh′, a logistic with ``exp`` of any
size for softplus and swish): a saturated unit gives a tiny positive ball, not 0.

``python-flint`` is imported lazily, so ``ptheorem --help`` does not pay for it.

>>> from ptheorem.counterexamples.library import block_diagonal
>>> arbnet = ArbNetwork(block_diagonal())
>>> jac = arbnet.jacobian((0.5, -1.0), 128)
>>> (jac[0, 1] - jac[1, 0]).is_zero(), jac[0, 0] > 0
(True, True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from ptheorem.activations import Activation
from ptheorem.numeric.network import ConcreteNetwork

Ball = Any
BallFn = Callable[[Ball], Ball]


def flint_missing() -> str | None:
    """Why interval arithmetic is unavailable (None when python-flint imports)."""
    try:
        import flint  # noqa: F401
    except ImportError:  # pragma: no cover - python-flint is a dependency
        return "python-flint is not installed"
    return None


@contextmanager
def precision(bits: int) -> Iterator[None]:
    """Run the block with flint's working precision set to ``bits`` (restored after)."""
    from flint import ctx

    old = ctx.prec
    ctx.prec = bits
    try:
        yield
    finally:
        ctx.prec = old


def _logistic(z: Ball) -> Ball:
    from flint import arb

    return arb(1) / (1 + (-z).exp())


def _relu_slope(z: Ball) -> Ball:
    from flint import arb

    if z > 0:
        return arb(1)
    if z < 0:
        return arb(0)
    return arb(0.5, 0.5)  # σ′ jumps at 0: all we know is σ′ ∈ [0, 1]


def _relu(z: Ball) -> Ball:
    from flint import arb

    if z > 0:
        return z
    if z < 0:
        return arb(0)
    return z.union(arb(0))


def _forms(act: Activation) -> tuple[BallFn, BallFn] | None:
    """(σ, σ′) on balls for the registered activations, None for an unknown one."""
    from flint import arb

    name = act.name
    if name == "tanh":
        return (lambda z: z.tanh()), (lambda z: z.sech() ** 2)
    if name == "sin":
        return (lambda z: z.sin()), (lambda z: z.cos())
    if name == "softplus":
        return (lambda z: z.exp().log1p()), _logistic
    if name == "swish" and act.beta is not None:
        beta = arb(act.beta)

        def swish_slope(z: Ball) -> Ball:
            s, s_minus = _logistic(beta * z), _logistic(-beta * z)
            return s + beta * z * s * s_minus

        return (lambda z: z * _logistic(beta * z)), swish_slope
    if name == "gelu":
        root2 = arb(2).sqrt()
        inv_root_2pi = 1 / (2 * arb.pi()).sqrt()

        def cdf(z: Ball) -> Ball:
            return (-z / root2).erfc() / 2

        return (
            (lambda z: z * cdf(z)),
            (lambda z: cdf(z) + z * inv_root_2pi * (-(z * z) / 2).exp()),
        )
    if name == "relu":
        return _relu, _relu_slope
    if act.degree is not None and name in ("square", "cube", "linear"):
        p = act.degree
        return (lambda z: z**p), (lambda z: p * z ** (p - 1) if p > 1 else arb(1))
    return None


def unsupported(act: Activation) -> str | None:
    """Why σ cannot be evaluated in ball arithmetic (None when it can)."""
    missing = flint_missing()
    if missing is not None:
        return missing
    if _forms(act) is None:
        return f"σ = {act.label} has no interval form"
    return None


def _column(values: Sequence[Ball]) -> Any:
    from flint import arb_mat

    return arb_mat([[v] for v in values])


class _LazyMatrices:
    """``arb_mat`` of each weight matrix, converted (exactly) on first use and kept.

    Converting costs ~0.2 µs per entry (seconds at widths 2048), and the
    one-column certificate never needs W_{L−1} whole.
    """

    def __init__(self, weights: Sequence[np.ndarray]) -> None:
        self._weights = list(weights)
        self._done: dict[int, Any] = {}

    def __getitem__(self, k: int) -> Any:
        from flint import arb_mat

        k = k % len(self._weights)
        if k not in self._done:
            self._done[k] = arb_mat(self._weights[k].tolist())
        return self._done[k]


class ArbNetwork:
    """``net`` in ball arithmetic; matrices are converted once (exactly), when first used."""

    def __init__(self, net: ConcreteNetwork) -> None:
        from flint import arb_mat

        forms = _forms(net.activation)
        if forms is None:
            raise ValueError(f"σ = {net.activation.label} has no interval form")
        self.net = net
        self.f, self.df = forms
        self.weights = _LazyMatrices(net.weights)
        self.biases = [None if b is None else arb_mat([[float(v)] for v in b]) for b in net.biases]

    def slopes(self, x: Sequence[float] | np.ndarray, bits: int) -> list[list[Ball]]:
        """σ′(z_k(x)) as balls for every hidden layer k = 1, …, L−1, at ``bits`` precision."""
        from flint import arb

        out = []
        with precision(bits):
            h = _column([arb(float(v)) for v in np.asarray(x, dtype=float)])
            for k in range(self.net.depth - 1):
                z = self.weights[k] * h
                if self.biases[k] is not None:
                    z = z + self.biases[k]
                zs = [z[i, 0] for i in range(z.nrows())]
                out.append([self.df(v) for v in zs])
                if k < self.net.depth - 2:
                    h = _column([self.f(v) for v in zs])
        return out

    def jacobian(self, x: Sequence[float] | np.ndarray, bits: int) -> Any:
        """J(x) = W_{L−1} D_{L−1} ⋯ D₁ W₀ as a d × d ``arb_mat`` at ``bits`` precision."""
        from flint import arb_mat

        slopes = self.slopes(x, bits)
        with precision(bits):
            acc = self.weights[-1]
            for k in range(self.net.depth - 2, -1, -1):
                n = len(slopes[k])
                diag = arb_mat(n, n)
                for i, s in enumerate(slopes[k]):
                    diag[i, i] = s
                acc = (acc * diag) * self.weights[k]
            return acc

    def column_pair(
        self, x: Sequence[float] | np.ndarray, j: int, bits: int, rows: Sequence[int] | None = None
    ) -> tuple[list[Ball], list[Ball]]:
        """((J e_j)_i, (Jᵀ e_j)_i) as balls for i in ``rows`` (default all): forward / reverse mode.

        Matrix-free: three matrix-vector chains instead of the d × d product, so the
        entries J_ij − J_ji are enclosed at any size; with ``rows`` only those rows
        of W_{L−1} are converted to balls.
        """
        from flint import arb_mat

        slopes = self.slopes(x, bits)
        w = self.net.weights
        with precision(bits):
            t = arb_mat([[float(v)] for v in w[0][:, j]])  # W₀ e_j
            for k in range(len(slopes)):
                if k:
                    t = self.weights[k] * t
                for i, s in enumerate(slopes[k]):
                    t[i, 0] = t[i, 0] * s
            pick = list(range(self.net.dim)) if rows is None else list(rows)
            last = self.weights[-1] if rows is None else arb_mat(w[-1][pick].tolist())
            column = last * t
            u = arb_mat([[float(v) for v in w[-1][j, :]]])  # e_jᵀ W_{L−1}
            for k in range(len(slopes) - 1, -1, -1):
                for i, s in enumerate(slopes[k]):
                    u[0, i] = u[0, i] * s
                u = u * self.weights[k]
            if not slopes:  # L = 1: J = W₀
                column = arb_mat([[float(w[0][i, j])] for i in pick])
                u = arb_mat([[float(v) for v in w[0][j, :]]])
            return [column[r, 0] for r in range(len(pick))], [u[0, i] for i in pick]


def enclosure(ball: Ball) -> tuple[float, float]:
    """Floats (lo, hi) with lo ≤ every point of ``ball`` ≤ hi (rounded outward)."""
    from flint import arb

    lo, hi = float(ball.lower()), float(ball.upper())
    if arb(lo) > ball.lower():
        lo = float(np.nextafter(lo, -np.inf))
    if arb(hi) < ball.upper():
        hi = float(np.nextafter(hi, np.inf))
    return lo, hi
