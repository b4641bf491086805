"""Draft autosave and restore shared by the drafting and cover-letter apps."""

from __future__ import annotations

from typing import Any

from kvmwriter.compose.draft_store import Autosaver, DraftStore
from kvmwriter.tui.screens.restore import RestoreScreen
from kvmwriter.tui.widgets.lint import LintPanel


class DraftAutosave:
    """Autosave ``session.draft`` and offer a stored one back; mix into an App.

    The app calls :meth:`init_autosave` in ``__init__`` and
    :meth:`offer_stored_draft` once mounted, implements ``load_draft(draft)``
    and ``draft_from_json(data)``, and calls :meth:`save_pending` when it
    quits.  ``session.draft`` provides ``to_json()`` and ``is_empty``.
    """

    session: Any

    def init_autosave(self, store: DraftStore | None, delay: float | None) -> None:
        self.store = store
        if delay is None:
            delay = self.session.profile.drafting.autosave_delay
        self.autosaver = (
            Autosaver(store, self._snapshot, delay=delay, on_error=self._autosave_failed)
            if store is not None
            else None
        )
        self._saved_snapshot: dict | None = None
        self._autosave_enabled = False

    def draft_from_json(self, data: dict):
        raise NotImplementedError

    def _snapshot(self) -> dict:
        return self.session.draft.to_json()

    def offer_stored_draft(self) -> None:
        """Offer a stored draft that differs from the one on screen."""
        self._saved_snapshot = self._snapshot()
        stored = self.store.load() if self.store is not None else None
        if stored is not None:
            data, saved_at = stored
            draft = self.draft_from_json(data)
            if not draft.is_empty and draft.to_json() != self._snapshot():
                self.push_screen(RestoreScreen(draft, saved_at), self._restore_answered)
                return
        self._autosave_enabled = True

    def draft_changed(self) -> None:
        """A step changed the draft: re-lint soon and autosave."""
        self.query_one(LintPanel).schedule()
        if self.autosaver is None or not self._autosave_enabled:
            return
        if self._snapshot() != self._saved_snapshot:
            self._saved_snapshot = None
            self.autosaver.touch()

    def _autosave_failed(self, error: Exception) -> None:
        message = f"Autosave failed: {error}"
        try:
            self.call_from_thread(self.notify, message, severity="error")
        except RuntimeError:  # a save on quit runs on the app's own thread
            self.notify(message, severity="error")

    def _restore_answered(self, restore: bool | None) -> None:
        if restore:
            stored = self.store.load() if self.store is not None else None
            if stored is not None:
                self.load_draft(self.draft_from_json(stored[0]))
                self.notify("Draft restored")
        elif self.store is not None:
            # Keep the declined draft beside the new one rather than lose it.
            self.store.set_aside(".declined.json")
        self._autosave_enabled = True

    def mark_saved(self) -> None:
        """The draft reached its destination: stop autosaving it, drop it."""
        if self.autosaver is not None:
            self.autosaver.cancel()
        if self.store is not None:
            self.store.discard()
        self._saved_snapshot = self._snapshot()

    def save_pending(self) -> None:
        """Quitting keeps the draft: write a pending change now."""
        if self.autosaver is not None and self._autosave_enabled:
            self.autosaver.flush()
            if self._snapshot() != self._saved_snapshot and not self.session.draft.is_empty:
                self.autosaver.save_now()

    def load_draft(self, draft) -> None:
        """Replace the draft and show it in every step."""
        self.session.draft = draft
        for step in self.STEPS:
            self.query_one(f"#{step.STEP_ID}", step).load_draft(draft)
        self.query_one(LintPanel).schedule(0)


def save_on_termination(app: DraftAutosave) -> None:
    """On SIGTERM or SIGHUP (a closed terminal), save the draft, then die.

    The autosave delay bounds the loss already; this closes the gap for the
    common ways a terminal session ends.
    """
    import os
    import signal

    def handler(signum, frame) -> None:
        if app.autosaver is not None and app._autosave_enabled:
            app.autosaver.cancel()
            if not app.session.draft.is_empty:
                app.autosaver.save_now()
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), handler)
