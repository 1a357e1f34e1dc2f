"""The symbolic ψ network: weight symbols, the forward expression, layer Jacobians.

Weights are sympy Symbols stored as matrices in the torch ``Linear.weight``
shape ``(out, in)``.  Each layer's Jacobian is *derived by sympy*: the affine
part ``z = W h + b`` is differentiated with respect to its input placeholders
and the activation part ``σ(ζ)`` with respect to its pre-activation
placeholders.  Chaining them is the chain rule.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp

# sympy's Add imports its tensor module on first use (~15 ms).  Importing it with
# the network means a worker forked after this import, and the parent that loads
# the worker's result, do not each import it again.
import sympy.tensor.tensor  # noqa: F401

from ptheorem.model.spec import GENERIC_ACTIVATION, NetworkSpec
from ptheorem.symbolic import naming
from ptheorem.symbolic.sparse import Rows

SIGMA = sp.Function("sigma")


@dataclass(frozen=True)
class LayerJacobians:
    """The chain-rule factors of J = W⁽ᴸ⁻¹⁾ D⁽ᴸ⁻¹⁾ W⁽ᴸ⁻²⁾ ⋯ D⁽¹⁾ W⁽⁰⁾, derived by sympy.

    ``affine[k]`` is ∂z⁽ᵏ⁺¹⁾/∂h⁽ᵏ⁾ (the weight matrix of layer ``k``) and
    ``activation[k - 1]`` is ∂h⁽ᵏ⁾/∂z⁽ᵏ⁾ for hidden layer ``k`` with every σ′
    replaced by its frozen symbol (a diagonal matrix).  ``frozen`` maps each
    frozen symbol to the σ′(z) expression it stands for.
    """

    affine: tuple[sp.ImmutableMatrix, ...]
    activation: tuple[sp.ImmutableMatrix, ...]
    frozen: dict[sp.Symbol, sp.Expr]
    frozen_by_layer: tuple[tuple[sp.Symbol, ...], ...]


@dataclass(frozen=True)
class SymbolicNetwork:
    """A ψ network with symbolic (or partly fixed) weights.

    >>> net = build_network(NetworkSpec(depth=2, dim=2, widths=(1,)))
    >>> net.psi()[0]
    theta1_1_1*sigma(theta0_1_1*x1 + theta0_1_2*x2)
    """

    spec: NetworkSpec
    inputs: tuple[sp.Symbol, ...]
    weights: tuple[sp.ImmutableMatrix, ...]
    biases: tuple[sp.ImmutableMatrix | None, ...]
    sigma: Callable[[sp.Expr], sp.Expr]

    @property
    def weight_symbols(self) -> tuple[sp.Symbol, ...]:
        """Every free symbol of the weights and biases, layer by layer."""
        out: list[sp.Symbol] = []
        for k, w in enumerate(self.weights):
            out.extend(s for s in w if isinstance(s, sp.Symbol))
            b = self.biases[k]
            if b is not None:
                out.extend(s for s in b if isinstance(s, sp.Symbol))
        return tuple(out)

    def hidden_from(self, pre: Sequence[sp.Expr]) -> list[sp.Matrix]:
        """Forward from the first hidden pre-activation; returns h⁽¹⁾ … h⁽ᴸ⁻¹⁾."""
        return [sp.Matrix(h) for h in self.hidden_entries(pre)]

    def hidden_entries(self, pre: Sequence[sp.Expr]) -> list[list[sp.Expr]]:
        """:meth:`hidden_from` as lists of entries (no Matrix per layer)."""
        hs: list[list[sp.Expr]] = []
        z = list(pre)
        for k in range(1, self.spec.depth):
            h = [self.sigma(e) for e in z]
            hs.append(h)
            if k < self.spec.depth - 1:
                z = self.affine(k, h)
        return hs

    def psi(self, x: Sequence[sp.Expr] | None = None) -> sp.ImmutableMatrix:
        """ψ(x) as a d × 1 matrix of sympy expressions."""
        xv = [sp.sympify(e) for e in x] if x is not None else list(self.inputs)
        if self.spec.depth == 1:
            return sp.ImmutableMatrix(self.affine(0, xv))
        hs = self.hidden_entries(self.affine(0, xv))
        return sp.ImmutableMatrix(self.affine(self.spec.depth - 1, hs[-1]))

    def affine(self, k: int, h: Sequence[sp.Expr]) -> list[sp.Expr]:
        """The entries of z = W⁽ᵏ⁾ h + b⁽ᵏ⁾, as the sympy Matrix expression gives them."""
        z = Rows.from_matrix(self.weights[k]).matmul(Rows.column(h))
        entries = [z[o, 0] for o in range(z.shape[0])]
        b = self.biases[k]
        return entries if b is None else [e + c for e, c in zip(entries, b, strict=True)]

    def layer_jacobians(self) -> LayerJacobians:
        """Differentiate every layer with sympy and freeze σ′ at each hidden unit."""
        affine: list[sp.ImmutableMatrix] = []
        activation: list[sp.ImmutableMatrix] = []
        frozen: dict[sp.Symbol, sp.Expr] = {}
        by_layer: list[tuple[sp.Symbol, ...]] = []
        for k, w in enumerate(self.weights):
            h = sp.symbols(f"h{k}_1:{w.shape[1] + 1}")
            pre = self.affine(k, h)
            affine.append(jacobian(pre, h))
            if k == self.spec.depth - 1:
                break
            zeta = sp.symbols(f"z{k + 1}_1:{w.shape[0] + 1}")
            raw = jacobian([self.sigma(z) for z in zeta], zeta)
            syms = tuple(sp.Symbol(naming.frozen_name(k + 1, u + 1)) for u in range(w.shape[0]))
            for u, s in enumerate(syms):
                frozen[s] = raw[u, u].subs(zeta[u], pre[u])
            # σ acts unit by unit, so its Jacobian must be diagonal; freeze the diagonal.
            if any(raw[u, v] != 0 for u in range(len(syms)) for v in range(len(syms)) if u != v):
                raise AssertionError("the activation Jacobian is not diagonal")
            activation.append(sp.ImmutableMatrix(sp.diag(*syms)))
            by_layer.append(syms)
        return LayerJacobians(tuple(affine), tuple(activation), frozen, tuple(by_layer))


def jacobian(fs: Sequence[sp.Expr], xs: Sequence[sp.Symbol]) -> sp.ImmutableMatrix:
    """∂fⱼ/∂xᵢ by sympy's ``diff``, entry by entry as ``Matrix.jacobian`` does it."""
    return sp.ImmutableMatrix(len(fs), len(xs), lambda j, i: fs[j].diff(xs[i]))


