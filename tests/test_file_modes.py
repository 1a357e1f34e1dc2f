"""Files ptheorem writes get the umask's mode (``0o666 & ~umask``), as ``open`` would give
them, and an overwrite keeps the mode of the file it replaces (not ``mkstemp``'s 0600)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ptheorem.cli import app
from ptheorem.io.files import atomic_open, write_atomic

ENV = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}
WITNESS = ["check", "-L", "3", "-d", "2", "--widths", "4", "--mask", "blocks:2", "-q"]


@contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _run(*args: str) -> None:
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert result.exit_code in (0, 1), result.stdout + result.stderr


#: (files the command writes, under tmp_path) for each kind of output file.
WRITERS = {
    "witness .json": (lambda t: [*WITNESS, "--witness", str(t / "w.json")], ["w.json"]),
    "witness .npz": (lambda t: [*WITNESS, "--witness", str(t / "w.npz")], ["w.npz"]),
    "golden files": (
        lambda t: ["snapshot", str(t / "g"), "--grid", "depth=2,dim=2", "-j", "1"],
        ["g/L2_d2_w2_nobias.json"],
    ),
    "sweep rows": (
        lambda t: ["sweep", "-g", "depth=2,dim=2", "-j", "1", "--out", str(t / "rows.jsonl")],
        ["rows.jsonl"],
    ),
    **{
        f"export {ext}": (
            lambda t, ext=ext: ["explain", "-L", "2", "-d", "2", "--export", str(t / f"x{ext}")],
            [f"x{ext}"],
        )
        for ext in (".svg", ".html", ".md", ".tex")
    },
}


@pytest.mark.parametrize("name", list(WRITERS))
@pytest.mark.parametrize("mask", [0o077, 0o002])
def test_a_new_file_gets_the_umask_mode(tmp_path: Path, name: str, mask: int) -> None:
    args, files = WRITERS[name]
    with umask(mask):
        _run(*args(tmp_path))
    for f in files:
        assert mode(tmp_path / f) == 0o666 & ~mask, f"{f}: {oct(mode(tmp_path / f))}"


@pytest.mark.parametrize("name", ["witness .json", "witness .npz", "golden files", "export .md"])
def test_an_overwrite_keeps_the_existing_mode(tmp_path: Path, name: str) -> None:
    args, files = WRITERS[name]
    target = tmp_path / files[0]
    target.parent.mkdir(exist_ok=True)
    # an existing golden file is overwritten as a golden file; the others need --force
    with umask(0o022):
        _run(*args(tmp_path))
    os.chmod(target, 0o640)
    before = target.read_bytes()
    if name == "golden files":  # make snapshot rewrite it
        target.write_text(before.decode().replace('"seed": 0', '"seed": 1'))
    with umask(0o000):
        _run(*args(tmp_path), *([] if name == "golden files" else ["--force"]))
    assert mode(target) == 0o640
    assert target.read_bytes() == before  # it was written again


def test_the_atomic_writer_itself(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    with umask(0o027):
        write_atomic(path, "one\n")
        assert mode(path) == 0o640
        os.chmod(path, 0o604)
        with atomic_open(path, binary=True) as fh:
            fh.write(b"two\n")
        assert (mode(path), path.read_bytes()) == (0o604, b"two\n")
        # a read-only file keeps its mode too (the rename replaces it)
        os.chmod(path, 0o444)
        write_atomic(path, "three\n")
        assert (mode(path), path.read_text()) == (0o444, "three\n")
    assert sorted(os.listdir(tmp_path)) == ["a.txt"]
