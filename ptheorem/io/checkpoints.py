"""Read trained checkpoints as data, never as code: safetensors and PyTorch state_dicts.

* ``.safetensors`` — read with ``safetensors.numpy`` (no torch needed).  The
  header is checked first, against the file's real size: every tensor's
  declared shape × item size must equal its byte range, and every range must lie
  inside the file, so a tiny file that declares a huge tensor is refused before
  anything is allocated.  ``bfloat16`` is decoded here (numpy has no such type).
  σ may be named in the header's ``__metadata__`` (``activation``, ``beta``).
* ``.pt`` / ``.pth`` — a PyTorch ``state_dict`` (or a dict holding one under
  ``state_dict``/``model``/``model_state_dict``), read by
  ``torch.load(weights_only=True)``: torch's restricted unpickler, which builds
  tensors and plain containers and refuses every other global, so a pickle that
  carries code is refused, not run.  Only the zip format (torch ≥ 1.6) is
  accepted, with stored (uncompressed) members no larger than the file; the
  legacy format allocates what its header declares before reading.  torch is an
  optional extra (``pip install 'ptheorem[torch]'``).

Layers are found and checked by :mod:`ptheorem.io.layers`.
"""

from __future__ import annotations

import json
import math
import struct
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from ptheorem.io.files import regular_file, show_path
from ptheorem.io.layers import build_network, tensor_array
from ptheorem.model.errors import InputError
from ptheorem.numeric.network import ConcreteNetwork

__all__ = ["FORMATS", "load_checkpoint", "read_safetensors", "read_torch"]

SAFETENSORS = (".safetensors",)
TORCH = (".pt", ".pth")
FORMATS = SAFETENSORS + TORCH
#: safetensors' own header limit (100 MB): a longer declared header is refused unread.
MAX_HEADER = 100_000_000
#: Float types accepted, with their byte sizes (safetensors names).
FLOAT_DTYPES = {"F16": 2, "BF16": 2, "F32": 4, "F64": 8}
#: Other safetensors dtypes and their byte sizes (refused by name when chosen as a layer).
OTHER_DTYPES = {"BOOL": 1, "U8": 1, "I8": 1, "I16": 2, "U16": 2, "I32": 4, "U32": 4}
OTHER_DTYPES |= {"I64": 8, "U64": 8, "F8_E4M3": 1, "F8_E5M2": 1}
#: Keys of a wrapper dict that hold the state_dict (training checkpoints).
WRAPPERS = ("state_dict", "model_state_dict", "model")
INSTALL_TORCH = "pip install 'ptheorem[torch]' (or convert the file to .safetensors)"


def load_checkpoint(
    path: str | Path, activation: str | None = None, layers: str | None = None
) -> ConcreteNetwork:
    """The ψ network stored in a ``.safetensors``/``.pt``/``.pth`` file (see the module doc)."""
    p = Path(path)
    if p.suffix not in FORMATS:
        raise InputError(f"{show_path(p)}: not a checkpoint ({', '.join(FORMATS)})")
    regular_file(p, "network file")
    if p.suffix in SAFETENSORS:
        tensors, meta, ordered = read_safetensors(p)
    else:
        tensors, meta = read_torch(p)
        ordered = True
    spec = activation or meta
    if spec is None:
        raise InputError(f"{p}: the file does not name σ; pass --activation NAME (e.g. tanh)")
    return build_network(tensors, spec, layers, ordered, p)


# --- safetensors ------------------------------------------------------------------------


def read_safetensors(p: Path) -> tuple[dict[str, Any], str | None, bool]:
    """({key: array or dtype name}, σ from the metadata, False: the keys carry no order).

    Tensors of a non-float dtype are returned as their dtype name (a string), so
    only a chosen layer of that type is an error.
    """
    header, start = _safetensors_header(p)
    meta = header.pop("__metadata__", None) or {}
    act = _meta_activation(meta, p)
    floats = {k for k, v in header.items() if v["dtype"] in FLOAT_DTYPES}
    out: dict[str, Any] = {k: v["dtype"] for k, v in header.items() if k not in floats}
    if floats:
        wanted = {k for k in floats if header[k]["dtype"] != "BF16"}
        if wanted:
            out |= _safetensors_numpy(p, wanted)
        with p.open("rb") as fh:
            for key in sorted(floats - wanted):
                begin, end = header[key]["data_offsets"]
                fh.seek(start + begin)
                raw = np.frombuffer(fh.read(end - begin), dtype="<u2").astype(np.uint32)
                out[key] = (raw << 16).view(np.float32).reshape(header[key]["shape"])
    return out, act, False


def _safetensors_numpy(p: Path, keys: set[str]) -> dict[str, np.ndarray]:
    try:
        from safetensors import safe_open
    except ImportError:  # pragma: no cover - safetensors is a dependency
        raise InputError(f"{p}: reading .safetensors needs the safetensors package") from None
    try:
        with safe_open(str(p), framework="np") as fh:
            return {k: np.array(fh.get_tensor(k)) for k in sorted(keys)}
    except Exception as exc:  # noqa: BLE001 - the Rust loader's errors: one line
        raise InputError(f"{p}: not a readable .safetensors file ({exc})") from None