def resolve_sigma(activation: str) -> Callable[[sp.Expr], sp.Expr]:
    """The σ of a spec: the undefined sympy Function, or a named activation's formula."""
    if activation == GENERIC_ACTIVATION:
        return SIGMA
    from ptheorem.activations import get_activation

    act = get_activation(activation)
    return lambda t: act.sympy(t)


def weight_matrix(layer: int, rows: int, cols: int) -> sp.ImmutableMatrix:
    """The matrix of weight symbols θ⁽ᵏ⁾ in shape (out, in)."""
    return sp.ImmutableMatrix(
        rows, cols, lambda o, i: sp.Symbol(naming.weight_name(layer, o + 1, i + 1))
    )


def build_network(
    spec: NetworkSpec,
    weights: Sequence[Any] | None = None,
    biases: Sequence[Any] | None = None,
) -> SymbolicNetwork:
    """Build ψ for ``spec``; weights default to fresh symbols θ⁽ᵏ⁾ₒᵢ.

    ``weights`` may fix some or all layers (matrices of numbers or expressions,
    e.g. zeros from a mask) in the (out, in) shape.
    """
    sizes = spec.sizes
    ws: list[sp.ImmutableMatrix] = []
    bs: list[sp.ImmutableMatrix | None] = []
    for k in range(spec.depth):
        if weights is not None and weights[k] is not None:
            ws.append(sp.ImmutableMatrix(weights[k]))
        else:
            ws.append(weight_matrix(k, sizes[k + 1], sizes[k]))
        if biases is not None and biases[k] is not None:
            bs.append(sp.ImmutableMatrix(biases[k]))
        elif spec.bias:
            bs.append(
                sp.ImmutableMatrix(
                    [sp.Symbol(naming.bias_name(k, o + 1)) for o in range(sizes[k + 1])]
                )
            )
        else:
            bs.append(None)
    inputs = tuple(sp.Symbol(naming.input_name(j + 1)) for j in range(spec.dim))
    return SymbolicNetwork(spec, inputs, tuple(ws), tuple(bs), resolve_sigma(spec.activation))
