"""What every step panel offers the app."""

from __future__ import annotations

from textual.containers import Vertical

from kvmwriter.compose.commit import Draft


class StepPanel(Vertical):
    STEP_ID = ""
    TITLE = ""
    #: assets/help/<HELP>.md: the handbook's words for this step.
    HELP = ""

    @property
    def session(self):
        return self.app.session

    @property
    def draft(self) -> Draft:
        return self.app.session.draft

    def focus_now(self, widget) -> None:
        """Focus ``widget`` before the next queued key is dispatched.

        ``Widget.focus()`` defers the change through the message queue, so
        keys typed right after a step switch would land in the hidden field.
        """
        self.app.set_focus(widget)

    def changed(self) -> None:
        self.app.draft_changed()

    def load_draft(self, draft: Draft) -> None:
        """Show ``draft``'s values in this step's widgets."""

    def shown(self) -> None:
        """The step became visible: focus its first field."""

    def left(self) -> None:
        """The step is about to be hidden: settle what its fields hold."""

    def focus_field(self, field: str, row: int, column: int) -> None:
        """Put the cursor on ``field`` at ``row``/``column``."""
        self.shown()
