"""Two sessions on one branch: neither replaces the other's draft.

The first session holds a lock on the branch's draft; a second one saves to
a draft of its own and says so; the next start offers both.
"""

from __future__ import annotations

import json

from textual.widgets import Input

from tests.screen import notifications

from .conftest import wait_for_exit
from .test_drafting_flow import SIZE, type_text


def stored_summary(path) -> str:
    return json.loads(path.read_text())["draft"]["summary"]


async def test_two_sessions_on_one_branch_keep_both_drafts(demo_repo, make_app):
    first, second = make_app(demo_repo), make_app(demo_repo)
    async with first.run_test(size=SIZE) as one:
        await type_text(one, "Text of the first session")
        async with second.run_test(size=SIZE, notifications=True) as two:
            await two.pause()
            notices = notifications(second)
            assert any("Another kvmwriter session" in n for n in notices), notices
            await type_text(two, "Text of the second session")
            await one.press("ctrl+q")
            await wait_for_exit(one)
            await two.press("ctrl+q")
            await wait_for_exit(two)
    kept_first, kept_second = first.return_value.detail, second.return_value.detail
    assert kept_first and kept_second and kept_first != kept_second
    assert stored_summary(demo_repo / ".git" / "kvmwriter" / "drafts" / "kvm-demo.json") == (
        "Text of the first session"
    )
    assert stored_summary(first.store.path) == "Text of the first session"
    assert stored_summary(second.store.path) == "Text of the second session"

    third = make_app(demo_repo)
    async with third.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert type(third.screen).__name__ == "ChooseDraftScreen"
        # Newest first: the second session quit last.
        await pilot.press("enter")
        await pilot.pause()
        assert third.query_one("#summary", Input).value == "Text of the second session"
    assert third.store.path == first.store.path  # the branch's own draft again
    assert stored_summary(third.store.path) == "Text of the second session"
    assert not second.store.path.exists()
    declined = first.store.path.with_suffix(".declined.json")
    assert stored_summary(declined) == "Text of the first session"


async def test_a_running_session_draft_is_not_offered_to_another(demo_repo, make_app):
    first = make_app(demo_repo)
    async with first.run_test(size=SIZE) as one:
        await type_text(one, "Still being typed")
        first.save_pending()
        first.autosaver.save_now()
        second = make_app(demo_repo)
        async with second.run_test(size=SIZE, notifications=True) as two:
            await two.pause()
            assert type(second.screen).__name__ != "RestoreScreen"
            assert second.store.path != first.store.path


async def test_quit_names_the_draft_only_when_it_is_kept(demo_repo, make_app):
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        await wait_for_exit(pilot)
    assert app.return_value.detail == "" and not app.store.path.exists()
