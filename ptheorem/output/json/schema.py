"""JSON Schemas (draft 2020-12) of every JSON document a command writes.

Each schema accepts either the command's result document or the
``{"error": {...}}`` document written in JSON mode when the command fails.
The schemas pin the keys consumers rely on (types, enums, required keys) and
allow additional keys, so a new section is not a breaking change; a key that
is removed or changes type is.

``check`` and ``audit`` are written out below; ``verify``, ``snapshot``, ``sweep``,
``search`` and ``soft`` are generated from the pydantic models their documents are
built with (:mod:`ptheorem.output.json.models`), so document and schema cannot drift.

>>> sorted(SCHEMAS)
['audit', 'check', 'search', 'snapshot', 'soft', 'sweep', 'verify']
>>> check_schema()["$schema"]
'https://json-schema.org/draft/2020-12/schema'
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from ptheorem.model.status import Basis, Status

DRAFT = "https://json-schema.org/draft/2020-12/schema"
STATUSES = [s.value for s in Status]
BASES = [b.value for b in Basis]

_INT = {"type": "integer"}
_POS = {"type": "integer", "minimum": 1}
_NAT = {"type": "integer", "minimum": 0}
_STR = {"type": "string"}
_BOOL = {"type": "boolean"}
_NUM = {"type": "number"}
_INTS = {"type": "array", "items": _INT}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _obj(required: dict[str, Any], optional: dict[str, Any] | None = None, **kw: Any) -> Any:
    return {
        "type": "object",
        "required": sorted(required),
        "properties": {**required, **(optional or {})},
        **kw,
    }


ERROR = _obj(
    {
        "error": _obj(
            {
                "type": {**_STR, "description": "Exception class, e.g. InputError."},
                "message": {"type": "string", "minLength": 1},
                "exit_code": {"type": "integer", "enum": [2, 3, 4, 130]},
            }
        )
    },
    additionalProperties=False,
    description="Written instead of the result when the command fails in JSON mode.",
)

_EQUATION = _obj(
    {
        "i": _POS,
        "j": _POS,
        "raw": {**_nullable(_STR), "description": "Before cancelling the middle product."},
        "reduced": {**_STR, "description": "The reduced constraint (= 0), sympy str."},
    }
)
_GROUP = _obj(
    {
        "units": {**_INTS, "description": "(last, first) hidden units; [m] for L=2."},
        "paths": _NAT,
        "middle": _nullable(_STR),
        "equations": {"type": "array", "items": _EQUATION},
    }
)
_CONSTRAINTS = _obj(
    {
        "count": _nullable(_NAT),
        "groups": {"type": "array", "items": _GROUP},
    },
    {
        "equations": _NAT,
        "pairs": {"type": "array", "items": {**_INTS, "minItems": 2, "maxItems": 2}},
        "derived": _BOOL,
        "kind": _STR,
        "per_path": {"type": "array", "items": {"type": "object"}},
    },
)
_TYING = _obj(
    {
        "units": _INTS,
        "nullity": {**_NAT, "description": "Dimension of the group's null space, as computed."},
        "basis": {"type": "array", "items": {"type": "array", "items": _STR}},
        "tied": _BOOL,
        "relation": _nullable(_STR),
    },
    {"scale": _nullable(_STR)},
)
_S = _nullable(
    _obj(
        {"kind": {**_STR, "description": "vector, matrix, symmetric, numeric, …"}},
        {
            "shape": _nullable(_INTS),
            "symbols": {"type": "array", "items": {"type": "array", "items": _STR}},
            "tyings": {"type": "array", "items": _TYING},
            "symmetric": {"type": "object", "additionalProperties": _STR},
            "nullspace_dimension_random_inputs": _nullable(_NAT),
            "nullspace_dimension_parallel_inputs": _nullable(_NAT),
            "fit_residual": _nullable(_NUM),
            "fit_kind": _nullable(_STR),
            "values": _nullable({"type": "array", "items": _nullable(_NUM)}),
        },
    )
)
_VERDICT = _obj(
    {
        "claim": _STR,
        "status": {"enum": STATUSES},
        "input_weights_forced_parallel": _nullable(_BOOL),
        "method": {**_STR, "description": "general, symbolic, numeric, hypothesis, …"},
        "evidence": _STR,
        "summary": _STR,
        "assumptions": {
            "type": "array",
            "items": _STR,
            "description": "Ids of the hypotheses the verdict uses (those that hold).",
        },
        "failing": {"type": "array", "items": _STR, "description": "Hypotheses that fail."},
        "hypotheses": {
            "type": "array",
            "items": _obj(
                {"id": _STR, "holds": _BOOL, "basis": {"enum": BASES}, "detail": _STR},
                {"name": _STR},
            ),
        },
    }
)
_CONFIG = _obj(
    {
        "depth": _POS,
        "dim": _POS,
        "widths": {"type": "array", "items": _POS},
        "bias": _BOOL,
        "activation": _STR,
    },
    {"mask": _nullable(_STR)},
)
_ASSUMPTION = _obj({"id": _STR, "text": _STR}, {"name": _STR, "step": _STR})
_CHANGE = _obj(
    {
        "section": {"enum": ["config", "verdict", "S", "assumptions"]},
        "path": _STR,
        "kind": {"enum": ["added", "removed", "changed"]},
        "expected": {},
        "actual": {},
    }
)
_CONSTRAINT_KEY = _obj({"units": _INTS, "pair": _INTS, "equation": _STR})
EXPECT = _obj(
    {
        "golden": _STR,
        "matches": _BOOL,
        "summary": _STR,
        "added_constraints": {"type": "array", "items": _CONSTRAINT_KEY},
        "removed_constraints": {"type": "array", "items": _CONSTRAINT_KEY},
        "changes": {"type": "array", "items": _CHANGE},
    },
    description="check --expect: the comparison with the golden file.",
)

CHECK_RESULT = _obj(
    {
        "schema_version": _STR,
        "tool": _obj({"name": {"const": "ptheorem"}, "version": _STR}),
        "config": _CONFIG,
        "assumptions": {"type": "array", "items": _ASSUMPTION},
        "verdict": _VERDICT,
        "constraints": _CONSTRAINTS,
        "S": _S,
        "sufficiency": _nullable(_obj({"holds": _BOOL})),
        "timings": {"type": "object", "additionalProperties": _NUM},
        "notes": {"type": "array", "items": _STR},
    },
    {
        "derivation": _obj(
            {},
            {
                "frozen_symbols": _NAT,
                "jacobian_entry_1_2": _nullable(_STR),
            },
        ),
        "rank": _nullable(
            _obj(
                {},
                {
                    "components": {
                        "type": "array",
                        "items": _obj(
                            {
                                "first": _INTS,
                                "last": _INTS,
                                "minors_checked": _NAT,
                                "minors_vanish": _BOOL,
                                "rank_at_most_one": _BOOL,
                                "failures": {"type": "array", "items": _STR},
                                "eq8": {"type": "array", "items": {"type": "object"}},
                            },
                            {"S": {"type": "array", "items": {"type": "array", "items": _STR}}},
                        ),
                    },
                    "unlinked": _INTS,
                    "minors_checked": _NAT,
                    "rank_at_most_one": _BOOL,
                },
            )
        ),
        "numeric": _obj({}, {"seed": _INT, "points": _NAT, "activation": _STR}),
        "hypothesis": {"type": "object"},
        "witness": _nullable({"type": "object"}),
        "corrected_theorem": _STR,
        "expect": EXPECT,
    },
)

_STEP = _obj(
    {
        "number": _POS,
        "by": {**_STR, "description": "sympy, or the rule applied (ranges, A1, A2, tie, …)."},
        "rule": {**_nullable(_STR), "description": "The rule's name; null for sympy."},
        "claim": _STR,
        "premises": {**_INTS, "description": "Earlier step numbers the step uses."},
        "hypotheses": {"type": "array", "items": {"enum": ["A1", "A2", "A3"]}},
        "lhs": _nullable(_STR),
        "rhs": _nullable(_STR),
        "paper": {**_STR, "description": "Where the paper takes the step, e.g. Eq. 6; or ''."},
        "factor": {**_nullable(_STR), "description": "The factor a cancellation divides out."},
    }
)
_PROOF_FIELDS = {
    "statement": _STR,
    "depths": _STR,
    "depth": _nullable(_POS),
    "bias": _BOOL,
    "conclusion": _STR,
    "hypotheses": {"type": "array", "items": {"enum": ["A1", "A2", "A3"]}},
    "steps": {"type": "array", "items": _STEP},
}
_PROOF = _obj(
    {**_PROOF_FIELDS, "parts": {"type": "array", "items": _obj(_PROOF_FIELDS)}},
    description="A proof with symbolic sizes: numbered steps, each sympy's or a named rule's.",
)
GENERAL = _obj(
    {
        "scope": _STR,
        "proof": _PROOF,
        "instantiation": _obj(
            {
                "sizes": {"type": "object", "additionalProperties": _POS},
                "constraints": {**_NAT, "description": "Reduced constraints it stands for."},
            }
        ),
        "cross_check": _nullable(
            _obj(
                {
                    "ran": _BOOL,
                    "agrees": _nullable(_BOOL),
                    "detail": _STR,
                }
            )
        ),
    },
    description="check by the general route: the parametric proof at these sizes.",
)
CHECK_RESULT["properties"]["general"] = GENERAL

_TOOL = _obj({"name": {"const": "ptheorem"}, "version": _STR}, {"command": _STR})
_AUDIT_STATUSES = STATUSES
_CURL_STATUS = {"enum": ["curl-free", "not curl-free", "inconclusive"]}
#: A proof about J − Jᵀ for the stored weights: exact arithmetic, or an interval enclosure.
_AUDIT_CERTIFICATE = _obj(
    {"kind": {"enum": ["exact", "validated"]}, "holds": _BOOL, "method": _STR},
    {
        "detail": _STR,
        "point": _nullable({"type": "array", "items": _NUM}),
        "entry": _nullable({"type": "array", "items": _POS, "minItems": 2, "maxItems": 2}),
        "interval": _nullable({"type": "array", "items": _NUM, "minItems": 2, "maxItems": 2}),
        "ball": _nullable(_STR),
        "precision_bits": _nullable(_POS),
    },
)
AUDIT_RESULT = _obj(
    {
        "schema_version": _STR,
        "network": _obj(
            {
                "depth": _POS,
                "dim": _POS,
                "widths": {"type": "array", "items": _POS},
                "activation": _STR,
            },
            {"activation_kind": _STR, "bias": _BOOL},
        ),
        "curl_free": _obj(
            {
                "value": {
                    **_nullable(_BOOL),
                    "description": "Is the audited ψ a gradient field (null: undecided)?",
                },
                "nasym": _nullable(_NUM),
                "tolerance": {
                    "anyOf": [_NUM, {"type": "object", "additionalProperties": _NUM}],
                    "description": "The thresholds on √NAsym.",
                },
                "evidence": {
                    "enum": ["exact", "validated", "numeric"],
                    "description": "exact: arithmetic on the stored weights; validated: an "
                    "interval enclosure; numeric: the √NAsym bands.",
                },
            },
            {
                "status": _CURL_STATUS,
                "numeric_status": _CURL_STATUS,
                "root": _nullable(_NUM),
                "max_pointwise": _nullable(_NUM),
                "detail": _STR,
                "points": _NAT,
                "seed": _INT,
                "certificate": _nullable(_AUDIT_CERTIFICATE),
                "relocated": _NAT,
                "zero_points": _NAT,
                "nonfinite_points": _NAT,
                "off_units": {
                    "type": "array",
                    "items": _obj({"layer": _POS, "units": {"type": "array", "items": _POS}}),
                },
                "disagreement": _nullable(_STR),
                "attempts": {"type": "array", "items": _STR},
                "estimator": _obj(
                    {
                        "kind": {
                            "enum": ["exact", "probes"],
                            "description": "exact: full Jacobians; probes: matrix-free "
                            "J·v / Jᵀ·v estimate (numeric evidence with an interval).",
                        },
                        "probes_per_point": _NAT,
                        "confidence": _nullable(_NUM),
                        "root_interval": _nullable({"type": "array", "items": _NUM}),
                    },
                    {"description": _STR},
                ),
            },
        ),
        "degenerate": {
            "anyOf": [
                _BOOL,
                _obj({"value": _BOOL}, {"reasons": {"type": "array", "items": _STR}}),
            ]
        },
        "input_weights": _obj(
            {
                "parallel": _nullable(_BOOL),
                "max_angle_deg": _nullable(_NUM),
                "components": {
                    "type": "array",
                    "items": _obj(
                        {},
                        {
                            "first": _INTS,
                            "last": _INTS,
                            "parallel": _BOOL,
                            "max_angle_deg": _nullable(_NUM),
                            "exact_parallel": _BOOL,
                        },
                    ),
                },
            },
            {
                "directions": _NAT,
                "live_units": _INTS,
                "zero_rows": _INTS,
                "exact_parallel": _BOOL,
                "exact_directions": _NAT,
            },
        ),
        "path_functions": _nullable(
            _obj(
                {"rank": _nullable(_NAT), "paths": _NAT, "sampled": _BOOL},
                {
                    "basis": {"enum": ["exact", "validated", "numeric"]},
                    "dependences": {"type": "array", "items": _STR},
                    "dependence_proved": _BOOL,
                    "suspect_paths": _NAT,
                    "duplicate_paths": _NAT,
                    "certificate": _nullable(_STR),
                    "not_validated": _nullable(_STR),
                },
            )
        ),
        "hypotheses": {
            "type": "array",
            "items": _obj(
                {"id": _STR, "holds": _nullable(_BOOL), "detail": _STR},
                {"name": _STR, "paper": _STR, "evidence": {"enum": BASES}},
            ),
        },
        "verdict": _obj(
            {
                "status": {"enum": _AUDIT_STATUSES},
                "explanation": _STR,
                "corrected_theorem_holds": _nullable(_BOOL),
            },
            {
                "claim": _STR,
                "failed_hypotheses": {"type": "array", "items": _STR},
                "corrected_detail": _STR,
                "exit_code": _INT,
            },
        ),
    },
    {
        "tool": _TOOL,
        "timings": {"type": "object", "additionalProperties": _NUM},
        "notes": {"type": "array", "items": _STR},
        "output_pairs": _nullable(
            _obj(
                {},
                {
                    "pairs": _NAT,
                    "max_angle_deg": _NUM,
                    "all_parallel": _BOOL,
                    "worst_pair": _nullable(_INTS),
                    "exact_all_parallel": _BOOL,
                    "exact_bad_pairs": _NAT,
                },
            )
        ),
        "source": {"type": "object"},
        "requirement": _obj(
            {
                "require": {"enum": ["curl-free", "not-curl-free"]},
                "status": {"enum": _AUDIT_STATUSES},
                "exit_code": {"type": "integer", "enum": [0, 1, 3, 5]},
            },
            {"detail": _STR, "accept_evidence": _BOOL},
            description="audit --require: the gate's answer; the process exits with exit_code.",
        ),
    },
)


def _document(name: str, result: dict[str, Any], title: str) -> dict[str, Any]:
    return {
        "$schema": DRAFT,
        "$id": f"urn:ptheorem:schema:{name}",
        "title": title,
        "oneOf": [{"$ref": "#/$defs/result"}, {"$ref": "#/$defs/error"}],
        "$defs": {
            # A result never carries "error", so exactly one branch of oneOf matches.
            "result": {**copy.deepcopy(result), "not": {"required": ["error"]}},
            "error": copy.deepcopy(ERROR),
        },
    }


def check_schema() -> dict[str, Any]:
    """The schema of ``ptheorem check --format json``."""
    return _document("check", CHECK_RESULT, "ptheorem check --format json")


def audit_schema() -> dict[str, Any]:
    """The schema of ``ptheorem audit --format json``."""
    return _document("audit", AUDIT_RESULT, "ptheorem audit --format json")


def model_schema(name: str) -> dict[str, Any]:
    """The schema of a document built from a pydantic model (``verify``, ``sweep``, …)."""
    from ptheorem.output.json.models import MODELS

    result = MODELS[name].schema_dict()
    defs = result.pop("$defs", {})
    doc = _document(name, result, str(result["title"]))
    doc["$defs"].update(copy.deepcopy(defs))  # the models' own parts, referenced by name
    return doc


def _model(name: str) -> Callable[[], dict[str, Any]]:
    def make() -> dict[str, Any]:
        return model_schema(name)

    make.__doc__ = f"The schema of ``ptheorem {name} --format json``."
    return make


SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    "check": check_schema,
    "audit": audit_schema,
    **{name: _model(name) for name in ("verify", "snapshot", "sweep", "search", "soft")},
}
