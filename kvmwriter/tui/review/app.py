"""The review app: a thin shell around :class:`ReviewScreen`."""

from __future__ import annotations

from textual.app import App

from kvmwriter.lint.engine import Linter
from kvmwriter.review.model import ReviewSource
from kvmwriter.tui.plain import PlainNotifications
from kvmwriter.tui.review.review_screen import ReviewScreen


class ReviewApp(PlainNotifications, App[int]):
    CSS_PATH = "review.tcss"
    TITLE = "kvmwriter review"

    def __init__(self, source: ReviewSource, linter: Linter) -> None:
        super().__init__()
        self.source = source
        self.linter = linter

    def on_mount(self) -> None:
        self.push_screen(ReviewScreen(self.source, self.linter))
