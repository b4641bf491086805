"""The cover-letter flow: subject, summary, testing, versions, review.

A thin App over :class:`kvmwriter.compose.cover.CoverSession`, reusing the drafting
app's step bar and live lint panel.
"""

from __future__ import annotations


def run_cover_app(session, store=None) -> str | None:
    """Run the cover screen in the terminal; what was done, or None on quit.

    ``store`` (a :class:`kvmwriter.compose.draft_store.DraftStore`) keeps the draft across
    a quit, a kill or a closed terminal, as the commit flow does.  Raises
    the :class:`kvmwriter.errors.UserError` that ended the app when the
    series it was reading could not be read.
    """
    from kvmwriter.tui.autosave import save_on_termination
    from kvmwriter.tui.cover.app import CoverApp

    app = CoverApp(session, store=store)
    save_on_termination(app)
    outcome = app.run()
    if app.failure is not None:
        raise app.failure
    return outcome
