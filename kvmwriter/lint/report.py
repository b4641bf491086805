"""Render reports as text, terse (checkpatch-style) or JSON.

Every string a report holds came from outside (a file name, a subject, a
quoted stretch of the message): text and terse output show its control
characters escaped (:mod:`kvmwriter.text.terminal`), JSON keeps it exact.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kvmwriter.lint.findings import Severity
from kvmwriter.lint.profile import DEFAULT_PROFILE
from kvmwriter.records import TYPE_CHECKING
from kvmwriter.text.terminal import json_safe, visible_line

if TYPE_CHECKING:
    # Only for annotations: the command line reads FORMATS before any linting.
    from kvmwriter.lint.engine import Report

#: The output formats of check and review, in the order --help lists them.
FORMATS = ("text", "json", "terse")
JSON_VERSION = 1

LineLookup = Callable[["Report", int], str]


def render(
    reports: Sequence[Report],
    fmt: str,
    line_of: LineLookup | None = None,
    summary: str | None = None,
) -> str:
    if fmt == "json":
        return render_json(reports)
    if fmt == "terse":
        return render_terse(reports)
    return render_text(reports, line_of, summary)


def render_json(reports: Sequence[Report]) -> str:
    import json

    data = {"version": JSON_VERSION, "reports": [r.to_json() for r in reports]}
    return json_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def render_terse(reports: Sequence[Report]) -> str:
    """checkpatch's one-liners, which b4's prep-perpatch-check-cmd reads."""
    out = []
    for report in reports:
        for f in report.findings:
            label = {Severity.ERROR: "ERROR", Severity.WARNING: "WARNING", Severity.INFO: "CHECK"}[
                f.severity
            ]
            # checkpatch names stdin "-", and b4 strips a leading "-:".
            source = "-" if report.source == "<stdin>" else visible_line(report.source)
            out.append(f"{source}:{f.line}: {label}: {visible_line(f.message)} [{f.rule}]")
    return "".join(line + "\n" for line in out)


def render_text(
    reports: Sequence[Report], line_of: LineLookup | None = None, summary: str | None = None
) -> str:
    out = []
    for report in reports:
        source = visible_line(report.source)
        if report.profile and report.profile != DEFAULT_PROFILE:
            # The default goes unsaid; another profile changes which rules ran.
            out.append(f"{source}: linted with the {report.profile} profile")
        for f in report.findings:
            out.append(
                f"{source}:{f.line}:{f.column}: {f.severity.label} [{f.rule}] "
                f"{visible_line(f.message)}"
            )
            text = line_of(report, f.line) if line_of else ""
            if text:
                out.append(f"    {visible_line(text)}")
                # Point into the escaped line: an escape widens what precedes the column.
                before = visible_line(text[: max(f.column, 1) - 1])
                out.append(f"    {_tabs_like(before)}^")
    if summary:
        out.append(summary)
    return "".join(line + "\n" for line in out)


def _tabs_like(text: str) -> str:
    """Blank out ``text``, keeping tabs under tabs so the caret lines up in
    a terminal."""
    return "".join("\t" if ch == "\t" else " " for ch in text)


def summarize(reports: Sequence[Report], unit: str = "message") -> str:
    errors = sum(r.count(Severity.ERROR) for r in reports)
    warnings = sum(r.count(Severity.WARNING) for r in reports)
    infos = sum(r.count(Severity.INFO) for r in reports)
    count = len(reports)
    noun = unit if count == 1 else unit + "s"
    parts = [f"{count} {noun}", _plural(errors, "error"), _plural(warnings, "warning")]
    if infos:
        parts.append(_plural(infos, "note"))
    return ", ".join(parts)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")
