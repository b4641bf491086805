"""Read the user's files with one-line errors instead of tracebacks."""

from __future__ import annotations

import sys
from pathlib import Path

MAX_INPUT_BYTES = 1024 * 1024


class InputError(Exception):
    """An input that cannot be used; ``str()`` is the one line to print."""


def decode_utf8(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start]
        raise InputError(
            f"{name}:{line}:{column}: not UTF-8: byte 0x{byte:02x} cannot be decoded"
        ) from None


def read_input(path: str, limit: int = MAX_INPUT_BYTES) -> tuple[str, str]:
    """Return ``(display name, text)`` for a path or ``-`` (stdin)."""
    if path == "-":
        name = "<stdin>"
        data = sys.stdin.buffer.read(limit + 1)
    else:
        name = path
        target = Path(path)
        try:
            if target.is_dir():
                raise InputError(f"{name}: is a directory, not a message file")
            with target.open("rb") as handle:
                data = handle.read(limit + 1)
        except FileNotFoundError:
            raise InputError(f"{name}: no such file") from None
        except PermissionError:
            raise InputError(f"{name}: permission denied") from None
        except OSError as error:
            raise InputError(f"{name}: cannot read: {error.strerror or error}") from None
    if len(data) > limit:
        raise InputError(f"{name}: larger than {limit // 1024} KiB; not a commit message")
    text = decode_utf8(data, name)
    if "\x00" in text:
        raise InputError(f"{name}: contains NUL bytes; not a text message")
    return name, text


def write_atomically(path: str, text: str) -> None:
    """Replace ``path``'s content with ``text`` (UTF-8, line endings as given).

    Write a temporary file beside it and rename it over the original, so a
    crash leaves the old file or the new one, never half of each; keep the
    original's permission bits.  Raise :class:`InputError` with one line.
    """
    import os
    import tempfile

    target = Path(path)
    try:
        mode = target.stat().st_mode & 0o7777
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                             dir=target.parent)
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
