"""Build the fixes that take more than one word's replacement.

Rules call these to attach a :class:`Fix` to a hit: moving version notes
below ``---``, rewrapping an over-long prose paragraph, and rewriting
"This patch adds" as "Add".  Each returns ``None`` when the edit would be a
guess; what is returned touches only the lines it names.
"""

from __future__ import annotations

import re

from kvmwriter.lint.autofix import line_span_edit
from kvmwriter.lint.findings import Edit, Fix
from kvmwriter.text.message import Block, Line, Message, is_notes_separator, is_tag_line

_URL = re.compile(r"https?://\S+")
#: A sentence end followed by two spaces: the author's spacing to keep.
_TWO_SPACES = re.compile(r"[.?!]\)?  \S")


def _line(message: Message, number: int) -> Line | None:
    index = number - message.lines[0].number if message.lines else -1
    if 0 <= index < len(message.lines) and message.lines[index].number == number:
        return message.lines[index]
    return None


def move_version_notes(message: Message, first: int, is_note) -> Fix | None:
    """Move the paragraph starting at line ``first`` (and the note paragraphs
    right after it) from the changelog to below the ``---`` line.

    ``is_note(text)`` says whether a paragraph's first line starts a version
    note; a following paragraph is moved along when it does, or when it is
    not prose (the note's indented list).  ``None`` when ``first`` does not
    start a paragraph.
    """
    paragraphs = list(message.paragraphs)
    start = next((i for i, p in enumerate(paragraphs) if p.first_line == first), None)
    if start is None:
        return None
    end = start
    while end + 1 < len(paragraphs):
        following = paragraphs[end + 1]
        if not (
            is_note(following.lines[0].text)
            or all(not block.is_prose for block in following.blocks)
        ):
            break
        end += 1
    last = paragraphs[end].lines[-1].number
    before = first - 1
    while (line := _line(message, before)) is not None and not line.text.strip():
        before -= 1
    if before == first - 1:
        return None  # No blank line above: the note is glued to other text.
    moved = [line for line in message.lines if first <= line.number <= last]
    if not moved[-1].ending:
        return None
    notes = "".join(line.text + line.ending for line in moved)
    removal = line_span_edit(message.lines, before + 1, last, "")
    separator = message.notes[0] if message.notes else None
    if separator is not None and is_notes_separator(separator.text):
        if not separator.ending:
            return None
        after = _line(message, separator.number + 1)
        gap = "\n" if after is not None and after.text.strip() else ""
        insertion = Edit(separator.number + 1, 1, separator.number + 1, 1, notes + gap, "")
        return Fix((removal, insertion), safe=True, description="move the notes below '---'")
    if separator is not None:
        return None  # A scissors line: what follows is not the message's.
    kept = [
        line.number
        for line in (*message.body_lines, *message.trailer_lines)
        if not first <= line.number <= last
    ]
    if message.subject is not None:
        kept.append(message.subject.line)
    anchor = max(kept, default=0)
    if anchor < first:
        # Nothing after the notes: replace them (and the blank above) at once.
        return Fix(
            (line_span_edit(message.lines, before + 1, last, "---\n" + notes),),
            safe=True,
            description="move the notes below '---'",
        )
    tail = _line(message, anchor)
    if tail is None:
        return None
    lead = "" if tail.ending else "\n"
    insertion = Edit(anchor + 1, 1, anchor + 1, 1, lead + "---\n" + notes, "")
    return Fix((removal, insertion), safe=True, description="move the notes below '---'")


