"""Generate the corpus of hostile input files and the manifest of the error each must give.

Every file here is something a user, a broken pipeline or an untrusted pull request could
hand ptheorem; each must end in one line on stderr with exit 2 (never a traceback, a hang,
an abort or an internal error).  ``expected.json`` lists, per file, the command that reads
it and a substring of the expected message; ``tests/test_hostile_files.py`` runs them.

The files are written byte for byte the same on every run (fixed zip timestamps), so
``python tests/data/hostile/make.py`` regenerates the committed corpus.  Files that git
cannot hold — a directory, a FIFO, a symlink loop, a name that is not UTF-8 — are made at
test time by :func:`make_special`.
"""

from __future__ import annotations

import io
import json
import os
import sys
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
#: A fixed timestamp, so the .npz files are reproducible.
DATE = (2020, 1, 1, 0, 0, 0)


def _npy(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, array, allow_pickle=True)
    return buf.getvalue()


def _npz(path: Path, members: dict[str, bytes], compress: bool = False) -> None:
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", method) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(f"{name}.npy", DATE)
            info.compress_type = method
            zf.writestr(info, data)


def _declared(shape: tuple[int, ...], payload: int = 64) -> bytes:
    """An .npy header declaring ``shape`` (float64), followed by a few bytes only."""
    buf = io.BytesIO()
    header = {"descr": "<f8", "fortran_order": False, "shape": shape}
    np.lib.format.write_array_header_1_0(buf, header)
    return buf.getvalue() + b"\0" * payload


