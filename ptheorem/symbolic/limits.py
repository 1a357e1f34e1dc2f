"""Size limits of the symbolic method, so it refuses instead of hanging.

The limits keep every step within a few seconds on a 2-core machine (see
``benchmarks/bench_symbolic.py`` for the measured costs).
"""

from __future__ import annotations

from ptheorem.model.errors import SizeLimitError
from ptheorem.model.spec import NetworkSpec

MAX_DIM = 12
MAX_WIDTH = 12
MAX_DEPTH = 16
#: Reduced equations: (first width) × (last width) × d(d−1)/2.
MAX_EQUATIONS = 3000


def equation_count(spec: NetworkSpec) -> int:
    """Number of distinct reduced equations the derivation produces for ``spec``."""
    pairs = spec.dim * (spec.dim - 1) // 2
    if spec.depth == 1:
        return pairs
    if spec.depth == 2:
        return spec.widths[0] * pairs
    return spec.widths[0] * spec.widths[-1] * pairs


def check_limits(spec: NetworkSpec) -> None:
    """Raise :class:`SizeLimitError` naming the first symbolic size limit ``spec`` exceeds."""
    if spec.dim > MAX_DIM:
        raise SizeLimitError(f"dim {spec.dim} exceeds the symbolic limit of {MAX_DIM}")
    if spec.depth > MAX_DEPTH:
        raise SizeLimitError(f"depth {spec.depth} exceeds the symbolic limit of {MAX_DEPTH}")
    for k, w in enumerate(spec.widths, start=1):
        if w > MAX_WIDTH:
            raise SizeLimitError(
                f"width {w} of hidden layer {k} exceeds the symbolic limit of {MAX_WIDTH}"
            )
    n = equation_count(spec)
    if n > MAX_EQUATIONS:
        raise SizeLimitError(f"{n} reduced equations exceed the symbolic limit of {MAX_EQUATIONS}")
