"""Turn commits and findings into styled text for the review widgets.

Subjects, file names, message lines and finding messages come from the
series: each reaches a ``Text`` through :mod:`kvmwriter.tui.plain`, so it is
never markup and its control characters show escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from kvmwriter.lint.findings import Finding, Severity
from kvmwriter.review.model import ReviewedSeries, ReviewEntry
from kvmwriter.text.terminal import visible_line
from kvmwriter.tui.plain import plain_line

#: Marker and style per severity; the line style tints a message line.
_MARK = {Severity.ERROR: "✖", Severity.WARNING: "▲", Severity.INFO: "●"}
_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.INFO: "cyan"}
_LINE_STYLE = {
    Severity.ERROR: "on #3a1418",
    Severity.WARNING: "on #36300f",
    Severity.INFO: "on #102a33",
}


def counts_text(errors: int, warnings: int) -> Text:
    """``✖2 ▲1`` in colour, or a green tick for a clean commit."""
    if not errors and not warnings:
        return Text("   ✓   ", style="green")
    text = Text()
    text.append(f"✖{errors:<2}" if errors else "   ", style=_STYLE[Severity.ERROR])
    text.append(" ")
    text.append(f"▲{warnings:<2}" if warnings else "   ", style=_STYLE[Severity.WARNING])
    return text


def entry_option(entry: ReviewEntry, index: int, total: int) -> Text:
    """One row of the list: position, short sha (or file), counts, subject."""
    width = len(str(total))
    # Fold a long subject onto the next row: the whole subject is what is
    # under review.
    text = Text(no_wrap=False, overflow="fold")
    if entry.is_series:
        # As wide as "N/M " plus a 7-digit id and a space, to keep columns aligned.
        text.append(f"{'Σ':>{width}} {' ' * width} ", style="dim")
        text.append("series  ", style="bold")
    else:
        text.append(f"{index + 1:>{width}}/{total} ", style="dim")
        text.append(
            visible_line(entry.sha[:7]) if entry.sha else _file_label(entry.source),
            style="bold magenta",
        )
        text.append(" ")
    if entry.is_merge:
        text.append(" merge ", style="dim")
    else:
        text.append_text(counts_text(entry.errors, entry.warnings))
    text.append(" ")
    text.append_text(plain_line(entry.subject))
    return text


def _file_label(source: str) -> str:
    """The file's name (and mbox index) without its directory, at most 20 columns."""
    name = visible_line(source.rsplit("/", 1)[-1])
    return name if len(name) <= 20 else name[:19] + "…"


def summary_text(review: ReviewedSeries) -> Text:
    count = review.count
    text = Text()
    text.append(visible_line(review.title) or "(no range)", style="bold")
    noun = review.unit if count == 1 else review.units
    text.append(f"  {count} {noun}, ")
    text.append(
        f"{review.errors} error{'s' if review.errors != 1 else ''}",
        style=_STYLE[Severity.ERROR] if review.errors else "green",
    )
    text.append(", ")
    text.append(
        f"{review.warnings} warning{'s' if review.warnings != 1 else ''}",
        style=_STYLE[Severity.WARNING] if review.warnings else "green",
    )
    if review.merges:
        text.append(
            f", {review.merges} merge{'s' if review.merges != 1 else ''} not linted", style="dim"
        )
    return text


def finding_line(finding: Finding, *, indent: str = "") -> Text:
    """``✖ error 1:11 subject-mood: message`` (the fix, when any, follows)."""
    text = Text(indent)
    style = _STYLE[finding.severity]
    text.append(f"{_MARK[finding.severity]} {finding.severity.label} ", style=style)
    text.append(f"{finding.line}:{finding.column} ", style="dim")
    text.append(finding.rule, style="bold")
    text.append_text(plain_line(f": {finding.message}"))
    if finding.fix is not None:
        label = "fix" if finding.fix.safe else "fix (unsafe)"
        text.append(f"\n{indent}  {label}: ", style="dim")
        text.append_text(plain_line(finding.fix.description or "edit the text", style="green"))
    return text


def message_with_findings(
    message: str, findings: Sequence[Finding], hidden_lines: int = 0
) -> Table:
    """The message with numbered lines, each flagged line tinted and its
    findings beneath it; findings outside the lines come first.

    Lines keep their own width (a reviewer judges the wrapping): the grid
    does not fold them; the pane scrolls sideways instead.
    """
    lines = message.rstrip("\n").split("\n") if message.strip() else [""]
    by_line: dict[int, list[Finding]] = {}
    loose: list[Finding] = []
    for finding in findings:
        if 1 <= finding.line <= len(lines):
            by_line.setdefault(finding.line, []).append(finding)
        else:
            loose.append(finding)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True, style="dim")
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column(no_wrap=True, overflow="ignore")
    for finding in loose:
        grid.add_row("", "│", finding_line(finding))
    for number, line in enumerate(lines, start=1):
        flagged = by_line.get(number, [])
        worst = max((f.severity for f in flagged), default=None)
        grid.add_row(str(number), "│", plain_line(line, style=_LINE_STYLE[worst] if worst else ""))
        for finding in flagged:
            grid.add_row("", "│", finding_line(finding, indent="  "))
    if hidden_lines:
        grid.add_row("", "│", Text(f"(the diff: {hidden_lines} lines not shown)", style="dim"))
    return grid


def findings_text(findings: Sequence[Finding]) -> Text:
    """A plain list of findings, or a note that the message is clean."""
    if not findings:
        return Text("✓ no findings", style="green")
    out = Text()
    for index, finding in enumerate(findings):
        if index:
            out.append("\n")
        out.append_text(finding_line(finding))
    return out
