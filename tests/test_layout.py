"""The package layout is the architecture: imports flow one way, and nothing forms a cycle.

Layers, lowest first (a module may import its own layer or lower ones only):

0. ``model``, ``tolerances``, ``activations``, ``budget`` — data, thresholds, σ, a budget;
1. ``symbolic``, ``general``, ``numeric``, ``validated`` — the math;
2. ``io`` — files, network files, masks;
3. ``audit``, ``counterexamples`` — the analyses (counterexamples may use audit, not back);
4. ``explain`` — the view model of results;
5. ``run`` — method choice, sweeps, golden comparison, teaching runs;
6. ``output`` — JSON documents and rich text;
7. ``cli`` — the command line.

Every import is counted, including those inside functions and ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "ptheorem"
LAYERS = (
    ("model", "tolerances", "activations", "budget"),
    ("symbolic", "general", "numeric", "validated"),
    ("io",),
    ("audit", "counterexamples"),
    ("explain",),
    ("run",),
    ("output",),
    ("cli", "__main__", "__init__"),
)
RANK = {name: k for k, names in enumerate(LAYERS) for name in names}
#: Within a layer, these edges are allowed one way only.
ONE_WAY = {("counterexamples", "audit")}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(path: Path) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ptheorem"):
            if node.module != "ptheorem":  # "from ptheorem import tolerances": the module only
                found.append((node.module, node.lineno))
            for alias in node.names:  # "from ptheorem.io import files" imports a module too
                found.append((f"{node.module}.{alias.name}", node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names if a.name.startswith("ptheorem")]
    return found


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


MODULES = _modules()


def test_every_top_level_name_has_a_layer() -> None:
    tops = {_top(m) for m in MODULES}
    assert tops <= set(RANK), sorted(tops - set(RANK))


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_never_go_up_a_layer(module: str) -> None:
    src = _top(module)
    bad = []
    for target, line in _imports(MODULES[module]):
        if target not in MODULES:
            continue  # a name imported from a module, not a module
        dst = _top(target)
        upward = RANK[dst] > RANK[src]
        backward = (dst, src) in ONE_WAY
        if upward or backward:
            bad.append(f"line {line}: {module} → {target}")
    assert not bad, "\n".join(bad)


def test_no_cycle_between_packages() -> None:
    """The graph of top-level packages (and top-level modules) has no cycle."""
    edges: dict[str, set[str]] = defaultdict(set)
    for module, path in MODULES.items():
        for target, _ in _imports(path):
            if target in MODULES and _top(target) != _top(module):
                edges[_top(module)].add(_top(target))
    seen: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        seen[node] = 1
        for nxt in sorted(edges[node]):
            if seen.get(nxt) == 1:
                raise AssertionError("cycle: " + " → ".join([*trail, node, nxt]))
            if nxt not in seen:
                visit(nxt, [*trail, node])
        seen[node] = 2

    for node in sorted(edges):
        if node not in seen:
            visit(node, [])


def test_every_module_says_what_lives_there() -> None:
    missing = [m for m, p in MODULES.items() if not ast.get_docstring(ast.parse(p.read_text()))]
    assert not missing, missing


def test_the_core_never_imports_the_presentation_stack() -> None:
    """rich and typer only in output/text and cli (ruff bans rich elsewhere too)."""
    bad = []
    for module, path in MODULES.items():
        if _top(module) in ("output", "cli", "__main__", "__init__"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            bad += [f"{module}: {n}" for n in names if n.split(".")[0] in ("rich", "typer")]
    assert not bad, bad
