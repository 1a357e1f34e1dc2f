"""The scripted demo tour: L = 1 … 4, the counterexample classes, the soft table.

Every scene is computed when the tour is built: the symbolic checks, the
witness audits and the soft-analysis table (about a second in all).
"""

from __future__ import annotations

from collections.abc import Callable

from ptheorem.explain.build import build_explanation
from ptheorem.explain.model import Block, Explanation, Math, Prose, Scene, Tour
from ptheorem.model.spec import NetworkSpec

#: (depth, title) of the network scenes; d = 2 and width 2 throughout.
DEPTHS = (
    (1, "L = 1: a linear map"),
    (2, "L = 2: one hidden layer, weights tied"),
    (3, "L = 3: two hidden layers, input weights parallel"),
    (4, "L = 4: deeper changes nothing"),
)


def network_scene(expl: Explanation, title: str) -> Scene:
    """One depth: formula, the path pair, the constraint, S, the rank step and the verdict."""
    blocks: list[Block] = [*expl.step("network").summary]
    pair = [b for b in expl.step("paths").blocks if type(b).__name__ == "PathPair"]
    blocks += pair
    if expl.spec.depth >= 4:
        cancel = expl.step("cancel").blocks
        blocks += [b for b in cancel if isinstance(b, Math) and str(b.lhs).startswith("P")]
    for key in ("constraint", "tying", "rank", "verdict"):
        blocks += expl.step(key).summary
    return Scene(title, tuple(blocks))


def counterexample_scene() -> Scene:
    """The counterexample classes, each audited live."""
    from ptheorem.explain.witnesses import demo_witnesses

    blocks: list[Block] = [
        Prose(
            "Each class breaks one hypothesis and is curl-free all the same; the control is a "
            "random net. Built and audited now:"
        ),
        demo_witnesses(),
    ]
    return Scene("The counterexample classes", tuple(blocks))


def soft_scene() -> Scene:
    """The soft-analysis table, computed live."""
    from ptheorem.explain.soft import soft_table

    table = soft_table()
    blocks: list[Block] = [
        Prose(
            "How close to a gradient can ψ get while its two input weights are not parallel? "
            "The smallest √NAsym found at each angle:"
        ),
        table,
        Prose(table.summary),
    ]
    return Scene("Soft analysis: how far from a gradient", tuple(blocks))


def _depth_scene(depth: int, title: str) -> Callable[[], Scene]:
    def build() -> Scene:
        spec = NetworkSpec(depth, 2, (2,) * (depth - 1))
        return network_scene(build_explanation(spec, witnesses=False), title)

    return build


#: The scenes in order, each built (computed) only when called.
SCENES: tuple[Callable[[], Scene], ...] = (
    *(_depth_scene(L, t) for L, t in DEPTHS),
    counterexample_scene,
    soft_scene,
)


def build_tour() -> Tour:
    """All scenes of the demo, computed now."""
    return Tour(tuple(build() for build in SCENES))
