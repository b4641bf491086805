"""Build a commit message from the parts an author drafts, and back.

The drafting front ends (the TUI, ``kvmwriter edit``) keep a :class:`Draft`:
the prefix and summary, the "what changes" and "why" parts, the trailers and
the testing notes.  :func:`compose` renders it in the order the KVM x86
handbook asks for (what first, then why) and records where each message line
came from, so a finding on line N can send the author to the field and line
that produced it.  No Textual here: the same code serves tests and the CLI.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields

#: Width prose paragraphs wrap to (the body-line-length limit is 75).
WRAP_WIDTH = 72
#: Paragraphs whose lines all fit in this many columns keep their wrapping.
FIT_WIDTH = 75

#: Trailer fields a draft carries, in the order the message lists them:
#: Fixes first, reports and links next, people, then the author's sign-off.
TRAILER_FIELDS = (
    ("fixes", "Fixes"),
    ("reported_by", "Reported-by"),
    ("closes", "Closes"),
    ("link", "Link"),
    ("suggested_by", "Suggested-by"),
)


@dataclass
class Draft:
    """Everything the author has typed so far; serialisable as JSON."""

    prefix: str = ""
    summary: str = ""
    what: str = ""
    why: str = ""
    fixes: str = ""
    cc_stable: bool = False
    link: str = ""
    closes: str = ""
    reported_by: str = ""
    suggested_by: str = ""
    co_developed_by: str = ""
    signoff: str = ""
    #: Other trailers kept verbatim (e.g. Reviewed-by from an amended commit).
    extra_trailers: list[str] = field(default_factory=list)
    #: Keys of the testing checklist items done.
    tested: list[str] = field(default_factory=list)
    testing_notes: str = ""
    #: "notes" puts the testing summary below ``---``; "cover" leaves it out
    #: of the commit for the cover letter.
    testing_place: str = "notes"
    #: Notes below ``---`` that came with an edited message (kept verbatim).
    notes: str = ""

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Draft:
        """Build a draft from stored JSON, ignoring unknown or mistyped keys."""
        known = {f.name: f for f in fields(cls)}
        draft = cls()
        for key, value in (data or {}).items():
            if key not in known:
                continue
            default = getattr(draft, key)
            if isinstance(default, bool):
                if isinstance(value, bool):
                    setattr(draft, key, value)
            elif isinstance(default, list):
                if isinstance(value, list):
                    setattr(draft, key, [str(v) for v in value])
            elif isinstance(value, str):
                setattr(draft, key, value)
        return draft

    @property
    def is_empty(self) -> bool:
        """True when nothing the author typed is in the draft."""
        typed = (
            self.summary,
            self.what,
            self.why,
            self.fixes,
            self.link,
            self.closes,
            self.reported_by,
            self.suggested_by,
            self.co_developed_by,
            self.testing_notes,
        )
        return not any(part.strip() for part in typed) and not self.tested

    @property
    def subject(self) -> str:
        prefix = self.prefix.strip()
        summary = self.summary.strip()
        return f"{prefix} {summary}".strip() if prefix else summary


@dataclass(frozen=True)
class Origin:
    """Where a line of the composed message came from."""

    #: Draft field name ("summary", "what", "why", "fixes", ...) or "" for
    #: lines no field owns (blank lines, the ``---`` separator).
    field: str
    #: 0-based line in that field's text (after wrapping: the nearest line).
    row: int = 0
    #: 0-based column in that line where the message line starts: a long
    #: typed line wrapped into several message lines maps each one back.
    column: int = 0


def wrap_prose(
    text: str, width: int = WRAP_WIDTH, fit: int = FIT_WIDTH, keep: frozenset[str] = frozenset()
) -> str:
    """Wrap overlong prose paragraphs to ``width``; keep everything else.

    A paragraph of plain prose with a line over ``fit`` columns is re-flowed
    (the author typed it in a soft-wrapping field); a paragraph that already
    fits keeps its line breaks, so rewording an existing commit changes only
    what the author changed.  Code, a splat, a quoted SDM passage or a list
    stays exactly as typed, and so does a paragraph in ``keep`` (one an
    existing commit already had).
    """
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip("\n")):
        lines = paragraph.splitlines()
        if paragraph.strip("\n") in keep:
            out.append("\n".join(line.rstrip() for line in lines))
            continue
        overlong = any(len(line) > fit for line in lines)
        if lines and overlong and all(_is_plain_prose(line) for line in lines):
            joined = " ".join(line.strip() for line in lines)
            out.append(
                textwrap.fill(joined, width=width, break_long_words=False, break_on_hyphens=False)
            )
        else:
            out.append("\n".join(line.rstrip() for line in lines))
    return "\n\n".join(part for part in out if part.strip())


def _is_plain_prose(line: str) -> bool:
    if not line.strip() or line[:1].isspace() or line.startswith((">", "|")):
        return False
    if re.match(r"^\s*([-*+]|\d+[.)])\s", line):
        return False
    return not re.match(r"^\[\s*\d+\.\d+\]", line)  # a kernel log line


def trailer_lines(draft: Draft) -> list[tuple[str, str]]:
    """The trailers the draft renders, as ``(field, "Key: value")`` pairs.

    New tags from the fields come first, then the lines kept from an
    existing message (verbatim, in their order), then Co-developed-by pairs
    and the author's sign-off, unless the kept lines already carry them.
    """
    kept = [line.rstrip() for line in draft.extra_trailers]
    kept_lower = {line.strip().lower() for line in kept}
    lines: list[tuple[str, str]] = []
    for name, key in TRAILER_FIELDS:
        for value in _values(getattr(draft, name)):
            if name == "fixes" and value.lower().startswith("fixes:"):
                value = value.split(":", 1)[1].strip()
            lines.append((name, f"{key}: {value}"))
    stable = "Cc: stable@vger.kernel.org"
    if draft.cc_stable and not any(
        line.lower().startswith("cc:") and "stable@vger.kernel.org" in line for line in kept_lower
    ):
        lines.append(("cc_stable", stable))
    while kept and not kept[-1].strip():
        kept.pop()
    lines.extend(("extra_trailers", line) for line in kept)
    for value in _values(draft.co_developed_by):
        lines.append(("co_developed_by", f"Co-developed-by: {value}"))
        # Every Co-developed-by is followed by that person's Signed-off-by
        # (submitting-patches.rst).
        lines.append(("co_developed_by", f"Signed-off-by: {value}"))
    signoff = draft.signoff.strip()
    if signoff:
        if not signoff.lower().startswith("signed-off-by:"):
            signoff = f"Signed-off-by: {signoff}"
        if signoff.lower() not in kept_lower:
            lines.append(("signoff", signoff))
    return lines


def _values(text: str) -> list[str]:
    """Split a field that may hold several values, one per line or ';'."""
    return [part.strip() for part in re.split(r"[\n;]", text or "") if part.strip()]


def compose_with_origins(
    draft: Draft, testing_summary: str = "", keep: frozenset[str] = frozenset()
) -> tuple[str, list[Origin]]:
    """Return the message text and the :class:`Origin` of each of its lines.

    ``keep``: paragraphs to leave unwrapped (see :func:`wrap_prose`).
    """
    lines: list[str] = []
    origins: list[Origin] = []

    def add(text: str, origin: Origin) -> None:
        lines.append(text)
        origins.append(origin)

    def add_block(name: str, text: str) -> None:
        if not text.strip():
            return
        if lines:
            add("", Origin(""))
        source_rows = (getattr(draft, name) or "").splitlines()
        cursor = (0, 0)
        for row, line in enumerate(wrap_prose(text, keep=keep).splitlines()):
            cursor = locate_typed_line(source_rows, line, cursor, row)
            add(line, Origin(name, *cursor))

    add(draft.subject, Origin("summary"))
    add_block("what", draft.what)
    add_block("why", draft.why)
    trailers = trailer_lines(draft)
    if trailers:
        add("", Origin(""))
        for name, text in trailers:
            add(text, Origin(name))
    notes = draft.notes.strip("\n")
    summary = testing_summary.strip("\n") if draft.testing_place == "notes" else ""
    if summary or notes:
        add("---", Origin(""))
        for line in summary.splitlines():
            add(line, Origin("testing_notes"))
        if summary and notes:
            add("", Origin(""))
        for row, line in enumerate(notes.splitlines()):
            add(line, Origin("notes", row))
    return "\n".join(lines) + "\n", origins


def compose(draft: Draft, testing_summary: str = "", keep: frozenset[str] = frozenset()) -> str:
    """Render the draft as the commit message git will store."""
    return compose_with_origins(draft, testing_summary, keep)[0]


def paragraphs_of(draft: Draft) -> frozenset[str]:
    """The changelog paragraphs of ``draft``: pass as ``keep`` to leave them be."""
    return frozenset(
        p.strip("\n")
        for part in (draft.what, draft.why)
        for p in re.split(r"\n\s*\n", part)
        if p.strip()
    )


def locate_typed_line(
    source_rows: list[str], line: str, after: tuple[int, int], fallback: int
) -> tuple[int, int]:
    """Row and column of the typed text where a composed ``line`` starts.

    Search from ``after`` (the previous line's start) on, so that a phrase
    repeated in a paragraph maps to the right occurrence; wrapping keeps the
    words of a line in order, so its stripped text is found in the row.
    """
    text = line.strip()
    lead = len(line) - len(line.lstrip())
    if text:
        for probe in (text, text[:20]):
            start_row, start_col = after
            for row in range(start_row, len(source_rows)):
                column = source_rows[row].find(probe, start_col if row == start_row else 0)
                if column >= 0:
                    return row, max(column - lead, 0)
    return min(fallback, max(len(source_rows) - 1, 0)), 0


# -- Reading an existing message back into a draft (kvmwriter edit, --amend) --

_KNOWN_TRAILERS = {key.lower(): name for name, key in TRAILER_FIELDS}


def draft_from_message(text: str, signoff: str | None = None) -> Draft:
    """Split an existing message into a draft: the inverse of :func:`compose`.

    The first body paragraph becomes "what", the rest "why".  The trailer
    block is kept verbatim (order, maintainer notes and all) in
    ``extra_trailers``, so rewording a commit never drops or reorders a
    line; the tag fields stay empty for tags the author adds.  ``signoff``
    (the author's own line) is offered only when the block lacks it.
    """
    from kvmwriter.text.message import cleanup, parse_message

    notes = ""
    body_text = text
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.rstrip() == "---":
            body_text = "\n".join(lines[:index])
            notes = "\n".join(lines[index + 1 :]).strip("\n")
            break
    # Both callers pass text without git's comments (a stored commit, or
    # the editor file once split_editor_file dropped them): a line starting
    # with "#" here is the author's ("#1 ...").
    message = parse_message(cleanup(body_text, strip_comments=False), strip_comments=False)
    draft = Draft(notes=notes)
    if message.subject is not None:
        subject = message.subject
        draft.prefix = subject.prefix.strip() if subject.prefix else ""
        draft.summary = subject.summary if subject.prefix else subject.text
    paragraphs = [p.text for p in message.paragraphs]
    draft.what = paragraphs[0] if paragraphs else ""
    draft.why = "\n\n".join(paragraphs[1:])
    draft.extra_trailers = [line.text.rstrip() for line in message.trailer_lines]
    draft.cc_stable = any(
        t.name == "cc" and "stable@vger.kernel.org" in t.value for t in message.trailers
    )
    own = signoff.strip() if signoff else ""
    if own and own.lower() not in {line.strip().lower() for line in draft.extra_trailers}:
        draft.signoff = own
    return draft


# -- Function names in a diff (offer ``name()`` in the changelog) ------------

_C_KEYWORDS = frozenset(
    {
        "if",
        "for",
        "while",
        "switch",
        "return",
        "sizeof",
        "typeof",
        "defined",
        "do",
        "else",
        "case",
        "goto",
        "__attribute__",
        "asm",
        "__asm__",
        "likely",
        "unlikely",
        "offsetof",
        "__typeof__",
        "_Static_assert",
        "static_assert",
        "alignof",
        "__alignof__",
    }
)
_CALL = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\(")
_DEFINITION = re.compile(r"^[A-Za-z_][\w \t*]*\b[A-Za-z_]\w*\s*\(")
_HUNK_FUNC = re.compile(r"^@@ [^@]* @@\s*(.*)$")


def diff_function_names(diff: str) -> list[str]:
    """Names of C functions the diff defines or calls, sorted.

    Reads hunk headers (the function a hunk sits in) and the added or
    removed lines (calls and definitions).  Upper-case names are macros and
    stay out: ``BUG_ON`` is not a function reference.
    """
    names: set[str] = set()
    for line in diff.splitlines():
        if line.startswith(("+++", "---", "diff ", "index ")):
            continue
        if line.startswith("@@"):
            match = _HUNK_FUNC.match(line)
            code = match.group(1) if match else ""
        elif line[:1] in "+-":
            code = line[1:]
        elif line[:1] == " ":
            code = line[1:]  # context: the definitions and calls around the change
        else:
            continue
        code = re.sub(r'"(?:[^"\\]|\\.)*"', '""', code.split("//", 1)[0])
        for name in _CALL.findall(code):
            if name in _C_KEYWORDS or name.isupper() or len(name) < 3:
                continue
            names.add(name)
    return sorted(names)


def add_function_parens(text: str, names: Iterable[str]) -> str:
    """Write each bare mention of a function in ``names`` as ``name()``."""
    wanted = sorted(set(names), key=len, reverse=True)
    if not wanted or not text:
        return text
    pattern = re.compile(r"(?<![\w.>/-])(" + "|".join(re.escape(n) for n in wanted) + r")(?![\w(])")
    return pattern.sub(lambda m: m.group(1) + "()", text)


def bare_function_mentions(text: str, names: Iterable[str]) -> list[str]:
    """Functions from ``names`` mentioned in ``text`` without ``()``."""
    found = []
    for name in sorted(set(names)):
        if re.search(r"(?<![\w.>/-])" + re.escape(name) + r"(?![\w(])", text):
            found.append(name)
    return found


# -- Files git or b4 hand to the editor ---------------------------------------

#: b4 prep keeps its tracking data in the cover letter after this line.
B4_TRACKING = "--- b4-submit-tracking ---"


def split_editor_file(text: str, comment: str = "#") -> tuple[str, str]:
    """Split a file git or b4 opened in the editor into ``(message, tail)``.

    ``message`` is what the author edits: git's ``#`` comment lines and the
    verbose diff below the scissors line are left out (git strips them
    anyway; ``comment`` is git's ``core.commentChar``).  ``tail`` is what
    must be written back after the message unchanged: b4's tracking section
    of a ``b4 prep --edit-cover`` cover.
    """
    lines = text.splitlines()
    tail = ""
    for index, line in enumerate(lines):
        if line.strip() == B4_TRACKING:
            tail = "\n".join(lines[index:]) + "\n"
            lines = lines[:index]
            break
    kept: list[str] = []
    for line in lines:
        if line.startswith(comment) and ">8" in line and "-" * 8 in line:
            break  # git's scissors: the verbose diff follows
        if line.startswith(comment):
            continue
        kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    while kept and not kept[0].strip():
        kept.pop(0)
    return ("\n".join(kept) + "\n" if kept else ""), tail
