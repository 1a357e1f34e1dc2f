"""Export a torch ``nn.Sequential`` or a JAX / flax MLP to ptheorem's network format, then audit it.

ptheorem reads ``.npz`` files with ``W0 … W{L-1}`` in torch ``Linear.weight`` shape
(out, in), optional biases ``b0 …``, and the activation as a 0-d string array::

    from export_torch_jax import export_torch
    export_torch(model, "score_net.npz")        # nn.Sequential(Linear, Tanh, …, Linear)
    # then:  ptheorem audit score_net.npz

torch and jax are imported lazily: run as a script without torch this prints a
note and exits 0; with torch it exports a small Sequential to a temporary .npz
and runs ``ptheorem audit`` on it.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

#: torch module class name → ptheorem activation (σ must be the same on every hidden layer).
TORCH_ACTIVATIONS = {
    "Tanh": "tanh",
    "SiLU": "swish:1",
    "ReLU": "relu",
    "Softplus": "softplus",
    "GELU": "gelu",
    "Identity": "linear",
}


def save_npz(
    path: str | Path,
    weights: Iterable[Any],
    biases: Iterable[Any | None],
    activation: str,
) -> Path:
    """Write weights (out, in), biases and the activation (``name`` or ``name:beta``) to .npz."""
    arrays: dict[str, np.ndarray] = {}
    for k, w in enumerate(weights):
        arrays[f"W{k}"] = np.asarray(w, dtype=np.float64)
    for k, b in enumerate(biases):
        if b is not None:
            arrays[f"b{k}"] = np.asarray(b, dtype=np.float64)
    name, _, beta = activation.partition(":")
    arrays["activation"] = np.array(name)
    if beta:
        arrays["beta"] = np.array(float(beta))
    np.savez(path, **arrays)
    return Path(path)


def export_torch(model: Any, path: str | Path) -> Path:
    """Export ``nn.Sequential(Linear, σ, Linear, σ, …, Linear)`` (float64 copies of the weights)."""
    import torch  # noqa: F401 - fail early with a clear ImportError when torch is missing

    weights, biases, acts = [], [], set()
    for layer in model:
        kind = type(layer).__name__
        if kind == "Linear":
            weights.append(layer.weight.detach().cpu().double().numpy())
            biases.append(
                None if layer.bias is None else layer.bias.detach().cpu().double().numpy()
            )
        elif kind in TORCH_ACTIVATIONS:
            if kind == "Softplus" and (layer.beta != 1 or layer.threshold < 30):
                raise ValueError("only Softplus(beta=1) with a large threshold matches log(1+eᵗ)")
            if kind == "GELU" and layer.approximate != "none":
                raise ValueError("only the exact GELU (approximate='none') is supported")
            acts.add(TORCH_ACTIVATIONS[kind])
        else:
            raise ValueError(f"unsupported layer {kind}: use Linear and one activation")
    if len(acts) > 1:
        raise ValueError(f"one activation on every hidden layer, got {sorted(acts)}")
    return save_npz(path, weights, biases, acts.pop() if acts else "linear")


def export_jax_mlp(params: Iterable[tuple[Any, Any]], path: str | Path, activation: str) -> Path:
    """Export a pure-JAX MLP given as [(W, b), …] with W in (in, out) layout (``x @ W + b``)."""
    pairs = list(params)
    return save_npz(path, [np.asarray(w).T for w, _ in pairs], [b for _, b in pairs], activation)


def export_flax(params: Mapping[str, Any], path: str | Path, activation: str) -> Path:
    """Export flax ``nn.Dense`` layers (``params["params"]["Dense_0"]["kernel"]`` (in, out), …)."""
    tree = params.get("params", params)
    names = sorted(tree, key=lambda n: int(n.rsplit("_", 1)[-1]))
    pairs = [(tree[n]["kernel"], tree[n].get("bias")) for n in names]
    return export_jax_mlp(pairs, path, activation)


def main() -> int:
    try:
        import torch
    except ImportError:
        print("torch is not installed: nothing to export (the functions above show how).")
        return 0
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(2, 3),
        torch.nn.Tanh(),
        torch.nn.Linear(3, 3),
        torch.nn.Tanh(),
        torch.nn.Linear(3, 2),
    )
    with tempfile.TemporaryDirectory() as folder:
        path = export_torch(model, Path(folder) / "sequential.npz")
        cmd = [sys.executable, "-m", "ptheorem", "audit", str(path), "--quiet", "--no-color"]
        code = subprocess.run(cmd, check=False).returncode
    print(f"ptheorem audit exited with {code} (0 consistent, 1 counterexample, 3 inconclusive)")
    return 0 if code in (0, 1, 3) else code


if __name__ == "__main__":
    sys.exit(main())
