"""The text area of :mod:`kvmwriter.tui.plain`, apart: it imports Textual's TextArea.

The first frame of the drafting and cover apps shows no text area, and
Textual's text area brings its document, history and theme modules.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import TextArea

from kvmwriter.text.terminal import pictured


class PlainTextArea(TextArea):
    """A ``TextArea`` that shows control characters in its lines visibly."""

    def get_line(self, line_index: int) -> Text:
        return Text(pictured(self.document.get_line(line_index)), end="", no_wrap=True)


__all__ = ["PlainTextArea"]
