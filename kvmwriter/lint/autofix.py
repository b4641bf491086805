"""Apply the fixes findings carry to a message's text.

:func:`apply_fixes` applies a set of fixes at once: each fix is all of its
edits or nothing, a fix whose edits overlap an earlier one's waits for the
next pass, and a stale edit (its span no longer holds the text the rule
saw) or one touching a protected line (git's ``#`` comments, a patch
email's headers and diff) is skipped.  :func:`fix_all` re-lints and applies
until nothing changes, within a bounded number of passes, so that every
front end (``check --fix``, the apps, ``review --fix``) gets the same text.

No Textual, no printing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from kvmwriter.lint.findings import Edit, Finding, Fix
from kvmwriter.text.message import is_scissors

#: Passes :func:`fix_all` makes at most; each pass settles every fix that
#: does not collide with another, so real messages settle in two or three.
MAX_PASSES = 8

#: Lints a text and returns its findings (with their fixes).
Lint = Callable[[str], Sequence[Finding]]


@dataclass(frozen=True)
class Applied:
    """The outcome of one :func:`apply_fixes` call."""

    text: str
    #: Fixes whose edits are in ``text``.
    applied: tuple[Fix, ...] = ()
    #: Fixes left out: overlapping an applied one, stale or protected.
    skipped: tuple[Fix, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.applied)


@dataclass
class FixRun:
    """The outcome of :func:`fix_all`: the fixed text and what was applied."""

    original: str
    text: str
    #: The findings whose fixes were applied, pass by pass.
    applied: list[Finding] = field(default_factory=list)
    passes: int = 0
    #: False when ``MAX_PASSES`` ran out before the fixes settled.
    settled: bool = True

    @property
    def changed(self) -> bool:
        return self.text != self.original

    @property
    def rules(self) -> list[str]:
        """Names of the rules whose fixes were applied, in order, once each."""
        return list(dict.fromkeys(finding.rule for finding in self.applied))


class _Layout:
    """Character offsets of each line of a text, split the way
    :func:`kvmwriter.text.message.split_lines` splits it."""

    def __init__(self, text: str, first_line: int = 1) -> None:
        self.first_line = first_line
        self.starts: list[int] = []
        #: Length of each line without its ending.
        self.widths: list[int] = []
        offset = 0
        for raw in text.splitlines(keepends=True):
            self.starts.append(offset)
            self.widths.append(len(raw.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")))
            offset += len(raw)
        self.length = offset

    def offset(self, line: int, column: int) -> int | None:
        """Offset of ``(line, column)``, or ``None`` outside the text.

        The column may be one past the line's last character (before its
        ending); the line after the last, column 1, is the end of the text.
        """
        index = line - self.first_line
        if column < 1 or index < 0:
            return None
        if index == len(self.starts):
            return self.length if column == 1 else None
        if index > len(self.starts) or column - 1 > self.widths[index]:
            return None
        return self.starts[index] + column - 1

    def line_span(self, line: int) -> tuple[int, int] | None:
        """``(start, end)`` of ``line`` including its ending."""
        index = line - self.first_line
        if not 0 <= index < len(self.starts):
            return None
        end = self.starts[index + 1] if index + 1 < len(self.starts) else self.length
        return self.starts[index], end


def _span(layout: _Layout, edit: Edit) -> tuple[int, int] | None:
    start = layout.offset(edit.line, edit.column)
    end = layout.offset(edit.end_line, edit.end_column)
    if start is None or end is None or end < start:
        return None
    return start, end


def _touches(span: tuple[int, int], line: tuple[int, int]) -> bool:
    start, end = span
    if start == end:
        # An insertion at a line's start belongs to the line before.
        return line[0] < start < line[1]
    return start < line[1] and end > line[0]


def _collide(a: tuple[int, int], b: tuple[int, int]) -> bool:
    # Two insertions (or an insertion and a replacement) at one offset
    # collide too: their order would be a guess.
    return (a[0] < b[1] and b[0] < a[1]) or a[0] == b[0]


def apply_fixes(text: str, fixes: Iterable[Fix], *, protected: Iterable[int] = ()) -> Applied:
    """Apply every fix that fits, in the order given; return the new text.

    A fix applies whole or not at all.  It is skipped when an edit is
    stale (its span does not hold ``original``), out of the text, touches a
    line in ``protected`` (1-based numbers), or overlaps an edit of a fix
    already taken; a later pass can take it once the text has moved on.
    """
    layout = _Layout(text)
    guarded = [span for span in (layout.line_span(n) for n in set(protected)) if span]
    taken: list[tuple[int, int, str]] = []
    applied: list[Fix] = []
    skipped: list[Fix] = []
    for fix in fixes:
        spans: list[tuple[int, int, str]] = []
        for edit in fix.edits:
            span = _span(layout, edit)
            if (
                span is None
                or text[span[0] : span[1]] != edit.original
                or any(_touches(span, line) for line in guarded)
                or any(_collide(span, other[:2]) for other in (*taken, *spans))
            ):
                break
            spans.append((span[0], span[1], edit.replacement))
        else:
            if fix.edits:
                taken.extend(spans)
                applied.append(fix)
                continue
        skipped.append(fix)
    if not taken:
        return Applied(text, (), tuple(skipped))
    pieces: list[str] = []
    position = 0
    for start, end, replacement in sorted(taken, key=lambda span: (span[0], span[1])):
        pieces.append(text[position:start])
        pieces.append(replacement)
        position = end
    pieces.append(text[position:])
    return Applied("".join(pieces), tuple(applied), tuple(skipped))


def protected_lines(text: str) -> frozenset[int]:
    """Lines no fix may touch: git's ``#`` comment lines and, in a patch
    email, every header but ``Subject:`` and everything from the diff on."""
    from kvmwriter.lint.engine import read_message

    message, email = read_message(text)
    protected = {line.number for line in message.comments}
    if email is None:
        # Below git's scissors line (``commit -v``) lies the diff, not the message.
        scissors = next((line.number for line in message.notes if is_scissors(line.text)), None)
        if scissors is not None:
            protected.update(line.number for line in message.lines if line.number >= scissors)
        return frozenset(protected)
    own = [
        line.number
        for part in (message.body_lines, message.trailer_lines, message.notes)
        for line in part
    ]
    subject = message.subject.line if message.subject else 0
    first = min(own, default=len(message.lines) + 1)
    last = max(own, default=0)
    for line in message.lines:
        if line.number != subject and not first <= line.number <= last:
            protected.add(line.number)
    return frozenset(protected)


def wanted(finding: Finding, *, unsafe: bool = False) -> bool:
    """Whether ``fix_all`` applies ``finding``'s fix without asking."""
    return finding.fix is not None and (finding.fix.safe or unsafe)


