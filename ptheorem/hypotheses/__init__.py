"""Where the paper's hypotheses fail: witnesses that refute the literal claim.

* :mod:`.polynomial` — polynomial σ: exact search over QQ in the x-monomial constraints;
* :mod:`.nullspace` — any σ (ReLU, Remark 1): numeric search for curl-free read-outs;
* :mod:`.components` — zero middle weights (``--mask``): one direction per component.
"""

from ptheorem.hypotheses.components import component_witness
from ptheorem.hypotheses.live import claim_broken
from ptheorem.hypotheses.nullspace import nullspace_witness
from ptheorem.hypotheses.polynomial import polynomial_witness

__all__ = [
    "claim_broken",
    "component_witness",
    "nullspace_witness",
    "polynomial_witness",
]