def _safetensors_header(p: Path) -> tuple[dict[str, Any], int]:
    """The parsed, size-checked header and the offset where the data starts."""
    size = p.stat().st_size
    with p.open("rb") as fh:
        head = fh.read(8)
        if len(head) < 8:
            raise InputError(f"{p}: truncated .safetensors file ({size} bytes, no header)")
        (length,) = struct.unpack("<Q", head)
        if length > min(MAX_HEADER, size - 8):
            raise InputError(
                f"{p}: not a .safetensors file (header of {length} bytes declared in a file "
                f"of {size} bytes)"
            )
        raw = fh.read(length)
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{p}: not a .safetensors file (header is not JSON: {exc})") from None
    if not isinstance(header, dict):
        raise InputError(f"{p}: not a .safetensors file (header is not an object)")
    data = size - 8 - length
    for key, info in header.items():
        if key != "__metadata__":
            _check_entry(key, info, data, p)
    return header, 8 + length


def _check_entry(key: str, info: Any, data: int, p: Path) -> None:
    """One tensor's header entry: known dtype, shape × size == its byte range, inside the file."""
    if not isinstance(info, dict) or not {"dtype", "shape", "data_offsets"} <= set(info):
        raise InputError(f"{p}: {key}: malformed header entry")
    dtype, shape, offsets = info["dtype"], info["shape"], info["data_offsets"]
    itemsize = FLOAT_DTYPES.get(dtype) or OTHER_DTYPES.get(dtype)
    if itemsize is None:
        raise InputError(f"{p}: {key}: unknown dtype {dtype!r}")
    ints = [*shape, *offsets] if isinstance(shape, list) and isinstance(offsets, list) else None
    if ints is None or len(offsets) != 2 or not all(_natural(v) for v in ints):
        raise InputError(f"{p}: {key}: shape and data_offsets must be non-negative integers")
    begin, end = offsets
    if not begin <= end <= data:
        raise InputError(
            f"{p}: {key}: declares bytes {begin}..{end} but the file holds {data} bytes of data "
            "(truncated or corrupt)"
        )
    if math.prod(shape) * itemsize != end - begin:
        raise InputError(
            f"{p}: {key}: shape {tuple(shape)} of {dtype} needs {math.prod(shape) * itemsize} "
            f"bytes, the header gives it {end - begin}"
        )


def _natural(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _meta_activation(meta: Any, p: Path) -> str | None:
    if not isinstance(meta, dict):
        raise InputError(f"{p}: __metadata__ must be an object of strings")
    act = meta.get("activation")
    if act is None:
        return None
    beta = meta.get("beta")
    return f"{act}:{beta}" if beta not in (None, "", "None") else str(act)


# --- PyTorch ----------------------------------------------------------------------------


def read_torch(p: Path) -> tuple[dict[str, Any], str | None]:
    """({key: array or dtype name} in state-dict order, σ if the wrapper dict names it)."""
    _check_zip(p)
    try:
        import torch
    except ImportError:
        raise InputError(f"{p}: reading PyTorch files needs torch: {INSTALL_TORCH}") from None
    try:
        obj = torch.load(str(p), map_location="cpu", weights_only=True)
    except Exception as exc:  # noqa: BLE001 - refused globals, truncation, …: one line
        raise InputError(
            f"{p}: not a plain state_dict (torch.load(weights_only=True) refused it: "
            f"{_reason(exc)})"
        ) from None
    act = None
    if isinstance(obj, dict):
        for key in WRAPPERS:
            if isinstance(obj.get(key), dict):
                act = obj.get("activation") if isinstance(obj.get("activation"), str) else None
                obj = obj[key]
                break
    if not isinstance(obj, dict):
        raise InputError(
            f"{p}: expected a state_dict (a dict of tensors), got {type(obj).__name__}"
        )
    return {str(k): tensor_array(v) for k, v in obj.items()}, act


def _reason(exc: Exception) -> str:
    """The informative line of torch's error (it names the refused global, if any)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    for line in lines:
        if "GLOBAL" in line or "Unsupported" in line:
            return line
    return lines[-1] if lines else type(exc).__name__


def _check_zip(p: Path) -> None:
    """The zip format only, with stored members no larger than the file (no legacy format)."""
    size = p.stat().st_size
    with p.open("rb") as fh:
        magic = fh.read(4)
    if magic != b"PK\x03\x04":
        raise InputError(
            f"{p}: not a PyTorch zip checkpoint (legacy or foreign format; re-save it with "
            "torch.save, or use .safetensors)"
        )
    try:
        with zipfile.ZipFile(p) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(f"{p}: truncated or corrupt PyTorch file ({exc})") from None
    for info in members:
        if info.compress_type != zipfile.ZIP_STORED or info.file_size > size:
            raise InputError(
                f"{p}: member {info.filename} declares {info.file_size} bytes (compressed or "
                f"larger than the {size}-byte file): refused"
            )
