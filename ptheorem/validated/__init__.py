"""Validated numerics: interval (ball) arithmetic that turns a computation into a proof.

python-flint's ``arb`` evaluates ψ, σ′ and J with a rigorous error ball around
every number.  The stored float64 weights and sample points enter exactly (a
double is a dyadic rational), so an enclosure that excludes 0 *proves* that
the quantity is nonzero for the network as stored:

* :func:`~ptheorem.validated.curl.refute_curl_free` — one entry of J(x) − J(x)ᵀ
  whose ball excludes 0 proves that ψ is not a gradient field;
* :func:`~ptheorem.validated.independence.prove_independent` — a nonzero
  determinant of path functions sampled at chosen points proves them linearly
  independent.

Neither can prove the opposite (an enclosure containing 0 proves nothing):
"curl-free" and "dependent" are proved exactly elsewhere (:mod:`ptheorem.validated.dyadic`,
:mod:`ptheorem.audit.exactcurl`, :mod:`ptheorem.audit.dependence`).
"""

from __future__ import annotations
