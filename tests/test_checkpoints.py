"""Checkpoints are read as data: safetensors and PyTorch state_dicts, and every bad file is exit 2.

The shipped files in ``tests/data`` come from ``tests/data/regen.py``; the bad
ones are built here, byte by byte, so each failure class is a file a test owns.
"""

from __future__ import annotations

import importlib.util
import json
import struct
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import save_file
from typer.testing import CliRunner

from ptheorem.cli import app
from ptheorem.io.checkpoints import load_checkpoint
from ptheorem.io.layers import natural_key
from ptheorem.io.netfile import load_network
from ptheorem.model.errors import InputError

DATA = Path(__file__).resolve().parent / "data"
HAS_TORCH = importlib.util.find_spec("torch") is not None
needs_torch = pytest.mark.skipif(not HAS_TORCH, reason="torch not installed (optional extra)")
runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "100"})
    return result.exit_code, result.stdout, result.stderr


def write_raw(path: Path, entries: dict[str, tuple[str, list[int], bytes]], meta=None) -> Path:
    """A .safetensors file written by hand: {key: (dtype, shape, raw bytes)}."""
    header: dict[str, object] = {}
    data = b""
    for key, (dtype, shape, raw) in entries.items():
        header[key] = {
            "dtype": dtype,
            "shape": shape,
            "data_offsets": [len(data), len(data) + len(raw)],
        }
        data += raw
    if meta is not None:
        header["__metadata__"] = meta
    head = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(head)) + head + data)
    return path


