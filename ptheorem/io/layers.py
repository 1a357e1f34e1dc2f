"""Find the Linear layers of a plain MLP in a state_dict and build the ψ network from them.

Candidates are the keys ``NAME.weight`` (2-D, torch ``Linear.weight`` layout
``(out, in)``) with their ``NAME.bias`` if present, in state-dict order, or in
natural order (``net.2`` before ``net.10``) for formats that keep none.
``layers`` (``--layers``) picks them explicitly: comma-separated names (the key
without ``.weight``) or glob patterns over the names.  Every mismatch is a
one-line :class:`~ptheorem.model.errors.InputError` naming the key: shapes that
do not chain, d_in ≠ d_out, a bias without its weight (or a named bias that is
missing), a non-float dtype, NaN/inf.  Weights of any float type are widened to
float64 exactly, so the audit certifies the stored numbers.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ptheorem.activations import get_activation
from ptheorem.model.errors import InputError
from ptheorem.numeric.network import ConcreteNetwork


def state_to_network(
    state: Mapping[str, Any], activation: str, layers: str | None = None
) -> ConcreteNetwork:
    """The ψ network of an in-memory state_dict (numpy arrays or torch tensors), by key order."""
    tensors = {str(k): tensor_array(v) for k, v in state.items()}
    return build_network(tensors, activation, layers, True, "state_dict")


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


def build_network(
    tensors: dict[str, Any], activation: str, layers: str | None, ordered: bool, p: Path | str
) -> ConcreteNetwork:
    """The ψ network of ``tensors`` ({key: array or dtype name}); ``p`` names the source."""
    act = get_activation(activation)
    chosen = pick_layers(tensors, layers, ordered, p)
    weights, biases = _arrays(tensors, chosen, p)
    _check_chain(weights, biases, chosen, p)
    return ConcreteNetwork(tuple(weights), tuple(biases), act)


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
