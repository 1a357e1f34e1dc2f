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

Layers: for a plain MLP, every 2-D ``*.weight`` with its ``*.bias`` (if any), in
state-dict order (safetensors files keep no order, so their keys are sorted
naturally: ``net.2`` before ``net.10``), with shapes checked to chain and to map
Rᵈ to Rᵈ.  ``layers`` (``--layers``) picks them explicitly: comma-separated
layer names (the key without ``.weight``) or glob patterns over them.  Every
mismatch is a one-line :class:`~ptheorem.model.errors.InputError` naming the key.
Weights of any float type are widened to float64 exactly, so the audit
certifies the stored numbers.
"""

from __future__ import annotations

import fnmatch
import json
import math
import re
import struct
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ptheorem.activations import get_activation
from ptheorem.model.errors import InputError
from ptheorem.numeric.network import ConcreteNetwork

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
        raise InputError(f"{p}: not a checkpoint ({', '.join(FORMATS)})")
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    if p.suffix in SAFETENSORS:
        tensors, meta, ordered = read_safetensors(p)
    else:
        tensors, meta = read_torch(p)
        ordered = True
    spec = activation or meta
    if spec is None:
        raise InputError(f"{p}: the file does not name σ; pass --activation NAME (e.g. tanh)")
    return _network(tensors, spec, layers, ordered, p)


def state_to_network(
    state: Mapping[str, Any], activation: str, layers: str | None = None
) -> ConcreteNetwork:
    """The ψ network of an in-memory state_dict (numpy arrays or torch tensors), by key order."""
    tensors = {str(k): tensor_array(v) for k, v in state.items()}
    return _network(tensors, activation, layers, True, "state_dict")


def tensor_array(value: Any) -> Any:
    """A numpy array of a float tensor or array (float16/bfloat16 widened), else its dtype name."""
    if hasattr(value, "detach") and hasattr(value, "is_floating_point"):  # a torch tensor
        if not value.is_floating_point():
            return str(value.dtype).removeprefix("torch.")
        value = value.detach().cpu()
        if str(value.dtype) not in ("torch.float32", "torch.float64"):
            value = value.float()  # float16 / bfloat16 widen exactly
        return value.numpy()
    if isinstance(value, np.ndarray):
        return value if value.dtype.kind == "f" else str(value.dtype)
    return type(value).__name__


def _network(
    tensors: dict[str, Any], activation: str, layers: str | None, ordered: bool, p: Path | str
) -> ConcreteNetwork:
    act = get_activation(activation)
    chosen = pick_layers(tensors, layers, ordered, p)
    weights, biases = _arrays(tensors, chosen, p)
    _check_chain(weights, biases, chosen, p)
    return ConcreteNetwork(tuple(weights), tuple(biases), act)


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


# --- layers -----------------------------------------------------------------------------


def natural_key(key: str) -> tuple[Any, ...]:
    """Sort key with digit runs compared as numbers.

    >>> sorted(["net.10.weight", "net.2.weight"], key=natural_key)
    ['net.2.weight', 'net.10.weight']
    """
    return tuple((0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.split(r"(\d+)", key))


def _name(key: str, suffix: str) -> str | None:
    """``net.0`` for ``net.0.weight`` (``""`` for a bare ``weight``), None for other keys."""
    if key == suffix:
        return ""
    return key[: -len(suffix) - 1] if key.endswith("." + suffix) else None


def layer_names(tensors: dict[str, Any], ordered: bool) -> list[str]:
    """Names of the candidate layers: keys ``NAME.weight`` in state-dict (or natural) order."""
    keys = list(tensors) if ordered else sorted(tensors, key=natural_key)
    return [n for n in (_name(k, "weight") for k in keys) if n is not None]


def pick_layers(
    tensors: dict[str, Any], layers: str | None, ordered: bool, p: Path | str
) -> list[str]:
    """The layer names to use, in order: all candidates, or those ``layers`` names."""
    names = layer_names(tensors, ordered)
    weight = {n: _key(n, "weight") for n in names}
    for key in tensors:
        name = _name(key, "bias")
        if name is not None and name not in weight:
            raise InputError(f"{p}: {key} has no matching weight {_key(name, 'weight')}")
    if layers is None:
        # a non-float weight stays a candidate, so its dtype is the error that names it
        plain = [n for n in names if _ndim(tensors[weight[n]]) in (2, -1)]
        others = [k for k in tensors if _name(k, "weight") is None and _name(k, "bias") is None]
        if not plain:
            raise InputError(f"{p}: no Linear layers found (2-D float '*.weight' tensors)")
        skipped = [weight[n] for n in names if n not in plain] + others
        if skipped:
            raise InputError(
                f"{p}: not a plain MLP: {skipped[0]} is not a Linear weight or bias; pick the "
                "layers with --layers NAME,NAME,… or a glob"
            )
        return plain
    chosen: list[str] = []
    for item in (s.strip() for s in layers.split(",")):
        if not item:
            raise InputError(f"--layers {layers!r}: empty entry")
        for suffix in ("weight", "bias"):
            base = _name(item, suffix)
            if base is not None and base in weight:
                if suffix == "bias" and item not in tensors:
                    raise InputError(f"{p}: --layers names {item!r}, but that bias is missing")
                item = base
        hits = [n for n in names if fnmatch.fnmatchcase(n, item)] if _glob(item) else []
        if not _glob(item):
            if item not in weight:
                missing = item if _name(item, "bias") is not None else _key(item, "weight")
                raise InputError(f"{p}: --layers names {item!r}, but there is no key {missing}")
            hits = [item]
        if not hits:
            raise InputError(f"{p}: --layers pattern {item!r} matches no layer")
        chosen += [h for h in hits if h not in chosen]
    return chosen


def _glob(text: str) -> bool:
    return any(c in text for c in "*?[")


def _key(name: str, suffix: str) -> str:
    return f"{name}.{suffix}" if name else suffix


def _ndim(value: Any) -> int:
    return value.ndim if isinstance(value, np.ndarray) else -1


def _arrays(
    tensors: dict[str, Any], names: list[str], p: Path | str
) -> tuple[list[np.ndarray], list[np.ndarray | None]]:
    weights: list[np.ndarray] = []
    biases: list[np.ndarray | None] = []
    for name in names:
        weights.append(_float(tensors, _key(name, "weight"), 2, p))
        bias = _key(name, "bias")
        biases.append(_float(tensors, bias, 1, p) if bias in tensors else None)
    return weights, biases


def _float(tensors: dict[str, Any], key: str, ndim: int, p: Path | str) -> np.ndarray:
    """A finite float64 copy of ``tensors[key]`` with ``ndim`` dimensions, or a one-line error."""
    value = tensors[key]
    if not isinstance(value, np.ndarray):
        raise InputError(f"{p}: {key} has dtype {value}, not a float type")
    if value.ndim != ndim:
        kind = "matrix (out, in)" if ndim == 2 else "vector"
        raise InputError(f"{p}: {key} must be a {kind}, got shape {tuple(value.shape)}")
    arr = value.astype(np.float64)  # exact for float16/32/64
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{p}: {key} has NaN or infinite entries")
    return arr


def _check_chain(
    weights: list[np.ndarray], biases: list[np.ndarray | None], names: list[str], p: Path | str
) -> None:
    keys = [_key(n, "weight") for n in names]
    for k, w in enumerate(weights):
        if 0 in w.shape:
            raise InputError(f"{p}: {keys[k]} is empty (shape {w.shape})")
        if k and w.shape[1] != weights[k - 1].shape[0]:
            raise InputError(
                f"{p}: shapes do not chain: {keys[k]} takes {w.shape[1]} inputs but "
                f"{keys[k - 1]} gives {weights[k - 1].shape[0]} outputs"
            )
        b = biases[k]
        if b is not None and b.shape != (w.shape[0],):
            raise InputError(
                f"{p}: {_key(names[k], 'bias')} has {b.shape[0]} entries, {keys[k]} has "
                f"{w.shape[0]} outputs"
            )
    d_in, d_out = weights[0].shape[1], weights[-1].shape[0]
    if d_in != d_out:
        raise InputError(
            f"{p}: ψ must map Rᵈ to Rᵈ: {keys[0]} takes {d_in} inputs but {keys[-1]} gives "
            f"{d_out} outputs"
        )
