"""Run the symbolic check for an explanation: per-path enumeration on, optional mask.

``explain`` is for small nets: it refuses more than :data:`MAX_PATHS` backward
paths per (i, j) so every step (including the expanded Jacobian entry) stays
readable and takes well under a second.
"""

from __future__ import annotations

from ptheorem.model.errors import SizeLimitError
from ptheorem.model.result import CheckResult
from ptheorem.model.spec import NetworkSpec

#: Largest number of backward paths per (i, j) that ``explain`` accepts.
MAX_PATHS = 64
#: Largest input dimension that ``explain`` accepts.
MAX_DIM = 6
#: Largest depth that ``explain`` accepts.
MAX_DEPTH = 6


def check_size(spec: NetworkSpec) -> None:
    """Raise :class:`SizeLimitError` when ``spec`` is too large to explain step by step."""
    hint = "; 'ptheorem check' handles larger nets"
    if spec.path_count > MAX_PATHS:
        raise SizeLimitError(
            f"explain is for small nets: {spec.path_count} backward paths per (i, j), "
            f"the limit is {MAX_PATHS}{hint}"
        )
    if spec.dim > MAX_DIM:
        raise SizeLimitError(
            f"explain is for small nets: d = {spec.dim}, the limit is {MAX_DIM}{hint}"
        )
    if spec.depth > MAX_DEPTH:
        raise SizeLimitError(
            f"explain is for small nets: L = {spec.depth}, the limit is {MAX_DEPTH}{hint}"
        )


def run_symbolic(spec: NetworkSpec, mask: str | None = None) -> CheckResult:
    """The symbolic check of ``spec`` with every backward path enumerated.

    With ``mask`` (``blocks:K`` or a file, see :mod:`ptheorem.io.mask`) the masked
    middle weights are fixed to 0 before sympy derives anything.
    """
    import dataclasses

    from ptheorem.symbolic.check import symbolic_check
    from ptheorem.symbolic.derive import PER_PATH_LIMIT

    check_size(spec)
    if mask is None:
        return symbolic_check(spec, per_path_limit=PER_PATH_LIMIT)
    from ptheorem.io.mask import parse_mask
    from ptheorem.run.check import with_component_witness

    parsed = parse_mask(mask, spec)
    result = symbolic_check(spec, PER_PATH_LIMIT, parsed.layers)
    if not result.details.solution.rank.single:
        result = with_component_witness(result, None, parsed)
    note = f"mask {mask}: the masked middle weights are fixed to 0 before deriving"
    return dataclasses.replace(result, mask=mask, notes=(*result.notes, note))
