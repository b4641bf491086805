"""Parse a commit message into a model with line and column spans.

The model is read-only data: the subject with its ``KVM: <topic>:`` prefix,
the body split into paragraphs of typed blocks (prose, quoted, indented, log),
the trailer block, and whatever follows a ``---`` or scissors line.  Every
piece keeps its 1-based line number and column so findings can point at the
exact spot, and ``Message.render()`` gives back the original text unchanged.

Parsing never raises: any string is a message, however odd.
"""

from __future__ import annotations

from collections.abc import Iterator

from kvmwriter.records import TYPE_CHECKING, NamedTuple, Record, ValueRecord
from kvmwriter.text.lazyre import lazy

if TYPE_CHECKING:
    from typing import Literal

    BlockKind = Literal["prose", "quoted", "indented", "log", "list"]

# A subject prefix is a run of "name:" components before the summary, e.g.
# "KVM: x86/mmu: Zap ..." or "KVM: selftests: TDX: Add ...".  A component is
# short and has no spaces except around separators seen in the wild
# ("selftests / xen", "vmx, svm").
_PREFIX_COMPONENT = lazy(r"(?P<name>[^\s:][^:]{0,40}?)\s*:(?=\s|$|[^\s/])")
# A component is one token ("x86/mmu", "hyper-v") or a list of tokens
# ("vmx, svm", "selftests / xen"); "Use ASID" is already the summary.
# A "/" is both a token character and a separator: separate with "/" only
# where spaces make it one, so no string has two readings (an ambiguous
# pattern takes exponential time on "a/a/a/...!").
_COMPONENT_NAME = lazy(r"^[\w.+/-]+(?:\s*[,&]\s*[\w.+/-]+|\s+/\s*[\w.+/-]+|/\s+[\w.+/-]+)*$")
_PATCH_TAG = lazy(r"^\s*(\[[^\]]*\]\s*)+")
_TRAILER_LINE = lazy(r"^(?P<key>[A-Za-z][A-Za-z0-9-]*)\s*:\s?(?P<value>.*)$")
# Maintainers annotate trailer blocks with "[sean: reword changelog]".
_BRACKETED_ADDRESS = lazy(r"<([^<>\s]+)>")
_BARE_ADDRESS = lazy(r"^\s*([^\s<>@]+@[^\s<>@]+)")
_TRAILER_NOTE = lazy(r"^\s*\[.*\]\s*$")
_SCISSORS = lazy(r"^#? ?-+ >8 -+\s*$")
_LOG_LINE = lazy(
    r"^\s*(\[\s*\d+\.\d+\]|\[\s*T\d+\]|<[A-Z]+>|Call Trace:|RIP:|RSP:|RAX:|"
    r"\?\s+\w+\+0x|\w+\+0x[0-9a-f]+/0x[0-9a-f]+|WARNING:|BUG:|kernel BUG|"
    r"==\d+==|Modules linked in|CPU: \d+|Hardware name:|---\[ end trace|"
    r"general protection fault|Oops:|KASAN:|UBSAN:|={5,}\s*$|-+\[ cut here \]-+|"
    r"(?:R[A-Z0-9]{1,3}|[CDEFGS]S|CR[0-4]|DR[0-7]|ORIG_RAX|EFLAGS):\s*[0-9a-f]{4}|"
    r"Code: [0-9a-f<]{2})"
)
# A line that ends a sentence: a splat holds none ("6.12.59+ #3 Not
# tainted", "rcu_scheduler_active = 2, debug_locks = 1").
_SENTENCE = lazy(r"[.?]\s*$|\.\s+[A-Z]")
#: A pasted splat's blank-line-separated fragments between two log
#: paragraphs: at most this many, each at most _FRAGMENT_LINES long.
_MAX_FRAGMENTS = 3
_FRAGMENT_LINES = 3
# What every _LOG_LINE match holds: a bracket, a colon, an address offset
# or one of the few marks without either.
_LOG_MARKS: tuple[str, ...] = ("[", "<", ":", "+0x", "==", "kernel BUG", "Modules linked in")
_LOG_MARKS += ("general protection fault", "=====")
# List items start at column 1; an indented "  1. foo" is quoted material.
# The first characters of a scissors line or a "---" line: others are
# neither, and most lines skip both tests.
_SEPARATOR_STARTS = ("#", " ", "-")
_BLANKS = lazy(r"[ \t]*")
#: Prefix components read from a subject: real ones have a handful
#: ("KVM: selftests: x86: nVMX:"); the rest of "a:a:a:..." is summary, so
#: every rule reading components costs no more than on a real subject.
MAX_COMPONENTS = 16
_LIST_ITEM = lazy(r"^([-*+]|\d+[.)]|[a-z][.)])\s+")


