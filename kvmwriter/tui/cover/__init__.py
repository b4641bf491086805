"""The cover-letter flow: subject, summary, testing, versions, review.

A thin App over :class:`kvmwriter.cover.CoverSession`, reusing the drafting
app's step bar and live lint panel.
"""

from __future__ import annotations


def run_cover_app(session) -> str | None:
    """Run the cover screen in the terminal; what was done, or None on quit."""
    from .app import CoverApp

    return CoverApp(session).run()
