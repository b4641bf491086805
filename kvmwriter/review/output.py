"""Render a review's reports as they come, and count what its summary says.

One :class:`ReviewOutput` turns each report into the text to print (text,
terse or one JSON array entry) and keeps only counts, so a review of any
length holds no report once it is rendered.  A parallel review renders
each batch on the worker that linted it and adds the batch's counts to the
parent's with :meth:`ReviewOutput.merge`: the printed bytes are the same
as when one process renders everything.
"""

from __future__ import annotations

from kvmwriter.lint.findings import Severity
from kvmwriter.lint.report import render
from kvmwriter.records import TYPE_CHECKING
from kvmwriter.text.terminal import json_safe, visible_line

if TYPE_CHECKING:
    from kvmwriter.lint.engine import Report

#: What opens and closes the JSON document around the reports.
JSON_HEAD = '{\n  "version": 1,\n  "reports": ['
JSON_TAIL = "\n  ]\n}\n"


class ReviewOutput:
    """Rendered text per report, plus the counts of everything rendered."""

    def __init__(self, form: str, threshold: Severity) -> None:
        self.form = form
        self.threshold = threshold
        self.counts = {Severity.ERROR: 0, Severity.WARNING: 0, Severity.INFO: 0}
        self.failed = False
        #: Commits or patches rendered (the series report is not one).
        self.items = 0
        #: JSON array entries rendered (each after the first needs a comma).
        self.entries = 0

    def fresh(self) -> ReviewOutput:
        """An empty output of the same format and threshold (a batch's)."""
        return ReviewOutput(self.form, self.threshold)

    def render(self, report: Report, text: str | None, *, item: bool = True) -> str:
        """What to print for ``report`` (``text``: the message its line
        numbers point into); ``item`` false for the series report."""
        if item:
            self.items += 1
        for finding in report.findings:
            self.counts[finding.severity] += 1
            self.failed = self.failed or finding.severity >= self.threshold
        if self.form == "json":
            import json  # Only JSON output needs it.

            body = json_safe(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
            separator = ",\n" if self.entries else "\n"
            self.entries += 1
            return separator + "    " + body.replace("\n", "\n    ")
        if not report.findings:
            return ""
        header = ""
        if self.form == "text":
            name = report.source[:12] if _is_sha(report.source) else report.source
            # The subject and file name come from the series: never let them
            # reach the terminal as control sequences or forge a line.
            header = visible_line(f"{name} {report.subject}" if report.subject else name) + "\n"
        lines = text.splitlines() if text else []

        def line_of(_report, number: int) -> str:
            return lines[number - 1] if 0 < number <= len(lines) else ""

        if self.form == "text" and _is_sha(report.source):
            # Full ids stay in JSON; text reads better with git's short form.
            from kvmwriter.lint.engine import Report

            report = Report(report.source[:12], report.subject, report.findings, report.profile)
        return header + render([report], self.form, line_of)

    def merge(self, later: ReviewOutput, rendered: str) -> str:
        """Add the counts of ``later`` (the reports after these ones) and
        return its ``rendered`` text as it continues what is printed."""
        for severity, count in later.counts.items():
            self.counts[severity] += count
        self.failed = self.failed or later.failed
        self.items += later.items
        joined = "," + rendered if self.entries and later.entries else rendered
        self.entries += later.entries
        return joined


def _is_sha(text: str) -> bool:
    return len(text) == 40 and all(c in "0123456789abcdef" for c in text)