class Line(NamedTuple):
    """One physical line of the message, without its line ending."""

    number: int
    text: str
    ending: str = "\n"


class Topic(NamedTuple):
    """One component of the subject prefix ("KVM", "x86/mmu", ...)."""

    name: str
    column: int


class Subject(NamedTuple):
    line: int
    text: str
    #: Column where the text after any "[PATCH ...]" tag starts (1-based).
    column: int
    #: The "[PATCH v2 3/7]" tag(s) of a patch email, stripped from ``text``.
    patch_tag: str
    #: Components of the "KVM: x86: " style prefix, in order, "KVM" included.
    components: tuple[Topic, ...]
    summary: str
    summary_column: int

    @property
    def prefix(self) -> str:
        """The prefix as written, e.g. ``"KVM: x86/mmu:"``."""
        if not self.components:
            return ""
        end = self.summary_column - self.column
        return self.text[:end].rstrip()

    @property
    def topics(self) -> tuple[Topic, ...]:
        """Prefix components after the leading ``KVM``."""
        if self.components and self.components[0].name.lower() == "kvm":
            return self.components[1:]
        return self.components


if TYPE_CHECKING:
    # The same for a type checker: a read-only value of the method's type.
    from functools import cached_property as _computed_once
else:

    class _computed_once:  # noqa: N801 (used as a decorator, like property)
        """A property computed on first use, then kept in the instance.

        Rules read a block's text and a message's lines many times per
        message; unlike :func:`functools.cached_property` (Python 3.11), this
        takes no lock.  The value lands in the instance's ``__dict__``, which
        then shadows this descriptor: a record that uses it keeps ``__dict__``
        among its slots.  (Not generic: typing.Generic would cost a check
        the import of typing; type checkers read it as cached_property.)
        """

        def __init__(self, compute):
            self.compute = compute
            self.name = compute.__name__
            self.__doc__ = compute.__doc__

        def __get__(self, instance, owner=None):
            if instance is None:
                return self  # The class's own attribute.
            value = instance.__dict__[self.name] = self.compute(instance)
            return value


class Block(ValueRecord):
    """Consecutive lines of one kind inside a paragraph."""

    # Plain records rather than dataclasses: a commit-msg hook pays for
    # importing dataclasses and for defining each one at every start.
    # ``__dict__`` holds what _computed_once computes.
    __slots__ = ("kind", "lines", "__dict__")

    kind: BlockKind
    lines: tuple[Line, ...]

    def __init__(self, kind: BlockKind, lines: tuple[Line, ...]) -> None:
        self.kind = kind
        self.lines = lines

    @_computed_once
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def is_prose(self) -> bool:
        return self.kind in ("prose", "list")


class Paragraph(ValueRecord):
    __slots__ = ("blocks", "__dict__")

    blocks: tuple[Block, ...]

    def __init__(self, blocks: tuple[Block, ...]) -> None:
        self.blocks = blocks

    @_computed_once
    def lines(self) -> tuple[Line, ...]:
        return tuple(line for block in self.blocks for line in block.lines)

    @_computed_once
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def first_line(self) -> int:
        return self.blocks[0].lines[0].number


