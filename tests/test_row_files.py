"""Sweep row files: a user's file is never cut or extended, a torn row is redone, FIFOs refused."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ptheorem.cli import app
from ptheorem.model.errors import InputError
from ptheorem.model.spec import NetworkSpec
from ptheorem.run.rows import CSV_COLUMNS, Row, RowWriter, read_done, row_line

ENV = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}
ROW = Row(NetworkSpec(2, 2, (2,)), "proved", "symbolic", "symbolic proof", 0.1)


def _sweep(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        app, ["sweep", "--grid", "depth=1,dim=2", "--jobs", "1", "--no-progress", *args], env=ENV
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("notes.csv", "name,score\nalice,3"),  # a foreign CSV, no final newline
        ("notes.jsonl", '{"not": "a row"}\n{"still": "not"}'),
        ("data.csv", ",".join(CSV_COLUMNS) + "\nnot,a,row\n"),
    ],
)
def test_a_foreign_file_is_refused_and_left_byte_for_byte(
    tmp_path: Path, name: str, text: str
) -> None:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    code, out, err = _sweep("--out", str(path))
    assert code == 2 and out == "", out
    assert len(err.splitlines()) == 1 and "not a ptheorem sweep" in err
    assert path.read_bytes() == text.encode("utf-8")


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_complete_last_row_without_newline_is_kept_and_ended(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"rows.{fmt}"
    head = ",".join(CSV_COLUMNS) + "\n" if fmt == "csv" else ""
    path.write_text(head + row_line(ROW, fmt).rstrip("\n"), encoding="utf-8")
    assert read_done(path) == {ROW.key}
    with RowWriter(path) as writer:
        writer.write(ROW)
    lines = path.read_text("utf-8").splitlines(keepends=True)
    assert all(line.endswith("\n") for line in lines)
    assert len(lines) == (3 if fmt == "csv" else 2)


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_torn_last_row_is_cut_and_not_counted(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"rows.{fmt}"
    head = ",".join(CSV_COLUMNS) + "\n" if fmt == "csv" else ""
    whole = row_line(ROW, fmt)
    path.write_text(head + whole + whole[: len(whole) // 2], encoding="utf-8")
    assert read_done(path) == {ROW.key}
    RowWriter(path).close()
    assert path.read_text("utf-8") == head + whole


def test_crlf_csv_rows_from_earlier_versions_are_read(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes((",".join(CSV_COLUMNS) + "\r\n" + row_line(ROW, "csv")).encode())
    assert read_done(path) == {ROW.key}


def test_resume_keeps_only_the_keys_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text(row_line(ROW, "jsonl") * 3, encoding="utf-8")
    assert read_done(path, ["other"]) == set()
    assert read_done(path, [ROW.key]) == {ROW.key}


def test_an_overlong_line_is_not_a_row(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps({"key": "x" * 100_000}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="longer than any sweep row"):
        read_done(path)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="FIFOs")
@pytest.mark.parametrize("option", ["--out", "--resume"])
def test_a_fifo_is_refused_at_once(tmp_path: Path, option: str) -> None:
    fifo = tmp_path / "rows.jsonl"
    os.mkfifo(fifo)
    code, out, err = _sweep(option, str(fifo))
    assert code == 2 and "is a FIFO (named pipe), not a regular file" in err