def _zip_bomb(path: Path, n: int) -> None:
    """An n × n float64 array of zeros: ~8n² bytes that deflate ~1000:1."""
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buf, {"descr": "<f8", "fortran_order": False, "shape": (n, n)}
    )
    info = zipfile.ZipInfo("W0.npy", DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open(info, "w", force_zip64=True) as member:
            member.write(buf.getvalue())
            block = bytes(1 << 20)
            left = 8 * n * n
            while left:
                member.write(block[: min(left, len(block))])
                left -= min(left, len(block))


def _golden() -> dict[str, Any]:
    """A small but complete golden document (the shape ``load_golden`` wants)."""
    return {
        "config": {"depth": 3, "dim": 2, "widths": [2, 2], "bias": False, "activation": "generic"},
        "verdict": {"method": "symbolic", "status": "proved"},
        "constraints": {
            "groups": [
                {
                    "units": [1, 1],
                    "equations": [
                        {"i": 1, "j": 2, "reduced": "theta0_1_1*theta2_2_1 - theta0_1_2*theta2_1_1"}
                    ],
                }
            ]
        },
        "S": {"kind": "symbolic"},
        "assumptions": [],
    }


def make(directory: Path = HERE) -> list[dict[str, Any]]:
    """Write the corpus into ``directory``; return the manifest entries."""
    d = directory
    d.mkdir(parents=True, exist_ok=True)
    good = {"W0": np.eye(2), "W1": np.eye(2), "W2": np.eye(2)}
    full = io.BytesIO()
    with zipfile.ZipFile(full, "w") as zf:
        for name, arr in good.items():
            zf.writestr(zipfile.ZipInfo(f"{name}.npy", DATE), _npy(arr))
    (d / "truncated.npz").write_bytes(full.getvalue()[: len(full.getvalue()) // 2])
    _zip_bomb(d / "zip_bomb.npz", 4200)
    _npz(d / "declared_huge.npz", {"W0": _declared((200_000, 200_000)), "W1": _npy(np.eye(2))})
    _npz(d / "truncated_member.npz", {"W0": _declared((64, 2), payload=16)})
    pickled = np.empty(2, dtype=object)
    pickled[:] = [["not", "weights"], {"a": 1}]
    _npz(d / "pickled.npz", {"W0": _npy(pickled), "W1": _npy(np.eye(2))})
    (d / "nested.json").write_text("[" * 20_000 + "]" * 20_000, encoding="utf-8")
    nan = {"activation": "tanh", "weights": [[[1.0, "NaN"], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]]]}
    (d / "nan.json").write_text(json.dumps(nan).replace('"NaN"', "NaN"), encoding="utf-8")
    _npz(d / "inf.npz", {"W0": _npy(np.array([[np.inf, 0.0], [0.0, 1.0]])), "W1": _npy(np.eye(2))})
    chain = {"activation": "tanh", "weights": [[[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0, 2.0]]]}
    (d / "shapes.json").write_text(json.dumps(chain), encoding="utf-8")
    big = {"activation": "tanh", "weights": [[[int("9" * 400), 1], [1, 1]], [[1, 0], [0, 1]]]}
    (d / "bigint.json").write_text(json.dumps(big), encoding="utf-8")
    latin1 = '{"activation": "tanh", "weights": [], "note": "café"}'.encode("latin-1")
    (d / "latin1.json").write_bytes(latin1)
    bomb = _golden()
    bomb["constraints"]["groups"][0]["equations"][0]["reduced"] = "(a+b)**99999"
    (d / "golden_bomb.json").write_text(json.dumps(bomb), encoding="utf-8")
    power = _golden()
    power["constraints"]["groups"][0]["equations"][0]["reduced"] = "(a+b)**9**9"
    (d / "golden_tower.json").write_text(json.dumps(power), encoding="utf-8")
    text = _golden()
    text["constraints"]["groups"][0]["equations"] = "theta0_1_1 = 0"
    (d / "golden_equations_string.json").write_text(json.dumps(text), encoding="utf-8")
    (d / "golden_nested.json").write_text('{"a": ' * 5_000 + "1" + "}" * 5_000)
    header = "key,depth,dim,widths,bias,activation,status,method,evidence,seconds,error\n"
    (d / "resume_field.csv").write_text(header + "x" * 70_000 + ",1\n", encoding="utf-8")
    (d / "resume_nested.jsonl").write_text("[" * 20_000 + "]" * 20_000 + "\n")
    (d / "foreign.csv").write_text("name,score\nalice,3", encoding="utf-8")
    (d / "mask_bigint.json").write_text(json.dumps({"masks": [[[int("9" * 400), 1], [1, 1]]]}))
    entries = [
        ("truncated.npz", ["audit", "{file}"], 2, "not a readable .npz file"),
        ("zip_bomb.npz", ["audit", "{file}"], 2, "4200 × 4200 = 17640000 entries"),
        ("declared_huge.npz", ["audit", "{file}"], 2, "200000 × 200000 = 40000000000 entries"),
        ("truncated_member.npz", ["audit", "{file}"], 2, "is truncated"),
        ("pickled.npz", ["audit", "{file}"], 2, "a pickle); refused, never loaded"),
        ("nested.json", ["audit", "{file}"], 2, "JSON nested too deeply"),
        ("nan.json", ["audit", "{file}"], 2, "has NaN or infinite entries"),
        ("inf.npz", ["audit", "{file}", "--activation", "tanh"], 2, "NaN or infinite entries"),
        ("shapes.json", ["audit", "{file}"], 2, "input column(s) but layer 0 has 2 output(s)"),
        ("bigint.json", ["audit", "{file}"], 2, "holds a number too large for float64"),
        ("latin1.json", ["audit", "{file}"], 2, "is not UTF-8 text"),
        (
            "golden_bomb.json",
            ["check", "-L", "3", "-d", "2", "--expect", "{file}"],
            2,
            "exponent 99999 exceeds 64",
        ),
        (
            "golden_tower.json",
            ["check", "-L", "3", "-d", "2", "--expect", "{file}"],
            2,
            "an exponent that is not a plain integer",
        ),
        (
            "golden_equations_string.json",
            ["check", "-L", "3", "-d", "2", "--expect", "{file}"],
            2,
            "'constraints.groups[0].equations' is not a list of objects",
        ),
        (
            "golden_nested.json",
            ["check", "-L", "3", "-d", "2", "--expect", "{file}"],
            2,
            "nested too deeply",
        ),
        (
            "resume_field.csv",
            ["sweep", "--grid", "depth=1,dim=2", "--resume", "{file}"],
            2,
            "is longer than any sweep row",
        ),
        (
            "resume_nested.jsonl",
            ["sweep", "--grid", "depth=1,dim=2", "--resume", "{file}"],
            2,
            ":1 is not a ptheorem sweep row",
        ),
        (
            "foreign.csv",
            ["sweep", "--grid", "depth=1,dim=2", "--out", "{file}"],
            2,
            "is not a ptheorem sweep CSV",
        ),
        (
            "mask_bigint.json",
            ["check", "-L", "3", "-d", "2", "--mask", "{file}"],
            2,
            "holds a number too large for float64",
        ),
    ]
    manifest = [{"file": f, "args": a, "exit_code": c, "message": m} for f, a, c, m in entries]
    (d / "expected.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def make_special(directory: Path) -> list[dict[str, Any]]:
    """Make what git cannot hold (a directory, a FIFO, a symlink loop, a non-UTF-8 name)
    in ``directory``; return their manifest entries (``file`` is a str path)."""
    d = directory
    (d / "a_directory.npz").mkdir(exist_ok=True)
    fifo = d / "fifo.jsonl"
    if not fifo.exists():
        os.mkfifo(fifo)
    loop = d / "loop.json"
    if not loop.is_symlink():
        loop.symlink_to(d / "loop.json")
    raw = os.fsencode(d) + b"/caf\xe9.json"
    with open(raw, "wb") as f:
        f.write(b"\xff\xfe not json")
    name = os.fsdecode(raw)
    missing = os.fsdecode(os.fsencode(d) + b"/gone\xff.npz")
    return [
        {
            "file": str(d / "a_directory.npz"),
            "args": ["audit", "{file}"],
            "exit_code": 2,
            "message": "is a directory, not a regular file",
        },
        {
            "file": str(fifo),
            "args": ["sweep", "--grid", "depth=1,dim=2", "--resume", "{file}"],
            "exit_code": 2,
            "message": "is a FIFO (named pipe), not a regular file",
        },
        {
            "file": str(fifo),
            "args": ["sweep", "--grid", "depth=1,dim=2", "--out", "{file}"],
            "exit_code": 2,
            "message": "is a FIFO (named pipe), not a regular file",
        },
        {
            "file": str(fifo),
            "args": ["check", "-L", "3", "-d", "2", "--expect", "{file}"],
            "exit_code": 2,
            "message": "not a regular file",
        },
        {
            "file": str(loop),
            "args": ["audit", "{file}"],
            "exit_code": 2,
            "message": "a symlink loop",
        },
        {"file": name, "args": ["audit", "{file}"], "exit_code": 2, "message": "caf\\xe9.json"},
        {
            "file": missing,
            "args": ["audit", "{file}"],
            "exit_code": 2,
            "message": "gone\\xff.npz: no such file",
        },
        {
            "file": str(d / "a_directory.npz"),
            "args": [
                "check",
                "-L",
                "3",
                "-d",
                "2",
                "--widths",
                "4",
                "--mask",
                "blocks:2",
                "--witness",
                "{file}",
            ],
            "exit_code": 2,
            "message": "is a directory; give a file name",
        },
    ]


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for entry in make(out):
        print(f"{entry['file']}: {entry['message']}")
