"""Is ψ curl-free?  Exact proofs, interval refutations and the numeric bands, combined.

The answer comes from the strongest evidence available:

1. an **exact** argument on the stored weights (:mod:`ptheorem.audit.exactcurl`,
   or sympy on the exact dyadic rationals for small nets, :mod:`ptheorem.audit.certificate`);
2. a **validated** interval certificate that J(x) − J(x)ᵀ ≠ 0 at a point
   (:mod:`ptheorem.validated.curl`);
3. otherwise the **numeric** band of √NAsym (:mod:`ptheorem.tolerances`).

An exact proof of curl-freeness while the sample measures √NAsym in the
not-curl-free band is a *disagreement*: the status is inconclusive, with both
figures.  A certificate that J − Jᵀ ≢ 0 while √NAsym sits in the curl-free band
is not one: the band means "curl-free at float64 resolution", and a near miss
of 1e-15 lives there.
"""

from __future__ import annotations

from ptheorem.audit.exactcurl import ExactCurl
from ptheorem.audit.report import CurlCertificate, CurlFreeFinding, CurlStatus
from ptheorem.audit.sampling import Sample
from ptheorem.tolerances import PROBE_CONFIDENCE
from ptheorem.validated.curl import IntervalCertificate

#: How many off units a detail names per layer.
SHOWN_UNITS = 6


def band(sample: Sample, low: float, high: float) -> tuple[CurlStatus, str]:
    """The numeric answer of the sample and a sentence with its figures."""
    where = _sample_text(sample)
    if sample.blind:
        return CurlStatus.INCONCLUSIVE, (
            f"numeric: J = 0.0 (or not finite) at all {sample.points} points (seed "
            f"{sample.seed}); that does not prove J ≡ 0 (σ′ may underflow, or the units be off, "
            "wherever the sample looked)"
        )
    root = sample.root
    if sample.interval is not None:
        return _interval_band(sample, low, high, where)
    if root <= low:
        status, text = CurlStatus.CURL_FREE, f"√NAsym = {root:.3g} ≤ {low:.3g} (curl-free band)"
    elif root >= high:
        status = CurlStatus.NOT_CURL_FREE
        text = f"√NAsym = {root:.3g} ≥ {high:.3g} (not-curl-free band)"
    else:
        status = CurlStatus.INCONCLUSIVE
        text = f"√NAsym = {root:.3g} lies between the bands {low:.3g} and {high:.3g}"
    return status, f"numeric: {text} over {where}"


def _interval_band(sample: Sample, low: float, high: float, where: str) -> tuple[CurlStatus, str]:
    """The bands applied to the matrix-free estimate's confidence interval on √NAsym."""
    assert sample.interval is not None
    lo, hi = sample.interval
    share = round(100 * PROBE_CONFIDENCE)
    est = f"√NAsym ≈ {sample.root:.3g}, {share}% interval [{lo:.3g}, {hi:.3g}]"
    if hi <= low:
        status, text = CurlStatus.CURL_FREE, f"{est} ≤ {low:.3g} (curl-free band)"
    elif lo >= high:
        status, text = CurlStatus.NOT_CURL_FREE, f"{est} ≥ {high:.3g} (not-curl-free band)"
    else:
        status = CurlStatus.INCONCLUSIVE
        text = f"{est} reaches between the bands {low:.3g} and {high:.3g}"
    how = (
        f"matrix-free estimate, {sample.probes} random ±1 probes per point, J·v by forward "
        "mode and Jᵀ·v by reverse mode"
    )
    return status, f"numeric ({how}): {text} over {where}"


def _sample_text(sample: Sample) -> str:
    text = f"{sample.points} points (seed {sample.seed})"
    if sample.relocated:
        text += f", {sample.relocated} of them moved onto the active slabs of first-layer units"
    if sample.zero_points:
        text += f"; J = 0.0 at {sample.zero_points}"
    if sample.nonfinite_points:
        text += f"; {sample.nonfinite_points} overflowed and were left out"
    return text


def off_text(off: tuple[tuple[int, tuple[int, ...]], ...]) -> str:
    """``units 3, 5 of hidden layer 2 are off …`` for the units the sample never saw active."""
    parts = []
    for layer, units in off:
        shown = ", ".join(map(str, units[:SHOWN_UNITS]))
        more = f", … ({len(units)} units)" if len(units) > SHOWN_UNITS else ""
        parts.append(f"units {shown}{more} of hidden layer {layer}")
    return (
        "; ".join(parts)
        + " have σ′ = 0.0 at every sample point (off or saturated), so the sample does not "
        "see their paths"
    )


def from_exact(proof: ExactCurl) -> CurlCertificate:
    """The report's certificate of an exact argument."""
    return CurlCertificate("exact", proof.holds, proof.method, proof.detail)


def from_interval(cert: IntervalCertificate) -> CurlCertificate:
    """The report's certificate of an interval refutation."""
    return CurlCertificate(
        "validated",
        False,
        "interval",
        f"validated: {cert.text}, so J(x) ≠ J(x)ᵀ there",
        point=cert.point,
        entry=cert.entry,
        interval=(cert.lower, cert.upper),
        ball=cert.ball,
        precision=cert.precision,
    )


def decide(
    sample: Sample,
    bands: tuple[float, float],
    factor: float,
    certificate: CurlCertificate | None,
    attempts: tuple[str, ...],
) -> CurlFreeFinding:
    """The :class:`CurlFreeFinding` from the sample's band and the certificate (if any)."""
    low, high = bands
    numeric, numeric_text = band(sample, low, high)
    details = [numeric_text]
    if sample.off_units:
        details.append(f"numeric: {off_text(sample.off_units)}")
    disagreement = None
    if certificate is None:
        status, evidence = numeric, "numeric"
    else:
        evidence = certificate.kind
        status = CurlStatus.CURL_FREE if certificate.holds else CurlStatus.NOT_CURL_FREE
        details.insert(0, certificate.detail)
        if certificate.holds and numeric is CurlStatus.NOT_CURL_FREE:
            disagreement = (
                f"the {certificate.kind} certificate proves J − Jᵀ ≡ 0, yet the sample measures "
                f"√NAsym = {sample.root:.3g} ≥ {high:.3g}"
            )
            status = CurlStatus.INCONCLUSIVE
            details.insert(0, f"inconsistent evidence: {disagreement}")
        elif not certificate.holds and numeric is CurlStatus.CURL_FREE:
            details.append(
                f"the numeric √NAsym = {sample.root:.3g} is below float64 resolution; the "
                "certificate resolves it"
            )
    if certificate is None:
        details.extend(attempts)
    value = {CurlStatus.CURL_FREE: True, CurlStatus.NOT_CURL_FREE: False}.get(status)
    return CurlFreeFinding(
        status=status,
        value=value,
        nasym=sample.nasym,
        root=sample.root,
        max_pointwise=sample.max_pointwise,
        curl_free_root=low,
        not_curl_free_root=high,
        size_factor=factor,
        evidence=evidence,
        detail="; ".join(details),
        points=sample.points,
        seed=sample.seed,
        numeric_status=numeric,
        certificate=certificate,
        relocated=sample.relocated,
        zero_points=sample.zero_points,
        nonfinite_points=sample.nonfinite_points,
        off_units=sample.off_units,
        disagreement=disagreement,
        attempts=attempts,
        estimator=sample.estimator,
        probes=sample.probes,
        interval=sample.interval,
    )
