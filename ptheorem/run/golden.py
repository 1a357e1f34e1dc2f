"""Golden derivations: store a ``check`` document and compare a new run against it.

A golden file is the ``check --format json`` document without the keys that
change from run to run or release to release (:data:`VOLATILE_KEYS`: timings,
the tool's version, notes).  :func:`compare` reports what differs as a frozen
:class:`GoldenDiff`:

* constraints added or removed, each identified by its (last, first) hidden
  units, its output pair (i, j) and the canonical sympy string of its reduced
  equation (expanded, sign fixed, since ``e = 0`` and ``-e = 0`` are the same
  constraint);
* field changes in the configuration, the verdict, S and the assumptions (by
  id).  Strings that parse as the same sympy expression are equal, so a change
  in sympy's printer alone is not a difference; numbers compare with
  :data:`REL_TOL` / :data:`ABS_TOL`; a missing key equals ``null``.

Other sections (rank, sufficiency, numeric figures, …) follow from these and
are not compared, so a new output key in a later release does not break a
golden set.

Expression strings are parsed without ``eval`` of arbitrary names: every
identifier becomes a ``Symbol`` and only arithmetic characters are accepted.
A golden file can come from an untrusted pull request, so what is parsed is
bounded before sympy sees it (length, nesting, integer exponents only and at most
:data:`~ptheorem.tolerances.MAX_EXPONENT`, and an upper bound on the terms the
expression expands to, counted on its tree); :func:`load_golden` refuses a file
over those bounds, and :func:`compare_within` runs the comparison under a time
budget all the same.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ptheorem.io.files import read_text, show_path
from ptheorem.model.errors import InputError
from ptheorem.model.spec import GENERIC_ACTIVATION, NetworkSpec
from ptheorem.tolerances import (
    ABS_TOL,
    MAX_EXPANDED_TERMS,
    MAX_EXPONENT,
    MAX_EXPRESSION_CHARS,
    MAX_EXPRESSION_NESTING,
    MAX_GOLDEN_BYTES,
    REL_TOL,
)

#: Keys of the check document that a golden file leaves out.
VOLATILE_KEYS = ("timings", "tool", "notes", "expect", "recipe")
#: The cross-check detail of ``--method general`` (no instance derivation ran).
GENERAL_ONLY = "not run (--method general)"
#: The sections compared besides the constraints.
SECTIONS = ("config", "verdict", "S", "assumptions")


@dataclass(frozen=True)
class Constraint:
    """One reduced constraint ``equation = 0`` of the output pair ``(i, j)``."""

    units: tuple[int, ...]
    pair: tuple[int, int]
    equation: str

    def label(self) -> str:
        """E.g. ``units (1, 2), (i, j) = (1, 2): theta0_1_1*theta2_2_1 - … = 0``."""
        units = ", ".join(map(str, self.units))
        return f"units ({units}), (i, j) = ({self.pair[0]}, {self.pair[1]}): {self.equation} = 0"


@dataclass(frozen=True)
class FieldChange:
    """A value at ``path`` (e.g. ``verdict.status``) that was added, removed or changed.

    ``expected`` is the golden value and ``actual`` the new one; the side that
    does not exist is ``None`` (``kind`` says which).
    """

    section: str
    path: str
    kind: str
    expected: Any
    actual: Any


@dataclass(frozen=True)
class GoldenDiff:
    """What differs between a golden document and a new one; empty when they match."""

    added: tuple[Constraint, ...] = ()
    removed: tuple[Constraint, ...] = ()
    changes: tuple[FieldChange, ...] = ()

    @property
    def matches(self) -> bool:
        """True when nothing differs."""
        return not (self.added or self.removed or self.changes)

    def section(self, name: str) -> tuple[FieldChange, ...]:
        """The field changes of one section: ``config``, ``verdict``, ``S``, ``assumptions``."""
        return tuple(c for c in self.changes if c.section == name)

    def summary(self) -> str:
        """One line, e.g. ``+1 −2 constraints, verdict changed, S changed``."""
        if self.matches:
            return "matches"
        parts = []
        if self.added or self.removed:
            parts.append(f"+{len(self.added)} −{len(self.removed)} constraints")
        for name in SECTIONS:
            if self.section(name):
                parts.append(f"{name} changed")
        return ", ".join(parts)


# --------------------------------------------------------------------------- documents


def canonical_document(doc: dict[str, Any]) -> dict[str, Any]:
    """The document a golden file stores: ``doc`` without :data:`VOLATILE_KEYS`."""
    return {k: v for k, v in doc.items() if k not in VOLATILE_KEYS}


def load_golden(path: Path | str) -> dict[str, Any]:
    """Read a golden file; raise a one-line :class:`InputError` if it is missing, corrupt,
    not a check document, or holds an expression over the parser's bounds."""
    path = Path(path)
    where = f"golden file {show_path(path)}"
    if not os.path.lexists(path):
        raise InputError(f"{where} does not exist")
    if path.is_dir():
        raise InputError(f"{where} is a directory")
    text = read_text(path, "golden file", MAX_GOLDEN_BYTES)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{where} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise InputError(f"{where} is not a ptheorem check document (nested too deeply)") from None
    except ValueError as exc:  # e.g. an integer with too many digits
        raise InputError(f"{where} is not valid JSON ({exc})") from None
    problem = _shape_problem(data) or _expression_problem(data)
    if problem:
        raise InputError(f"{where} is not a ptheorem check document ({problem})")
    return data  # type: ignore[no-any-return]


