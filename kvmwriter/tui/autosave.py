"""Draft autosave and restore shared by the drafting and cover-letter apps."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from kvmwriter.compose.draft_store import Autosaver, DraftStore, StoredDraft
from kvmwriter.tui.hosts import AppMixin
from kvmwriter.tui.widgets.lint import LintPanel


class DraftAutosave(AppMixin):
    """Autosave ``session.draft`` and offer a stored one back; mix into an App.

    The app calls :meth:`init_autosave` in ``__init__`` and
    :meth:`offer_stored_draft` once mounted, implements ``load_draft(draft)``
    and ``draft_from_json(data)``, and calls :meth:`save_pending` when it
    quits.  ``session.draft`` provides ``to_json()`` and ``is_empty``.
    """

    session: Any
    #: What the stored drafts belong to, as the restore dialog says it.
    DRAFT_OF = "this branch"

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

    def _draft_is_empty(self) -> bool:
        """Nothing worth keeping is on screen."""
        return self.session.draft.is_empty

    def offer_stored_draft(self) -> None:
        """Claim the branch's draft and offer the stored ones that differ from the screen.

        A second session on the branch gets a draft file of its own and
        says so; the drafts of sessions no longer running are offered too.
        """
        self._saved_snapshot = self._snapshot()
        self._offered: list[tuple[StoredDraft, Any]] = []
        if self.store is not None:
            if not self.store.claim():
                self.notify(
                    f"Another kvmwriter session is editing the draft of {self.DRAFT_OF}: "
                    f"this one is saved apart, in {self.store.path.name}",
                    severity="warning",
                    timeout=10,
                )
            for stored in self.store.stored_drafts():
                draft = self.draft_from_json(stored.data)
                if not draft.is_empty and draft.to_json() != self._saved_snapshot:
                    self._offered.append((stored, draft))
        if self._offered:
            # Only now: the editor imports this module and must paint at once.
            from kvmwriter.tui.screens.restore import ChooseDraftScreen, RestoreScreen
        if len(self._offered) == 1:
            ((stored, draft),) = self._offered
            self.push_screen(
                RestoreScreen(draft, stored.saved_at, self.DRAFT_OF),
                lambda restore: self._restore_answered(0 if restore else None),
            )
        elif self._offered:
            choices = [(draft, stored.saved_at) for stored, draft in self._offered]
            self.push_screen(ChooseDraftScreen(choices, self.DRAFT_OF), self._restore_answered)
        else:
            self._autosave_enabled = True

    def draft_changed(self) -> None:
        """A step changed the draft: re-lint soon and autosave."""
        self.query_one(LintPanel).schedule()
        self.autosave_soon()

    def autosave_soon(self) -> None:
        """The draft changed: save it within the autosave delay."""
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

    def _restore_answered(self, index: int | None) -> None:
        offered, self._offered = self._offered, []
        store = self.store
        if store is None:  # nothing is offered without a store
            return
        chosen = offered[index] if index is not None and 0 <= index < len(offered) else None
        for stored, _ in offered:
            if chosen is None or stored is not chosen[0]:
                # Keep a declined draft beside the new one rather than lose it.
                store.set_aside(".declined.json", path=stored.path)
        if chosen is not None:
            stored, draft = chosen
            self.load_draft(draft)
            if stored.path != store.path:
                self._adopt(store, stored)
            self.notify("Draft restored")
        self._autosave_enabled = True

    def _adopt(self, store: DraftStore, stored: StoredDraft) -> None:
        """Keep a finished session's restored draft under this session's name."""
        try:
            store.save(self._snapshot())
        except OSError:
            return  # Left where it is: still offered on the next start.
        store.discard(stored.path)

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.release()

    def kept_draft(self) -> Path | None:
        """Where the draft on screen is stored, when the store holds exactly it."""
        if self.store is None or self._draft_is_empty():
            return None
        return self.store.path if self.store.holds(self._snapshot()) else None

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
            if self._snapshot() != self._saved_snapshot and not self._draft_is_empty():
                self.autosaver.save_now()

    def save_before_dying(self) -> None:
        """The process is about to die: write the draft now, not after the delay."""
        if self.autosaver is not None and self._autosave_enabled:
            self.autosaver.cancel()
            if not self._draft_is_empty():
                self.autosaver.save_now()

    def load_draft(self, draft) -> None:
        """Replace the draft and show it in every step."""
        self.session.draft = draft
        from kvmwriter.tui.stepnav import each_step
        from kvmwriter.tui.widgets.steppanel import StepPanel

        # Steps not mounted yet compose from the new draft when they mount.
        each_step(self, StepPanel, "load_draft", draft)
        self.query_one(LintPanel).schedule(0)


#: What undoes the terminal modes Textual's Linux driver sets up, in the
#: order its ``stop_application_mode`` uses: the kitty keyboard protocol
#: (popped before the alternate screen is left), mouse reporting (VT200,
#: any-event, urxvt, SGR, SGR pixels), bracketed paste, in-band resize,
#: focus events and line wrap, then the normal screen and a visible cursor.
RESTORE_TERMINAL = (
    "\x1b[<u"
    "\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?1016l"
    "\x1b[?2004l"
    "\x1b[?2048l"
    "\x1b[?1004l"
    "\x1b[?7h"
    "\x1b[?1049l"
    "\x1b[?25h"
)


def _terminal_state():
    """The terminal's file descriptor and its attributes before the app, if a tty."""
    import sys
    import termios

    stream = sys.__stderr__
    try:
        fd = stream.fileno()
        return fd, termios.tcgetattr(fd) if os.isatty(fd) else None
    except (AttributeError, OSError, ValueError, termios.error):
        return None, None


def restore_terminal(fd: int | None, attributes) -> None:
    """Leave the app's screen modes and give the shell back its line discipline."""
    import termios

    if fd is None or not os.isatty(fd):
        return
    try:
        os.write(fd, RESTORE_TERMINAL.encode("ascii"))
    except OSError:  # A closed terminal (SIGHUP) has no screen to restore.
        return
    if attributes is not None:
        try:
            termios.tcsetattr(fd, termios.TCSANOW, attributes)
        except termios.error:
            pass


def save_on_termination(app: DraftAutosave) -> None:
    """On SIGTERM or SIGHUP (a closed terminal), save the draft, restore the terminal, die.

    The autosave delay bounds the loss already; this closes the gap for the
    common ways a terminal session ends.  Textual's own clean-up never runs
    on such a death, so the shell would otherwise get back a terminal in the
    alternate screen, reporting the mouse, with no cursor and no echo.
    Call it before ``app.run()``: the terminal's attributes are read now,
    before the app changes them.
    """
    import signal

    fd, attributes = _terminal_state()

    def handler(signum, frame) -> None:
        app.save_before_dying()
        restore_terminal(fd, attributes)
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), handler)
