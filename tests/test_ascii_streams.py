"""Streams that cannot encode Unicode (``PYTHONIOENCODING=ascii``) get ASCII, never a crash.

Every command writes through the same fallback: rich draws ASCII boxes for such a
stream, the ``ptheorem-ascii`` error handler spells the rest as ``--ascii`` does
(θ → theta, ≥ → >=), and JSON keeps its data with ``\\uXXXX`` escapes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ptheorem.output.text.console import ASCII_FALLBACK, ascii_for, can_encode

DATA = Path(__file__).parent / "data"
ENV = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb"}


def ptheorem(*args: str, encoding: str = "ascii") -> tuple[int, bytes, bytes]:
    proc = subprocess.run(
        [sys.executable, "-m", "ptheorem", *args],
        capture_output=True,
        env={**ENV, "PYTHONIOENCODING": encoding},
        timeout=300,
        check=False,
    )
    return proc.returncode, proc.stdout, proc.stderr


def assert_ascii(data: bytes) -> None:
    bad = [b for b in data if b > 127]
    assert not bad, data.decode("utf-8", "replace")[:2000]


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["check", "-L", "3", "-d", "2"], 0, ["sigma generic", "theta"]),
        (["audit", str(DATA / "mlp_tanh.safetensors")], None, ["sigma"]),
        (["explain", "-L", "3", "-d", "2"], 0, ["psi_i(x) = sum theta^(2)_in"]),
        (["sweep", "--grid", "depth=1..3,dim=2", "--jobs", "1"], 0, ["proved", "+---"]),
        (["check", "--help"], 0, ["--depth"]),
    ],
    ids=lambda v: " ".join(v[:1]) if isinstance(v, list) else str(v),
)
def test_every_command_degrades_to_ascii(
    args: list[str], code: int | None, words: list[str]
) -> None:
    rc, out, err = ptheorem(*args)
    if code is not None:
        assert rc == code, err.decode("utf-8", "replace")
    else:
        assert rc in (0, 1, 3, 5), err.decode("utf-8", "replace")  # a verdict, not a crash
    assert b"Traceback" not in err and b"UnicodeEncodeError" not in err
    assert_ascii(out)
    assert_ascii(err)
    assert b"\\u03" not in out  # spelled, not escaped
    for word in words:
        assert word.encode() in out


def test_the_same_commands_print_unicode_on_a_utf8_stream() -> None:
    rc, out, _ = ptheorem("check", "-L", "3", "-d", "2", encoding="utf-8")
    assert rc == 0 and "σ generic".encode() in out


def test_json_keeps_its_data_in_ascii() -> None:
    rc, out, err = ptheorem("check", "-L", "3", "-d", "2", "-f", "json")
    assert rc == 0, err
    assert_ascii(out)
    _, utf8, _ = ptheorem("check", "-L", "3", "-d", "2", "-f", "json", encoding="utf-8")
    assert b"\\u" in out and not utf8.isascii()
    ours, theirs = json.loads(out), json.loads(utf8)
    for doc in (ours, theirs):
        doc.pop("timings")
    assert ours == theirs  # the same document, escaped


def test_an_error_line_is_ascii() -> None:
    rc, out, err = ptheorem("check", "-L", "3", "-d", "2", "--widths", "≥")
    assert rc == 2 and out == b""
    assert err == b"ptheorem: error: widths must be integers in the digits 0-9 (got '>=')\n"


def test_the_fallback_helpers() -> None:
    assert "σ′ ≥ θ₁x".encode("ascii", ASCII_FALLBACK) == b"sigma' >= theta_1 x"
    with open(os.devnull, "w", encoding="ascii") as ascii_stream:
        assert not can_encode(ascii_stream)
        assert ascii_for(ascii_stream, "θ ≤ 1") == "theta <= 1"
    with open(os.devnull, "w", encoding="utf-8") as utf8_stream:
        assert can_encode(utf8_stream) and ascii_for(utf8_stream, "θ") == "θ"