def mlp(sizes=(3, 4, 3), bias=True, seed=0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    out = {}
    for k in range(len(sizes) - 1):
        out[f"net.{2 * k}.weight"] = rng.standard_normal((sizes[k + 1], sizes[k]))
        if bias:
            out[f"net.{2 * k}.bias"] = rng.standard_normal(sizes[k + 1])
    return out


def save(path: Path, tensors: dict[str, np.ndarray], activation: str | None = "tanh") -> Path:
    save_file(
        tensors, str(path), metadata=None if activation is None else {"activation": activation}
    )
    return path


# --- the shipped files ------------------------------------------------------------------


def test_shipped_safetensors_loads_exactly_the_stored_float32_weights() -> None:
    from safetensors.numpy import load_file

    net = load_network(DATA / "mlp_tanh.safetensors")
    stored = load_file(str(DATA / "mlp_tanh.safetensors"))
    assert net.depth == 3 and net.dim == 3 and net.widths == (5, 5)
    assert net.activation.name == "tanh"  # from the header's metadata
    for k in range(3):
        assert np.array_equal(net.weights[k], stored[f"net.{2 * k}.weight"].astype(np.float64))
        assert net.biases[k] is not None


def test_shipped_safetensors_audits_to_a_verdict() -> None:
    code, out, _ = invoke("audit", str(DATA / "mlp_tanh.safetensors"), "-q")
    assert code == 0 and "not curl-free (interval-certified" in out


def test_an_unnamed_activation_asks_for_one_and_the_option_supplies_it() -> None:
    path = str(DATA / "parallel_tanh.safetensors")
    code, _, err = invoke("audit", path)
    assert code == 2 and "--activation" in err and len(err.strip().splitlines()) == 1
    code, out, _ = invoke("audit", path, "--activation", "tanh", "-q")
    assert code == 0 and "curl-free (exact, parallel pairs" in out


@needs_torch
def test_shipped_state_dict_matches_the_safetensors_file() -> None:
    from_pt = load_network(DATA / "mlp_tanh.pt", "tanh")
    from_st = load_network(DATA / "mlp_tanh.safetensors")
    for a, b in zip(from_pt.weights, from_st.weights, strict=True):
        assert np.array_equal(a, b)
    code, _, _ = invoke("audit", str(DATA / "mlp_tanh.pt"), "--activation", "tanh", "-q")
    assert code == 0


@needs_torch
def test_a_pickle_with_code_is_refused_and_never_run(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = invoke("audit", str(DATA / "evil.pt"), "--activation", "tanh")
    assert code == 2 and "os.system" in err
    assert not (tmp_path / "ptheorem-evil-ran").exists()


def test_without_torch_a_state_dict_gets_the_install_hint(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now raises ImportError
    with pytest.raises(InputError, match=r"ptheorem\[torch\]"):
        load_checkpoint(DATA / "mlp_tanh.pt", "tanh")


@needs_torch
def test_state_dict_order_wrappers_and_dtypes(tmp_path) -> None:
    import torch

    state = {k: torch.from_numpy(v) for k, v in mlp((3, 4, 4, 3), seed=1).items()}
    state["net.2.weight"] = state["net.2.weight"].to(torch.bfloat16)
    torch.save({"state_dict": state, "activation": "swish:2", "epoch": 3}, tmp_path / "ck.pth")
    net = load_network(tmp_path / "ck.pth")
    assert net.activation.spec == "swish:2" and net.widths == (4, 4)
    assert np.array_equal(net.weights[1], state["net.2.weight"].float().numpy().astype(np.float64))
    state["net.4.weight"] = state["net.4.weight"].to(torch.int64)
    torch.save(state, tmp_path / "int.pt")
    with pytest.raises(InputError, match=r"net\.4\.weight has dtype int64"):
        load_network(tmp_path / "int.pt", "tanh")


# --- bad files: one line, exit 2, nothing allocated or run ------------------------------


def test_legacy_and_compressed_torch_files_are_refused(tmp_path) -> None:
    legacy = tmp_path / "legacy.pt"
    legacy.write_bytes(b"\x80\x02cos\nsystem\nq\x00.")
    with pytest.raises(InputError, match="legacy"):
        load_network(legacy, "tanh")
    packed = tmp_path / "packed.pt"
    with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a/data.pkl", b"\x00" * 10_000)
    with pytest.raises(InputError, match="compressed or larger"):
        load_network(packed, "tanh")


def test_truncated_safetensors_names_the_key(tmp_path) -> None:
    path = save(tmp_path / "t.safetensors", mlp())
    raw = path.read_bytes()
    path.write_bytes(raw[:-20])
    code, _, err = invoke("audit", str(path))
    assert code == 2 and "net.2" in err and "truncated" in err
    path.write_bytes(raw[:5])
    code, _, err = invoke("audit", str(path))
    assert code == 2 and "truncated" in err


def test_a_huge_declared_size_in_a_tiny_file_is_refused_unallocated(tmp_path) -> None:
    path = write_raw(
        tmp_path / "huge.safetensors",
        {"net.0.weight": ("F64", [100_000, 100_000], b"\x00" * 64)},
    )
    with pytest.raises(InputError, match="needs 80000000000 bytes"):
        load_network(path, "tanh")
    lying = tmp_path / "header.safetensors"
    lying.write_bytes(struct.pack("<Q", 1 << 60) + b"{}")
    with pytest.raises(InputError, match="header of 1152921504606846976 bytes"):
        load_network(lying, "tanh")
    beyond = write_raw(tmp_path / "beyond.safetensors", {"w.weight": ("F32", [2, 2], b"")})
    with pytest.raises(InputError):
        load_network(beyond, "tanh")


@pytest.mark.parametrize(
    ("tensors", "message"),
    [
        (
            mlp((3, 4, 3)) | {"net.2.weight": np.ones((3, 5))},
            r"do not chain: net\.2\.weight takes 5",
        ),
        (mlp((3, 4, 2)), r"net\.0\.weight takes 3 inputs but net\.2\.weight gives 2"),
        (mlp() | {"net.0.weight": np.array([[np.nan, 0, 0]] * 4)}, r"net\.0\.weight has NaN"),
        (mlp() | {"net.2.bias": np.ones(5)}, r"net\.2\.bias has 5 entries"),
        (mlp() | {"head.bias": np.ones(3)}, r"head\.bias has no matching weight"),
        (mlp() | {"norm.weight": np.ones(4)}, r"not a plain MLP: norm\.weight"),
        (
            mlp() | {"net.0.weight": np.ones((4, 3), dtype=np.int32)},
            r"net\.0\.weight has dtype I32",
        ),
        ({"x": np.ones(3)}, "no Linear layers"),
    ],
)
def test_every_mismatch_is_one_line_naming_the_key(tmp_path, tensors, message) -> None:
    path = save(tmp_path / "bad.safetensors", tensors)
    with pytest.raises(InputError, match=message):
        load_network(path)
    code, out, err = invoke("audit", str(path), "-f", "json")
    assert code == 2 and json.loads(out)["error"]["exit_code"] == 2
    assert len(err.strip().splitlines()) == 1


def test_bfloat16_is_widened_exactly(tmp_path) -> None:
    values = np.array([1.0, -2.5, 0.15625, 2.0**127], dtype=np.float32)
    raw16 = (values.view(np.uint32) >> 16).astype("<u2")  # these values are exact in bf16
    w = np.tile(raw16, 4).reshape(4, 4)
    path = write_raw(
        tmp_path / "bf.safetensors",
        {"a.weight": ("BF16", [4, 4], w.tobytes()), "b.weight": ("BF16", [4, 4], w.tobytes())},
        {"activation": "tanh"},
    )
    net = load_network(path)
    assert net.weights[0][0].tolist() == values.astype(np.float64).tolist()


# --- layers -----------------------------------------------------------------------------


def test_layers_are_found_in_natural_order(tmp_path) -> None:
    sizes = (2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 2)
    tensors = mlp(sizes, bias=False)
    net = load_network(save(tmp_path / "deep.safetensors", tensors))
    assert net.widths == sizes[1:-1]  # net.10 comes after net.2, not before
    assert natural_key("a.10") > natural_key("a.9")


def test_layers_option_picks_by_name_glob_and_reports_missing_keys(tmp_path) -> None:
    tensors = {f"enc.{k}": v for k, v in mlp((3, 4, 3)).items()} | {
        "norm.weight": np.ones(4),
        "head.weight": np.ones((7, 3)),
    }
    path = save(tmp_path / "mixed.safetensors", tensors)
    with pytest.raises(InputError, match="not a plain MLP"):
        load_network(path)
    by_glob = load_network(path, layers="enc.*")
    by_name = load_network(path, layers="enc.net.0, enc.net.2.weight")
    assert by_glob.widths == by_name.widths == (4,)
    with pytest.raises(InputError, match="matches no layer"):
        load_network(path, layers="dec.*")
    with pytest.raises(InputError, match="no key fc.weight"):
        load_network(path, layers="fc")
    with pytest.raises(InputError, match="head.bias.*missing"):
        load_network(path, layers="enc.net.0,head.bias")
    code, _, err = invoke("audit", str(path), "--layers", "enc.*", "-q")
    assert code in (0, 5), err


def test_layers_is_refused_for_npz(tmp_path) -> None:
    np.savez(tmp_path / "n.npz", W0=np.eye(2), W1=np.eye(2), activation=np.array("tanh"))
    with pytest.raises(InputError, match="--layers applies to checkpoints"):
        load_network(tmp_path / "n.npz", layers="W*")


def test_a_truncated_state_dict_is_refused_before_torch_reads_it(tmp_path) -> None:
    raw = (DATA / "mlp_tanh.pt").read_bytes()
    cut = tmp_path / "cut.pt"
    cut.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(InputError, match="truncated or corrupt"):
        load_network(cut, "tanh")
    code, _, err = invoke("audit", str(cut), "--activation", "tanh")
    assert code == 2 and len(err.strip().splitlines()) == 1
