"""The paper's claim for each configuration, in words (shared by every method)."""

from __future__ import annotations

from ptheorem.model.spec import NetworkSpec


def claim_for(spec: NetworkSpec) -> str:
    """The paper's claim for this depth and dimension.

    >>> claim_for(NetworkSpec(1, 2, ()))
    'ψ(x) = θ⁽⁰⁾x is curl-free iff θ⁽⁰⁾ is symmetric'
    """
    if spec.dim == 1:
        return "d = 1: every ψ: R → R is a gradient (the condition is vacuous)"
    if spec.depth == 1:
        return "ψ(x) = θ⁽⁰⁾x is curl-free iff θ⁽⁰⁾ is symmetric"
    if spec.depth == 2:
        return "curl-free iff θ⁽¹⁾ₘ = Sₘ θ⁽⁰⁾ₘ (tied weights); the input weights stay free"
    return (
        "curl-free only if all input weights θ⁽⁰⁾ₘ are parallel, the output weights "
        "pointing the same way (the trivial branch θ⁽ᴸ⁻¹⁾ = 0 aside)"
    )


#: The statement ptheorem actually checks (the paper's theorem with its hypotheses).
CORRECTED_THEOREM = (
    "If the path functions are linearly independent, ψ is curl-free exactly when every "
    "live output weight is parallel to every input weight it reaches through a path of "
    "nonzero weights. In particular, the input weights are parallel within each connected "
    "component of that graph."
)
