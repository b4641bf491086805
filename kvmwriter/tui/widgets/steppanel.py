"""The panel of one step, as the step apps (drafting, cover) lay them out."""

from __future__ import annotations

from typing import Any, cast

from textual.containers import Vertical
from textual.widget import Widget

from kvmwriter.tui.hosts import StepHost


class StepPanel(Vertical):
    """One step: its id, title and help page, and the hooks the app calls.

    Each app narrows ``session`` and ``draft`` to its own types in a
    subclass (:class:`~kvmwriter.tui.drafting.steps.base.DraftStep`,
    :class:`~kvmwriter.tui.cover.subject.CoverStep`).
    """

    STEP_ID = ""
    TITLE = ""
    #: assets/help/<HELP>.md: the handbook's words for this step.
    HELP = ""

    @property
    def session(self) -> Any:
        return cast(StepHost, self.app).session

    @property
    def draft(self) -> Any:
        return self.session.draft

    def focus_now(self, widget: Widget) -> None:
        """Focus ``widget`` before the next queued key is dispatched.

        ``Widget.focus()`` defers the change through the message queue, so
        keys typed right after a step switch would land in the hidden field.
        """
        self.app.set_focus(widget)

    def changed(self) -> None:
        cast(StepHost, self.app).draft_changed()

    def load_draft(self, draft: Any) -> None:
        """Show ``draft``'s values in this step's widgets."""

    def shown(self) -> None:
        """The step became visible: focus its first field."""

    def left(self) -> None:
        """The step is about to be hidden: settle what its fields hold."""

    def focus_field(self, field: str, row: int, column: int = 0) -> None:
        """Put the cursor on ``field`` at ``row``/``column``."""
        self.shown()
