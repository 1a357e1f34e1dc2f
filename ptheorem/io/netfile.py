"""Read and write concrete networks: the ``audit`` / witness file formats.

* ``.npz``: arrays ``W0`` … ``W{L-1}`` in torch ``Linear.weight`` shape (out, in),
  optional biases ``b0`` …, an optional 0-d string array ``activation`` and a
  float ``beta`` for swish.
* ``.json``: ``{"activation": "swish", "beta": 1.0, "weights": [W0, …],
  "biases": [b0 or null, …]}``; extra keys (e.g. ``certificate``) are kept
  for the reader and ignored by the loader.

Writes are atomic (a temporary file in the same folder, then a rename), so an
interrupted write never leaves a half-written file.  Inputs are only read.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from ptheorem.activations import Activation, get_activation
from ptheorem.io.files import atomic_open
from ptheorem.model.errors import InputError
from ptheorem.numeric.network import ConcreteNetwork

FORMATS = (".npz", ".json")


def load_network(
    path: str | Path, activation: str | None = None, layers: str | None = None
) -> ConcreteNetwork:
    """Load a network file; ``activation`` (``NAME[:beta]``) overrides the file's.

    ``.safetensors``/``.pt``/``.pth`` checkpoints go to :mod:`ptheorem.io.checkpoints`
    (``layers`` picks their Linear layers); ``layers`` is refused for other formats.
    """
    p = Path(path)
    from ptheorem.io.checkpoints import FORMATS as CHECKPOINTS

    if p.suffix in CHECKPOINTS:
        from ptheorem.io.checkpoints import load_checkpoint

        return load_checkpoint(p, activation, layers)
    if layers is not None:
        raise InputError(f"{p}: --layers applies to checkpoints ({', '.join(CHECKPOINTS)}) only")
    if p.suffix not in FORMATS:
        raise InputError(
            f"{p}: unknown network format {p.suffix!r} (use .npz, .json, {', '.join(CHECKPOINTS)})"
        )
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    raw = _read_npz(p) if p.suffix == ".npz" else _read_json(p)
    weights, biases, file_act = raw
    act = _activation(activation, file_act, p)
    try:
        return ConcreteNetwork(tuple(weights), tuple(biases), act)
    except InputError as exc:
        raise InputError(f"{p}: {exc}") from None


def _activation(override: str | None, from_file: str | None, p: Path) -> Activation:
    spec = override or from_file
    if spec is None:
        raise InputError(f"{p}: no activation in the file; pass --activation NAME")
    return get_activation(spec)


def _read_npz(p: Path) -> tuple[list[np.ndarray], list[np.ndarray | None], str | None]:
    with p.open("rb") as fh:
        if fh.read(2) != b"PK":
            raise InputError(f"{p}: not a .npz file (no zip header)")
        fh.seek(0)
        try:
            with np.load(fh, allow_pickle=False) as data:
                arrays = {k: np.array(data[k]) for k in data.files}
        except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
            raise InputError(f"{p}: not a readable .npz file ({exc})") from None
    layers = sorted(int(k[1:]) for k in arrays if k[:1] == "W" and k[1:].isdigit())
    if not layers:
        raise InputError(f"{p}: no weight arrays W0, W1, … found")
    if layers != list(range(len(layers))):
        raise InputError(f"{p}: weight arrays must be W0 … W{len(layers) - 1} with none missing")
    depth = len(layers)
    known = {f"W{k}" for k in range(depth)} | {f"b{k}" for k in range(depth)}
    unknown = sorted(set(arrays) - known - {"activation", "beta"})
    if unknown:
        raise InputError(f"{p}: unexpected array(s) {', '.join(unknown)}")
    weights = [_matrix(arrays[f"W{k}"], f"W{k}", p) for k in range(depth)]
    biases = [
        _vector(arrays[f"b{k}"], f"b{k}", p) if f"b{k}" in arrays else None for k in range(depth)
    ]
    act = None
    if "activation" in arrays:
        if arrays["activation"].ndim != 0 or arrays["activation"].dtype.kind not in "US":
            raise InputError(f"{p}: 'activation' must be a 0-d string array")
        act = str(arrays["activation"].item())
        if "beta" in arrays:
            beta = arrays["beta"]
            if beta.ndim != 0 or beta.dtype.kind not in "iuf":
                raise InputError(f"{p}: 'beta' must be a 0-d number")
            act = f"{act}:{float(beta)}"
    return weights, biases, act


def _read_json(p: Path) -> tuple[list[np.ndarray], list[np.ndarray | None], str | None]:
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{p}: not a readable JSON network ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("weights"), list):
        raise InputError(f"{p}: expected an object with a 'weights' list")
    weights = [_matrix(w, f"weights[{k}]", p) for k, w in enumerate(data["weights"])]
    raw_b = data.get("biases") or [None] * len(weights)
    if not isinstance(raw_b, list) or len(raw_b) != len(weights):
        raise InputError(f"{p}: 'biases' must be a list with one entry (or null) per layer")
    biases = [None if b is None else _vector(b, f"biases[{k}]", p) for k, b in enumerate(raw_b)]
    act = data.get("activation")
    if act is not None:
        act = str(act)
        if data.get("beta") is not None:
            act = f"{act}:{data['beta']}"
    return weights, biases, act


def _has_bool(value: Any) -> bool:
    """JSON true/false anywhere in a nested list (they are not weights)."""
    if isinstance(value, bool):
        return True
    return isinstance(value, list) and any(_has_bool(v) for v in value)


def _array(value: Any, name: str, p: Path, ndim: int) -> np.ndarray:
    """A finite float64 array of ``ndim`` dimensions, or a one-line :class:`InputError`."""
    kind = "matrix" if ndim == 2 else "vector"
    if _has_bool(value):
        raise InputError(f"{p}: {name} holds true/false, not numbers")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(f"{p}: {name} is not a numeric {kind}") from None
    if arr.ndim != ndim:
        raise InputError(f"{p}: {name} must be a {kind} (got shape {arr.shape})")
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{p}: {name} has NaN or infinite entries")
    return arr


def _matrix(value: Any, name: str, p: Path) -> np.ndarray:
    return _array(value, name, p, 2)


def _vector(value: Any, name: str, p: Path) -> np.ndarray:
    return _array(value, name, p, 1)


def network_to_json(net: ConcreteNetwork, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON document of ``net`` (weights as nested lists, exact float repr)."""
    data: dict[str, Any] = {
        "activation": net.activation.name,
        "beta": net.activation.beta,
        "weights": [w.tolist() for w in net.weights],
        "biases": [None if b is None else b.tolist() for b in net.biases],
    }
    if extra:
        data |= extra
    return data


def save_network(
    net: ConcreteNetwork, path: str | Path, extra: dict[str, Any] | None = None
) -> Path:
    """Write ``net`` atomically as .json (with ``extra`` keys) or .npz; return the path."""
    p = Path(path)
    if p.suffix not in FORMATS:
        raise InputError(f"{p}: unknown network format {p.suffix!r} (use .npz or .json)")
    if not p.parent.exists():
        raise InputError(f"{p.parent}: no such folder")
    with atomic_open(p, binary=True) as fh:
        if p.suffix == ".json":
            text = json.dumps(network_to_json(net, extra), indent=2, sort_keys=True)
            fh.write(text.encode("utf-8") + b"\n")
        else:
            arrays: dict[str, Any] = {f"W{k}": w for k, w in enumerate(net.weights)}
            arrays |= {f"b{k}": b for k, b in enumerate(net.biases) if b is not None}
            arrays["activation"] = np.array(net.activation.name)
            if net.activation.beta is not None:
                arrays["beta"] = np.array(net.activation.beta)
            np.savez(fh, **arrays)
    return p
