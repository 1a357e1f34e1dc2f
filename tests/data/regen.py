"""Write the small real checkpoints in tests/data (run from the repository root).

    python tests/data/regen.py

Each file is an MLP ψ: R³ → R³ as a trainer would save it (torch ``Linear`` layout,
``(out, in)`` weights, keys ``net.0.weight``, ``net.0.bias``, ``net.2.weight``, …):

* ``mlp_tanh.safetensors`` — float32, widths (5, 5), biases, σ named in the
  metadata: a random net, provably not curl-free;
* ``parallel_tanh.safetensors`` — float32, no biases, every input row and output
  column a dyadic multiple of one vector u, middle weights random: curl-free
  exactly (the "parallel pairs" argument), σ not named (pass ``--activation``);
* ``mlp_tanh.pt`` — the first net as a PyTorch ``state_dict`` (zip format),
  written only when torch is installed (the shipped file was made with torch 2.13);
* ``evil.pt`` — a zip checkpoint whose pickle calls ``os.system``: loading it
  with plain ``torch.load`` would run a shell command; ptheorem must refuse it.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def random_mlp() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(13)
    sizes = (3, 5, 5, 3)
    out: dict[str, np.ndarray] = {}
    for k in range(3):
        fan_in, fan_out = sizes[k], sizes[k + 1]
        out[f"net.{2 * k}.weight"] = (rng.standard_normal((fan_out, fan_in)) / fan_in**0.5).astype(
            np.float32
        )
        out[f"net.{2 * k}.bias"] = (0.1 * rng.standard_normal(fan_out)).astype(np.float32)
    return out


def parallel_mlp() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(14)
    u = np.array([0.5, -0.25, 0.75])
    a = np.array([1.0, -0.5, 2.0, 0.25, -1.5])  # input rows a_m·u
    c = np.array([0.5, 1.0, -0.75, 0.125, 2.0])  # output columns c_n·u
    return {
        "net.0.weight": np.outer(a, u).astype(np.float32),
        "net.2.weight": (rng.standard_normal((5, 5)) / 5**0.5).astype(np.float32),
        "net.4.weight": np.outer(u, c).astype(np.float32),
    }


def evil_pickle() -> bytes:
    """A zip checkpoint whose pickle runs ``os.system(...)`` when unpickled without limits."""
    payload = b"cos\nsystem\n(S'touch ptheorem-evil-ran'\ntR."
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("evil/data.pkl", payload)
        zf.writestr("evil/version", "3\n")
        zf.writestr("evil/byteorder", "little")
    return buf.getvalue()


def main() -> None:
    from safetensors.numpy import save_file

    save_file(random_mlp(), str(HERE / "mlp_tanh.safetensors"), metadata={"activation": "tanh"})
    save_file(parallel_mlp(), str(HERE / "parallel_tanh.safetensors"))
    (HERE / "evil.pt").write_bytes(evil_pickle())
    try:
        import torch
    except ImportError:
        print("torch not installed: mlp_tanh.pt left as it is")
    else:
        state = {k: torch.from_numpy(v) for k, v in random_mlp().items()}
        torch.save(state, HERE / "mlp_tanh.pt")
    print(f"checkpoints written to {HERE}")


if __name__ == "__main__":
    main()
