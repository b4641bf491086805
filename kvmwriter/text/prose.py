"""The prose of a message, with everything that is not prose masked.

Grammar and spelling checkers read sentences, not code.  This module picks
the prose out of a parsed :class:`~kvmwriter.text.message.Message` (the subject's
summary and the prose and list blocks of the body; never quoted, indented or
log blocks, trailers or notes), finds the spans inside it that are code
(identifiers, ``function()`` calls, SHAs, URLs, quoted text, paths, hex
numbers) and maps any offset in the text back to the exact line and column
of the message.

A :class:`ProseText` is what a checker sees: ``text`` with every masked span
replaced by a short placeholder word, and ``locate()`` to turn an offset in
that text back into a place in the message.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator

from kvmwriter.records import NamedTuple
from kvmwriter.text.lazyre import lazy
from kvmwriter.text.message import Message

#: The word that stands in for a masked span in the text sent to a grammar
#: checker: a plain noun keeps the sentence well formed ("Call Dummy to zap").
PLACEHOLDER = "Dummy"

# Spans masked whatever they contain.  Order does not matter: overlapping
# spans merge.  Each pattern starts only where its span can start (a run's
# first character, an opening mark that the span cannot contain again), so
# a long line is scanned in linear time.
_SPAN_PATTERNS = (
    # URLs and mail addresses.
    lazy(r"\b(?:https?|ftp|git|ssh)://[^\s<>\"')\]]*[^\s<>\"')\].,;:!?]"),
    lazy(r"<[^<>@\s]+@[^<>@\s]+>"),
    lazy(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    # Quoted text: code, error strings and other people's words.
    lazy(r"`[^`\n]+`"),
    lazy(r"\"[^\"]{0,400}\""),
    lazy(r"“[^“”]{0,400}”"),
    lazy(r"(?<![\w'’)\]])'[^'\n]{1,200}?'(?![\w])"),
    # Calls: "foo()", "kvm_x86_ops.foo(vcpu)", "CPUID(0x7)".
    lazy(r"(?<![\w.>:-])[\w.>:-]*\w\([^()\n]{0,80}\)"),
    # Abbreviated SHAs (at least one digit, so "defaced" stays a word).
    lazy(r"\b(?=[a-f]*\d)[0-9a-f]{7,40}\b"),
    # Hex numbers, exception vectors, registers, shell variables.
    lazy(r"\b0x[0-9a-fA-F_]+\b"),
    lazy(r"(?<![\w#])[#%$@][A-Za-z_]\w*"),
)

# A token is code when it has any of these inside it.
_CODE_CHARS = lazy(r"[_\\=<>{}\[\]|~^*&]|->|::|\w/\w|\w\.\w|\d")
_ABBREVIATION = lazy(r"(?:[A-Za-z]\.){2,}")
_CAMEL = lazy(r"[a-z][A-Z]|[A-Z]{2,}[a-rt-z]|^[A-Z][a-z]+[A-Z]")
_ALL_CAPS = lazy(r"[A-Z][A-Z]+s?")
_TOKEN = lazy(r"\S+")
_LEAD = "([{\"'`“‘"
_TRAIL = ".,;:!?)]}\"'`”’"
_NUMBER = lazy(r"[-+]?\d+(?:[.,]\d+)*%?")


def token_kind(token: str) -> str:
    """Classify one whitespace-delimited token without surrounding punctuation.

    Returns ``"word"``, ``"acronym"`` (``MSR``, ``CPUs``) or ``"code"``
    (``snake_case``, ``CamelCase``, ``X86_FEATURE_LA57``, ``x86``,
    ``vcpu->arch``, ``foo::bar``, ``mmu.c``, ``-EINVAL``, ``--flag``).
    """
    if not token:
        return "word"
    if _NUMBER.fullmatch(token):
        return "word"
    if _ABBREVIATION.fullmatch(token.rstrip(".") + "."):
        return "word"
    if token.startswith("-") and len(token) > 1 and not token[1].islower():
        return "code"
    if token.startswith("--"):
        return "code"
    if _CODE_CHARS.search(token):
        return "code"
    if _ALL_CAPS.fullmatch(token):
        return "acronym"
    if _CAMEL.search(token):
        return "code"
    return "word"


def mask_spans(text: str, *, acronyms: bool = False) -> list[tuple[int, int]]:
    """Return the sorted, merged ``(start, end)`` spans of ``text`` that are not prose.

    ``acronyms`` masks plain upper-case words (``MSR``, ``CPUs``) too: a
    spelling checker skips them, a grammar checker reads them as words so
    that "an MSR" stays a well-formed phrase.
    """
    spans: list[tuple[int, int]] = []
    for pattern in _SPAN_PATTERNS:
        spans.extend(m.span() for m in pattern.finditer(text))
    for match in _TOKEN.finditer(text):
        start, end = match.start(), match.end()
        while start < end and text[start] in _LEAD:
            start += 1
        while end > start and text[end - 1] in _TRAIL:
            end -= 1
        if start >= end:
            continue
        kind = token_kind(text[start:end])
        if kind == "code" or (acronyms and kind == "acronym"):
            spans.append((start, end))
    return merge_spans(spans)


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` touches any of the sorted ``spans``."""
    index = bisect_right(spans, (start, float("inf"))) - 1
    for span_start, span_end in spans[max(index, 0) :]:
        if span_start >= end:
            return False
        if span_end > start:
            return True
    return False


