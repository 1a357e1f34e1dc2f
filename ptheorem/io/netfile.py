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
from pathlib import Path
from typing import Any

import numpy as np

from ptheorem.activations import Activation, get_activation
from ptheorem.io.arrays import load_json, load_npz, number_array
from ptheorem.io.files import atomic_open, regular_file, show_path
from ptheorem.model.errors import InputError
from ptheorem.numeric.network import ConcreteNetwork

FORMATS = (".npz", ".json")


def load_network(
    path: str | Path, activation: str | None = None, layers: str | None = None
) -> ConcreteNetwork:
    """Load a network file; ``activation`` (``NAME[:beta]``) overrides the file's.

    ``.safetensors``/``.pt``/``.pth`` checkpoints go to :mod:`ptheorem.io.checkpoints`
    (``layers`` picks their Linear layers); ``layers`` is refused for other formats.
    Only regular files are read; the sizes a file declares are checked before
    anything is allocated (:mod:`ptheorem.io.arrays`); every problem is a one-line
    :class:`InputError`.
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
            f"{show_path(p)}: unknown network format {p.suffix!r} "
            f"(use .npz, .json, {', '.join(CHECKPOINTS)})"
        )
    regular_file(p, "network file")
    raw = _read_npz(p) if p.suffix == ".npz" else _read_json(p)
    weights, biases, file_act = raw
    act = _activation(activation, file_act, p)
    try:
        return ConcreteNetwork(tuple(weights), tuple(biases), act)
    except InputError as exc:
        raise InputError(f"{show_path(p)}: {exc}") from None


def _activation(override: str | None, from_file: str | None, p: Path) -> Activation:
    spec = override or from_file
    if spec is None:
        raise InputError(f"{show_path(p)}: no activation in the file; pass --activation NAME")
    return get_activation(spec)


def _read_npz(p: Path) -> tuple[list[np.ndarray], list[np.ndarray | None], str | None]:
    where = show_path(p)
    arrays = load_npz(p, "network file")
    layers = sorted(int(k[1:]) for k in arrays if k[:1] == "W" and k[1:].isdigit())
    if not layers:
        raise InputError(f"{where}: no weight arrays W0, W1, … found")
    if layers != list(range(len(layers))):
        last = len(layers) - 1
        raise InputError(f"{where}: weight arrays must be W0 … W{last} with none missing")
    depth = len(layers)
    known = {f"W{k}" for k in range(depth)} | {f"b{k}" for k in range(depth)}
    unknown = sorted(set(arrays) - known - {"activation", "beta"})
    if unknown:
        raise InputError(f"{where}: unexpected array(s) {', '.join(unknown)}")
    weights = [number_array(arrays[f"W{k}"], f"W{k}", where, 2) for k in range(depth)]
    biases = [
        number_array(arrays[f"b{k}"], f"b{k}", where, 1) if f"b{k}" in arrays else None
        for k in range(depth)
    ]
    act = None
    if "activation" in arrays:
        if arrays["activation"].ndim != 0 or arrays["activation"].dtype.kind not in "US":
            raise InputError(f"{where}: 'activation' must be a 0-d string array")
        act = str(arrays["activation"].item())
        if "beta" in arrays:
            beta = arrays["beta"]
            if beta.ndim != 0 or beta.dtype.kind not in "iuf":
                raise InputError(f"{where}: 'beta' must be a 0-d number")
            act = f"{act}:{float(beta)}"
    return weights, biases, act


def _read_json(p: Path) -> tuple[list[np.ndarray], list[np.ndarray | None], str | None]:
    where = show_path(p)
    data = load_json(p, "network file")
    if not isinstance(data, dict) or not isinstance(data.get("weights"), list):
        raise InputError(f"{where}: expected an object with a 'weights' list")
    weights = [number_array(w, f"weights[{k}]", where, 2) for k, w in enumerate(data["weights"])]
    raw_b = data.get("biases") or [None] * len(weights)
    if not isinstance(raw_b, list) or len(raw_b) != len(weights):
        raise InputError(f"{where}: 'biases' must be a list with one entry (or null) per layer")
    biases = [
        None if b is None else number_array(b, f"biases[{k}]", where, 1)
        for k, b in enumerate(raw_b)
    ]
    act = data.get("activation")
    if act is not None:
        if not isinstance(act, str):
            raise InputError(f"{where}: 'activation' must be a string such as \"tanh\"")
        beta = data.get("beta")
        if beta is not None:
            if not isinstance(beta, int | float) or isinstance(beta, bool):
                raise InputError(f"{where}: 'beta' must be a number")
            act = f"{act}:{beta}"
    return weights, biases, act


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
        raise InputError(f"{show_path(p)}: unknown network format {p.suffix!r} (use .npz or .json)")
    if not p.parent.exists():
        raise InputError(f"{show_path(p.parent)}: no such folder")
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
