"""Sweep rows and their files: one JSON Lines or CSV line per configuration.

A :class:`Row` is plain frozen data.  :class:`RowWriter` appends rows, each as one
whole line written with a single ``write`` on an ``O_APPEND`` descriptor, so a killed
sweep leaves at worst one torn last line.  Before it appends, it reads the existing
file line by line and refuses anything that is not a ptheorem row file of the same
format (a foreign CSV header, a line that is not a row): a user's file is never cut
or extended.  A torn last line (no newline, not a complete row) is cut off and its
configuration is run again; a complete last row without its newline gets one.

:func:`read_done` streams a row file (bounded memory: lines are at most
:data:`~ptheorem.tolerances.MAX_ROW_BYTES`), keeping only the keys asked about.
Only regular files are read or written: a FIFO or a directory is a one-line error.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ptheorem.io.files import kind_of, open_regular, show_path
from ptheorem.model.errors import InputError
from ptheorem.model.spec import NetworkSpec
from ptheorem.model.status import Status
from ptheorem.run.golden import file_stem
from ptheorem.tolerances import MAX_ROW_BYTES, MAX_ROW_ERROR_CHARS

#: Row fields, in CSV column order (``widths`` is written ``2-2`` there).
CSV_COLUMNS = (
    "key",
    "depth",
    "dim",
    "widths",
    "bias",
    "activation",
    "status",
    "method",
    "evidence",
    "seconds",
    "error",
)
#: Row ``status`` values: the verdict's (:class:`ptheorem.model.status.Status`), or ``error``
#: when the check could not run.
STATUSES = (*(s.value for s in Status), "error")
_HEADER = ",".join(CSV_COLUMNS)


@dataclass(frozen=True)
class Row:
    """One configuration's result: verdict status, method, evidence, time, error."""

    spec: NetworkSpec
    status: str
    method: str | None
    evidence: str | None
    seconds: float
    error: str | None = None

    @property
    def key(self) -> str:
        """The configuration's name, e.g. ``L3_d2_w2-2_nobias``."""
        return file_stem(self.spec)

    def to_dict(self) -> dict[str, Any]:
        """The JSON Lines form of the row."""
        s = self.spec
        return {
            "key": self.key,
            "config": {
                "depth": s.depth,
                "dim": s.dim,
                "widths": list(s.widths),
                "bias": s.bias,
                "activation": s.activation,
            },
            "status": self.status,
            "method": self.method,
            "evidence": self.evidence,
            "seconds": round(self.seconds, 6),
            "error": _one_line(self.error),
        }

    def content(self) -> dict[str, Any]:
        """The row without its timing: equal across runs of the same configuration."""
        data = self.to_dict()
        del data["seconds"]
        return data


def _one_line(text: str | None) -> str | None:
    """An error message as one line of bounded length (rows are one line each)."""
    if text is None:
        return None
    flat = " ".join(text.split())
    if len(flat) > MAX_ROW_ERROR_CHARS:
        flat = flat[: MAX_ROW_ERROR_CHARS - 1] + "…"
    return flat


def row_format(path: Path) -> str:
    """``jsonl`` or ``csv`` from the file's extension; a one-line error otherwise."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    raise InputError(
        f"{show_path(path)}: use a .jsonl (JSON Lines) or .csv file name (got {suffix or 'none'!r})"
    )


def csv_record(row: Row) -> dict[str, Any]:
    """The CSV form of a row (``widths`` joined with ``-``, empty for none)."""
    s = row.spec
    return {
        "key": row.key,
        "depth": s.depth,
        "dim": s.dim,
        "widths": "-".join(map(str, s.widths)),
        "bias": str(s.bias).lower(),
        "activation": s.activation,
        "status": row.status,
        "method": row.method or "",
        "evidence": row.evidence or "",
        "seconds": f"{row.seconds:.6f}",
        "error": _one_line(row.error) or "",
    }


def row_line(row: Row, fmt: str) -> str:
    """The one line (newline included) that stores ``row`` in a ``fmt`` file."""
    if fmt == "jsonl":
        return json.dumps(row.to_dict(), sort_keys=True, ensure_ascii=False) + "\n"
    buf = io.StringIO()
    csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n").writerow(csv_record(row))
    return buf.getvalue()


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class _Line:
    number: int
    text: str
    complete: bool  # ends with a newline


def _lines(fh: Any, path: Path) -> Iterator[_Line]:
    """The lines of a binary file as text, each at most :data:`MAX_ROW_BYTES` long."""
    number = 0
    while True:
        raw = fh.readline(MAX_ROW_BYTES + 1)
        if not raw:
            return
        number += 1
        complete = raw.endswith(b"\n")
        if len(raw) > MAX_ROW_BYTES and not complete:
            raise InputError(
                f"{show_path(path)}:{number} is longer than any sweep row "
                f"({MAX_ROW_BYTES} bytes); is this a ptheorem row file?"
            )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            if not complete:  # a torn multi-byte character at the very end
                yield _Line(number, "", False)
                return
            raise InputError(f"{show_path(path)}:{number} is not UTF-8 text") from None
        yield _Line(number, text.rstrip("\r\n"), complete)


def _json_key(text: str) -> str | None:
    """The key of a JSON Lines row, or None if ``text`` is not one."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("key"), str):
        return None
    return data["key"]