class Trailer(ValueRecord):
    __slots__ = ("key", "value", "line", "value_column", "raw", "continuation", "__dict__")

    key: str
    value: str
    line: int
    #: Column of the value (1-based).
    value_column: int
    raw: str
    #: Continuation lines folded into ``value``.
    continuation: tuple[Line, ...]

    def __init__(
        self,
        key: str,
        value: str,
        line: int,
        value_column: int,
        raw: str,
        continuation: tuple[Line, ...] = (),
    ) -> None:
        self.key = key
        self.value = value
        self.line = line
        self.value_column = value_column
        self.raw = raw
        self.continuation = continuation

    @_computed_once
    def name(self) -> str:
        """The key normalised for comparison (``signed-off-by``)."""
        return self.key.lower()

    @_computed_once
    def address(self) -> str | None:
        match = _BRACKETED_ADDRESS.search(self.value)
        if match:
            return match.group(1)
        match = _BARE_ADDRESS.match(self.value)
        return match.group(1) if match else None

    @property
    def person(self) -> str:
        """The ``Name <address>`` part without any trailing ``# comment``."""
        return self.value.split("#", 1)[0].strip()


class Message(Record):
    """A parsed commit message.  Build one with :func:`parse_message`."""

    __slots__ = (
        "lines",
        "subject",
        "paragraphs",
        "trailers",
        "trailer_lines",
        "notes",
        "comments",
        "final_newline",
        "is_cover",
        "extra",
        "__dict__",
    )

    #: Every line of the input, in order, including comments and notes.
    lines: tuple[Line, ...]
    subject: Subject | None
    paragraphs: tuple[Paragraph, ...]
    trailers: tuple[Trailer, ...]
    #: Lines of the trailer block (trailers, continuations and notes).
    trailer_lines: tuple[Line, ...]
    #: Lines from the ``---`` or scissors line to the end.
    notes: tuple[Line, ...]
    #: ``#`` lines dropped the way ``git commit --cleanup=strip`` drops them.
    comments: tuple[Line, ...]
    #: Whether the input ended without a newline.
    final_newline: bool
    is_cover: bool
    extra: dict

    def __init__(
        self,
        lines: tuple[Line, ...],
        subject: Subject | None,
        paragraphs: tuple[Paragraph, ...],
        trailers: tuple[Trailer, ...],
        trailer_lines: tuple[Line, ...],
        notes: tuple[Line, ...],
        comments: tuple[Line, ...],
        final_newline: bool = True,
        is_cover: bool = False,
        extra: dict | None = None,
    ) -> None:
        self.lines = lines
        self.subject = subject
        self.paragraphs = paragraphs
        self.trailers = trailers
        self.trailer_lines = trailer_lines
        self.notes = notes
        self.comments = comments
        self.final_newline = final_newline
        self.is_cover = is_cover
        self.extra = {} if extra is None else extra

    def __repr__(self) -> str:
        return (
            f"Message(subject={self.subject!r}, paragraphs={self.paragraphs!r}, "
            f"trailers={self.trailers!r}, notes={self.notes!r}, is_cover={self.is_cover!r})"
        )

    def render(self) -> str:
        """Return the text the message was parsed from, byte for byte."""
        return "".join(line.text + line.ending for line in self.lines)

    @_computed_once
    def body_lines(self) -> tuple[Line, ...]:
        return tuple(line for p in self.paragraphs for line in p.lines)

    @property
    def prose_blocks(self) -> Iterator[Block]:
        return iter(self._prose_blocks)

    @_computed_once
    def _prose_blocks(self) -> tuple[Block, ...]:
        # Found once: a dozen rules walk the prose of every message.
        return tuple(
            block for paragraph in self.paragraphs for block in paragraph.blocks if block.is_prose
        )

    @property
    def body_text(self) -> str:
        """The changelog paragraphs joined by blank lines (no trailers)."""
        return "\n\n".join(p.text for p in self.paragraphs)

    def trailers_named(self, *names: str) -> list[Trailer]:
        wanted = {n.lower() for n in names}
        return [t for t in self.trailers if t.name in wanted]

    def line(self, number: int) -> str:
        """Text of line ``number`` (1-based) or ``""`` when out of range."""
        for line in self.lines:
            if line.number == number:
                return line.text
        return ""


