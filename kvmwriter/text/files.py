"""Read the user's files with one-line errors instead of tracebacks.

Every file kvmwriter reads goes through here, so one rule holds for all:
a named file is opened only when it is a regular file (after following
symlinks) and read up to a size cap.  A FIFO, a device or a directory gets
one clear line instead of a hang or an exhausted memory.  ``check`` alone
also reads a FIFO, a terminal or stdin, streaming up to the cap as a pipe
in a hook needs.
"""

from __future__ import annotations

import os
import re
import stat
import sys

from kvmwriter.errors import UserError
from kvmwriter.records import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import BinaryIO

#: Largest commit message (the text above a patch's '---' or diff).
MAX_INPUT_BYTES = 1024 * 1024
#: Largest file: a patch email with its diff, an mbox, a profile.
MAX_FILE_BYTES = 64 * 1024 * 1024

_CHUNK = 64 * 1024
_BOM = "\ufeff"
# Where a message ends and the patch begins: git's '---', a diff, the
# scissors line of 'git commit -v'.
_MESSAGE_END = re.compile(rb"^(?:---\r?$|diff --git |# -+ >8 -+\r?$)", re.MULTILINE)


class InputError(UserError):
    """An input that cannot be used; ``str()`` is the one line to print."""


def decode_utf8(data: bytes, name: str) -> str:
    """``data`` as text, without a leading byte-order mark."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start]
        raise InputError(
            f"{name}:{line}:{column}: not UTF-8: byte 0x{byte:02x} cannot be decoded"
        ) from None
    return strip_bom(text)


def strip_bom(text: str) -> str:
    """``text`` without the UTF-8 byte-order mark some editors write first."""
    return text[1:] if text.startswith(_BOM) else text


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _open_error(name: str, error: OSError) -> InputError:
    if isinstance(error, FileNotFoundError):
        return InputError(f"{name}: no such file")
    if isinstance(error, PermissionError):
        return InputError(f"{name}: permission denied")
    if isinstance(error, IsADirectoryError):
        return InputError(f"{name}: is a directory, not a file")
    return InputError(f"{name}: cannot read: {error.strerror or error}")


def _size_text(limit: int) -> str:
    if limit > 1024 * 1024 and limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MiB"
    return f"{limit // 1024} KiB"


def _read_capped(handle: BinaryIO, name: str, limit: int) -> bytes:
    """Up to ``limit`` bytes; stop early on a NUL (binary data, /dev/zero)."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = handle.read(min(_CHUNK, limit + 1 - total))
        if not chunk:
            break
        if b"\x00" in chunk:
            raise InputError(f"{name}: contains NUL bytes; not a text file")
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise InputError(f"{name}: larger than {_size_text(limit)}")
    return b"".join(chunks)


def read_regular_file(
    path: str | os.PathLike, limit: int = MAX_FILE_BYTES, *, name: str | None = None
) -> bytes:
    """The bytes of the regular file at ``path`` (symlinks followed), capped.

    Open without blocking and check the opened file itself, so a FIFO put
    in the file's place between a check and the open cannot hang the read.
    """
    name = name or str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise _open_error(name, error) from None
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(f"{name}: {_kind(mode)}, not a regular file; not read")
        os.set_blocking(fd, True)
        try:
            return _read_capped(handle, name, limit)
        except OSError as error:
            raise _open_error(name, error) from None


def read_text_file(
    path: str | os.PathLike, limit: int = MAX_FILE_BYTES, *, name: str | None = None
) -> str:
    """The UTF-8 text of the regular file at ``path``; InputError otherwise."""
    name = name or str(path)
    return decode_utf8(read_regular_file(path, limit, name=name), name)


def read_input(
    path: str, limit: int = MAX_INPUT_BYTES, file_limit: int = MAX_FILE_BYTES
) -> tuple[str, str]:
    """Return ``(display name, text)`` for a message file, a patch email or ``-``.

    ``limit`` caps the message; a patch email's diff may take the file up
    to ``file_limit``.  Stdin, a FIFO and a terminal are read as streams.
    """
    if path == "-":
        name = "<stdin>"
        data = _read_capped(sys.stdin.buffer, name, file_limit)
    else:
        name = path
        try:
            mode = os.stat(path).st_mode
        except OSError as error:
            raise _open_error(name, error) from None
        if stat.S_ISREG(mode):
            data = read_regular_file(path, file_limit, name=name)
        elif stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
            try:
                with open(path, "rb") as handle:
                    data = _read_capped(handle, name, file_limit)
            except OSError as error:
                raise _open_error(name, error) from None
        elif stat.S_ISDIR(mode):
            raise InputError(f"{name}: is a directory, not a message file")
        else:
            raise InputError(f"{name}: {_kind(mode)}, not a message file; not read")
    if message_size(data) > limit:
        raise InputError(f"{name}: larger than {_size_text(limit)}; not a commit message")
    return name, decode_utf8(data, name)


def message_size(data: bytes) -> int:
    """Bytes of the message in ``data``: all of it, or what precedes the patch."""
    end = _MESSAGE_END.search(data)
    return end.start() if end else len(data)


def write_atomically(path: str, text: str) -> None:
    """Replace ``path``'s content with ``text`` (UTF-8, line endings as given).

    Write a temporary file beside it and rename it over the original, so a
    crash leaves the old file or the new one, never half of each; keep the
    original's permission bits.  A symlink's target is replaced, never the
    link.  Raise :class:`InputError` with one line.
    """
    import tempfile
    from pathlib import Path

    target = Path(os.path.realpath(path))
    try:
        mode = target.stat().st_mode & 0o7777
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
    except OSError as error:
        raise InputError(f"{path}: cannot write: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text.encode("utf-8"))
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise InputError(f"{path}: cannot write: {error.strerror or error}") from None


__all__ = [
    "MAX_FILE_BYTES",
    "MAX_INPUT_BYTES",
    "InputError",
    "decode_utf8",
    "message_size",
    "read_input",
    "read_regular_file",
    "read_text_file",
    "strip_bom",
    "write_atomically",
]
