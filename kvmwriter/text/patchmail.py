"""Read a patch email as ``git format-patch`` writes it and b4 pipes it.

The message of a patch email is its ``Subject:`` header (with the
``[PATCH v2 3/7]`` tag stripped) and its body up to the ``---`` line; the
diff follows.  Line numbers stay those of the file, so findings point at
the line a reviewer sees in the email.
"""

from __future__ import annotations

import re

from kvmwriter.records import NamedTuple
from kvmwriter.text.lazyre import lazy
from kvmwriter.text.message import (
    Message,
    Subject,
    Topic,
    parse_message,
    parse_subject,
    split_lines,
)

_MBOX_FROM = lazy(r"^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001$|^From \S+ .*\d{4}$")
_HEADER = lazy(r"^(?P<name>[A-Za-z][A-Za-z0-9-]*):(?P<value>.*)$")
# Only a patch email needs these: a plain message leaves them uncompiled.
_BASE_COMMIT = lazy(r"^base-commit: ([0-9a-f]{7,40})\s*$", re.MULTILINE)
_IN_BODY_HEADER = lazy(r"^(From|Date|Subject):\s")
_TAG = lazy(r"^\s*\[(?P<tag>[^\]]*)\]")


class PatchTag(NamedTuple):
    """What the ``[RFC PATCH v2 3/7]`` tag says."""

    text: str = ""
    version: int = 1
    number: int | None = None
    total: int | None = None
    rfc: bool = False

    @property
    def is_cover(self) -> bool:
        return self.number == 0 and self.total is not None


class PatchEmail(NamedTuple):
    message: Message
    headers: dict[str, str]
    tag: PatchTag
    diff: str
    base_commit: str | None
    author: str | None
    files: tuple[str, ...] = ()


def parse_tag(text: str) -> PatchTag:
    version, number, total, rfc = 1, None, None, False
    for word in re.split(r"[\s,]+", text.strip("[] ")):
        if re.fullmatch(r"[vV](\d+)", word):
            version = int(word[1:])
        elif re.fullmatch(r"\d+/\d+", word):
            first, last = word.split("/")
            number, total = int(first), int(last)
        elif word.upper() == "RFC":
            rfc = True
    return PatchTag(text, version, number, total, rfc)


def looks_like_patch_email(text: str) -> bool:
    """True for format-patch/mbox output: a From line or mail headers first."""
    # Read CRLF mail (saved from a mail client) like LF mail.
    head = text[:4096].lstrip("\ufeff").replace("\r\n", "\n")
    first = head.split("\n", 1)[0]
    if _MBOX_FROM.match(first):
        return True
    names = set()
    for line in head.split("\n"):
        if not line.strip():
            break
        match = _HEADER.match(line)
        if match:
            names.add(match.group("name").lower())
        elif not line[:1].isspace():
            return False
    return "subject" in names and bool(names & {"from", "date", "message-id", "to"})


def _decode(value: str) -> str:
    # Only a patch email needs the email package: a commit-msg hook's plain
    # message never pays for importing it.
    from email.errors import HeaderParseError
    from email.header import decode_header, make_header

    try:
        return str(make_header(decode_header(value)))
    except (HeaderParseError, LookupError, UnicodeError, ValueError):
        # Malformed encoded words or an unknown charset: keep the raw text.
        return value


def parse_patch_email(text: str) -> PatchEmail:
    """Parse one patch email.  Never raises; odd input gives an odd model."""
    lines, _ = split_lines(text)
    headers: dict[str, str] = {}
    subject_line = 1
    index = 0
    if lines and _MBOX_FROM.match(lines[0].text):
        index = 1
    last: str | None = None
    while index < len(lines):
        line = lines[index]
        if not line.text.strip():
            index += 1
            break
        match = _HEADER.match(line.text)
        if match:
            last = match.group("name").lower()
            headers[last] = match.group("value").strip()
            if last == "subject":
                subject_line = line.number
        elif last and line.text[:1].isspace():
            headers[last] += " " + line.text.strip()
        index += 1
    body = list(lines[index:])
    author = _decode(headers.get("from", "")) or None
    # In-body "From:"/"Date:" lines override the mail's own (forwarded patches).
    while body and _IN_BODY_HEADER.match(body[0].text):
        if body[0].text.startswith("From:"):
            author = body[0].text[5:].strip()
        body.pop(0)
    while body and not body[0].text.strip():
        body.pop(0)

    raw_subject = _decode(headers.get("subject", ""))
    tag = PatchTag()
    tag_text = ""
    while True:
        match = _TAG.match(raw_subject[len(tag_text) :])
        if not match:
            break
        tag_text += match.group(0)
    if tag_text:
        tag = parse_tag(tag_text)
    subject_text = raw_subject[len(tag_text) :].lstrip()

    diff_start = len(body)
    for position, line in enumerate(body):
        if line.text.startswith("diff --git ") or line.text.startswith("Index: "):
            diff_start = position
            break
    message_lines = body[:diff_start]
    diff = "\n".join(line.text for line in body[diff_start:])

    first = message_lines[0].number if message_lines else (lines[-1].number + 1 if lines else 2)
    message = parse_message(
        "".join(line.text + line.ending for line in message_lines), first, with_subject=False
    )
    subject = parse_subject(subject_text, subject_line)
    # Columns of a header subject count from "Subject: " so they match the file.
    prefix = len("Subject: ") + (len(raw_subject) - len(subject_text))
    subject = Subject(
        line=subject.line,
        text=subject.text,
        column=subject.column + prefix,
        patch_tag=tag_text.strip(),
        components=tuple(Topic(t.name, t.column + prefix) for t in subject.components),
        summary=subject.summary,
        summary_column=subject.summary_column + prefix,
    )
    message.subject = subject
    message.lines = tuple(lines)
    message.is_cover = tag.is_cover
    base = _BASE_COMMIT.search(text)
    files = tuple(sorted(set(re.findall(r"^diff --git a/(\S+) b/", diff, re.MULTILINE))))
    return PatchEmail(
        message=message,
        headers=headers,
        tag=tag,
        diff=diff,
        base_commit=base.group(1) if base else None,
        author=author,
        files=files,
    )
