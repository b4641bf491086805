"""The review screen's two panes: the commit list and the message view."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from .model import CommitReview, SeriesReview
from .render import commit_option, message_with_findings


class CommitList(OptionList):
    """The series' commits, oldest first, with their error/warning counts."""

    def show(self, review: SeriesReview, highlight: int | None = 0) -> None:
        total = len(review.commits)
        self.clear_options()
        self.add_options(
            Option(commit_option(commit, index, total), id=commit.sha)
            for index, commit in enumerate(review.commits)
        )
        if total:
            self.highlighted = min(highlight or 0, total - 1)


class MessageView(VerticalScroll):
    """One commit's message, flagged lines tinted, findings beneath them."""

    def compose(self):
        yield Static(id="message-title")
        yield Static(id="message-body")

    def show(self, commit: CommitReview | None) -> None:
        title = self.query_one("#message-title", Static)
        body = self.query_one("#message-body", Static)
        if commit is None:
            title.update("")
            body.update("No commit selected.")
            return
        kind = " (merge)" if commit.is_merge else ""
        title.update(Text(f"commit {commit.sha}{kind}"))
        body.update(message_with_findings(commit.message, commit.findings))
        self.scroll_home(animate=False)
