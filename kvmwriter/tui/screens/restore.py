"""Offer the draft a previous run left behind."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from kvmwriter.text.terminal import visible_line
from kvmwriter.tui.plain import plain, plain_line

if TYPE_CHECKING:  # The editor imports this module: keep its start-up light.
    from kvmwriter.compose.commit import Draft
    from kvmwriter.compose.cover import CoverDraft


def _dialog_css(screen: str) -> str:
    """The centred, framed dialog every app that offers drafts (drafting,
    cover, editor) shows; an app's own stylesheet still wins."""
    return f"""
    {screen} {{
        align: center middle;
    }}
    {screen} > #restore-dialog {{
        width: 90%;
        max-width: 100;
        height: auto;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }}
    """


class RestoreScreen(ModalScreen[bool]):
    """Ask whether to restore ``draft`` (a commit or a cover draft: anything
    with a ``subject``)."""

    DEFAULT_CSS = _dialog_css("RestoreScreen")

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Restore"),
        Binding("n,escape", "answer(False)", "Start fresh"),
    ]

    def __init__(
        self, draft: Draft | CoverDraft, saved_at: float, draft_of: str = "this branch"
    ) -> None:
        super().__init__()
        self.draft = draft
        self.saved_at = saved_at
        self.draft_of = draft_of

    def compose(self) -> ComposeResult:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.saved_at))
        subject = visible_line(self.draft.subject) or "(no subject yet)"
        with Vertical(id="restore-dialog", classes="dialog"):
            yield Static(
                plain(
                    f"A draft saved {when} was found for {self.draft_of}:\n\n"
                    f"  {subject}\n\nRestore it? y restores, n starts fresh "
                    "(the old draft is kept beside the new one)."
                ),
                id="restore-text",
            )
        yield Footer()

    def action_answer(self, restore: bool) -> None:
        self.dismiss(restore)


class ChooseDraftScreen(ModalScreen[int | None]):
    """Offer several stored drafts of one branch (sessions that ran side by
    side); dismiss with the index of the one to restore, or None."""

    DEFAULT_CSS = (
        _dialog_css("ChooseDraftScreen")
        + """
    ChooseDraftScreen #restore-choices {
        height: auto;
        max-height: 12;
    }
    """
    )

    BINDINGS = [
        Binding("n,escape", "fresh", "Start fresh"),
    ]

    def __init__(
        self, drafts: list[tuple[Draft | CoverDraft, float]], draft_of: str = "this branch"
    ) -> None:
        super().__init__()
        self.drafts = drafts
        self.draft_of = draft_of

    def compose(self) -> ComposeResult:
        from textual.widgets import OptionList
        from textual.widgets.option_list import Option

        options = []
        for index, (draft, saved_at) in enumerate(self.drafts):
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(saved_at))
            subject = visible_line(draft.subject) or "(no subject yet)"
            options.append(Option(plain_line(f"{when}  {subject}"), id=str(index)))
        with Vertical(id="restore-dialog", classes="dialog"):
            yield Static(
                plain(
                    f"{len(self.drafts)} drafts were found for {self.draft_of} (sessions that "
                    "ran side by side).\n\nEnter restores the highlighted one, n starts "
                    "fresh; the others are kept beside the new one."
                ),
                id="restore-text",
            )
            yield OptionList(*options, id="restore-choices")
        yield Footer()

    def on_mount(self) -> None:
        from textual.widgets import OptionList

        choices = self.query_one(OptionList)
        choices.highlighted = 0
        choices.focus()

    def on_option_list_option_selected(self, event) -> None:
        self.dismiss(int(event.option.id))

    def action_fresh(self) -> None:
        self.dismiss(None)
