"""The review app: a thin shell around :class:`ReviewScreen`."""

from __future__ import annotations

from textual.app import App

from ...engine import Linter
from .review_screen import ReviewScreen


class ReviewApp(App[int]):
    CSS_PATH = "review.tcss"
    TITLE = "kvmwriter review"

    def __init__(self, repo, range_: str, linter: Linter) -> None:
        super().__init__()
        self.repo = repo
        self.range = range_
        self.linter = linter

    def on_mount(self) -> None:
        self.push_screen(ReviewScreen(self.repo, self.range, self.linter))
