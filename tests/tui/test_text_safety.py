"""Text is text in the drafting and cover apps: never markup, never terminal control.

Square brackets are everyday kernel text (``msrs[i]``, ``CPUID[EAX=7,ECX=0]``)
and file names may hold Textual's action markup; every such string must
show literally, and a control character must show escaped.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, TextArea

from kvmwriter.compose.commit import Draft
from kvmwriter.compose.session import open_session
from kvmwriter.tui.drafting.app import DraftApp, session_store
from tests.conftest import git
from tests.screen import notifications, raw_controls, screen_text

from .conftest import settle
from .test_cover_flow import open_cover, series_repo
from .test_drafting_flow import type_text

SIZE = (200, 50)
CPUID = "Advertise CPUID[EAX=7,ECX=0] bits"
CLICK_QUIT = "arch/x86/kvm/vmx/[@click=app.quit]q.c"


def stage(repo: Path, name: str, text: str = "int x;\n") -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    git(repo, "add", "--", name)


async def test_summary_with_brackets_is_kept_and_shown(demo_repo):
    app = DraftApp(open_session(demo_repo), store=None, autosave_delay=0.1)
    async with app.run_test(size=SIZE) as pilot:
        app.query_one("#summary", Input).focus()
        await type_text(pilot, CPUID)
        await settle(pilot)
        assert app.session.draft.summary == CPUID
        assert CPUID in screen_text(app)
        await pilot.press("enter")  # on to the changelog: the Review step renders it too
        await pilot.press("f6")
        await settle(pilot)
        assert CPUID in screen_text(app)


async def test_testing_notes_with_markup_are_shown_literally(demo_repo):
    notes = "Ran CPUID[EAX=7,ECX=0] and [bold]x[/bold] [link=https://x.org]y[/link]"
    app = DraftApp(open_session(demo_repo), store=None, autosave_delay=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        app.query_one("#testing_notes", TextArea).focus()
        await type_text(pilot, notes)
        await settle(pilot)
        assert app.session.draft.testing_notes == notes
        assert notes in screen_text(app)


async def test_staged_file_named_like_markup_shows_literally_and_click_does_not_quit(demo_repo):
    stage(demo_repo, CLICK_QUIT)
    app = DraftApp(open_session(demo_repo), store=None, autosave_delay=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        row = next(line for line in screen_text(app).splitlines() if "Staged:" in line)
        assert CLICK_QUIT in row
        await pilot.click("#staged-files", offset=(row.index("q.c") - 1, 0))
        await pilot.pause()
        assert app.is_running and app.return_value is None


async def test_index_keeps_its_brackets(demo_repo):
    app = DraftApp(open_session(demo_repo), store=None, autosave_delay=0.1)
    async with app.run_test(size=SIZE) as pilot:
        app.query_one("#summary", Input).focus()
        await type_text(pilot, "Check msrs[i] bounds")
        await settle(pilot)
        assert "Check msrs[i] bounds" in screen_text(app)
        await pilot.press("f3")
        app.query_one("#what", TextArea).focus()
        await type_text(pilot, "Check msrs[i] before use.")
        await pilot.press("f6")
        await settle(pilot)
        assert "Check msrs[i] before use." in screen_text(app)


async def test_saved_draft_with_brackets_is_offered_and_restored(demo_repo):
    session = open_session(demo_repo)
    store = session_store(session)
    saved = Draft(prefix="KVM: x86:", summary=CPUID, what="Set msrs[i] [@click=app.quit].")
    store.save(saved.to_json())
    app = DraftApp(session, store=store, autosave_delay=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "RestoreScreen"
        assert f"KVM: x86: {CPUID}" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert app.session.draft.summary == CPUID
        assert CPUID in screen_text(app)


async def test_fixes_candidate_subject_with_brackets_is_listed_literally(demo_repo):
    subject = "KVM: x86: Fix CPUID[EAX=7,ECX=0] and [@click=app.quit]quit[/]"
    git(demo_repo, "commit", "-q", "--allow-empty", "-m", subject)
    stage(demo_repo, "arch/x86/kvm/cpuid.c", "int y;\n")
    app = DraftApp(open_session(demo_repo), store=None, autosave_delay=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        app.query_one("#fixes-search", Input).focus()
        await type_text(pilot, "CPUID")
        await settle(pilot)
        assert subject in screen_text(app)


async def test_control_characters_in_a_restored_draft_show_escaped(demo_repo):
    session = open_session(demo_repo)
    store = session_store(session)
    store.save(
        Draft(
            prefix="KVM: x86:", summary="Fix it\x1b[2J now", what="Clear\x1b]52;c;aGk=\x07 it."
        ).to_json()
    )
    app = DraftApp(session, store=store, autosave_delay=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert not raw_controls(shown), raw_controls(shown)
        assert "Fix it\\x1b[2J now" in shown
        await pilot.press("y")
        await pilot.press("f6")
        await settle(pilot)
        shown = screen_text(app)
        assert not raw_controls(shown), raw_controls(shown)
        assert "Clear\\x1b]52;c;aGk=\\x07 it." in shown
        await pilot.press("f2")
        await settle(pilot)
        shown = screen_text(app)
        assert not raw_controls(shown), raw_controls(shown)
        assert "Fix it\u241b[2J now" in shown  # the editor pictures ESC in one cell


async def test_cover_app_on_a_series_with_brackets(make_repo, tmp_path):
    from kvmwriter.tui.cover.app import CoverApp

    repo = series_repo(make_repo)
    (repo / "pmu.c").write_text("int c;\n")
    git(
        repo, "commit", "-q", "-am", "KVM: x86/pmu: Advertise CPUID[EAX=7,ECX=0] [@click=app.quit]x"
    )
    session = open_cover(repo, tmp_path / "cover.txt")
    session.draft.summary = "Handle msrs[i] [bold]in[/bold] PEBS"
    app = CoverApp(session, store=None, autosave_delay=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Handle msrs[i] [bold]in[/bold] PEBS" in screen_text(app)
        await pilot.press("f6")
        await settle(pilot)
        shown = screen_text(app)
        assert "Advertise CPUID[EAX=7,ECX=0] [@click=app.quit]x" in shown
        assert "Handle msrs[i] [bold]in[/bold] PEBS" in shown


async def test_notifications_are_plain_text_with_escapes(demo_repo):
    app = DraftApp(open_session(demo_repo), store=None, autosave_delay=0.1)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.notify(
            "Cannot save /tmp/[@click=app.quit]x[/]: CPUID[EAX=7] \x1b[2J",
            title="git [bold]said[/bold]\x07",
        )
        await settle(pilot)
        assert notifications(app) == [
            "git [bold]said[/bold]\\x07\nCannot save /tmp/[@click=app.quit]x[/]: CPUID[EAX=7] \\x1b[2J"
        ]
