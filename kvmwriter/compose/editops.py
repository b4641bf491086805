"""Edits ``kvmwriter edit`` makes to the file for the author, in place.

Each takes the whole file text (git's comments and diff included) and
returns the new text with the cursor spot to move to, touching only the
message lines git keeps.  Pure text: the editor app and tests share them.
"""

from __future__ import annotations

from kvmwriter.text.gitfile import EditorFile, read_editor_file
from kvmwriter.text.message import parse_message, parse_subject

#: Where a new trailer goes relative to the others: before the first of
#: these keys that the block has (the author's sign-off closes the block).
_BEFORE = ("co-developed-by", "signed-off-by")


def _split(text: str) -> tuple[list[str], str]:
    """The file's lines and the ending of its last line."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
        return lines, "\n"
    return lines, ""


def _join(lines: list[str], ending: str) -> str:
    return "\n".join(lines) + (ending if lines else "")


def set_prefix(text: str, prefix: str, path=None) -> tuple[str, tuple[int, int]]:
    """Put ``prefix`` ("KVM: x86:") in front of the subject's summary.

    Replaces the prefix the subject has; writes a subject line when the
    message has none yet (the file ``git commit -s`` opens).  Returns the
    text and the 0-based (row, column) just after the prefix.
    """
    editor = read_editor_file(text, path)
    lines, ending = _split(text)
    message = parse_message(editor.message)
    prefix = prefix.strip()
    if message.subject is not None and message.subject.text.strip():
        row = editor.file_line(message.subject.line) - 1
        subject = parse_subject(lines[row])
        start = subject.column - 1
        summary = subject.summary if subject.components else subject.text
        lines[row] = f"{lines[row][:start]}{prefix} {summary}"
        return _join(lines, ending), (row, start + len(prefix) + 1)
    found = _subject_row(editor, lines)
    if found is None:
        lines.insert(0, "")
    row = found or 0
    if row < len(lines) and not lines[row].strip():
        lines[row] = f"{prefix} "
    else:
        lines.insert(row, f"{prefix} ")
        lines.insert(row + 1, "")
    return _join(lines, ending), (row, len(prefix) + 1)


def _subject_row(editor: EditorFile, lines: list[str]) -> int | None:
    """The 0-based row for a new subject: the first message line."""
    if editor.message_lines:
        return editor.message_lines[0] - 1
    return None


def add_trailers(text: str, new: list[str], path=None) -> tuple[str, tuple[int, int]]:
    """Insert trailer lines (``"Fixes: ..."``) into the message's trailer block.

    A line the block already has is not added twice.  New lines go before
    the author's sign-off (and Co-developed-by pairs) when the block has
    one, else at its end; a message without a block gets one after its last
    line.  Returns the text and the (row, column) of the last line added.
    """
    editor = read_editor_file(text, path)
    lines, ending = _split(text)
    message = parse_message(editor.message)
    have = {line.text.strip().lower() for line in message.trailer_lines}
    new = [line.strip() for line in new if line.strip() and line.strip().lower() not in have]
    if not new:
        return text, (0, 0)
    if message.trailer_lines:
        rows = [editor.file_line(line.number) - 1 for line in message.trailer_lines]
        at = rows[-1] + 1
        for trailer in message.trailers:
            if trailer.name in _BEFORE:
                at = editor.file_line(trailer.line) - 1
                break
        lines[at:at] = new
        return _join(lines, ending), (at + len(new) - 1, len(new[-1]))
    content = [n for n in editor.message_lines if lines[n - 1].strip()]
    if content:
        at = content[-1]  # row after the last line with text
        block = ["", *new]
    else:
        at = editor.message_lines[0] if editor.message_lines else 0
        block = ["", "", *new] if not editor.message_lines else ["", *new]
    lines[at:at] = block
    if at + len(block) < len(lines) and lines[at + len(block)].strip():
        lines.insert(at + len(block), "")
    return _join(lines, ending), (at + len(block) - 1, len(new[-1]))
