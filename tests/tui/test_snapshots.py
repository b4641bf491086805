"""Snapshot tests of each step at 80x24 (pytest-textual-snapshot).

Update after a deliberate change with ``pytest --snapshot-update``.
"""

from __future__ import annotations

import pytest

from kvmwriter.drafting import open_session
from kvmwriter.tui.app import DraftApp

SIGNOFF = "Signed-off-by: Ada Tester <ada@example.org>"


@pytest.fixture
def demo_app(demo_repo):
    session = open_session(demo_repo)
    # The identity comes from the machine's git config; pin it for the image.
    session.draft.signoff = SIGNOFF
    session.draft.summary = "Fix swapped pin-based control checks"
    session.draft.what = "Pass the allowed-0 and allowed-1 settings in the right order."
    session.draft.why = "Swapping them rejects valid controls."
    return DraftApp(session, store=None)


def settle_after(*keys: str):
    async def run_before(pilot) -> None:
        await pilot.pause()
        # A blinking cursor would make the image depend on timing.
        for widget in pilot.app.query("Input, TextArea"):
            widget.cursor_blink = False
        if keys:
            await pilot.press(*keys)
        await pilot.pause(0.3)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("key,step", [("f2", "topic"), ("f3", "changelog"), ("f4", "tags"),
                                      ("f5", "testing"), ("f6", "review")])
def test_snapshot_of_each_step(snap_compare, demo_app, key, step):
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=settle_after(key))


def test_snapshot_of_help_for_the_changelog_step(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=settle_after("f3", "f1"))
