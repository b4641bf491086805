"""Findings: what a rule reports, as data, until a front end renders it.

A finding may carry a :class:`Fix`: exact text edits on the message (line
and column spans, as findings use) that every front end applies the same
way through :mod:`kvmwriter.lint.autofix`.
"""

from __future__ import annotations

from enum import IntEnum

from kvmwriter.records import NamedTuple, Record


class Severity(IntEnum):
    """Ordered so that ``severity >= fail_on`` decides the exit code."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {text!r} (expected error, warning or info)"
            ) from None


class Edit(NamedTuple):
    """Replace the text from ``(line, column)`` up to ``(end_line, end_column)``.

    Lines and columns are 1-based and count characters, like a finding's;
    the end is exclusive, so an insertion has equal start and end.  A span
    may cross lines (its text then holds the line endings).  ``original`` is
    the text the span held when the rule looked: an edit whose span holds
    anything else is stale and never applied.
    """

    line: int
    column: int
    end_line: int
    end_column: int
    replacement: str
    original: str = ""

    @classmethod
    def on_line(cls, line: int, column: int, original: str, replacement: str) -> Edit:
        """Replace ``original``, which starts at ``column`` of ``line`` and
        does not cross a line end."""
        return cls(line, column, line, column + len(original), replacement, original)

    def to_json(self) -> dict:
        return {
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "replacement": self.replacement,
        }


class Fix(NamedTuple):
    """The edits that resolve one finding, applied together or not at all.

    ``safe`` fixes are certainly what the author meant and are applied
    without asking (``check --fix``, the apps' fix-all key); unsafe ones
    are only offered for confirmation.
    """

    edits: tuple[Edit, ...]
    safe: bool
    #: What the fix does, for people ("spell the topic 'VMX'").
    description: str = ""

    @classmethod
    def replace(
        cls,
        line: int,
        column: int,
        original: str,
        replacement: str,
        *,
        safe: bool,
        description: str = "",
    ) -> Fix:
        """A fix of one edit within one line."""
        return cls((Edit.on_line(line, column, original, replacement),), safe, description)

    def to_json(self) -> dict:
        return {
            "safe": self.safe,
            "description": self.description,
            "edits": [edit.to_json() for edit in self.edits],
        }


class Hit(NamedTuple):
    """What a rule's check yields: a place and a message.

    ``severity`` overrides the rule's default for this one hit, e.g. an
    unverifiable Fixes: in a shallow clone is reported at info.
    """

    line: int
    column: int
    message: str
    severity: Severity | None = None
    #: The edits that resolve the hit, when the rule knows them.
    fix: Fix | None = None


class Finding(Record):
    """One hit of one rule, as every front end shows it.

    Findings compare and sort by place and rule alone (line, column, rule);
    severity, message and fix do not take part.  A plain record, not a
    dataclass: ``kvmwriter check`` must not pay for importing dataclasses.
    """

    __slots__ = ("line", "column", "rule", "severity", "message", "fix")

    line: int
    column: int
    rule: str
    severity: Severity
    message: str
    fix: Fix | None

    def __init__(
        self,
        line: int,
        column: int,
        rule: str,
        severity: Severity,
        message: str,
        fix: Fix | None = None,
    ) -> None:
        self.line = line
        self.column = column
        self.rule = rule
        self.severity = severity
        self.message = message
        self.fix = fix

    def _key(self) -> tuple[int, int, str]:
        return (self.line, self.column, self.rule)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return (self.line, self.column, self.rule) < (other.line, other.column, other.rule)

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return (self.line, self.column, self.rule) <= (other.line, other.column, other.rule)

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return (self.line, self.column, self.rule) > (other.line, other.column, other.rule)

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return (self.line, self.column, self.rule) >= (other.line, other.column, other.rule)

    def to_json(self) -> dict:
        data = {
            "rule": self.rule,
            "severity": self.severity.label,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }
        if self.fix is not None:
            data["fix"] = self.fix.to_json()
        return data
