"""Paint the first step, then read the rest of the session in a thread.

Shared by the drafting and the cover apps.  Their commands open only what
must fail before any screen and hand the app a session whose ``loader``
reads the rest (the diff and the topic history, or the series; the
rules).  The first step takes typing meanwhile; a key that may need
another step waits for the reading without stopping the screen, so no
key is lost or reordered.
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual import events, work
from textual.app import ComposeResult
from textual.widgets import OptionList

from kvmwriter.compose.loader import SessionLoader
from kvmwriter.errors import UserError
from kvmwriter.tui.autosave import DraftAutosave
from kvmwriter.tui.stepnav import StepNavigation
from kvmwriter.tui.widgets.lint import LintPanel

#: Keys that edit or move within the first step, and quit: they need no
#: other step (quitting must not wait for a slow git either).
FIRST_STEP_KEYS = frozenset(
    ("up", "down", "left", "right", "home", "end", "pageup", "pagedown")
    + ("backspace", "delete", "tab", "shift+tab", "ctrl+q")
)


class PaintFirstSteps(StepNavigation, DraftAutosave):
    """Step navigation and autosave over a session read after the first frame.

    ``session`` has ``loader`` (``None`` once read), ``loading``,
    ``ready()``, ``load_error`` and ``unusable``.  The app implements
    :meth:`reading_applied` and :meth:`reading_failed`.
    """

    session: Any
    #: The session's reading is applied (see :meth:`session_read`).
    _session_applied = True

    def compose_step_app(self, where: str) -> ComposeResult:
        self._session_applied = not self.session.loading
        yield from super().compose_step_app(where)

    async def after_first_frame(self) -> None:
        """Read the rest of the session in a thread, then mount the other steps."""
        loader = self.session.loader
        if loader is None:
            await self.mount_steps()
            return
        self._read_session(loader)

    @work(thread=True, exclusive=True, group="session")
    def _read_session(self, loader: SessionLoader) -> None:
        loader.run()
        # Hand over to the app's thread; mount_steps() applies the reading.
        self.call_from_thread(self.call_later, self.mount_steps)

    def needs_other_steps(self, event: events.InputEvent) -> bool:
        if not self.session.loading:
            return True
        if isinstance(event, events.Key):
            if event.key == "enter":
                # Enter in a list picks; in a field it may move on.
                return not isinstance(self.focused, OptionList)
            # Typing, editing and moving stay in the first step.
            return not (event.is_printable or event.key in FIRST_STEP_KEYS)
        # A click may land on the step bar; moving and scrolling stay here.
        return isinstance(event, (events.MouseDown, events.MouseUp, events.Click))

    async def mount_steps(self) -> None:
        """Mount the other steps once the session is read: they show what it read."""
        loader = self.session.loader
        if loader is not None:
            # Wait off the event loop: the screen keeps painting meanwhile.
            await asyncio.to_thread(loader.run)
        if self.session_read():
            await super().mount_steps()

    def session_read(self) -> bool:
        """Apply the session read in the worker (once); False when it cannot go on."""
        session = self.session
        if self._session_applied:
            return self.return_value is None
        self._session_applied = True
        unchanged = self._snapshot() == self._saved_snapshot
        session.ready()
        if unchanged:  # What the session filled in is no change of the author's.
            self._saved_snapshot = self._snapshot()
        if session.load_error is not None and session.unusable:
            # Nothing to write against; say why, once.
            self.save_pending()
            self.reading_failed(session.load_error)
            return False
        if session.load_error is not None:
            self.notify(str(session.load_error), severity="error", timeout=10)
        self.reading_applied()
        self.query_one(LintPanel).schedule(0)
        return True

    def reading_applied(self) -> None:
        """Show what the reading brought in the first step."""

    def reading_failed(self, error: UserError) -> None:
        """End the app: the session cannot go on without what failed to read."""
        raise NotImplementedError
