"""Read the user's files with one-line errors instead of tracebacks."""

from __future__ import annotations

import sys
from pathlib import Path

from kvmwriter.errors import UserError

MAX_INPUT_BYTES = 1024 * 1024


class InputError(UserError):
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
