"""Files, safely: atomic writes, regular files only, no silent overwrite, printable paths.

* :func:`atomic_open` / :func:`write_atomic` collect the content in memory, then write
  it to ``.NAME.ptheorem-PID-HEX.tmp`` beside the target, fsync and rename it into
  place: an interrupted or failed write never leaves a half-written file, the
  temporary file exists only for that last instant, and one left by a killed writer
  (its PID is gone) is removed by the next write of the same file.  A new file gets
  the umask's mode (``0o666 & ~umask``); an overwrite keeps the replaced file's mode.
* :func:`open_regular` opens a file for reading only if it is a regular file: a
  directory, a FIFO (which would block for ever), a device or a symlink loop is a
  one-line :class:`InputError`.
* :func:`check_target` refuses to write over a directory, a non-regular file, or
  (without ``force``) an existing file.
* :func:`show_path` and :func:`printable` make any path or text safe to print: bytes
  that are not UTF-8 (``os.fsdecode`` keeps them as lone surrogates) are shown
  as ``\\xNN``.

>>> show_path(b"caf\\xe9.json")
'caf\\\\xe9.json'
>>> printable("ok \\udcff")
'ok \\\\xff'
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import re
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from ptheorem.model.errors import InputError

_SURROGATE = re.compile("[\ud800-\udfff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")
#: Temporary files of :func:`atomic_open` that are not unnamed: ``.NAME.ptheorem-PID-HEX.tmp``.
_TEMP = re.compile(r"\.(?P<name>.+)\.ptheorem-(?P<pid>\d+)-[0-9a-f]+\.tmp")


# --------------------------------------------------------------------------- printing


def printable(text: str) -> str:
    """``text`` with lone surrogates (undecodable bytes of a file name) shown as ``\\xNN``.

    The result encodes to valid UTF-8, whatever the terminal's error handler.
    """
    if not _SURROGATE.search(text):
        return text

    def one(m: re.Match[str]) -> str:
        code = ord(m.group())
        return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"

    return _SURROGATE.sub(one, text)


def show_path(path: str | bytes | os.PathLike[Any] | None) -> str:
    """A path as text that can always be printed (see :func:`printable`)."""
    if path is None:
        return "?"
    return printable(os.fsdecode(path))


def json_safe(text: str) -> str:
    r"""JSON text with any lone surrogate written as a ``\uXXXX`` escape (valid UTF-8).

    >>> json_safe('"\udcff"')
    '"\\udcff"'
    """
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def json_for(stream: Any, text: str) -> str:
    r"""JSON text as ``stream`` can write it: :func:`json_safe`, and every non-ASCII
    character as a ``\uXXXX`` escape when the stream's encoding cannot write it
    (``PYTHONIOENCODING=ascii``): the same document, in ASCII.

    >>> import io
    >>> json_for(io.TextIOWrapper(io.BytesIO(), encoding="ascii"), '{"s": "σ ≥ 𝜃"}')
    '{"s": "\\u03c3 \\u2265 \\ud835\\udf03"}'
    """
    text = json_safe(text)
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeError, LookupError):
        return _NON_ASCII.sub(lambda m: json.dumps(m.group())[1:-1], text)
    return text


# --------------------------------------------------------------------------- reading


def _stat_problem(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "no such file"
    if exc.errno == errno.ELOOP:
        return "a symlink loop"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENOTDIR:
        return "a part of the path is not a directory"
    if exc.errno == errno.ENAMETOOLONG:
        return "the name is too long"
    return exc.strerror or str(exc)


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words (``a directory``, ``a FIFO``, …)."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def regular_file(path: str | os.PathLike[str], what: str = "file") -> Path:
    """``path`` if it names a regular file (symlinks followed), else a one-line error."""
    p = Path(path)
    try:
        mode = os.stat(p).st_mode
    except OSError as exc:
        raise InputError(f"{what} {show_path(p)}: {_stat_problem(p, exc)}") from None
    except ValueError:  # an embedded NUL
        raise InputError(f"{what} {show_path(p)}: not a valid file name") from None
    if not stat.S_ISREG(mode):
        raise InputError(f"{what} {show_path(p)} is {kind_of(mode)}, not a regular file")
    return p


def open_regular(path: str | os.PathLike[str], what: str = "file") -> IO[bytes]:
    """Open a regular file for binary reading; anything else is a one-line :class:`InputError`.

    The file is opened without blocking (a FIFO would otherwise wait for a writer)
    and checked on the open descriptor, so it cannot be swapped in between.
    """
    p = regular_file(path, what)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(f"{what} {show_path(p)}: {_stat_problem(p, exc)}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(f"{what} {show_path(p)} is {kind_of(mode)}, not a regular file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(path: str | os.PathLike[str], what: str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (one-line errors otherwise)."""
    with open_regular(path, what) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > limit:
            raise InputError(
                f"{what} {show_path(path)} has {size} bytes; the limit is {limit} bytes"
            )
        data = fh.read(limit + 1)
    if len(data) > limit:  # grew while we read
        raise InputError(f"{what} {show_path(path)} is larger than {limit} bytes")
    return data


