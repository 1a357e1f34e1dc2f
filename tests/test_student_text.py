"""Human text shows words, not the tool's internal names, and one printer for every expression."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sympy as sp
from typer.testing import CliRunner

from ptheorem.cli import app
from ptheorem.counterexamples.library import WITNESSES
from ptheorem.io.netfile import save_network
from ptheorem.model.words import hypothesis_words, kind_words, plural
from ptheorem.output.text.notation import paper_str

ENV = {"COLUMNS": "100", "NO_COLOR": "1", "FORCE_COLOR": None, "PTHEOREM_DEBUG": None}

#: Internal names that must never reach a student (the issue's list, and their kin).
LEAKS = (
    "path-functions-independent",
    "middle-weights-nonzero",
    "input-rows-nonzero",
    "sigma-prime-infinitely-many-values",
    "psi-non-trivial",
    "ptheorem.audit.run_audit",
    "ptheorem.counterexamples",
    "piecewise_linear",
    "last_first",
    "widths (3,)",
    "Integral(",
    "∫0^",
    "cross_check",
    "path_functions",
)
#: Plural stand-ins such as ``layer(s)``, ``search(es)``.
PLURAL_STANDIN = re.compile(r"\w\((s|es)\)")
#: A parameter symbol of the potential printed without its subscript (u1, a1, c1).
RAW_SYMBOL = re.compile(r"\b[uac]\d\b")

COMMANDS = {
    "check-L3": ["check", "-L", "3", "-d", "2", "--method", "symbolic"],
    "check-L2-w3": ["check", "-L", "2", "-d", "3", "--widths", "3"],
    "check-numeric": ["check", "-L", "3", "-d", "2", "--method", "numeric"],
    "check-relu": ["check", "-L", "2", "-d", "2", "--activation", "relu"],
    "explain-L3": ["explain", "-L", "3", "-d", "2"],
    "explain-L2-w3": ["explain", "-L", "2", "-d", "3", "--widths", "3"],
    "explain-general": ["explain", "--general", "-L", "3"],
    "demo": ["demo"],
    "search": ["search", "-L", "3", "-d", "2", "--widths", "3,1", "--activation", "square"],
}
#: Commands whose every sentence is ours: no plural stand-in at all.
TEACHING = {"explain-L3", "explain-L2-w3", "explain-general", "demo"}


def _run(args: list[str]) -> str:
    result = CliRunner().invoke(
        app, [*args, *(["--no-progress"] if args[0] == "search" else [])], env=ENV
    )
    assert result.exit_code in (0, 1, 3, 5), (result.exit_code, result.stderr)
    return result.stdout


def leaks(text: str, teaching: bool) -> list[str]:
    """The internal names (and, for teaching text, plural stand-ins) found in ``text``."""
    found = [name for name in LEAKS if name in text]
    found += sorted(set(RAW_SYMBOL.findall(text)))
    if teaching:
        found += sorted({m[0] for m in PLURAL_STANDIN.finditer(text)})
    return found


def test_the_leak_check_sees_each_leak() -> None:
    assert leaks("A1 path-functions-independent, at widths (3,)", False) == [
        "path-functions-independent",
        "widths (3,)",
    ]
    assert leaks("φ = Integral(c1·σ(τ·a1), (τ, 0, u1·x1))", False) == [
        "Integral(",
        "a1",
        "c1",
        "u1",
    ]
    assert leaks("L = 2 weight layer(s), 1 search(es)", True) == ["h(es)", "r(s)"]
    assert leaks("L = 2 weight layer(s)", False) == []


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_human_output_has_no_internal_names(name: str) -> None:
    assert leaks(_run(COMMANDS[name]), name in TEACHING) == []


def test_audit_output_has_no_internal_names(tmp_path: Path) -> None:
    for key in ("linear-L3", "zero-output", "block-diagonal"):
        path = save_network(WITNESSES[key].build(), tmp_path / f"{key}.json")
        assert leaks(_run(["audit", str(path)]), teaching=False) == [], key


def test_the_potential_prints_the_same_in_check_and_explain() -> None:
    check = _run(COMMANDS["check-L3"])
    explain = _run(COMMANDS["explain-L3"])
    line = re.compile(r"φ\(x\) = (∫₀\^\(u₁·x₁ \+ u₂·x₂\) \(c₁·σ\(θ⁽¹⁾₁₁·σ\(τ·a₁\))")
    assert line.search(check) and line.search(explain)


def test_one_printer_for_symbols_integrals_and_powers() -> None:
    u1, x1, a1, t = sp.symbols("u1 x1 a1 tau")
    sigma = sp.Function("sigma")
    phi = sp.Integral(sigma(t * a1) ** 2, (t, 0, u1 * x1))
    assert paper_str(phi) == "∫₀^(u₁·x₁) σ(a₁·τ)² dτ"
    assert paper_str(sp.Symbol("theta0_1_2") * sp.Symbol("dsigma2_1")) == "σ′₂₁·θ⁽⁰⁾₁₂"


def test_words_for_names_and_plurals() -> None:
    assert hypothesis_words("psi-non-trivial") == "non-trivial ψ"
    assert kind_words("piecewise_linear") == "piecewise linear"
    assert [plural(n, "minor") for n in (0, 1, 2)] == ["0 minors", "1 minor", "2 minors"]
