"""Every σ′ identity an activation declares is proved by sympy; every other one is refuted.

The audit's exact dependence scan and its exact curl-free proof trust these
declarations, so each is a theorem here: sympy simplifies the identity to 0 on
t > 0 and on t < 0 (with c > 0 and β > 0 symbolic), which covers t ≠ 0 — where
ReLU's σ′ is defined — and, by continuity, every t for the smooth σ.  An
identity an activation does *not* declare must fail at some sample point, so a
missing declaration is caught as well as a false one.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from ptheorem.activations import ACTIVATIONS, Activation, Identity, get_activation

T = sp.Symbol("t", positive=True)
C = sp.Symbol("c", positive=True)

SPECS = [*sorted(ACTIVATIONS), "swish:0.5", "swish:3.25"]


def _derivative(act: Activation) -> sp.Lambda:
    u = sp.Symbol("u", real=True)
    form = act.sympy(u)
    if act.name == "swish":  # β symbolic and positive: the identity holds for every β
        beta = sp.Symbol("beta", positive=True)
        form = u / (1 + sp.exp(-beta * u))
    return sp.Lambda(u, sp.diff(form, u))


def _identity(kind: Identity, d: sp.Lambda, t: sp.Expr) -> sp.Expr:
    return {
        Identity.EVEN: d(-t) - d(t),
        Identity.ODD: d(-t) + d(t),
        Identity.COMPLEMENT: d(t) + d(-t) - 1,
        Identity.POSITIVE_SCALING: d(C * t) - d(t),
        Identity.CONSTANT: d(t) - 1,
    }[kind]


def _numeric_gap(kind: Identity, act: Activation) -> float:
    t = np.linspace(-3.0, 3.0, 61)
    t = t[t != 0.0]
    df = act.df
    gap = {
        Identity.EVEN: df(-t) - df(t),
        Identity.ODD: df(-t) + df(t),
        Identity.COMPLEMENT: df(t) + df(-t) - 1.0,
        Identity.POSITIVE_SCALING: df(2.5 * t) - df(t),
        Identity.CONSTANT: df(t) - 1.0,
    }[kind]
    return float(np.max(np.abs(gap)))


@pytest.mark.parametrize("spec", SPECS)
@pytest.mark.parametrize("kind", list(Identity))
def test_declared_identities_are_theorems_and_the_others_fail(spec: str, kind: Identity) -> None:
    act = get_activation(spec)
    if kind in act.identities:
        d = _derivative(act)
        for t in (T, -T):
            assert sp.simplify(_identity(kind, d, t)) == 0, (spec, kind, t)
        assert _numeric_gap(kind, act) <= 1e-12
    else:
        assert _numeric_gap(kind, act) > 1e-3, (spec, kind)


def test_identity_formulas_read_as_math() -> None:
    assert Identity.COMPLEMENT.formula == "σ′(t) + σ′(−t) = 1"
    assert {i.formula for i in Identity} == {
        "σ′(−t) = σ′(t)",
        "σ′(−t) = −σ′(t)",
        "σ′(t) + σ′(−t) = 1",
        "σ′(c·t) = σ′(t) for c > 0",
        "σ′ ≡ 1",
    }