def rewrap(block: Block, first: int, limit: int) -> Fix | None:
    """Rewrap ``block`` (changelog prose) at ``limit`` columns from line
    ``first`` to the block's end; lines above ``first`` stay as written.

    Words keep their order and their spacing inside a line; a line end
    becomes one space, or two after a sentence when the author writes two.
    ``None`` when the block holds a URL, a tag, an indented line, or a word
    longer than the limit.
    """
    if block.kind != "prose":
        return None
    lines = [line for line in block.lines if line.number >= first]
    if not lines or any(not line.ending for line in lines):
        return None
    for line in lines:
        text = line.text
        if _URL.search(text) or is_tag_line(text) or text[:1].isspace() or text != text.rstrip():
            return None
    two = bool(_TWO_SPACES.search(block.text))
    words: list[tuple[str, str]] = []  # (word, spacing that followed it)
    for index, line in enumerate(lines):
        pieces = re.findall(r"(\S+)(\s*)", line.text)
        for position, (word, space) in enumerate(pieces):
            if position == len(pieces) - 1 and index < len(lines) - 1:
                space = "  " if two and re.search(r"[.?!]\)?$", word) else " "
            words.append((word, space))
    if any(len(word) > limit for word, _ in words):
        return None
    out: list[str] = []
    current = ""
    pending = ""
    for word, space in words:
        if current and len(current) + len(pending) + len(word) > limit:
            out.append(current)
            current = word
        else:
            current = current + pending + word if current else word
        pending = space
    if current:
        out.append(current)
    if any(_reads_differently(text) for text in out[1:]):
        return None
    ending = lines[-1].ending
    replacement = "".join(text + ending for text in out)
    edit = line_span_edit(block.lines, lines[0].number, lines[-1].number, replacement)
    if edit.original == replacement:
        return None
    return Fix((edit,), safe=True, description=f"rewrap the paragraph at {limit} columns")


#: Line starts that change what a line is: git's comments, quotes, list
#: items, the notes separator.
_SPECIAL_START = re.compile(r"^(?:#|>|-{3}|[-*+]\s|\d+[.)]\s|[a-z][.)]\s)")


def _reads_differently(text: str) -> bool:
    """Whether a wrapped line would start as something other than prose."""
    return bool(_SPECIAL_START.match(text)) or is_tag_line(text)


_THIS_PATCH = re.compile(
    r"^(?P<phrase>(?:This|The) (?:patch(?:set| series)?|commit|change|series) "
    r"(?P<also>also )?(?P<verb>[a-z]+s))\b"
)


def imperative_rewrite(line: Line, column: int) -> Fix | None:
    """``This patch adds X`` -> ``Add X`` at a sentence start (offered, not
    applied unasked: the sentence may need more than its first words)."""
    text = line.text[column - 1 :]
    match = _THIS_PATCH.match(text)
    if match is None:
        return None
    before = line.text[: column - 1].rstrip()
    if before and not before.endswith((".", "!", "?", ":")):
        return None  # Mid-sentence: "... so this patch adds" needs a rewrite by hand.
    verb = match.group("verb")
    base = _base_form(verb)
    if base is None:
        return None
    phrase = match.group("phrase")
    wanted = f"Also {base}" if match.group("also") else base.capitalize()
    return Fix.replace(
        line.number,
        column,
        phrase,
        wanted,
        safe=False,
        description=f"write '{wanted}' instead of '{phrase}'",
    )


_WE_MODAL = re.compile(
    r"^(?P<phrase>[Ww]e (?:need to|have to|must|should|want to) )(?P<verb>[a-z])"
)
_OUR = re.compile(r"^(?P<word>[Oo]ur)\b")


def pronoun_rewrite(line: Line, column: int) -> Fix | None:
    """``We need to flush`` -> ``Flush`` at a sentence start, ``our guest``
    -> ``the guest``: the rewrites that keep the sentence's meaning (offered,
    never applied unasked)."""
    text = line.text[column - 1 :]
    before = line.text[: column - 1].rstrip()
    match = _WE_MODAL.match(text)
    if match is not None:
        if before and not before.endswith((".", "!", "?", ":")):
            return None
        phrase = match.group("phrase") + match.group("verb")
        wanted = match.group("verb").upper()
        return Fix.replace(
            line.number,
            column,
            phrase,
            wanted,
            safe=False,
            description=f"drop '{match.group('phrase').strip()}' and use the imperative",
        )
    match = _OUR.match(text)
    if match is not None:
        word = match.group("word")
        wanted = "The" if word[0].isupper() else "the"
        return Fix.replace(
            line.number,
            column,
            word,
            wanted,
            safe=False,
            description=f"write '{wanted}' instead of '{word}'",
        )
    return None


def _base_form(verb: str) -> str | None:
    if verb.endswith("ies") and len(verb) > 4:
        return verb[:-3] + "y"
    if verb.endswith(("sses", "shes", "ches", "xes", "zes")):
        return verb[:-2]
    if verb.endswith("ss") or len(verb) < 3:
        return None
    return verb[:-1]


__all__ = ["imperative_rewrite", "move_version_notes", "pronoun_rewrite", "rewrap"]
