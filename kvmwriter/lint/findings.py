"""Findings: what a rule reports, as data, until a front end renders it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


class Severity(IntEnum):
    """Ordered so that ``severity >= fail_on`` decides the exit code."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {text!r} (expected error, warning or info)"
            ) from None


@dataclass(frozen=True)
class Hit:
    """What a rule's check yields: a place and a message.

    ``severity`` overrides the rule's default for this one hit, e.g. an
    unverifiable Fixes: in a shallow clone is reported at info.
    """

    line: int
    column: int
    message: str
    severity: Severity | None = None
    #: Suggested replacement text for the whole line, when one is obvious.
    fix: str | None = None


@dataclass(frozen=True, order=True)
class Finding:
    line: int
    column: int
    rule: str
    severity: Severity = field(compare=False)
    message: str = field(compare=False)
    fix: str | None = field(default=None, compare=False)

    def to_json(self) -> dict:
        data = {
            "rule": self.rule,
            "severity": self.severity.label,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }
        if self.fix is not None:
            data["fix"] = self.fix
        return data
