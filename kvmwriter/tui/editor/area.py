"""The message text area: git's lines dimmed, findings underlined in place."""

from __future__ import annotations

from rich.style import Style
from textual.widgets import TextArea
from textual.widgets.text_area import TextAreaTheme

from kvmwriter.lint.findings import Finding, Severity
from kvmwriter.text.gitfile import EditorFile

THEME = TextAreaTheme(
    name="kvmwriter-message",
    syntax_styles={
        "git": Style(dim=True, italic=True),
        "finding-error": Style(underline=True, color="red", bold=True),
        "finding-warning": Style(underline=True, color="yellow"),
        "finding-info": Style(underline=True, color="cyan"),
    },
)

_NAMES = {
    Severity.ERROR: "finding-error",
    Severity.WARNING: "finding-warning",
    Severity.INFO: "finding-info",
}

Mark = tuple[int, "int | None", str]


def _byte(line: str, column: int) -> int:
    return len(line[:column].encode("utf-8"))


def marks_for(editor: EditorFile, findings: list[Finding]) -> dict[int, list[Mark]]:
    """Highlights by 0-based row: git's lines dimmed, each finding's word marked."""
    lines = editor.lines
    kept = set(editor.message_lines)
    marks: dict[int, list[Mark]] = {}
    for row, _ in enumerate(lines):
        if row + 1 not in kept:
            marks.setdefault(row, []).append((0, None, "git"))
    for finding in findings:
        row = finding.line - 1
        if not 0 <= row < len(lines):
            continue
        line = lines[row]
        start = min(max(finding.column - 1, 0), len(line))
        end = start
        while end < len(line) and not line[end].isspace():
            end += 1
        if end == start:  # an empty line or a spot past the end: mark the line
            start, end = 0, len(line)
        name = _NAMES.get(finding.severity, "finding-info")
        marks.setdefault(row, []).append((_byte(line, start), _byte(line, end) or None, name))
    return marks


class MessageArea(TextArea):
    """A TextArea whose highlights come from :func:`marks_for`, not a grammar."""

    def __init__(self, text: str, **kwargs) -> None:
        super().__init__(
            text, soft_wrap=False, show_line_numbers=True, tab_behavior="indent", **kwargs
        )
        self.marks: dict[int, list[Mark]] = {}
        self.register_theme(THEME)

    def on_mount(self) -> None:
        self.theme = THEME.name

    def set_marks(self, marks: dict[int, list[Mark]]) -> None:
        self.marks = marks
        self._build_highlight_map()
        self.refresh()

    def _build_highlight_map(self) -> None:
        # Replace the tree-sitter query with the lint's marks; an edit
        # rebuilds from the last marks until the next lint moves them.
        self._line_cache.clear()
        self._highlights.clear()
        for row, spans in getattr(self, "marks", {}).items():
            self._highlights[row].extend(spans)