def _shape_problem(data: Any) -> str | None:
    if not isinstance(data, dict):
        return f"a JSON {type(data).__name__}, not an object"
    if "error" in data:
        return "it records an error, not a derivation"
    for key in ("config", "verdict", "constraints", "S", "assumptions"):
        if key not in data:
            return f"no {key!r} key"
    config = data["config"]
    if not isinstance(config, dict):
        return "'config' is not an object"
    for key in ("depth", "dim", "widths"):
        if key not in config:
            return f"no 'config.{key}' key"
    if not isinstance(data["verdict"], dict) or "method" not in data["verdict"]:
        return "no 'verdict.method' key"
    constraints = data["constraints"]
    if constraints is None:
        return None
    if not isinstance(constraints, dict):
        return "'constraints' is not an object"
    groups = constraints.get("groups", [])
    if groups is None:
        return None
    if not isinstance(groups, list) or not all(isinstance(g, dict) for g in groups):
        return "'constraints.groups' is not a list of objects"
    for k, g in enumerate(groups):
        equations = g.get("equations", [])
        if not isinstance(equations, list) or not all(isinstance(e, dict) for e in equations):
            return f"'constraints.groups[{k}].equations' is not a list of objects"
        if not isinstance(g.get("units", []), list):
            return f"'constraints.groups[{k}].units' is not a list"
    return None


def _expression_problem(data: dict[str, Any]) -> str | None:
    """The first string the comparison would parse that is over the parser's bounds."""
    for path, text in _parsed_strings(data):
        problem = expression_problem(text)
        if problem:
            return f"{path}: {problem}"
    return None