def split_lines(text: str, first_line: int = 1) -> tuple[tuple[Line, ...], bool]:
    """Split ``text`` into :class:`Line` objects keeping each line ending."""
    lines: list[Line] = []
    number = first_line
    for raw in text.splitlines(keepends=True):
        stripped = raw.rstrip("\r\n")
        lines.append(Line(number, stripped, raw[len(stripped) :]))
        number += 1
    final_newline = not lines or lines[-1].ending != ""
    return tuple(lines), final_newline


def parse_subject(text: str, line: int = 1) -> Subject:
    """Split a subject line into patch tag, prefix components and summary."""
    tag_match = _PATCH_TAG.match(text)
    patch_tag = tag_match.group(0).strip() if tag_match else ""
    offset = tag_match.end() if tag_match else 0
    rest = text[offset:]
    # Leading spaces are part of the subject; keep columns exact.
    lead = len(rest) - len(rest.lstrip(" \t"))
    offset += lead
    rest = rest[lead:]
    components: list[Topic] = []
    position = 0
    # Only treat "word:" runs as a prefix when the first one looks like a
    # subsystem tag; "Revert "KVM: x86: ..."" has no prefix of its own.
    while len(components) < MAX_COMPONENTS:
        match = _PREFIX_COMPONENT.match(rest, position)
        if not match:
            break
        name = match.group("name")
        if not _COMPONENT_NAME.match(name.strip()):
            break
        components.append(Topic(name.strip(), offset + position + 1))
        position = match.end()
        # Match in place: slicing the rest for each of thousands of
        # components ("a:a:a:...") costs quadratic time.
        blanks = _BLANKS.match(rest, position)
        spaces = (blanks.end() if blanks else position) - position
        position += spaces
        if spaces == 0 and position < len(rest):
            # "KVM:x86:" style: keep parsing so rules can report it.
            continue
    summary = rest[position:]
    return Subject(
        line=line,
        text=rest,
        column=offset + 1,
        patch_tag=patch_tag,
        components=tuple(components),
        summary=summary,
        summary_column=offset + position + 1,
    )


def _classify(line: Line) -> BlockKind:
    text = line.text
    if text.startswith(">"):
        return "quoted"
    # Plain tests first: most lines hold no log mark and start no list item.
    if any(map(text.__contains__, _LOG_MARKS)) and _LOG_LINE.match(text):
        return "log"
    first = text[:1]
    if (first in "-*+" or first.isdigit() or text[1:2] in (".", ")")) and _LIST_ITEM.match(text):
        return "list"
    # Prose starts at column 1; anything indented is quoted output or code.
    if text[:1] in (" ", "\t"):
        return "indented"
    return "prose"


def _blocks(lines: list[Line]) -> tuple[Block, ...]:
    blocks: list[Block] = []
    current: list[Line] = []
    kind: BlockKind | None = None
    for line in lines:
        line_kind = _classify(line)
        # Continuation lines of a list item are indented prose.
        if kind == "list" and line_kind == "indented" and not line.text.startswith("\t"):
            line_kind = "list"
        if line_kind == "list" and kind == "list" and _LIST_ITEM.match(line.text):
            blocks.append(Block("list", tuple(current)))
            current = []
        if kind is not None and line_kind != kind:
            blocks.append(Block(kind, tuple(current)))
            current = []
        kind = line_kind
        current.append(line)
    if current and kind is not None:
        blocks.append(Block(kind, tuple(current)))
    return tuple(blocks)


def _sentenceless(block: Block) -> bool:
    return not any(_SENTENCE.search(line.text) for line in block.lines)


