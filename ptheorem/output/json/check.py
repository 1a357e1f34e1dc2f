"""Turn check results into plain JSON data with stable, sorted expression strings.

Strings come from sympy's ``str`` printer (deterministic for a sympy version).
Expressions whose tree is large (deep middle transfers, deep potentials) are
written as ``null`` with their path count instead, so output stays bounded.
"""

from __future__ import annotations

import json
from typing import Any

from ptheorem.model.claims import CORRECTED_THEOREM
from ptheorem.model.errors import PtheoremError
from ptheorem.model.exitcodes import ExitCode
from ptheorem.model.result import CheckResult, HypothesisUse
from ptheorem.model.version import __version__

SCHEMA_VERSION = "2.0"
#: Expressions standing for more paths than this are not printed in JSON.
PRINT_PATH_LIMIT = 64
#: The numeric S is written out when it has at most this many entries.
NUMERIC_S_LIMIT = 256


def expr(e: Any) -> str:
    """The stable string of a sympy expression (``sympy.sstr(e, order="lex")``)."""
    from ptheorem.symbolic.printing import lex_str

    return lex_str(e)


def dumps(data: dict[str, Any]) -> str:
    """JSON with sorted keys, two-space indent, UTF-8 kept readable."""
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False)


def error_dict(exc: BaseException, code: int) -> dict[str, Any]:
    """The ``{"error": …}`` document written in JSON mode."""
    if isinstance(exc, PtheoremError):
        kind = type(exc).__name__
    elif code == ExitCode.INTERNAL:
        kind = "InternalError"
    elif code == ExitCode.USAGE:
        kind = "UsageError"
    else:
        kind = "Interrupted"
    return {"error": {"type": kind, "message": str(exc), "exit_code": code}}


def check_to_dict(result: CheckResult) -> dict[str, Any]:
    """The ``check --format json`` document (keys documented in the README)."""
    spec = result.spec
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "ptheorem", "version": __version__},
        "config": {
            "depth": spec.depth,
            "dim": spec.dim,
            "widths": list(spec.widths),
            "bias": spec.bias,
            "activation": spec.activation,
        },
        "assumptions": [
            {"id": a.id, "name": a.name, "text": a.text, "step": a.step} for a in result.assumptions
        ],
        "verdict": {
            "claim": result.verdict.claim,
            "status": result.verdict.status.value,
            "input_weights_forced_parallel": result.verdict.input_weights_forced_parallel,
            "method": result.verdict.method,
            "evidence": result.verdict.evidence.value,
            "summary": result.verdict.summary,
            "assumptions": list(result.verdict.assumptions),
            "failing": list(result.verdict.failing),
            "hypotheses": [hypothesis_dict(h) for h in result.verdict.hypotheses],
        },
        "timings": {k: round(v, 6) for k, v in result.timings.items()},
        "notes": list(result.notes),
    }
    data["config"]["mask"] = result.mask
    data["corrected_theorem"] = CORRECTED_THEOREM
    data["witness"] = (
        None
        if result.witness is None
        else {
            "explanation": result.witness.explanation,
            "certificate": certificate_dict(result.witness.certificate),
            "network": _network(result.witness.network),
        }
    )
    if result.verdict.method == "hypothesis":
        data |= _hypothesis(result.details)
    if result.verdict.method == "symbolic":
        data |= _symbolic(result.details)
    elif result.verdict.method == "general":
        data |= _general(result.details)
    elif result.verdict.method == "numeric":
        data |= _numeric(result.details)
    return data


def hypothesis_dict(h: HypothesisUse) -> dict[str, Any]:
    """One hypothesis of a verdict: id, name, whether it holds, and how that was established."""
    return {
        "id": h.id,
        "name": h.assumption.name,
        "holds": h.holds,
        "basis": h.basis.value,
        "detail": h.detail,
    }


