"""Read the file git (or b4) hands to the editor the way git reads it back.

``git commit`` writes COMMIT_EDITMSG with help lines behind its comment
string (``core.commentChar``, ``auto`` picks one per message), may add a
scissors line with the ``-v`` diff below it, and ``git rebase -i`` squashes
write a "combination of N commits" with one section per message.  After the
editor exits, git drops what its ``--cleanup`` mode says to drop.  An
editor or a linter that reads the file as a plain message lints git's help
text, the diff, or a second commit's subject in the middle of the body.

:func:`read_editor_file` finds which lines git keeps as the message and
keeps their line numbers in the file, so findings point at the file as the
user sees it.  Nothing here edits the file: every byte of it (comments, the
scissors line and the diff) stays where git put it.
"""

from __future__ import annotations

import os
import re

from kvmwriter.records import TYPE_CHECKING, NamedTuple
from kvmwriter.text.lazyre import lazy

if TYPE_CHECKING:
    from typing import Literal

    FileKind = Literal["commit", "merge", "squash", "cover"]
    Cleanup = Literal["strip", "whitespace", "scissors"]

#: Candidates ``core.commentChar=auto`` picks from, in git's order.
AUTO_COMMENT_CHARS = "#;@!$%^&|:"
#: The text after the comment string on git's scissors line.
CUT_LINE = "------------------------ >8 ------------------------"
#: b4 prep keeps its tracking data in the cover letter after this line.
B4_TRACKING = "--- b4-submit-tracking ---"

# Help lines git writes behind its comment string; the first one found says
# which comment string this file uses.
_GIT_HELP = lazy(
    r"^(?P<c>[^\w\s]{1,3}) (Please enter (the|a) commit message|This is a combination of"
    r"|This is the (1st|\d+\w\w) commit message|The commit message #\d+ will be skipped"
    r"|On branch |HEAD detached|Changes to be committed|Changes not staged"
    r"|It looks like you may be committing|Conflicts:|interactive rebase in progress"
    r"|You are currently|" + re.escape(CUT_LINE) + r")"
)
_KEPT_HINT = "will be kept; you may remove them yourself"
_MERGE_HINT = "Please enter a commit message to explain why this merge is necessary"
_SECTION = lazy(
    r"^This is the (1st|\d+\w\w) commit message:|^This is the commit "
    r"message #\d+:|^The commit message #\d+ will be skipped:"
)
_COMBINATION = lazy(r"^This is a combination of \d+ commits\.")
_MERGE_SUBJECT = lazy(
    r"^Merge (branch(es)?|tags?|remote-tracking branch|commit) '"
    r"|^Merge (git|https?)://"
)
_B4_EDITME = lazy(r"^EDITME: cover title for ")


class EditorFile(NamedTuple):
    """A file opened in the editor, split the way git will split it."""

    text: str
    #: The comment string git used in this file ("#" unless configured).
    comment: str
    #: What git keeps after the editor: strip drops comment lines.
    cleanup: Cleanup
    kind: FileKind
    #: 1-based file line numbers of the message lines, in order.
    message_lines: tuple[int, ...]
    #: File line of git's scissors (or b4's tracking) line, if any.
    cut_line: int | None = None
    #: Messages in a squash's combination (1 for any other file).
    sections: int = 1

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @property
    def message(self) -> str:
        """The message lines git keeps, joined (no comment lines, no diff)."""
        lines = self.lines
        kept = [lines[number - 1].rstrip() for number in self.message_lines]
        return "\n".join(kept) + ("\n" if kept else "")

    def file_line(self, message_line: int) -> int:
        """The file line of line ``message_line`` (1-based) of :attr:`message`."""
        if 1 <= message_line <= len(self.message_lines):
            return self.message_lines[message_line - 1]
        if message_line == len(self.message_lines) + 1 and self.message_lines:
            return self.message_lines[-1] + 1  # an insertion after the last line
        if self.message_lines:
            return self.message_lines[-1]
        return 1

    def message_line(self, file_line: int) -> int | None:
        """The message line shown at ``file_line``, or None for a git line."""
        try:
            return self.message_lines.index(file_line) + 1
        except ValueError:
            return None


def detect_comment(text: str, configured: str | None = None) -> str:
    """The comment string of a file git wrote.

    git's own help lines name it; without them, the configured string
    (``auto`` and unset mean "#").
    """
    for line in text.splitlines():
        # Only a line that starts with a comment character can match: most
        # lines are tested without compiling the pattern.
        if not _may_be_comment(line):
            continue
        match = _GIT_HELP.match(line)
        if match:
            return match.group("c")
    if configured and configured.strip() and configured.strip() != "auto":
        return configured.strip()
    return "#"