class Unit(NamedTuple):
    """A run of prose as written: its text and where each line starts.

    ``starts`` holds, for each line of ``text``, the message line number and
    the 1-based column where that line's text begins.
    """

    text: str
    starts: tuple[tuple[int, int], ...]
    #: Offset in ``text`` where each line begins (parallel to ``starts``).
    offsets: tuple[int, ...]

    def locate(self, offset: int) -> tuple[int, int]:
        """Line number and 1-based column of ``offset`` in ``text``."""
        index = max(bisect_right(self.offsets, offset) - 1, 0)
        line, column = self.starts[index]
        return line, column + offset - self.offsets[index]


def _unit(lines: list[tuple[int, int, str]]) -> Unit:
    texts, starts, offsets = [], [], []
    offset = 0
    for number, column, text in lines:
        texts.append(text)
        starts.append((number, column))
        offsets.append(offset)
        offset += len(text) + 1
    return Unit("\n".join(texts), tuple(starts), tuple(offsets))


def prose_units(message: Message) -> Iterator[Unit]:
    """The subject's summary, then each prose or list block of the body."""
    subject = message.subject
    if subject is not None and subject.summary.strip():
        yield _unit([(subject.line, subject.summary_column, subject.summary)])
    for block in message.prose_blocks:
        yield _unit([(line.number, 1, line.text) for line in block.lines])


class ProseText(NamedTuple):
    """The text a grammar checker reads, with a map back to the message.

    ``text`` is the unit's text with masked spans replaced by
    :data:`PLACEHOLDER`; ``pieces`` maps each stretch of ``text`` to an
    offset in the unit (``(text_start, text_end, unit_start, masked)``).
    """

    unit: Unit
    text: str
    pieces: tuple[tuple[int, int, int, bool], ...]

    def _piece(self, offset: int) -> tuple[int, int, int, bool]:
        starts = [piece[0] for piece in self.pieces]
        index = max(bisect_right(starts, offset) - 1, 0)
        return self.pieces[index]

    def unit_offset(self, offset: int) -> int:
        """Offset in the original unit of ``offset`` in ``text``."""
        start, _end, unit_start, masked = self._piece(offset)
        return unit_start if masked else unit_start + offset - start

    def locate(self, offset: int) -> tuple[int, int]:
        """Line number and 1-based column in the message of ``offset`` in ``text``."""
        return self.unit.locate(self.unit_offset(offset))

    def touches_mask(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps a placeholder."""
        return any(masked and s < end and start < e for s, e, _u, masked in self.pieces)

    def before_mask(self, end: int) -> bool:
        """Whether a placeholder follows ``end`` with only spaces between."""
        rest = self.text[end:]
        stripped = rest.lstrip()
        if not stripped.startswith(PLACEHOLDER):
            return False
        position = end + len(rest) - len(stripped)
        return any(masked and s == position for s, _e, _u, masked in self.pieces)


def masked_text(unit: Unit) -> ProseText:
    """Mask the code in ``unit`` for a grammar checker."""
    pieces: list[tuple[int, int, int, bool]] = []
    out: list[str] = []
    length = 0
    position = 0
    for start, end in mask_spans(unit.text):
        if start > position:
            chunk = unit.text[position:start]
            pieces.append((length, length + len(chunk), position, False))
            out.append(chunk)
            length += len(chunk)
        pieces.append((length, length + len(PLACEHOLDER), start, True))
        out.append(PLACEHOLDER)
        length += len(PLACEHOLDER)
        position = end
    if position < len(unit.text) or not pieces:
        chunk = unit.text[position:]
        pieces.append((length, length + len(chunk), position, False))
        out.append(chunk)
    return ProseText(unit, "".join(out), tuple(pieces))


def prose_texts(message: Message) -> list[ProseText]:
    """Every prose unit of ``message``, masked for a grammar checker."""
    return [masked_text(unit) for unit in prose_units(message)]


__all__ = [
    "PLACEHOLDER",
    "ProseText",
    "Unit",
    "mask_spans",
    "masked_text",
    "overlaps",
    "prose_texts",
    "prose_units",
    "token_kind",
]
