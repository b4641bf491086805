"""Offer the draft a previous run left behind."""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from kvmwriter.compose.commit import Draft
from kvmwriter.compose.cover import CoverDraft
from kvmwriter.text.terminal import visible_line
from kvmwriter.tui.plain import plain


class RestoreScreen(ModalScreen[bool]):
    """Ask whether to restore ``draft`` (a commit or a cover draft: anything
    with a ``subject``)."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Restore"),
        Binding("n,escape", "answer(False)", "Start fresh"),
    ]

    def __init__(self, draft: Draft | CoverDraft, saved_at: float) -> None:
        super().__init__()
        self.draft = draft
        self.saved_at = saved_at

    def compose(self) -> ComposeResult:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.saved_at))
        subject = visible_line(self.draft.subject) or "(no subject yet)"
        with Vertical(id="restore-dialog", classes="dialog"):
            yield Static(
                plain(
                    f"A draft saved {when} was found for this branch:\n\n"
                    f"  {subject}\n\nRestore it? y restores, n starts fresh "
                    "(the old draft is kept beside the new one)."
                ),
                id="restore-text",
            )
        yield Footer()

    def action_answer(self, restore: bool) -> None:
        self.dismiss(restore)