def _csv_key(text: str) -> str | None:
    """The key of a CSV row, or None if ``text`` is not a complete one."""
    try:
        fields = next(csv.reader([text]), [])
    except csv.Error:
        return None
    if len(fields) != len(CSV_COLUMNS) or not fields[0]:
        return None
    if fields[CSV_COLUMNS.index("status")] not in STATUSES:
        return None
    return fields[0]


def scan(path: Path, keep: set[str] | None = None) -> tuple[set[str], int | None]:
    """Check that ``path`` is a row file; return its keys (those in ``keep``, if given)
    and the byte offset of a torn last line to cut (None if there is none).

    Streams the file; raises a one-line :class:`InputError` for anything that is not a
    ptheorem row file of the format its extension names.
    """
    fmt = row_format(path)
    keys: set[str] = set()
    torn: int | None = None
    with open_regular(path, "row file") as fh:
        offset = 0
        first = True
        for line in _lines(fh, path):
            start = offset
            offset = fh.tell()
            if first and fmt == "csv":
                first = False
                if line.text != _HEADER:
                    if not line.complete and _HEADER.startswith(line.text):
                        torn = start  # a header cut short: start again
                        break
                    raise InputError(
                        f"{show_path(path)} is not a ptheorem sweep CSV (its header is not "
                        f"{_HEADER!r}); choose another file"
                    )
                if not line.complete:
                    torn = -1  # the header without its newline: add one
                continue
            first = False
            if not line.text and line.complete:
                continue
            key = _json_key(line.text) if fmt == "jsonl" else _csv_key(line.text)
            if key is None:
                if not line.complete:
                    torn = start  # a row cut short by a killed writer: redo it
                    break
                raise InputError(
                    f"{show_path(path)}:{line.number} is not a ptheorem sweep row; "
                    "choose another file"
                )
            if not line.complete:
                torn = -1  # a complete row without its newline: add one
            if keep is None or key in keep:
                keys.add(key)
    return keys, torn


def read_done(path: Path, keep: Iterable[str] | None = None) -> set[str]:
    """The keys of the configurations already in a row file (empty if it does not exist).

    With ``keep`` only those keys are collected (bounded memory for a large file).  A
    torn last line is not counted: that configuration runs again.
    """
    row_format(path)
    if not os.path.lexists(path):
        return set()
    keys, _ = scan(path, None if keep is None else set(keep))
    return keys


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The JSON Lines rows of ``path`` (complete lines only)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    return [json.loads(x) for x in lines if x.endswith("\n") and x.strip()]


def repair_tail(path: Path) -> None:
    """Cut a torn last row (from a killed writer) off a row file, or end a complete one
    with its newline; refuse a file that is not a row file."""
    if not os.path.lexists(path):
        return
    _, torn = scan(path)
    if torn is None:
        return
    if torn >= 0:
        os.truncate(path, torn)
    else:
        with path.open("ab") as f:
            f.write(b"\n")


# --------------------------------------------------------------------------- writing


class RowWriter:
    """Appends rows to a JSON Lines or CSV file, each one whole line in one write."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.format = row_format(path)
        try:
            if os.path.lexists(path) or path.is_symlink():
                repair_tail(path)
            elif not path.parent.is_dir():
                path.parent.mkdir(parents=True, exist_ok=True)
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
            self._fd = os.open(path, flags | getattr(os, "O_NONBLOCK", 0), 0o666)
        except OSError as exc:
            raise InputError(f"cannot write {show_path(path)}: {exc.strerror or exc}") from None
        info = os.fstat(self._fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(self._fd)
            raise InputError(f"{show_path(path)} is {kind_of(info.st_mode)}, not a regular file")
        if self.format == "csv" and info.st_size == 0:
            self._write(_HEADER + "\n")

    def write(self, row: Row) -> None:
        """Append one row (a single write of one whole line)."""
        self._write(row_line(row, self.format))

    def _write(self, text: str) -> None:
        view = memoryview(text.encode("utf-8"))
        while view:
            view = view[os.write(self._fd, view) :]

    def close(self) -> None:
        """Close the file."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> RowWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def exit_status(rows: Iterable[Row]) -> str:
    """The sweep's overall outcome, first of: refuted, error, inconclusive, supported, proved.

    >>> exit_status([])
    'proved'
    """
    statuses = {r.status for r in rows}
    for status in ("refuted", "error", "inconclusive", "supported"):
        if status in statuses:
            return status
    return "proved"