def _parsed_strings(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(where, text) of every string :func:`compare` may parse as an expression."""
    out: list[tuple[str, str]] = []
    for k, (_, _, eq) in enumerate(constraints_of(data)):
        out.append((f"constraint {k + 1}", eq))
    stack: list[tuple[str, Any]] = [(name, data.get(name)) for name in SECTIONS]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            out.append((where, value))
        elif isinstance(value, dict):
            stack.extend((f"{where}.{k}", v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((f"{where}[{k}]", v) for k, v in enumerate(value))
    return out


def spec_of(doc: dict[str, Any]) -> NetworkSpec:
    """The network a (golden) check document describes."""
    c = doc["config"]
    try:
        return NetworkSpec(
            int(c["depth"]),
            int(c["dim"]),
            tuple(int(w) for w in c["widths"]),
            bool(c.get("bias", False)),
            str(c.get("activation", GENERIC_ACTIVATION)),
        )
    except (TypeError, ValueError) as exc:
        raise InputError(f"bad config in golden document: {exc}") from None


#: The route a check document records (see :func:`route_of`), and the ``--method``
#: that takes exactly that route again.
ROUTE_METHODS = {
    # the general proof, cross-checked by the instance derivation (auto, in budget)
    "general+instance": "auto",
    # the general proof alone (--method general, or auto when the cross-check did not fit)
    "general": "general",
    # the instance derivation at the sizes (--method instance/symbolic, or auto with a mask)
    "instance": "instance",
    # numeric evidence only
    "numeric": "numeric",
    # a named σ outside the paper's hypothesis: the staged counterexample search
    "hypothesis": "auto",
}


def route_of(doc: dict[str, Any]) -> str:
    """The route a check document records, one of :data:`ROUTE_METHODS`.

    >>> route_of({"verdict": {"method": "symbolic"}})
    'instance'
    >>> route_of({"verdict": {"method": "general"}, "general": {"cross_check": {"ran": True}}})
    'general+instance'
    >>> route_of({"verdict": {"method": "general"}, "general": {"cross_check": {"ran": False}}})
    'general'
    """
    method = str(doc["verdict"]["method"])
    if method == "symbolic":
        return "instance"
    if method == "general":
        general = doc.get("general")
        cross = general.get("cross_check") if isinstance(general, dict) else None
        ran = isinstance(cross, dict) and cross.get("ran") is True
        return "general+instance" if ran else "general"
    if method in ROUTE_METHODS:
        return method
    raise InputError(f"golden document records an unknown method {method!r}")


def recipe_for(doc: dict[str, Any], seed: int) -> dict[str, Any]:
    """The ``recipe`` a golden file stores: the route ``doc`` took, the ``--method`` that
    takes it again, and the seed (``snapshot`` writes it; ``verify`` reads it back).

    >>> recipe_for({"verdict": {"method": "numeric"}}, 3)
    {'route': 'numeric', 'method': 'numeric', 'seed': 3}
    """
    route = route_of(doc)
    return {"route": route, "method": ROUTE_METHODS[route], "seed": seed}


def recipe_of(doc: dict[str, Any]) -> dict[str, Any]:
    """How to re-derive a golden document: ``route``, ``method``, ``mask`` and ``seed``.

    The route is the one the file stores (``recipe.route``); a file written before
    routes were stored (by an older ``snapshot``, or ``check --format json``) gets
    the route its document records (:func:`route_of`).  The number of sample points
    is left automatic, as ``snapshot`` leaves it (an explicit ``--points`` equal to
    the automatic count draws differently).
    """
    stored = doc.get("recipe")
    stored = stored if isinstance(stored, dict) else {}
    route = stored.get("route")
    if route is None:
        route = route_of(doc)
    elif route not in ROUTE_METHODS:
        raise InputError(
            f"golden document records an unknown route {route!r} "
            f"(one of {', '.join(ROUTE_METHODS)})"
        )
    recipe: dict[str, Any] = {"route": route, "method": ROUTE_METHODS[route]}
    numeric = doc.get("numeric")
    if route == "numeric" and isinstance(numeric, dict):
        recipe["seed"] = int(numeric.get("seed", 0))
    if isinstance(stored.get("seed"), int):
        recipe["seed"] = stored["seed"]
    mask = doc["config"].get("mask")
    if mask is not None:
        recipe["mask"] = str(mask)
    return recipe


def route_problem(recipe: dict[str, Any], actual: dict[str, Any]) -> str | None:
    """Why a re-derivation did not take the golden file's route (e.g. the instance
    cross-check did not fit the budget), or None.  The answer is then inconclusive,
    not a difference: a route that was not run says nothing about the derivation.
    """
    want, got = recipe["route"], route_of(actual)
    if want == got:
        return None
    why = f"this run took the {got} route"
    general = actual.get("general")
    cross = general.get("cross_check") if isinstance(general, dict) else None
    if want == "general+instance" and isinstance(cross, dict) and cross.get("detail"):
        why = f"the instance cross-check {cross['detail']}"
    return f"the golden file's {want} route was not re-run: {why}"


def file_stem(spec: NetworkSpec) -> str:
    """A file name for one configuration, e.g. ``L3_d2_w2-2_nobias``.

    >>> file_stem(NetworkSpec(3, 2, (2, 2)))
    'L3_d2_w2-2_nobias'
    >>> file_stem(NetworkSpec(2, 4, (3,), bias=True, activation="swish:1.5"))
    'L2_d4_w3_bias_swish-1.5'
    >>> file_stem(NetworkSpec(1, 2, ()))
    'L1_d2_w0_nobias'
    """
    widths = "-".join(map(str, spec.widths)) or "0"
    stem = f"L{spec.depth}_d{spec.dim}_w{widths}_{'bias' if spec.bias else 'nobias'}"
    if spec.activation != GENERIC_ACTIVATION:
        stem += "_" + re.sub(r"[^A-Za-z0-9.]+", "-", spec.activation).strip("-")
    return stem


# --------------------------------------------------------------------------- comparison


def compare(expected: dict[str, Any], actual: dict[str, Any]) -> GoldenDiff:
    """Diff a golden document (``expected``) against a new check document (``actual``)."""
    exp, act = canonical_document(expected), canonical_document(actual)
    added, removed = _constraint_diff(exp, act)
    changes: list[FieldChange] = []
    for name in SECTIONS:
        a, b = exp.get(name), act.get(name)
        if name == "assumptions":
            a, b = _by_id(a), _by_id(b)
        _diff_values(name, name, a, b, changes)
    return GoldenDiff(tuple(added), tuple(removed), tuple(changes))


def compare_within(expected: dict[str, Any], actual: dict[str, Any], seconds: float) -> GoldenDiff:
    """:func:`compare`, under a time budget of ``seconds`` (a killable child process).

    Documents whose compared parts are equal as JSON need no sympy and no child.
    """
    exp, act = canonical_document(expected), canonical_document(actual)
    if all(exp.get(k) == act.get(k) for k in (*SECTIONS, "constraints")):
        return GoldenDiff()
    from ptheorem.budget import run_with_budget

    return run_with_budget(compare, (expected, actual), seconds, "comparison")  # type: ignore[no-any-return]


def constraints_of(doc: dict[str, Any]) -> list[tuple[tuple[int, ...], tuple[int, int], str]]:
    """The (units, pair, reduced equation string) of every constraint in ``doc``."""
    out = []
    constraints = doc.get("constraints")
    groups = constraints.get("groups", []) if isinstance(constraints, dict) else []
    for g in groups or []:
        units = tuple(map(_atom, g.get("units", ())))
        for e in g.get("equations", []):
            out.append((units, (_atom(e.get("i")), _atom(e.get("j"))), str(e.get("reduced"))))
    return out


def _atom(v: Any) -> Any:
    """A unit index as written (an int), or its text if a hand-edited file has anything else."""
    return v if isinstance(v, int) else json.dumps(v)


def _constraint_diff(
    exp: dict[str, Any], act: dict[str, Any]
) -> tuple[list[Constraint], list[Constraint]]:
    # Equal strings are equal constraints: canonicalise only what differs.
    a, b = Counter(constraints_of(exp)), Counter(constraints_of(act))
    only_a, only_b = a - b, b - a

    def canon(c: Counter[Any]) -> Counter[Constraint]:
        return Counter(
            Constraint(units, pair, canonical_equation(eq)) for (units, pair, eq) in c.elements()
        )

    ca, cb = canon(only_a), canon(only_b)
    key = Constraint.label
    return sorted((cb - ca).elements(), key=key), sorted((ca - cb).elements(), key=key)


def _by_id(items: Any) -> Any:
    if not isinstance(items, list) or not all(isinstance(x, dict) and "id" in x for x in items):
        return items
    return {str(x["id"]): {k: v for k, v in x.items() if k != "id"} for x in items}


def _diff_values(section: str, path: str, a: Any, b: Any, out: list[FieldChange]) -> None:
    # A missing key and null are the same (a new optional key is not a change).
    if a is None or b is None:
        if a is not b:
            kind = "added" if a is None else "removed"
            out.append(FieldChange(section, path, kind, a, b))
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            _diff_values(section, f"{path}.{k}", a.get(k), b.get(k), out)
        return
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for k, (x, y) in enumerate(zip(a, b, strict=True)):
            _diff_values(section, f"{path}[{k}]", x, y, out)
        return
    if not same_value(a, b):
        out.append(FieldChange(section, path, "changed", a, b))


def same_value(a: Any, b: Any) -> bool:
    """Equality of JSON leaves: numbers within tolerance, strings as sympy expressions.

    >>> same_value(1.0, 1.0 + 1e-12), same_value("b + a", "a + b"), same_value("a", "b")
    (True, True, False)
    """
    if a == b and type(a) is type(b):
        return True
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    if isinstance(a, str) and isinstance(b, str):
        ea, eb = parse_expression(a), parse_expression(b)
        if ea is None or eb is None:
            return False
        from sympy import expand

        return bool(expand(ea - eb) == 0)
    return False


# --------------------------------------------------------------------------- expressions

_ALLOWED = re.compile(r"[A-Za-z0-9_+\-*/(). ]+")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: What may follow ``**``: an integer literal, possibly signed and in parentheses.
_EXPONENT = re.compile(r"\s*(\(\s*[-+]?\s*[0-9]+\s*\)|[-+]?\s*[0-9]+)(?!\s*(?:[0-9.(]|\*\*))")


def expression_problem(text: str) -> str | None:
    """Why ``text`` is too big to parse and expand safely, or None (also for text that is
    not an expression at all, which is compared as text).

    >>> expression_problem("theta0_1_1**2*S_1 - 1") is None
    True
    >>> expression_problem("(a+b)**99999")
    'exponent 99999 exceeds 64'
    """
    if not _ALLOWED.fullmatch(text) or "__" in text:
        return None
    if len(text) > MAX_EXPRESSION_CHARS:
        return f"expression of {len(text)} characters exceeds {MAX_EXPRESSION_CHARS}"
    depth = deepest = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        deepest = max(deepest, depth)
    if deepest > MAX_EXPRESSION_NESTING:
        return f"parentheses nested {deepest} deep exceed {MAX_EXPRESSION_NESTING}"
    start = 0
    while (i := text.find("**", start)) >= 0:
        m = _EXPONENT.match(text, i + 2)
        if m is None:
            return "an exponent that is not a plain integer"
        value = int(m.group(1).strip("() +-").replace(" ", ""))
        if value > MAX_EXPONENT:
            return f"exponent {value} exceeds {MAX_EXPONENT}"
        start = m.end()
    return None


def expanded_terms(expr: Any) -> int:
    """An upper bound on the terms of ``expand(expr)``, from its tree, without expanding.

    >>> from sympy import symbols
    >>> a, b = symbols("a b")
    >>> expanded_terms((a + b) ** 3 * (a - b))
    16
    """
    from sympy import Add, Mul, Pow

    def bound(e: Any) -> int:
        if isinstance(e, Add):
            return min(sum(bound(a) for a in e.args), MAX_EXPANDED_TERMS + 1)
        if isinstance(e, Mul):
            total = 1
            for a in e.args:
                total = min(total * bound(a), MAX_EXPANDED_TERMS + 1)
            return total
        if isinstance(e, Pow) and e.exp.is_Integer and int(e.exp) > 1:
            return min(bound(e.base) ** min(int(e.exp), 64), MAX_EXPANDED_TERMS + 1)
        if isinstance(e, Pow):
            return bound(e.base)
        return 1

    return bound(expr)


@lru_cache(maxsize=4096)
def parse_expression(text: str) -> Any:
    """Parse a sympy ``str`` of a rational expression, or return ``None``.

    Every identifier becomes a ``Symbol``; nothing else is looked up, so no
    function of the file's choosing can be called.

    >>> parse_expression("theta0_1_2*S_1 - 2")
    S_1*theta0_1_2 - 2
    >>> parse_expression("__import__('os')") is None
    True
    """
    if not _ALLOWED.fullmatch(text) or "__" in text or expression_problem(text):
        return None
    from sympy import Float, Integer, Rational, Symbol
    from sympy.parsing.sympy_parser import auto_number, parse_expr

    names = {name: Symbol(name) for name in _IDENT.findall(text)}
    env = {"Integer": Integer, "Float": Float, "Rational": Rational, "__builtins__": {}}
    try:
        expr = parse_expr(
            text, local_dict=names, global_dict=env, transformations=(auto_number,), evaluate=True
        )
    except Exception:  # noqa: BLE001 - anything unparsable is compared as text
        return None
    if expanded_terms(expr) > MAX_EXPANDED_TERMS:
        return None  # too large to expand: compared as text
    return expr


def canonical_equation(text: str) -> str:
    """The canonical string of a constraint ``text = 0``: expanded, sign fixed.

    >>> canonical_equation("-theta0_1_1*theta1_2_1 + theta0_1_2*theta1_1_1")
    'theta0_1_1*theta1_2_1 - theta0_1_2*theta1_1_1'
    >>> canonical_equation("theta0_1_2*theta1_1_1 - theta0_1_1*theta1_2_1")
    'theta0_1_1*theta1_2_1 - theta0_1_2*theta1_1_1'
    """
    e = parse_expression(text)
    if e is None:
        return " ".join(text.split())
    from sympy import expand

    e = expand(e)
    if e.could_extract_minus_sign():
        e = -e
    from ptheorem.symbolic.printing import lex_str

    return lex_str(e)