def fix_all(
    text: str,
    lint: Lint,
    *,
    unsafe: bool = False,
    accept: Callable[[Finding], bool] | None = None,
    max_passes: int = MAX_PASSES,
) -> FixRun:
    """Apply the safe fixes (``unsafe``: every fix) until nothing changes.

    Each pass lints ``text``, applies every fix that fits and lints again;
    fixes that collided get their turn on the next pass.  ``accept`` narrows
    the fixes further (one rule, one line).  Running it again on the result
    changes nothing.
    """
    run = FixRun(original=text, text=text)
    protected = protected_lines(text)
    for _ in range(max_passes):
        findings = [
            f for f in lint(run.text) if wanted(f, unsafe=unsafe) and (accept is None or accept(f))
        ]
        if not findings:
            return run
        result = apply_fixes(run.text, [f.fix for f in findings if f.fix], protected=protected)
        if not result.changed or result.text == run.text:
            return run
        taken = {id(fix) for fix in result.applied}
        run.applied.extend(f for f in findings if id(f.fix) in taken)
        run.text = result.text
        run.passes += 1
        # Comment lines move with the text above them; find them again.
        protected = protected_lines(run.text)
    run.settled = False
    return run


def fix_one(text: str, finding: Finding) -> Applied:
    """Apply ``finding``'s fix alone (safe or not: the user chose it)."""
    if finding.fix is None:
        return Applied(text)
    return apply_fixes(text, [finding.fix], protected=protected_lines(text))


def preview(text: str, fix: Fix) -> list[str]:
    """The lines ``fix`` changes, as they read after it (for showing a fix)."""
    result = apply_fixes(text, [fix])
    if not result.changed:
        return []
    first = min(edit.line for edit in fix.edits)
    last_old = max(edit.end_line for edit in fix.edits)
    growth = sum(edit.replacement.count("\n") - edit.original.count("\n") for edit in fix.edits)
    lines = result.text.splitlines()
    return lines[first - 1 : max(first, last_old + growth)]


def line_span_edit(lines: Sequence, first: int, last: int, replacement: str) -> Edit:
    """An edit replacing whole lines ``first``..``last`` (with their endings).

    ``lines`` are the message's :class:`kvmwriter.text.message.Line` objects.
    """
    chosen = [line for line in lines if first <= line.number <= last]
    original = "".join(line.text + line.ending for line in chosen)
    return Edit(first, 1, last + 1, 1, replacement, original)


def unified_diff(old: str, new: str, name: str) -> str:
    """The change from ``old`` to ``new`` as a unified diff ("" when equal).

    Lines keep their own endings; a last line without one gets git's
    ``\\ No newline at end of file`` marker so the diff stays applicable.
    """
    import difflib

    if old == new:
        return ""

    def lines(text: str) -> list[str]:
        split = text.splitlines(keepends=True)
        if split and not split[-1].endswith(("\n", "\r")):
            split[-1] += "\n\\ No newline at end of file\n"
        return split

    return "".join(
        difflib.unified_diff(lines(old), lines(new), fromfile=name, tofile=f"{name} (fixed)")
    )


__all__ = [
    "MAX_PASSES",
    "Applied",
    "FixRun",
    "apply_fixes",
    "fix_all",
    "fix_one",
    "line_span_edit",
    "preview",
    "protected_lines",
    "unified_diff",
    "wanted",
]