def _numeric(details: Any) -> dict[str, Any]:
    """Figures of the numeric method; ``constraints`` and ``S`` keep their keys."""
    null_random, null_parallel = details.nullspace_random, details.nullspace_parallel
    family_ok = details.family_asymmetry.root <= details.tolerances["family_root"]
    fit = (
        null_parallel.S
        if null_parallel is not None
        else (null_random.S if null_random is not None else None)
    )
    return {
        "constraints": {"count": None, "groups": [], "derived": False},
        "S": {
            "kind": "numeric",
            "nullspace_dimension_random_inputs": _opt(null_random, "dimension"),
            "nullspace_dimension_parallel_inputs": _opt(null_parallel, "dimension"),
            "fit_residual": None if fit is None else fit.residual,
            "fit_kind": None if fit is None else fit.kind,
            "shape": None if fit is None else list(fit.S.shape),
            # the recovered S (one matrix per null-space basis vector), when small enough
            "values": None
            if fit is None or fit.S.size > NUMERIC_S_LIMIT
            else [_finite_or_none(v) for v in fit.S.ravel().tolist()],
        },
        "sufficiency": {
            "holds": family_ok,
            "family": details.family,
            "nasym_root": details.family_asymmetry.root,
            "tolerance": details.tolerances["family_root"],
        },
        "numeric": {
            "activation": details.activation,
            "seed": details.seed,
            "points": details.points,
            "kept_last_hidden_units": details.kept_units,
            "tolerances": details.tolerances,
            "random_net": _asym(details.random_asymmetry),
            "family": _asym(details.family_asymmetry),
            "path_functions": None
            if details.path_rank is None
            else {
                "rank": details.path_rank.rank,
                "paths": details.path_rank.paths,
                "total_paths": details.path_rank.total_paths,
                "sampled": details.path_rank.sampled,
                "sv_ratio": details.path_rank.sv_ratio,
                "tolerance": details.path_rank.tolerance,
            },
            "checks": [
                {
                    "name": c.name,
                    "value": c.value,
                    "expected": c.expected,
                    "passed": c.passed,
                    "detail": c.detail,
                }
                for c in details.checks
            ],
        },
    }


def _opt(report: Any, attr: str) -> Any:
    return None if report is None else getattr(report, attr)


def _asym(a: Any) -> dict[str, Any]:
    return {
        "nasym": a.nasym,
        "root": a.root,
        "max_pointwise": a.max_pointwise,
        "degenerate": a.degenerate,
        "points": a.points,
    }


def _symbolic(details: Any) -> dict[str, Any]:
    from ptheorem.symbolic.printing import LexPrinter

    der, sol, suf = details.derivation, details.solution, details.sufficiency
    small = details.network.spec.path_count <= PRINT_PATH_LIMIT
    # One printer for the whole document prints each group's middle transfer once.
    text = LexPrinter().doprint
    groups = [
        {
            "units": list(g.units),
            "paths": g.paths,
            "middle": text(g.middle) if g.paths <= PRINT_PATH_LIMIT else None,
            "equations": [
                {
                    "i": e.i,
                    "j": e.j,
                    "raw": text(e.raw) if g.paths <= PRINT_PATH_LIMIT else None,
                    "reduced": text(e.reduced),
                }
                for e in g.equations
            ],
        }
        for g in der.groups
    ]
    constraints: dict[str, Any] = {
        "count": der.constraint_count,
        "equations": der.equation_count,
        "pairs": [list(p) for p in der.pairs],
        "groups": groups,
    }
    if any(g.per_path is not None for g in der.groups):
        constraints["per_path"] = [
            {
                "path": list(p.path),
                "mirror": list(p.mirror),
                "middle_product": text(p.middle_product),
                "constraint": text(p.raw),
            }
            for g in der.groups
            for p in (g.per_path or ())
        ]
    data: dict[str, Any] = {
        "derivation": {
            "frozen_symbols": len(der.layer_jacobians.frozen),
            "jacobian_entry_1_2": text(der.jacobian_entry)
            if der.jacobian_entry is not None
            else None,
        },
        "constraints": constraints,
        "S": _solution(sol),
        "rank": _rank(sol.rank),
    }
    data["sufficiency"] = (
        None
        if suf is None
        else {
            "holds": suf.holds,
            "family": suf.family,
            "constraints_vanish": suf.constraints_vanish,
            "antisymmetric_zero": suf.antisymmetric,
            "jacobian_method": suf.jacobian_method,
            "potential": text(suf.potential) if small else None,
            "potential_checked": suf.potential_checked,
        }
    )
    return data


def _general(details: Any) -> dict[str, Any]:
    """The general proof, its instantiation and the cross-check; the instance's keys if it ran.

    Without the instance derivation, ``constraints`` counts what the proof
    stands for at these sizes (``derived`` false: not enumerated) and ``S`` is
    the proof's tying, with symbolic indices.
    """
    from ptheorem.general.check import SCOPE

    inst, cross = details.instantiation, details.cross_check
    data: dict[str, Any] = {
        "general": {
            "scope": SCOPE,
            "proof": proof_dict(details.proof),
            "instantiation": {"sizes": dict(inst.sizes), "constraints": inst.constraints},
            "cross_check": None
            if cross is None
            else {
                "ran": cross.ran,
                "agrees": cross.agrees,
                "detail": cross.detail,
            },
        }
    }
    if cross is not None and cross.instance is not None:
        return data | _symbolic(cross.instance)
    depth = details.proof.depth
    tying = {
        1: ("symmetric", "theta0[i, j] = theta0[j, i]"),
        2: ("vector", "theta1[i, m] = S[m]*theta0[m, i]"),
    }.get(depth, ("matrix", f"theta{depth - 1}[i, n] = S[n, m]*theta0[m, i]"))
    return data | {
        "constraints": {"count": inst.constraints, "groups": [], "derived": False},
        "S": {"kind": tying[0], "relation": tying[1]},
        "rank": None,
        "sufficiency": {"holds": True, "family": "from the general proof, every σ"},
    }


