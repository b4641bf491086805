"""Show text from outside (a user, git, a file, a patch, a server, a config)
in a terminal without letting it drive the terminal.

A subject can carry ``ESC [2J`` (clear the screen) or an OSC 52 sequence
(write the reader's clipboard); printed raw, the terminal obeys it.  Every
front end passes such text through this module first:

- :func:`visible` for text and terse output and read-only screen text: each
  control character -- C0 except tab and newline, DEL, and C1 (U+0080 to
  U+009F, which holds the 8-bit CSI and OSC) -- is written as ``\\xNN``, a
  backslash, ``x`` and the two lowercase hex digits of its code point, so
  ``ESC`` reads ``\\x1b`` and a carriage return ``\\x0d``.  One form for every
  character keeps the output greppable and unambiguous.
- :func:`visible_line` for a value that must stay on one line (a subject,
  an author, a file name): newlines become ``\\x0a`` too, so a forged line
  cannot pose as a finding or a report header.
- :func:`pictured` for editable fields, where each character must keep one
  cell so that the cursor stays on the character it edits: C0 and DEL show
  as their Unicode control pictures (U+241B for ESC, U+2421 for DEL) and C1
  as U+FFFD.  The text itself is untouched; only its picture changes.
- :func:`json_safe` for JSON output: the string stays exact once parsed,
  while DEL and C1, which JSON allows raw, are written as ``\\u00NN``.

A backslash in the text is left alone: source code in a message is full of
them, and the escaped form is only ever produced for characters no
accepted kernel message contains.
"""

from __future__ import annotations

from kvmwriter.text.lazyre import lazy

#: Code points a terminal may act on: C0, DEL and C1.
CONTROL_CODES: tuple[int, ...] = (*range(0x20), 0x7F, *range(0x80, 0xA0))

_ESCAPED = {code: f"\\x{code:02x}" for code in CONTROL_CODES}
#: Multi-line text keeps its layout: tab and newline are safe to print.
_VISIBLE = {code: text for code, text in _ESCAPED.items() if code not in (0x09, 0x0A)}
_VISIBLE_LINE = {code: text for code, text in _ESCAPED.items() if code != 0x09}
_PICTURED = {
    **{code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A)},
    0x7F: "\u2421",
    **dict.fromkeys(range(128, 160), "�"),
}
_JSON = {code: f"\\u{code:04x}" for code in (0x7F, *range(0x80, 0xA0))}


def visible(text: str) -> str:
    """``text`` with every control character but tab and newline as ``\\xNN``."""
    return text.translate(_VISIBLE)


def visible_line(text: str) -> str:
    """``text`` on one line: newlines too become ``\\x0a``."""
    return text.translate(_VISIBLE_LINE)


def pictured(text: str) -> str:
    """``text`` with each control character but tab and newline replaced by
    one visible character of the same length (for editors)."""
    return text.translate(_PICTURED)


def json_safe(encoded: str) -> str:
    """Escape DEL and C1 in JSON that ``json.dumps(ensure_ascii=False)`` wrote.

    JSON allows both raw inside strings, and only inside strings can they
    occur, so ``\\u00NN`` keeps the document valid and the value exact.
    """
    return encoded.translate(_JSON)


_CONTROL = lazy("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def first_control(text: str) -> int:
    """The index of the first control character other than tab and
    newline in ``text``, or -1."""
    match = _CONTROL.search(text)
    return match.start() if match else -1


__all__ = ["CONTROL_CODES", "first_control", "json_safe", "pictured", "visible", "visible_line"]
