"""Snapshot tests of each step at 80x24 (pytest-textual-snapshot).

Update after a deliberate change with ``pytest --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kvmwriter.compose.session import open_session
from kvmwriter.tui.drafting.app import DraftApp

from .conftest import wait_for_workers

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
        # A blinking cursor would make the image depend on timing.  Steps
        # mount after the first frame, so look again after the keys.
        for widget in pilot.app.query("Input, TextArea"):
            widget.cursor_blink = False
        if keys:
            await pilot.press(*keys)
        for widget in pilot.app.query("Input, TextArea"):
            widget.cursor_blink = False
        await pilot.pause(0.3)
        await wait_for_workers(pilot)

    return run_before


@pytest.mark.parametrize(
    "key,step",
    [("f2", "topic"), ("f3", "changelog"), ("f4", "tags"), ("f5", "testing"), ("f6", "review")],
)
def test_snapshot_of_each_step(snap_compare, demo_app, key, step):
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=settle_after(key))


def test_snapshot_of_help_for_the_changelog_step(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=settle_after("f3", "f1"))


def test_snapshot_of_the_save_dialog(snap_compare, demo_app):
    async def run_before(pilot) -> None:
        await settle_after("f6", "s")(pilot)
        field = pilot.app.screen.query_one("#save-path")
        field.cursor_blink = False
        field.value = "/home/ada/linux/commit-message.txt"  # not the temp dir
        await pilot.pause()

    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=run_before)


def test_snapshot_of_the_restore_offer(snap_compare, demo_app, monkeypatch):
    import time

    from kvmwriter.compose.commit import Draft
    from kvmwriter.tui.screens.restore import RestoreScreen

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    draft = Draft(prefix="KVM: nVMX:", summary="Fix swapped pin-based control checks")

    async def run_before(pilot) -> None:
        await settle_after()(pilot)
        pilot.app.push_screen(RestoreScreen(draft, 1767225600.0))  # 2026-01-01 00:00 UTC
        await pilot.pause()

    try:
        assert snap_compare(demo_app, terminal_size=(80, 24), run_before=run_before)
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.fixture
def cover_app(make_repo, monkeypatch):
    from kvmwriter.tui.cover.app import CoverApp

    from .test_cover_flow import open_cover, series_repo

    # Fixed dates give fixed commit ids: the base-commit line is in the image.
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
    repo = series_repo(make_repo)
    session = open_cover(repo, Path("/home/ada/linux/.git/kvmwriter-cover.txt"))
    session.draft.summary = "Fix PEBS emulation on hybrid CPUs"
    session.draft.what = "Route PEBS records to the guest's buffer."
    return CoverApp(session)


@pytest.mark.parametrize("key,step", [("f2", "subject"), ("f6", "review")])
def test_snapshot_of_cover_steps(snap_compare, cover_app, key, step):
    assert snap_compare(cover_app, terminal_size=(80, 24), run_before=settle_after(key))
