"""Run what ``explain`` and ``demo`` show: the symbolic check, the witness audits, the soft table.

:mod:`ptheorem.explain` only turns results into steps and scenes; everything that
computes — the symbolic check with every path enumerated, the component witness
of a mask, the live audits of the library's teaching constructions, ``run_soft``
for the demo's table — runs here and is handed to it.

``explain`` is for small nets: it refuses more than :data:`MAX_PATHS` backward
paths per (i, j) so every step (including the expanded Jacobian entry) stays
readable and takes well under a second.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from ptheorem.counterexamples.library import Construction, demo_set, teaching_set
from ptheorem.explain.build import explain_result
from ptheorem.explain.compare import compare
from ptheorem.explain.model import Comparison, Explanation, Scene, Tour, Witnesses
from ptheorem.explain.soft import soft_table
from ptheorem.explain.tour import DEPTHS, counterexample_scene, network_scene, soft_scene
from ptheorem.explain.witnesses import witness_result
from ptheorem.model.errors import SizeLimitError
from ptheorem.model.result import CheckResult
from ptheorem.model.spec import NetworkSpec
from ptheorem.tolerances import CURL_FREE_ROOT

#: Largest number of backward paths per (i, j) that ``explain`` accepts.
MAX_PATHS = 64
#: Largest input dimension that ``explain`` accepts.
MAX_DIM = 6
#: Largest depth that ``explain`` accepts.
MAX_DEPTH = 6
#: What judges the witnesses (shown under them).
AUDIT = "the checks of ptheorem audit, run now (seeded)"


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
    middle weights are fixed to 0 before sympy derives anything, and a split net
    gets the same certified component witness as ``check``.
    """
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


def audit_constructions(chosen: Sequence[Construction], seed: int = 0) -> Witnesses:
    """Build and audit each construction with :func:`ptheorem.audit.run_audit` (seeded)."""
    from ptheorem.audit import run_audit

    results = []
    for c in chosen:
        net = c.build()
        results.append(witness_result(c, net, run_audit(net, seed=seed), AUDIT))
    return Witnesses(tuple(results), AUDIT, CURL_FREE_ROOT)


def build_explanation(
    spec: NetworkSpec, mask: str | None = None, witnesses: bool = True
) -> Explanation:
    """Run the symbolic check of ``spec`` (small sizes) and explain it step by step.

    ``witnesses`` false leaves out the live audits of step 11 (the demo shows
    them once).
    """
    result = run_symbolic(spec, mask)
    audited = None
    if witnesses and spec.depth > 1 and spec.dim > 1:
        audited = audit_constructions(teaching_set(spec.depth))
    return explain_result(result, mask, audited, witnesses)


def build_general_explanation(
    depth: int, spec: NetworkSpec | None = None, bias: bool = False, timeout: float = 60.0
) -> Explanation:
    """Explain the general proof for ``depth``; with ``spec``, also at its sizes.

    With a configuration, ``check``'s general route runs on it (the instance
    cross-check included when it fits ``timeout``), so the explanation shows
    what ``check`` would conclude there.
    """
    from ptheorem.explain.general import general_explanation
    from ptheorem.general.proof import general_proof

    if spec is None:
        return general_explanation(general_proof(depth, bias=bias))
    from ptheorem.run.check import Method, run_check

    result = run_check(spec, Method.auto, timeout)
    if result.verdict.method != "general":
        raise SizeLimitError(f"the general route does not cover {spec.label()}")
    return general_explanation(result.details.proof, result)


def build_comparison(specs: tuple[NetworkSpec, NetworkSpec]) -> Comparison:
    """Explain both specs (without the witness step) and compare them."""
    a, b = (build_explanation(s, witnesses=False) for s in specs)
    return compare(a, b)


def _depth_scene(depth: int, title: str) -> Callable[[], Scene]:
    def build() -> Scene:
        spec = NetworkSpec(depth, 2, (2,) * (depth - 1))
        return network_scene(build_explanation(spec, witnesses=False), title)

    return build


def _counterexamples() -> Scene:
    return counterexample_scene(audit_constructions(demo_set()))


def _soft(angles: Sequence[float] = (45.0, 15.0, 5.0), seed: int = 0) -> Scene:
    """The demo's soft table: ``run_soft`` on an L = 3, d = 2 tanh net, one restart per angle."""
    from ptheorem.counterexamples.search.core import SearchConfig
    from ptheorem.counterexamples.soft import run_soft

    spec = NetworkSpec(3, 2, (2, 2), activation="tanh")
    config = SearchConfig(spec=spec, restarts=1, seed=seed, min_angle=min(angles))
    return soft_scene(soft_table(run_soft(config, tuple(angles)), config))


#: The demo's scenes in order, each computed only when called.
SCENES: tuple[Callable[[], Scene], ...] = (
    *(_depth_scene(L, t) for L, t in DEPTHS),
    _counterexamples,
    _soft,
)


def build_tour() -> Tour:
    """All scenes of the demo, computed now."""
    return Tour(tuple(build() for build in SCENES))
