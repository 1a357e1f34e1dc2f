"""Exact facts about stored float64 weights: every float is a dyadic rational m·2ᵉ.

The audit certifies the network *as stored*, so the questions "are these two
rows parallel?", "is W₀ symmetric?", "are these units identical?" have exact
answers computed here with Python integers — no tolerance, no rounding, and no
overflow or underflow however large or small the weights are.

A vector of floats is written exactly as integers times one power of two
(:func:`integer_vector`); dividing by the gcd gives its *primitive* integer
vector.  Two nonzero vectors lie on one line exactly when their primitive
vectors agree up to sign (:func:`line_key`), and on one ray when they agree
exactly (:func:`ray_key`).

>>> line_key([0.5, -1.0]) == line_key([-3.0, 6.0]), ray_key([0.5, -1.0]) == ray_key([-3.0, 6.0])
(True, False)
>>> line_key([1e-165, 2e-165]) == line_key([1e200, 2e200])
True
>>> line_key([0.1, 0.3]) == line_key([1.0, 3.0])  # 0.3 is not exactly 3 × 0.1 in float64
False
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction

import numpy as np

#: Bits of a float64 significand.
MANTISSA_BITS = 53

Key = tuple[int, ...]


def fraction(x: float) -> Fraction:
    """The exact rational value of a float (``Fraction(0.1)`` is 3602879701896397/2⁵⁵).

    >>> fraction(0.1) == Fraction(1, 10), fraction(0.5)
    (False, Fraction(1, 2))
    """
    return Fraction(float(x))


def integer_vector(values: Iterable[float]) -> tuple[list[int], int]:
    """(integers, e) with values = integers·2ᵉ exactly; e is the smallest exponent needed.

    >>> integer_vector([0.75, -2.0, 0.0])
    ([3, -8, 0], -2)
    """
    arr = np.asarray(list(values) if not isinstance(values, np.ndarray) else values, dtype=float)
    flat = arr.ravel()
    if not np.all(np.isfinite(flat)):
        raise ValueError("only finite floats have an exact dyadic value")
    mant, expo = np.frexp(flat)
    ints = (mant * 2.0**MANTISSA_BITS).astype(np.int64)
    exps = expo.astype(np.int64) - MANTISSA_BITS
    nonzero = ints != 0
    if not np.any(nonzero):
        return [0] * flat.size, 0
    low = int(exps[nonzero].min())
    out = [
        int(i) << int(e - low) if i else 0
        for i, e in zip(ints.tolist(), exps.tolist(), strict=True)
    ]
    shift = min((v & -v).bit_length() - 1 for v in out if v)  # common factors of two
    if shift:
        out = [v >> shift for v in out]
    return out, low + shift


def ray_key(values: Sequence[float] | np.ndarray) -> Key | None:
    """The primitive integer vector of ``values`` (None for the zero vector).

    Equal keys ⇔ one vector is a positive multiple of the other, exactly.
    """
    ints, _ = integer_vector(values)
    g = math.gcd(*ints)
    if g == 0:
        return None
    return tuple(v // g for v in ints)


def line_key(values: Sequence[float] | np.ndarray) -> Key | None:
    """:func:`ray_key` with the sign fixed (first nonzero entry positive).

    Equal keys ⇔ the vectors are nonzero multiples of each other, exactly.
    """
    key = ray_key(values)
    if key is None:
        return None
    first = next(v for v in key if v)
    return key if first > 0 else tuple(-v for v in key)


def negated(key: Key | None) -> Key | None:
    """The key of the negated vector.

    >>> negated((1, -2))
    (-1, 2)
    """
    return None if key is None else tuple(-v for v in key)


def exact_key(values: Sequence[float] | np.ndarray) -> tuple[float, ...]:
    """The stored values as a hashable key (−0.0 and 0.0 compare equal, as floats do)."""
    return tuple(float(v) + 0.0 for v in np.asarray(values, dtype=float).ravel())


def exactly_parallel(a: Sequence[float] | np.ndarray, b: Sequence[float] | np.ndarray) -> bool:
    """Whether two nonzero vectors are exactly parallel (a zero vector is parallel to nothing)."""
    ka = line_key(a)
    return ka is not None and ka == line_key(b)


def line_count(rows: np.ndarray) -> int:
    """Number of distinct exact lines among the nonzero rows.

    >>> line_count(np.array([[1.0, 2.0], [-2.0, -4.0], [1.0, 2.0000000000000004]]))
    2
    """
    return len({k for k in (line_key(r) for r in rows) if k is not None})


def line_keys(matrix: np.ndarray) -> tuple[bytes | None, ...]:
    """A key per row of ``matrix``: equal keys ⇔ the rows lie on one exact line (None: zero row).

    The same equivalence as :func:`line_key`, computed for all rows at once with
    numpy integers: a float is m·2ᵉ with m odd (< 2⁵³), so the primitive integer
    vector of a row is (mᵢ/g)·2^(eᵢ − e_min) with g the gcd of the odd parts; the
    key is that pair of int64 arrays, sign fixed, as bytes.  At d = 784, widths
    2048 this takes milliseconds where the Python integers took seconds.

    >>> a, b, c, z = line_keys(np.array([[1.0, 3.0], [-2.0, -6.0], [0.1, 0.3], [0.0, -0.0]]))
    >>> a == b, a == c, z
    (True, False, None)
    """
    arr = np.asarray(matrix, dtype=np.float64)
    if arr.ndim != 2 or not np.all(np.isfinite(arr)):
        raise ValueError("line_keys needs a finite 2-D array")
    mant, expo = np.frexp(arr)
    m = (mant * 2.0**MANTISSA_BITS).astype(np.int64)
    e = expo.astype(np.int64) - MANTISSA_BITS
    nonzero = m != 0
    low_bit = np.where(nonzero, m & -m, 1)
    shift = np.round(np.log2(low_bit.astype(np.float64))).astype(np.int64)
    m = np.where(nonzero, m >> shift, 0)  # odd parts
    e = np.where(nonzero, e + shift, 0)
    g = np.gcd.reduce(np.abs(m), axis=1)
    e_min = np.min(np.where(nonzero, e, np.iinfo(np.int64).max), axis=1)
    first = np.argmax(nonzero, axis=1)
    sign = np.sign(m[np.arange(m.shape[0]), first])
    keys: list[bytes | None] = []
    for r in range(arr.shape[0]):
        if g[r] == 0:
            keys.append(None)
            continue
        odd = m[r] // g[r] * sign[r]
        power = np.where(nonzero[r], e[r] - e_min[r], 0)
        keys.append(odd.tobytes() + power.tobytes())
    return tuple(keys)


def same_lines(
    a: tuple[bytes | None, ...], a_idx: np.ndarray, b: tuple[bytes | None, ...], b_idx: np.ndarray
) -> np.ndarray:
    """Boolean (len(a_idx), len(b_idx)): do rows a[i] and b[j] lie on one exact line?"""
    ids: dict[bytes | None, int] = {}
    left = np.array([ids.setdefault(a[int(i)], len(ids)) for i in a_idx], dtype=np.int64)
    right = np.array([ids.setdefault(b[int(j)], len(ids)) for j in b_idx], dtype=np.int64)
    zero = ids.get(None, -1)
    return (left[:, None] == right[None, :]) & (left[:, None] != zero)


def integer_matrix(weight: np.ndarray) -> tuple[np.ndarray, int]:
    """(M, e) with weight = M·2ᵉ exactly, M an object array of Python ints."""
    ints, e = integer_vector(weight.ravel())
    out = np.empty(len(ints), dtype=object)
    out[:] = ints
    return out.reshape(weight.shape), e


def exact_product(weights: Sequence[np.ndarray]) -> np.ndarray:
    """W_{k}⋯W₀ for the given list [W₀, …, W_k], exactly, up to one positive power of two.

    Returns an object array of Python ints P with W_k⋯W₀ = P·2ᵉ for some e, which
    is all a symmetry or zero test needs.
    """
    product, _ = integer_matrix(weights[0])
    for w in weights[1:]:
        m, _ = integer_matrix(w)
        product = m.dot(product)
    return product


def exactly_symmetric(matrix: np.ndarray) -> bool:
    """Whether a square array (floats or Python ints) equals its transpose exactly."""
    return bool(np.all(matrix == matrix.T))


def first_asymmetry(matrix: np.ndarray) -> tuple[int, int] | None:
    """The first 0-based (i, j), i < j, with matrix[i, j] ≠ matrix[j, i], or None."""
    n = matrix.shape[0]
    for i in range(n):
        for j in range(i + 1, n):
            if matrix[i, j] != matrix[j, i]:
                return i, j
    return None