def proof_dict(proof: Any) -> dict[str, Any]:
    """A :class:`ptheorem.general.proof.Proof` as plain JSON data (steps, rules, hypotheses)."""
    return {
        "statement": proof.statement,
        "depths": proof.depths,
        "depth": proof.depth,
        "bias": proof.bias,
        "conclusion": proof.conclusion,
        "hypotheses": list(proof.hypotheses),
        "steps": [
            {
                "number": st.number,
                "by": st.by,
                "rule": None if st.rule is None else st.rule.name,
                "claim": st.claim,
                "premises": list(st.premises),
                "hypotheses": list(st.hypotheses),
                "lhs": None if st.lhs is None else expr(st.lhs),
                "rhs": None if st.rhs is None else expr(st.rhs),
                "paper": st.paper,
                "factor": None if st.factor is None else expr(st.factor),
            }
            for st in proof.steps
        ],
        "parts": [proof_dict(p) for p in proof.parts],
    }


def _solution(sol: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": sol.kind}
    S = sol.S
    if S is not None:
        out["shape"] = list(S.shape)
        out["symbols"] = [[expr(S[r, c]) for c in range(S.shape[1])] for r in range(S.shape[0])]
    out["tyings"] = [
        {
            "units": list(t.units),
            "nullity": t.nullity,
            "basis": [[expr(e) for e in b] for b in t.basis],
            "scale": None if t.scale is None else expr(t.scale),
            "tied": t.tied,
            "relation": _relation(t) if t.tied else None,
        }
        for t in sol.tyings
    ]
    if sol.symmetric:
        out["symmetric"] = {expr(k): expr(v) for k, v in sol.symmetric.items()}
    return out


def _rank(rank: Any) -> dict[str, Any] | None:
    if rank is None:
        return None
    return {
        "components": [
            {
                "first": list(c.first),
                "last": list(c.last),
                "S": [[expr(c.S[r, k]) for k in range(c.S.shape[1])] for r in range(c.S.shape[0])],
                "minors_checked": c.minors_checked,
                "minors_vanish": c.minors_vanish,
                "rank_at_most_one": c.rank_at_most_one,
                "failures": list(c.failures),
                "eq8": [
                    {
                        "n": e.n,
                        "m": e.m,
                        "m_prime": e.m_prime,
                        "equations": [expr(x) for x in e.equations],
                        "nullity": e.nullity,
                        "spanned": e.spanned,
                        "solution": {expr(k): expr(v) for k, v in e.solution.items()},
                    }
                    for e in c.eq8
                ],
            }
            for c in rank.components
        ],
        "unlinked": list(rank.unlinked),
        "minors_checked": rank.minors_checked,
        "rank_at_most_one": rank.rank_at_most_one,
    }


def _relation(t: Any) -> str:
    output = ", ".join(map(expr, t.output))
    inputs = ", ".join(map(expr, t.input))
    return f"[{output}] = {expr(t.symbol)}*[{inputs}]"


def certificate_dict(cert: Any) -> dict[str, Any]:
    """A :class:`ptheorem.audit.certificate.Certificate` as plain JSON data."""
    import dataclasses

    return dataclasses.asdict(cert)


def _network(net: Any) -> dict[str, Any]:
    from ptheorem.io.netfile import network_to_json

    return network_to_json(net)


def _hypothesis(details: Any) -> dict[str, Any]:
    """The counterexample search of a σ outside the paper's indexwise step."""
    return {
        "constraints": {"count": None, "groups": [], "derived": False},
        "S": None,
        "sufficiency": None,
        "hypothesis": {
            "activation": details.activation,
            "kind": details.kind,
            "remark1": details.remark1,
            "attempts": [
                {"search": a.search, "draws": a.draws, "outcome": a.outcome}
                for a in details.attempts
            ],
            "found": details.found,
        },
    }


def _finite_or_none(value: float) -> float | None:
    """JSON has no NaN: an undefined S entry (zero input row) becomes null."""
    return value if value == value and abs(value) != float("inf") else None
