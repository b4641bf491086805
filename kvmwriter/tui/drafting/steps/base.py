"""What every step panel offers the app."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.containers import Vertical

from kvmwriter.compose.commit import Draft

if TYPE_CHECKING:
    from kvmwriter.compose.session import DraftSession
    from kvmwriter.tui.drafting.app import DraftApp


class StepPanel(Vertical):
    STEP_ID = ""
    TITLE = ""
    #: assets/help/<HELP>.md: the handbook's words for this step.
    HELP = ""

    @property
    def host(self) -> DraftApp:
        """The drafting app this step belongs to."""
        return cast("DraftApp", self.app)

    @property
    def session(self) -> DraftSession:
        return self.host.session

    @property
    def draft(self) -> Draft:
        return self.host.session.draft

    def focus_now(self, widget) -> None:
        """Focus ``widget`` before the next queued key is dispatched.

        ``Widget.focus()`` defers the change through the message queue, so
        keys typed right after a step switch would land in the hidden field.
        """
        self.app.set_focus(widget)

    def changed(self) -> None:
        self.host.draft_changed()

    def load_draft(self, draft: Draft) -> None:
        """Show ``draft``'s values in this step's widgets."""

    def shown(self) -> None:
        """The step became visible: focus its first field."""

    def left(self) -> None:
        """The step is about to be hidden: settle what its fields hold."""

    def focus_field(self, field: str, row: int, column: int) -> None:
        """Put the cursor on ``field`` at ``row``/``column``."""
        self.shown()
