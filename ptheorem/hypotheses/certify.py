"""Certificates for witnesses: exact sympy J − Jᵀ ≡ 0 where possible, else NAsym."""

from __future__ import annotations

from typing import Any

import numpy as np

from ptheorem.numeric.metrics import asymmetry, sample_points
from ptheorem.numeric.network import ConcreteNetwork

#: A numeric certificate needs √NAsym at most this on fresh points.
WITNESS_ROOT = 1e-12


def certify_witness(net: ConcreteNetwork, seed: int = 0) -> Any:
    """The witness's certificate (``ptheorem.certificate`` when present, else NAsym)."""
    try:
        from ptheorem.certificate import certify_curl_free
    except ImportError:  # pragma: no cover - the certificate module ships with ptheorem
        return _numeric(net, seed)
    return certify_curl_free(net, seed=seed)


def _numeric(net: ConcreteNetwork, seed: int) -> dict[str, Any]:
    rng = np.random.default_rng(seed + 7919)
    report = asymmetry(net, sample_points(rng, 512, net.dim))
    return {
        "kind": "numeric",
        "holds": report.root <= WITNESS_ROOT,
        "nasym_root": report.root,
        "tolerance": WITNESS_ROOT,
        "detail": f"√NAsym = {report.root:.2e} on 512 fresh points (≤ {WITNESS_ROOT:g})",
    }
