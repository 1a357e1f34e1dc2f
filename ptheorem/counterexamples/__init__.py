"""Every counterexample ptheorem builds or searches for, and the one library of named witnesses.

* :mod:`.staged` — ``check`` with σ outside the indexwise step: the searches below, in order,
  within a budget;
* :mod:`.polynomial` — polynomial σ: exact read-out search over QQ in the x-monomial constraints;
* :mod:`.feature` — polynomial σ: the closed-form one-feature construction over QQ;
* :mod:`.nullspace` — any σ (ReLU, Remark 1): numeric search for curl-free read-outs;
* :mod:`.components` — zero middle weights (``--mask``): one direction per component;
* :mod:`.search` — the optimiser of ``ptheorem search`` (and :mod:`.soft`, its angle sweep);
* :mod:`.library` — named witness constructions, one per way the theorem can fail;
* :mod:`.live` — does a curl-free net break the literal claim (the audit's rules)?
"""

from ptheorem.counterexamples.components import component_witness
from ptheorem.counterexamples.live import claim_broken
from ptheorem.counterexamples.nullspace import nullspace_witness
from ptheorem.counterexamples.polynomial import polynomial_witness

__all__ = [
    "claim_broken",
    "component_witness",
    "nullspace_witness",
    "polynomial_witness",
]
