"""Read a written cover letter: the author's lines apart from git's tail.

The cover rules use this on every ``kvmwriter check`` of a cover, so it is
kept small and imports nothing heavy; composing and filling covers lives in
:mod:`kvmwriter.compose.cover`.
"""

from __future__ import annotations

import re

from kvmwriter.records import TYPE_CHECKING, NamedTuple
from kvmwriter.text.lazyre import lazy

if TYPE_CHECKING:
    from kvmwriter.text.message import Message

# The start of what git (or b4) generates after the blurb: the shortlog
# header "Ada Tester (3):", a diffstat line, "base-commit:", the signature.
_SHORTLOG_HEADER = lazy(r"^\S.*\(\d+\):\s*$")
_DIFFSTAT_LINE = lazy(r"^ \S.*\|\s+(\d+ ?[+-]*|Bin .*)$")
_DIFFSTAT_TOTAL = lazy(r"^ \d+ files? changed")
_GENERATED_TRAILER = lazy(r"^(base-commit|change-id|prerequisite-[a-z-]+):", re.IGNORECASE)
_SIGNATURE = lazy(r"^-- $")
UNCHECKED_ITEM = lazy(r"^\s*(?:[-*]\s*)?\[ \]")
PLACEHOLDER_LINE = lazy(r"^\s*(?:[-*]\s*)?<[^<>@]*>\s*$")


def body_lines(message: Message) -> list:
    """Lines of a cover after its subject (and headers), up to git's generated tail.

    ``#`` comment lines are left out: git and b4 drop them.
    """
    # Read from the line after the subject's paragraph (after the headers of
    # a patch email) rather than from ``message.paragraphs``: the author's
    # first paragraph must count even where a parser took it for a subject.
    comment_numbers = {line.number for line in message.comments}
    subject_line = message.subject.line if message.subject is not None else 0
    lines = [line for line in message.lines if line.number > subject_line]
    while lines and lines[0].text.strip():
        lines.pop(0)
    body = [
        line
        for line in lines
        if line.number not in comment_numbers and not line.text.startswith("#")
    ]
    for index in range(len(body)):
        if is_generated_start(body, index):
            return body[:index]
    return body


def blurb_lines(message: Message) -> list:
    """Lines of the author's prose in a cover: no subject, comments, git parts.

    Stops at git's (or b4's) generated tail: the shortlog header, a diffstat,
    ``base-commit:`` or the ``-- `` signature.  Unchecked ``[ ]`` checklist
    items and ``<placeholder>`` lines are skipped: nothing was stated there.
    """
    return [
        line
        for line in body_lines(message)
        if not UNCHECKED_ITEM.match(line.text) and not PLACEHOLDER_LINE.match(line.text)
    ]


def is_generated_start(lines: list, index: int) -> bool:
    """Whether ``lines[index]`` starts git's (or b4's) generated tail."""
    text = lines[index].text
    if _SIGNATURE.match(text) or _GENERATED_TRAILER.match(text) or _DIFFSTAT_TOTAL.match(text):
        return True
    if _DIFFSTAT_LINE.match(text):
        return True
    if _SHORTLOG_HEADER.match(text):
        following = lines[index + 1].text if index + 1 < len(lines) else ""
        return following.startswith("  ") and bool(following.strip())
    return False


class TextLines(list):
    """Plain strings seen through ``.text`` like message lines."""

    def __init__(self, texts: list[str]):
        super().__init__(_Text(t) for t in texts)


class _Text(NamedTuple):
    text: str
