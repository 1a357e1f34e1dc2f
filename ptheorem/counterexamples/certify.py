"""Certificates for witnesses: exact sympy J − Jᵀ ≡ 0 where possible, else NAsym."""

from __future__ import annotations

from ptheorem.audit.certificate import Certificate, certify_curl_free
from ptheorem.numeric.network import ConcreteNetwork


def certify_witness(net: ConcreteNetwork, seed: int = 0) -> Certificate:
    """The witness's certificate (see :func:`ptheorem.audit.certificate.certify_curl_free`)."""
    return certify_curl_free(net, seed=seed)