def _may_be_comment(line: str) -> bool:
    """False for a line :data:`_GIT_HELP` cannot match: its first character
    is a word character or a space (``[^\\w\\s]`` as ``re`` reads it)."""
    first = line[:1]
    return bool(first) and not (first.isalnum() or first == "_" or first.isspace())


def _parts(path: str | os.PathLike[str]) -> tuple[str, str]:
    """``(parent folder's name, file name)`` of ``path``, as Path names them."""
    head, name = os.path.split(os.path.normpath(os.fspath(path)))
    return os.path.basename(head), name


def is_b4_cover_path(path: str | os.PathLike[str] | None) -> bool:
    """True for the file ``b4 prep --edit-cover`` hands to the editor.

    b4 writes the cover (without its tracking section) to
    ``<tree>/.b4-editor<random>/COMMIT_EDITMSG`` (``b4.edit_in_editor``).
    """
    if path is None:
        return False
    folder, name = _parts(path)
    return name == "COMMIT_EDITMSG" and folder.startswith(".b4-editor")


def looks_like_b4_cover(text: str) -> bool:
    """b4's tracking section, or the title b4 prep puts in a new cover."""
    return any(
        line.strip() == B4_TRACKING or (line.startswith("EDITME: ") and _B4_EDITME.match(line))
        for line in text.splitlines()
    )


def read_editor_file(
    text: str, path: str | os.PathLike[str] | None = None, *, comment: str | None = None
) -> EditorFile:
    """Split ``text`` (the file at ``path``) into git's message and the rest.

    ``comment`` is ``core.commentChar`` when known; the file's own help lines
    take precedence because git wrote them with the string it will strip.
    Never raises: any text is a message.
    """
    lines = text.splitlines()
    marker = detect_comment(text, comment)
    cleanup: Cleanup = "strip"
    if any(_KEPT_HINT in line for line in lines if line.startswith(marker)):
        cleanup = "whitespace"
    cut_line: int | None = None
    cut_text = f"{marker} {CUT_LINE}"
    for number, line in enumerate(lines, 1):
        if line == cut_text or line.strip() == B4_TRACKING:
            cut_line = number
            break
    if (
        cut_line is not None
        and lines[cut_line - 1] == cut_text
        and not any(
            "will be ignored" in line for line in lines[: cut_line - 1] if line.startswith(marker)
        )
    ):
        # --cleanup=scissors: git writes the scissors above its help, which
        # it keeps (comment lines too) above the cut.
        cleanup = "scissors"
    end = (cut_line - 1) if cut_line is not None else len(lines)
    name = _parts(path)[1] if path is not None else ""
    kind: FileKind = "commit"
    if is_b4_cover_path(path) or looks_like_b4_cover(text):
        kind = "cover"
    elif name == "MERGE_MSG" or any(_MERGE_HINT in line for line in lines[:end]):
        kind = "merge"
    sections = _sections(lines[:end], marker)
    if len(sections) > 1 or any(
        _COMBINATION.match(rest) for line in lines[:end] if (rest := _uncomment(line, marker))
    ):
        kind = "squash"
    message = [
        number
        for number, line in enumerate(lines[:end], 1)
        if cleanup != "strip" or not line.startswith(marker)
    ]
    if kind == "squash" and cleanup == "strip":
        # Lint the first message that has text: the others are what the
        # author is merging into it, not a second subject inside the body.
        for section in sections:
            chosen = [
                n for n in section if lines[n - 1].strip() and not lines[n - 1].startswith(marker)
            ]
            if chosen:
                message = [n for n in section if not lines[n - 1].startswith(marker)]
                break
    elif kind == "merge" and not any(lines[n - 1].strip() for n in message):
        message = []
    if kind != "merge" and _is_merge_subject(lines, message):
        kind = "merge"
    return EditorFile(
        text=text,
        comment=marker,
        cleanup=cleanup,
        kind=kind,
        message_lines=tuple(message),
        cut_line=cut_line,
        sections=max(1, len(sections)),
    )


def _uncomment(line: str, marker: str) -> str | None:
    if not line.startswith(marker):
        return None
    return line[len(marker) :].lstrip()


def _sections(lines: list[str], marker: str) -> list[list[int]]:
    """Line numbers of each message in a squash's combination (may be [])."""
    starts = [
        number
        for number, line in enumerate(lines, 1)
        if (rest := _uncomment(line, marker)) and _SECTION.match(rest)
    ]
    if len(starts) < 1:
        return []
    bounds = starts + [len(lines) + 1]
    return [list(range(bounds[i] + 1, bounds[i + 1])) for i in range(len(starts))]


def _is_merge_subject(lines: list[str], message: list[int]) -> bool:
    """True when the message's first line is one git merge writes."""
    for number in message:
        text = lines[number - 1].strip()
        if text:
            return text.startswith("Merge ") and bool(_MERGE_SUBJECT.match(text))
    return False
