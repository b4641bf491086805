"""The review screen's two panes: the entry list and the message view."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kvmwriter.review.model import ReviewedSeries, ReviewEntry
from kvmwriter.text.terminal import visible_line
from kvmwriter.tui.plain import plain
from kvmwriter.tui.review.render import entry_option, findings_text, message_with_findings


class EntryList(OptionList):
    """The series' commits or patches in order, with error/warning counts."""

    def show(self, review: ReviewedSeries, highlight: int | None = 0) -> None:
        self.clear_options()
        self.add_options(
            Option(entry_option(entry, index, review.count), id=f"entry-{index}")
            for index, entry in enumerate(review.entries)
        )
        if review.entries:
            self.highlighted = min(highlight or 0, len(review.entries) - 1)


class MessageView(VerticalScroll):
    """One message, flagged lines tinted, findings beneath them."""

    def compose(self):
        yield Static(id="message-title")
        yield Static(id="message-body")

    def show(self, entry: ReviewEntry | None) -> None:
        title = self.query_one("#message-title", Static)
        body = self.query_one("#message-body", Static)
        if entry is None:
            title.update("")
            body.update("Nothing selected.")
            return
        if entry.is_series:
            title.update(Text("Findings on the series as a whole"))
            body.update(findings_text(entry.findings))
        else:
            title.update(plain(_title(entry)))
            body.update(message_with_findings(entry.text, entry.findings,
                                              entry.hidden_diff_lines))
        self.scroll_home(animate=False)


def _title(entry: ReviewEntry) -> str:
    name = f"commit {visible_line(entry.sha)}" if entry.sha else visible_line(entry.source)
    if entry.is_merge:
        name += " (merge: not linted)"
    if entry.is_cover:
        name += " (cover letter)"
    return name + (f"\nAuthor: {visible_line(entry.author)}" if entry.author else "")
