"""``--grid`` parsing: ranges, '|' alternatives, defaults and one-line errors."""

from __future__ import annotations

import pytest

from ptheorem.model.errors import InputError
from ptheorem.model.spec import NetworkSpec
from ptheorem.run.grid import MAX_CONFIGS, parse_grid


def test_ranges_product_and_default_widths() -> None:
    specs = parse_grid("depth=1..4,dim=1..4").specs()
    assert len(specs) == 16
    assert specs[0] == NetworkSpec(1, 1, ())
    assert NetworkSpec(3, 2, (2, 2)) in specs  # widths default to the dimension
    assert specs[-1] == NetworkSpec(4, 4, (4, 4, 4))


def test_widths_axis_and_depth_one_appears_once() -> None:
    specs = parse_grid("depth=1..2,dim=2,widths=2..4").specs()
    assert specs == (
        NetworkSpec(1, 2, ()),
        NetworkSpec(2, 2, (2,)),
        NetworkSpec(2, 2, (3,)),
        NetworkSpec(2, 2, (4,)),
    )


def test_alternatives_mixed_with_ranges_semicolons_and_aliases() -> None:
    grid = parse_grid(" L = 3 ; d=2|5..6|2 ; w=3 ; bias=no|yes ")
    assert grid.depth == (3,)
    assert grid.dim == (2, 5, 6)  # duplicates dropped, order kept
    assert grid.bias == (False, True)
    assert len(grid.specs()) == 6
    assert {s.bias for s in grid.specs()} == {False, True}


def test_activation_axis_canonicalised() -> None:
    grid = parse_grid("depth=3,dim=2,activation=generic|TANH|swish:1.50")
    assert grid.activation == ("generic", "tanh", "swish:1.5")


def test_the_documented_example() -> None:
    assert len(parse_grid("depth=2..6,dim=2..6,widths=2..4").specs()) == 75


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "--grid is empty"),
        ("depth=1..4,dim=2,3", "has no '='; write KEY=VALUES, and separate alternatives with '|'"),
        ("depth=1..4", "needs dim="),
        ("dim=2", "needs depth="),
        ("depth=3,dim=2,height=3", "unknown key 'height'"),
        ("depth=3,depth=4,dim=2", "gives 'depth' twice"),
        ("depth=4..2,dim=2", "range '4..2' is empty"),
        ("depth=0..2,dim=2", "values must be ≥ 1 (got 0)"),
        ("depth=3,dim=x", "dim value 'x' is not a number or a range"),
        ("depth=3,dim=2.5", "not a number or a range"),
        ("depth=3,dim=", "dim has no value"),
        ("depth=3,,dim=2", "empty item"),
        ("depth=3,dim=2,bias=maybe", "bias takes no, yes or no|yes"),
        ("depth=3,dim=2,activation=nope", "unknown activation 'nope'"),
        ("depth=1..100,dim=1..100,widths=1..100", f"the limit is {MAX_CONFIGS}"),
    ],
)
def test_errors_are_one_line(text: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        parse_grid(text)
    assert message in str(info.value)
    assert "\n" not in str(info.value)