def _absorb_log_lines(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Read sentence-less lines that follow log lines as log.

    A splat's header runs on in lines no pattern knows ("6.12.59+ #3 Not
    tainted"); prose that explains the splat is made of sentences.
    """
    if len(blocks) < 2 or not any(block.kind == "log" for block in blocks):
        return blocks
    merged: list[Block] = []
    for block in blocks:
        follows_log = bool(merged) and merged[-1].kind == "log"
        if follows_log and (block.kind == "log" or block.kind == "prose" and _sentenceless(block)):
            merged[-1] = Block("log", merged[-1].lines + block.lines)
            continue
        merged.append(block)
    return tuple(merged)


def _starts_log(blocks: tuple[Block, ...]) -> bool:
    return blocks[0].kind == "log"


def _is_fragment(blocks: tuple[Block, ...]) -> bool:
    lines = sum(len(block.lines) for block in blocks)
    return lines <= _FRAGMENT_LINES and all(
        not block.is_prose or _sentenceless(block) for block in blocks
    )


def _join_log_fragments(groups: list[tuple[Block, ...]]) -> tuple[Paragraph, ...]:
    """Read short sentence-less paragraphs between two log paragraphs as log.

    Lockdep and KASAN reports hold blank lines, so a splat pasted at
    column 1 arrives as several paragraphs; "other info that might help us
    debug this:" between two of them is the report's, not the author's.
    """
    index = 0
    while index < len(groups):
        if _starts_log(groups[index]):
            end = index + 1
            while end < len(groups) and end - index <= _MAX_FRAGMENTS and _is_fragment(groups[end]):
                if _starts_log(groups[end]):
                    break
                end += 1
            if end < len(groups) and end > index + 1 and _starts_log(groups[end]):
                for middle in range(index + 1, end):
                    groups[middle] = tuple(
                        Block("log", block.lines) if block.is_prose else block
                        for block in groups[middle]
                    )
                index = end
                continue
        index += 1
    return tuple(Paragraph(blocks) for blocks in groups)


_TAG_KEYS = ("fixes", "link", "closes", "cc", "change-id", "message-id", "bug")


def is_tag_line(text: str) -> bool:
    """True for a line that reads as a tag ("Fixes: ...", "Cc: ...")."""
    return _is_tag_key(text)


def _is_tag_key(text: str) -> bool:
    """A line whose key is a tag (``*-by``, Fixes, Link, ...), not "Note: ..."."""
    match = _TRAILER_LINE.match(text)
    if not match:
        return False
    key = match.group("key").lower()
    return key.endswith("-by") or key in _TAG_KEYS


def _note_lines(lines: list[Line]) -> set[int]:
    """Line numbers of maintainer notes, "[sean: ...]", even when wrapped."""
    numbers: set[int] = set()
    open_note = False
    for line in lines:
        text = line.text.strip()
        if open_note or text.startswith("["):
            numbers.add(line.number)
            open_note = not text.endswith("]")
    return numbers


def _is_trailer_paragraph(lines: list[Line]) -> bool:
    trailer_count = 0
    other = 0
    notes = _note_lines(lines)
    for line in lines:
        if line.number in notes:
            continue
        if _TRAILER_LINE.match(line.text) and not line.text.startswith(("http:", "https:")):
            trailer_count += 1
        elif _TRAILER_NOTE.match(line.text) or (line.text[:1] in " \t" and trailer_count):
            continue
        else:
            other += 1
    if trailer_count == 0 or not any(_is_tag_key(line.text) for line in lines):
        return False
    if other == 0:
        return True
    # git accepts a block that is at least 25% trailers when one of them is
    # a Signed-off-by: (interpret-trailers' rule for generated trailers).
    has_signoff = any(line.text.lower().startswith("signed-off-by:") for line in lines)
    return has_signoff and trailer_count * 4 >= trailer_count + other


def _trailers(lines: list[Line]) -> tuple[Trailer, ...]:
    trailers: list[Trailer] = []
    notes = _note_lines(lines)
    for line in lines:
        if line.number in notes:
            continue
        match = _TRAILER_LINE.match(line.text)
        if match and not line.text.startswith(("http:", "https:")):
            trailers.append(
                Trailer(
                    key=match.group("key"),
                    value=match.group("value").strip(),
                    line=line.number,
                    value_column=match.start("value") + 1,
                    raw=line.text,
                )
            )
        elif trailers and line.text[:1] in " \t" and line.text.strip():
            last = trailers[-1]
            trailers[-1] = Trailer(
                key=last.key,
                value=(last.value + " " + line.text.strip()).strip(),
                line=last.line,
                value_column=last.value_column,
                raw=last.raw,
                continuation=last.continuation + (line,),
            )
    return tuple(trailers)


def is_scissors(text: str) -> bool:
    """True for git's scissors line (``# ---- >8 ----``); what follows is not message."""
    return text.startswith("#") and bool(_SCISSORS.match(text))


def is_notes_separator(text: str) -> bool:
    """True for the ``---`` line git format-patch writes before the diffstat."""
    return text.rstrip() == "---"


def parse_message(
    text: str, first_line: int = 1, *, strip_comments: bool = True, with_subject: bool = True
) -> Message:
    """Parse ``text`` into a :class:`Message`.  Never raises.

    ``with_subject=False`` parses a body alone (a patch email's subject is a
    header, so its first paragraph is changelog).
    """
    lines, final_newline = split_lines(text, first_line)
    comments: list[Line] = []
    notes: list[Line] = []
    content: list[Line] = []
    in_notes = False
    for line in lines:
        if in_notes:
            notes.append(line)
        elif line.text[:1] in _SEPARATOR_STARTS and (
            _SCISSORS.match(line.text) or is_notes_separator(line.text)
        ):
            in_notes = True
            notes.append(line)
        elif strip_comments and line.text.startswith("#"):
            comments.append(line)
        else:
            content.append(line)

    # Paragraphs are runs of non-blank lines; the first one's first line is
    # the subject (git takes the whole first paragraph, but a wrapped subject
    # is a mistake the rules report, not a reason to lose the body).
    groups: list[list[Line]] = []
    current: list[Line] = []
    for line in content:
        if line.text.strip():
            current.append(line)
        elif current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)

    subject: Subject | None = None
    # A message of trailers alone has no subject yet: that is the file
    # 'git commit -s' or '--trailer' opens the editor on.
    trailers_only = (
        len(groups) == 1
        and _is_trailer_paragraph(groups[0])
        and all(_TRAILER_LINE.match(line.text) or line.text[:1] in " \t[" for line in groups[0])
    )
    if groups and with_subject and not trailers_only:
        first = groups[0]
        subject = parse_subject(first[0].text, first[0].number)
        if len(first) > 1:
            groups[0] = first[1:]
        else:
            groups.pop(0)

    trailer_lines: list[Line] = []
    trailers: tuple[Trailer, ...] = ()
    if groups and _is_trailer_paragraph(groups[-1]):
        # A lone paragraph right after the subject is still a trailer block
        # ("Subject\n\nSigned-off-by: ...").
        trailer_lines = groups.pop()
        trailers = _trailers(trailer_lines)

    paragraphs = _join_log_fragments([_absorb_log_lines(_blocks(group)) for group in groups])
    return Message(
        lines=lines,
        subject=subject,
        paragraphs=paragraphs,
        trailers=trailers,
        trailer_lines=tuple(trailer_lines),
        notes=tuple(notes),
        comments=tuple(comments),
        final_newline=final_newline,
    )


def cleanup(text: str, *, strip_comments: bool = True) -> str:
    """Apply git's default ``strip`` cleanup: what ``git commit`` would store.

    ``strip_comments=False`` is git's ``whitespace`` mode: "#" lines stay.
    """
    kept: list[str] = []
    for raw in text.splitlines():
        if strip_comments and _SCISSORS.match(raw) and raw.startswith("#"):
            break
        if strip_comments and raw.startswith("#"):
            continue
        kept.append(raw.rstrip())
    out: list[str] = []
    for raw in kept:
        if not raw and (not out or not out[-1]):
            continue
        out.append(raw)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + ("\n" if out else "")
