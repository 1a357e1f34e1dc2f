"""Bounded reading of the arrays in ``.npz`` and ``.json`` files (networks and masks).

Every size a file declares is checked before anything is allocated: a ``.npz``
member's ``.npy`` header gives its dtype and shape, so a zip bomb, a declared
200000 × 200000 array or a truncated member is a one-line :class:`InputError`
(the limits are in :mod:`ptheorem.tolerances`).  Object arrays (pickles) are
refused from their header and never loaded.  JSON files are read up to
:data:`~ptheorem.tolerances.MAX_JSON_BYTES`; nesting too deep for the parser, and
numbers too large for float64 (a 400-digit integer), are input errors too.
"""

from __future__ import annotations

import json
import math
import zipfile
from pathlib import Path
from typing import IO, Any

import numpy as np

from ptheorem.io.files import open_regular, read_text, show_path
from ptheorem.model.errors import InputError
from ptheorem.tolerances import MAX_ARRAY_ENTRIES, MAX_FILE_ENTRIES, MAX_JSON_BYTES

#: Members a ``.npz`` network or mask may hold (weights, biases, activation, beta).
MAX_MEMBERS = 4096
#: dtype kinds accepted for numbers (bool, int, unsigned, float) and for text.
NUMBER_KINDS = "biuf"
TEXT_KINDS = "US"


def _header(member: IO[bytes]) -> tuple[tuple[int, ...], np.dtype[Any]]:
    """The shape and dtype an ``.npy`` stream declares (nothing else is read)."""
    fmt = np.lib.format
    version = fmt.read_magic(member)
    if version == (1, 0):
        shape, _, dtype = fmt.read_array_header_1_0(member)
    elif version == (2, 0):
        shape, _, dtype = fmt.read_array_header_2_0(member)
    else:
        raise ValueError(f"unsupported .npy format version {version}")
    return tuple(int(n) for n in shape), dtype


def inspect_npz(fh: IO[bytes], where: str) -> dict[str, tuple[tuple[int, ...], np.dtype[Any]]]:
    """Shape and dtype of every member of an open ``.npz``, checked against the limits."""
    declared: dict[str, tuple[tuple[int, ...], np.dtype[Any]]] = {}
    total = 0
    with zipfile.ZipFile(fh) as zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise InputError(f"{where}: {len(infos)} arrays; the limit is {MAX_MEMBERS}")
        for info in infos:
            name = info.filename[:-4] if info.filename.endswith(".npy") else info.filename
            with zf.open(info) as member:
                shape, dtype = _header(member)
            if dtype.hasobject:
                raise InputError(
                    f"{where}: array {name!r} holds Python objects (a pickle); "
                    "refused, never loaded"
                )
            entries = math.prod(shape)
            if entries > MAX_ARRAY_ENTRIES:
                dims = " × ".join(map(str, shape))
                raise InputError(
                    f"{where}: array {name!r} declares {dims} = {entries} entries; "
                    f"the limit is {MAX_ARRAY_ENTRIES}"
                )
            if info.file_size < entries * dtype.itemsize:
                raise InputError(f"{where}: array {name!r} is truncated")
            total += entries
            if total > MAX_FILE_ENTRIES:
                raise InputError(
                    f"{where}: the arrays declare more than {MAX_FILE_ENTRIES} entries together"
                )
            declared[name] = (shape, dtype)
    return declared


def load_npz(path: Path, what: str) -> dict[str, np.ndarray]:
    """Every array of a ``.npz`` file, after :func:`inspect_npz` (one-line errors)."""
    where = f"{what} {show_path(path)}"
    with open_regular(path, what) as fh:
        if fh.read(2) != b"PK":
            raise InputError(f"{where}: not a .npz file (no zip header)")
        fh.seek(0)
        try:
            inspect_npz(fh, where)
            fh.seek(0)
            with np.load(fh, allow_pickle=False) as data:
                return {k: np.array(data[k]) for k in data.files}
        except InputError:
            raise
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            raise InputError(f"{where}: not a readable .npz file ({exc})") from None
        except NotImplementedError as exc:  # e.g. an unsupported zip compression
            raise InputError(f"{where}: not a readable .npz file ({exc})") from None


def load_json(path: Path, what: str) -> Any:
    """The parsed content of a JSON file of at most :data:`MAX_JSON_BYTES` (one-line errors)."""
    where = f"{what} {show_path(path)}"
    text = read_text(path, what, MAX_JSON_BYTES)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{where}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise InputError(f"{where}: JSON nested too deeply") from None
    except ValueError as exc:  # e.g. an integer with too many digits
        raise InputError(f"{where}: not valid JSON ({exc})") from None


def number_array(
    value: Any, name: str, where: str, ndim: int, allow_bool: bool = False
) -> np.ndarray:
    """A finite float64 array of ``ndim`` dimensions from JSON lists or an array.

    A one-line :class:`InputError` for text, ragged lists, numbers beyond float64 (a
    400-digit integer), NaN and infinities, and JSON true/false unless ``allow_bool``.
    """
    kind = "matrix" if ndim == 2 else "vector"
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in NUMBER_KINDS:
            raise InputError(f"{where}: {name} holds {value.dtype} values, not real numbers")
    elif not allow_bool and _has_bool(value):
        raise InputError(f"{where}: {name} holds true/false, not numbers")
    elif not _is_numbers(value, ndim):
        raise InputError(f"{where}: {name} is not a numeric {kind} (lists of numbers)")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except OverflowError:
        raise InputError(f"{where}: {name} holds a number too large for float64") from None
    except (TypeError, ValueError):
        raise InputError(f"{where}: {name} is not a numeric {kind}") from None
    if arr.ndim != ndim:
        raise InputError(f"{where}: {name} must be a {kind} (got shape {arr.shape})")
    if arr.size > MAX_ARRAY_ENTRIES:
        limit = MAX_ARRAY_ENTRIES
        raise InputError(f"{where}: {name} has {arr.size} entries; the limit is {limit}")
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{where}: {name} has NaN or infinite entries")
    return arr


def _is_numbers(value: Any, ndim: int) -> bool:
    """Whether ``value`` is a list (of lists, ``ndim`` deep) of numbers (bools included)."""
    if ndim == 0:
        return isinstance(value, int | float)
    if not isinstance(value, list):
        return False
    return all(_is_numbers(v, ndim - 1) for v in value)


def _has_bool(value: Any, depth: int = 0) -> bool:
    """JSON true/false anywhere in a list nested at most a few levels (they are not weights)."""
    if isinstance(value, bool):
        return True
    return isinstance(value, list) and depth < 3 and any(_has_bool(v, depth + 1) for v in value)
