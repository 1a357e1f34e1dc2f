"""Train a tiny score-matching MLP ψ ≈ ∇log p in numpy, save it as .safetensors, and audit it.

    python examples/score_matching.py [OUT_DIR]

ψ: R² → R² (L = 3, widths 16, tanh, biases) is trained by denoising score matching
(Vincent 2011): for x from a two-Gaussian mixture and y = x + s·ε, minimise
‖ψ(y) + ε/s‖², whose optimum is the score of the smoothed density.  Plain numpy,
hand-written backpropagation and Adam, 400 steps (~1 s).  The model is saved the
way a trainer would (``net.0.weight``, ``net.0.bias``, … in float32, σ in the
safetensors metadata) and then audited twice: in three lines of Python, and by the
CLI as a CI gate (``--require curl-free``).  A trained explicit ψ with two hidden
layers is, as Theorem 5 predicts, not a gradient field: the audit proves it (an
interval certificate), so the gate exits 1 — the build a pipeline would fail.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

SIZES = (2, 16, 16, 2)
NOISE = 0.3


def init(rng: np.random.Generator) -> list[np.ndarray]:
    params = []
    for k in range(len(SIZES) - 1):
        params.append(rng.standard_normal((SIZES[k + 1], SIZES[k])) / np.sqrt(SIZES[k]))
        params.append(np.zeros(SIZES[k + 1]))
    return params


def forward(params: list[np.ndarray], y: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """ψ(y) and the hidden activations (for backpropagation)."""
    hs = [y]
    h = y
    for k in range(len(SIZES) - 1):
        z = h @ params[2 * k].T + params[2 * k + 1]
        h = np.tanh(z) if k < len(SIZES) - 2 else z
        hs.append(h)
    return h, hs


def loss_and_grads(
    params: list[np.ndarray], y: np.ndarray, target: np.ndarray
) -> tuple[float, list[np.ndarray]]:
    out, hs = forward(params, y)
    diff = out - target
    loss = float(np.mean(np.sum(diff**2, axis=1)))
    grads = [np.empty(0)] * len(params)
    delta = 2.0 * diff / y.shape[0]
    for k in range(len(SIZES) - 2, -1, -1):
        grads[2 * k] = delta.T @ hs[k]
        grads[2 * k + 1] = delta.sum(axis=0)
        if k:
            delta = (delta @ params[2 * k]) * (1.0 - hs[k] ** 2)
    return loss, grads


def train(steps: int = 400, seed: int = 0) -> tuple[list[np.ndarray], float, float]:
    rng = np.random.default_rng(seed)
    params = init(rng)
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    centres = np.array([[-1.5, 0.0], [1.5, 0.5]])
    first = last = 0.0
    for t in range(1, steps + 1):
        x = centres[rng.integers(0, 2, 256)] + 0.3 * rng.standard_normal((256, 2))
        eps = rng.standard_normal((256, 2))
        loss, grads = loss_and_grads(params, x + NOISE * eps, -eps / NOISE)
        first = loss if t == 1 else first
        last = loss
        for i, g in enumerate(grads):  # Adam
            m[i] = 0.9 * m[i] + 0.1 * g
            v[i] = 0.999 * v[i] + 0.001 * g * g
            step = 0.01 * (m[i] / (1 - 0.9**t)) / (np.sqrt(v[i] / (1 - 0.999**t)) + 1e-8)
            params[i] = params[i] - step
    return params, first, last


def save(params: list[np.ndarray], path: Path) -> Path:
    from safetensors.numpy import save_file

    tensors = {}
    for k in range(len(SIZES) - 1):
        tensors[f"net.{2 * k}.weight"] = params[2 * k].astype(np.float32)
        tensors[f"net.{2 * k}.bias"] = params[2 * k + 1].astype(np.float32)
    save_file(tensors, str(path), metadata={"activation": "tanh"})
    return path


def main(out_dir: str | None = None) -> int:
    if out_dir is None:  # nothing left behind unless a folder is asked for
        with tempfile.TemporaryDirectory(prefix="ptheorem-score-") as tmp:
            return run(Path(tmp))
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return run(folder)


def run(folder: Path) -> int:
    """Train, save into ``folder``, audit; 0 when the CLI gate agrees with the API."""
    params, first, last = train()
    print(f"denoising score matching: loss {first:.3f} → {last:.3f} after 400 steps")
    assert last < first, "training did not reduce the loss"
    path = save(params, folder / "score_net.safetensors")

    import ptheorem  # the three lines of Python

    report = ptheorem.audit(path)
    print(f"Python API: {report.verdict.status.value} — {report.verdict.explanation}")

    gate = [sys.executable, "-m", "ptheorem", "audit", str(path), "--require", "curl-free", "-q"]
    proc = subprocess.run(gate, capture_output=True, text=True, check=False)
    print(f"$ ptheorem audit {path.name} --require curl-free -q\n{proc.stdout.strip()}")
    print(f"exit code {proc.returncode}: a pipeline gating on a gradient field fails here")
    expected = int(ptheorem.require(report, "curl-free").exit_code)
    assert proc.returncode == expected, proc.stderr
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else None))