def read_text(path: str | os.PathLike[str], what: str, limit: int) -> str:
    """The UTF-8 text of a regular file of at most ``limit`` bytes (one-line errors)."""
    data = read_bytes(path, what, limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{what} {show_path(path)} is not UTF-8 text (byte {exc.start}: "
            f"{data[exc.start : exc.start + 1]!r})"
        ) from None


# --------------------------------------------------------------------------- writing


def check_target(path: str | os.PathLike[str], what: str, force: bool = False) -> Path:
    """Where a new file may be written: refuse a missing folder, a directory, a FIFO or
    device, and an existing file unless ``force`` (one-line :class:`InputError`)."""
    p = Path(path)
    parent = p.parent if str(p.parent) else Path(".")
    try:
        parent_mode = os.stat(parent).st_mode
    except FileNotFoundError:
        raise InputError(f"{what} {show_path(p)}: no such folder {show_path(parent)}") from None
    except OSError as exc:
        raise InputError(
            f"{what} {show_path(p)}: folder {show_path(parent)}: {_stat_problem(parent, exc)}"
        ) from None
    if not stat.S_ISDIR(parent_mode):
        raise InputError(f"{what} {show_path(p)}: {show_path(parent)} is not a folder")
    try:
        mode: int | None = os.stat(p).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise InputError(f"{what} {show_path(p)}: {_stat_problem(p, exc)}") from None
    if mode is not None and not stat.S_ISREG(mode):
        raise InputError(f"{what} {show_path(p)} is {kind_of(mode)}; give a file name")
    if mode is not None and not force:
        raise InputError(f"{what} {show_path(p)} exists; pass --force to overwrite it")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"{what} {show_path(p)}: folder {show_path(parent)} is not writable")
    return p


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temporaries(path: Path) -> None:
    """Delete named temporaries of ``path`` whose writer process is gone (it was killed)."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        m = _TEMP.fullmatch(name)
        if m and m.group("name") == path.name and not _alive(int(m.group("pid"))):
            with contextlib.suppress(OSError):
                os.unlink(directory / name)


def _temp_name(path: Path) -> Path:
    directory = path.parent if str(path.parent) else Path(".")
    return directory / f".{path.name}.ptheorem-{os.getpid()}-{secrets.token_hex(4)}.tmp"


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _existing_mode(path: Path) -> int | None:
    """The permission bits of the regular file at ``path`` (symlinks followed), or None."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return stat.S_IMODE(st.st_mode) if stat.S_ISREG(st.st_mode) else None


def _publish(path: Path, data: bytes) -> None:
    """Put ``data`` at ``path`` atomically: a complete temporary file, then a rename.

    A new file gets the umask's mode (``0o666 & ~umask``), as ``open`` would give it; an
    overwrite keeps the mode of the file it replaces.
    """
    remove_stale_temporaries(path)
    temp = _temp_name(path)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        try:
            mode = _existing_mode(path)
            if mode is not None:
                os.fchmod(fd, mode)
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


@contextmanager
def atomic_open(path: Path, binary: bool = False) -> Iterator[IO[Any]]:
    """Collect what is written in memory; on success write it beside ``path`` and rename.

    The temporary file exists only for the instant of the final write and rename (it is
    complete before it is named), so an interrupted writer leaves nothing behind; a named
    temporary of a killed writer is removed by the next write of the same file.
    """
    path = Path(path)
    if binary:
        raw = io.BytesIO()
        yield raw
        data = raw.getvalue()
    else:
        text = io.StringIO(newline="\n")
        yield text
        data = text.getvalue().encode("utf-8")
    _publish(path, data)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` atomically."""
    with atomic_open(path) as fh:
        fh.write(text)
