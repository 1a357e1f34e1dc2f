"""Masks: which middle-layer weights are fixed to zero (``--mask``).

A mask holds one 0/1 matrix per *middle* weight layer θ⁽¹⁾ … θ⁽ᴸ⁻²⁾, in the
torch (out, in) shape; 0 means "this weight is zero".  Forms accepted:

* ``blocks:K`` — every middle layer block-diagonal with K blocks (hidden
  units split into K contiguous, near-equal groups), so the net splits into
  K independent channels between the first and last hidden layers;
* a ``.json`` file ``{"masks": [M1, …]}`` or ``[M1, …]``, or a ``.npz`` file with
  arrays ``M1`` … ``M{L-2}``.

>>> from ptheorem.model.spec import NetworkSpec, parse_count
>>> m = parse_mask("blocks:2", NetworkSpec(3, 2, (4, 4)))
>>> m.layers[0].astype(int).tolist()
[[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 1], [0, 0, 1, 1]]
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ptheorem.io.arrays import load_json, load_npz, number_array
from ptheorem.io.files import regular_file, show_path
from ptheorem.model.errors import InputError
from ptheorem.model.spec import NetworkSpec, parse_count


@dataclass(frozen=True, eq=False)
class Mask:
    """0/1 matrices for the middle weight layers 1 … L−2 (``layers[k-1]`` is layer k)."""

    source: str
    layers: tuple[np.ndarray, ...]

    def for_layer(self, k: int) -> np.ndarray | None:
        """The mask of weight layer ``k`` (None for the first and last layers)."""
        if 1 <= k <= len(self.layers):
            return self.layers[k - 1]
        return None

    def apply(self, weights: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
        """Zero the masked entries of a full list of weight matrices."""
        out = list(weights)
        for k, m in enumerate(self.layers, start=1):
            out[k] = np.where(m, out[k], 0.0)
        return tuple(out)


def _blocks(rows: int, cols: int, k: int) -> np.ndarray:
    r = np.array_split(np.arange(rows), k)
    c = np.array_split(np.arange(cols), k)
    m = np.zeros((rows, cols), dtype=bool)
    for rb, cb in zip(r, c, strict=True):
        m[np.ix_(rb, cb)] = True
    return m


def parse_mask(text: str, spec: NetworkSpec) -> Mask:
    """Parse ``--mask`` for ``spec``; raise a one-line :class:`InputError` when it does not fit."""
    middle = [(spec.sizes[k + 1], spec.sizes[k]) for k in range(1, spec.depth - 1)]
    if not middle:
        raise InputError(f"--mask needs middle weight layers (depth ≥ 3), got depth {spec.depth}")
    if spec.dim < 2:
        raise InputError("--mask needs dim ≥ 2: in d = 1 every ψ is a gradient, nothing to split")
    if text.startswith("blocks:"):
        try:
            k = parse_count(text.split(":", 1)[1], "K")
        except InputError:
            raise InputError(f"--mask blocks:K needs an integer K (got {text!r})") from None
        smallest = min(min(shape) for shape in middle)
        if not 1 <= k <= smallest:
            raise InputError(f"--mask blocks:{k} needs 1 ≤ K ≤ {smallest} (the narrowest width)")
        return Mask(text, tuple(_blocks(r, c, k) for r, c in middle))
    layers = _read_file(Path(text))
    where = show_path(text)
    if len(layers) != len(middle):
        raise InputError(
            f"{where}: {len(layers)} mask matrices, but depth {spec.depth} has {len(middle)} "
            "middle weight layer(s)"
        )
    out = []
    for k, (m, shape) in enumerate(zip(layers, middle, strict=True), start=1):
        if m.shape != shape:
            raise InputError(f"{where}: mask of layer {k} has shape {m.shape}, expected {shape}")
        if not np.all((m == 0) | (m == 1)):
            raise InputError(f"{where}: mask of layer {k} must hold only 0 and 1")
        out.append(m.astype(bool))
    return Mask(text, tuple(out))


def _read_file(p: Path) -> list[np.ndarray]:
    where = show_path(p)
    if p.suffix not in (".npz", ".json"):
        if not os.path.lexists(p):
            raise InputError(f"{where}: no such mask file (or use blocks:K)")
        raise InputError(f"{where}: unknown mask format {p.suffix!r} (use .json, .npz or blocks:K)")
    if not os.path.lexists(p):
        raise InputError(f"{where}: no such mask file (or use blocks:K)")
    regular_file(p, "mask file")
    if p.suffix == ".npz":
        arrays = load_npz(p, "mask file")
        out, k = [], 1
        while f"M{k}" in arrays:
            out.append(number_array(arrays[f"M{k}"], f"M{k}", where, 2))
            k += 1
        return out
    data = load_json(p, "mask file")
    raw = data.get("masks") if isinstance(data, dict) else data
    if not isinstance(raw, list):
        raise InputError(f'{where}: expected {{"masks": [M1, …]}} or a list of 0/1 matrices')
    return [number_array(m, f"mask {k}", where, 2, allow_bool=True) for k, m in enumerate(raw, 1)]
