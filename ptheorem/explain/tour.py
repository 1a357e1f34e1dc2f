"""The scenes of the demo tour: L = 1 … 4, the counterexample classes, the soft table.

Each scene is assembled from computed results (explanations, witness audits, the
soft table) that :mod:`ptheorem.run.teaching` runs and hands over.
"""

from __future__ import annotations

from ptheorem.explain.model import Block, Explanation, Math, Prose, Scene, SoftTable, Witnesses

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
    if expl.network.depth >= 4:
        cancel = expl.step("cancel").blocks
        blocks += [b for b in cancel if isinstance(b, Math) and str(b.lhs).startswith("P")]
    for key in ("constraint", "tying", "rank", "verdict"):
        blocks += expl.step(key).summary
    return Scene(title, tuple(blocks))


def counterexample_scene(witnesses: Witnesses) -> Scene:
    """The counterexample classes, as their live audits judged them."""
    blocks: list[Block] = [
        Prose(
            "Each class breaks one hypothesis and is curl-free all the same; the control is a "
            "random net. Built and audited now:"
        ),
        witnesses,
    ]
    return Scene("The counterexample classes", tuple(blocks))


def soft_scene(table: SoftTable) -> Scene:
    """The soft-analysis table, computed live."""
    blocks: list[Block] = [
        Prose(
            "How close to a gradient can ψ get while its two input weights are not parallel? "
            "The smallest √NAsym found at each angle:"
        ),
        table,
        Prose(table.summary),
    ]
    return Scene("Soft analysis: how far from a gradient", tuple(blocks))
