"""The drafting app paints first and reads the session after: nothing typed is lost.

``kvmwriter commit`` opens only what must fail before any screen
(:func:`start_session`); the diff, the sign-off, the rules and the topic
suggestions arrive from a worker.  A gate in front of the real reading
holds it back, so keys typed "right after start" reach the app before the
reading, whatever the machine's speed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static

from kvmwriter.compose.session import SessionLoader, start_session
from kvmwriter.tui.drafting.app import DraftApp, session_store
from tests.screen import notifications

from .conftest import choose_topic, settle, until_screen

SIZE = (80, 24)

ROOT = Path(__file__).resolve().parents[2]


def modules_at_first_frame(script: str, cwd: Path) -> dict:
    """Run ``script`` in a fresh interpreter in ``cwd``; the JSON it prints last.

    What an app imports before its first frame only shows in an
    interpreter that has not imported it already, as this test process has.
    """
    code = textwrap.dedent(script)
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def gated_app(path, gate: threading.Event, *, store: bool = False) -> DraftApp:
    """The app on a started session whose reading waits for ``gate``."""
    session = start_session(path)
    loader = session.loader
    assert loader is not None

    def read_after_gate():
        assert gate.wait(30), "the test never opened the gate"
        return loader.run()

    session.loader = SessionLoader(read_after_gate)
    return DraftApp(session, store=session_store(session) if store else None, autosave_delay=0.1)


def evidence(app) -> str:
    return str(app.query_one("#topic-evidence", Static).render())


async def test_summary_typed_before_the_session_is_read_is_kept(demo_repo):
    gate = threading.Event()
    app = gated_app(demo_repo, gate)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"Fix", "space", *"it")
        session = app.session
        assert session.loading
        assert "reading the files' history" in evidence(app)
        staged = app.query_one("#staged-files", Static)
        assert "reading the staged change" in str(staged.render())
        assert session.draft.summary == "Fix it"
        assert session.draft.prefix == ""
        gate.set()
        await settle(pilot)
        assert not session.loading
        assert session.draft.summary == "Fix it"
        assert app.query_one("#summary", Input).value == "Fix it"
        # The demo stages an nVMX fix: its topic arrives and fills the prefix.
        assert session.draft.prefix == "KVM: nVMX:"
        assert evidence(app).startswith("Suggested: KVM: nVMX:")
        assert session.draft.signoff.startswith("Signed-off-by: ")
        assert session.diff
        assert str(staged.render()) == "Staged: arch/x86/kvm/vmx/nested.c"
        await pilot.press("space", *"now")
        assert session.draft.summary == "Fix it now"
        assert session.draft.subject == "KVM: nVMX: Fix it now"
        await settle(pilot)
        assert "Findings: checking" not in str(app.query_one("#lint-title", Static).render())


async def test_topic_picked_before_the_suggestion_is_not_overwritten(demo_repo):
    gate = threading.Event()
    app = gated_app(demo_repo, gate)
    async with app.run_test(size=SIZE) as pilot:
        await choose_topic(pilot, "KVM: x86:")
        assert app.session.loading
        gate.set()
        await settle(pilot)
        assert app.session.draft.prefix == "KVM: x86:"
        topics = app.query_one("#topics", OptionList)
        highlighted = topics.get_option_at_index(topics.highlighted or 0)
        assert highlighted.id == "KVM: x86:"
        # The suggestion is offered in the list all the same.
        assert "KVM: nVMX:" in [
            topics.get_option_at_index(i).id for i in range(topics.option_count)
        ]


async def test_a_stored_draft_offered_while_reading_is_restored_whole(demo_repo):
    # Quit before the reading arrives: the draft is kept all the same.
    unread = threading.Event()
    first = gated_app(demo_repo, unread, store=True)
    async with first.run_test(size=SIZE) as pilot:
        await choose_topic(pilot, "KVM: x86:")
        await pilot.press(*"Kept")
        await pilot.press("ctrl+q")
        assert first.session.loading
        unread.set()  # let the worker thread end
    assert first.return_value is not None and first.return_value.action == "quit"
    gate = threading.Event()
    again = gated_app(demo_repo, gate, store=True)
    async with again.run_test(size=SIZE) as pilot:
        await until_screen(pilot, "RestoreScreen")
        # The reading arrives while the question is still on the screen.
        gate.set()
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        draft = again.session.draft
        assert (draft.prefix, draft.summary) == ("KVM: x86:", "Kept")
        assert draft.signoff.startswith("Signed-off-by: ")
        assert again.query_one("#summary", Input).value == "Kept"
        assert "Suggested: KVM: nVMX:" in evidence(again)


async def test_a_key_for_another_step_waits_for_the_reading(demo_repo):
    gate = threading.Event()
    app = gated_app(demo_repo, gate)
    # The Changelog step lists the diff's functions: the key to it waits
    # for the reading, which this timer lets through a little later.
    opener = threading.Timer(0.3, gate.set)
    async with app.run_test(size=SIZE) as pilot:
        opener.start()
        await pilot.press("f3", *"Pass")
        await settle(pilot)
        assert app.current_step == "changelog"
        assert app.session.draft.what == "Pass"
        assert "vmx_control_verify" in str(app.query_one("#functions", Static).render())
    opener.join()


async def test_a_git_failure_while_reading_is_one_line_and_the_app_goes_on(demo_repo):
    session = start_session(demo_repo)
    # The index breaks after the command's checks: reading the diff fails.
    (demo_repo / ".git" / "index").write_bytes(b"not an index")
    app = DraftApp(session, store=None, autosave_delay=0.1)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        shown = notifications(app)
        assert any(line.startswith("cannot read the staged change: ") for line in shown), shown
        assert all("\n" not in line and "Traceback" not in line for line in shown)
        assert app.return_value is None
        await pilot.press(*"Fix")
        assert app.session.draft.summary == "Fix"
        await settle(pilot)
        assert "Findings: checking" not in str(app.query_one("#lint-title", Static).render())


async def test_a_repository_gone_before_the_reading_ends_the_app_with_the_reason(demo_repo):
    session = start_session(demo_repo)
    shutil.rmtree(demo_repo / ".git")
    app = DraftApp(session, store=None, autosave_delay=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    outcome = app.return_value
    assert outcome is not None and outcome.action == "failed"
    assert outcome.detail.startswith(f"not a git repository: {demo_repo}")
    assert "\n" not in outcome.detail


def test_a_misspelt_rule_in_the_config_fails_before_any_screen(demo_repo, cli):
    (demo_repo / ".kvmwriter.toml").write_text('select = ["subject-moood"]\n')
    result = cli("commit", cwd=demo_repo)
    assert result.returncode == 2
    assert (
        result.stderr.strip() == "kvmwriter: unknown rule 'subject-moood' (see 'kvmwriter rules')"
    )


def test_the_probe_reports_a_broken_repository_in_one_line(demo_repo, cli):
    (demo_repo / ".git" / "config").write_text("[core\nbare = maybe\n")
    result = cli("commit", cwd=demo_repo)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"kvmwriter: not a git repository: {demo_repo} (bad config")


STEP_MODULES = {
    f"kvmwriter.tui.drafting.steps.{name}"
    for name in ("topic", "changelog", "tags", "testing", "review")
}


def test_drafting_app_imports_only_the_first_steps_module_before_first_paint(demo_repo):
    state = modules_at_first_frame(
        f"""
        import asyncio, json, sys, threading
        sys.path.insert(0, {str(ROOT)!r})
        from tests.tui.test_paint_first import gated_app

        async def main():
            gate = threading.Event()
            app = gated_app(".", gate)
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause(0.2)
                first = sorted(sys.modules)
                shown = str(app.query_one("#staged-files").render())
                gate.set()
                await pilot.press("f3")
                await pilot.pause(0.2)
                later = sorted(sys.modules)
                step = app.current_step
            print(json.dumps({{"first": first, "later": later, "shown": shown, "step": step}}))

        asyncio.run(main())
        """,
        demo_repo,
    )
    assert "reading the staged change" in state["shown"]
    assert STEP_MODULES & set(state["first"]) == {"kvmwriter.tui.drafting.steps.topic"}
    assert state["step"] == "changelog"
    assert set(state["later"]) >= STEP_MODULES


def test_each_step_spec_names_its_panels_id_title_and_help():
    from kvmwriter.tui.cover.app import STEPS as COVER_STEPS
    from kvmwriter.tui.drafting.app import STEPS

    for spec in (*STEPS, *COVER_STEPS):
        panel = spec.load()
        assert (panel.STEP_ID, panel.TITLE, panel.HELP) == (spec.STEP_ID, spec.TITLE, spec.HELP)


# -- the cover app ----------------------------------------------------------


def gated_cover(repo: Path, gate: threading.Event, *args: str, store: bool = False):
    """``kvmwriter cover ARGS`` in ``repo`` (the cwd) as the app, its reading held by ``gate``."""
    from kvmwriter.cli import build_parser
    from kvmwriter.commands.cover import start_cover_session
    from kvmwriter.tui.cover.app import CoverApp

    parsed = build_parser("cover").parse_args(["cover", *args])
    session, drafts = start_cover_session(parsed)
    loader = session.loader
    assert loader is not None, "plain git found no series"

    def read_after_gate():
        assert gate.wait(30), "the test never opened the gate"
        return loader.run()

    session.loader = SessionLoader(read_after_gate)
    return CoverApp(session, store=drafts if store else None, autosave_delay=0.1)


@pytest.fixture
def cover_repo(make_repo, monkeypatch) -> Path:
    """The cover flow's two-patch series on x86/pmu/pebs, as the current directory."""
    from .test_cover_flow import series_repo

    repo = series_repo(make_repo)
    monkeypatch.chdir(repo)
    return repo


def series_info(app) -> str:
    return str(app.query_one("#series-info", Static).render())


def test_cover_apps_first_frame_is_composed_before_gitpython_is_imported(cover_repo):
    state = modules_at_first_frame(
        f"""
        import asyncio, json, sys, threading
        sys.path.insert(0, {str(ROOT)!r})
        from tests.tui.test_paint_first import gated_cover, series_info
        from tests.tui.conftest import settle

        async def main():
            gate = threading.Event()
            app = gated_cover(".", gate, "main..HEAD")
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause(0.2)
                first = {{"git": "git" in sys.modules, "info": series_info(app)}}
                gate.set()
                await settle(pilot)
                later = {{"git": "git" in sys.modules, "info": series_info(app)}}
            print(json.dumps({{"first": first, "later": later}}))

        asyncio.run(main())
        """,
        cover_repo,
    )
    assert state["first"] == {"git": False, "info": "reading the series..."}
    assert state["later"] == {"git": True, "info": "2 patches, 1 files"}


async def test_cover_summary_typed_before_the_series_is_read_is_kept(cover_repo):
    gate = threading.Event()
    app = gated_cover(cover_repo, gate, "main..HEAD")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"Add", "space", *"PEBS")
        assert app.session.loading
        assert app.session.draft.summary == "Add PEBS"
        gate.set()
        await settle(pilot)
        draft = app.session.draft
        assert not app.session.loading
        assert (draft.prefix, draft.summary, draft.total) == ("KVM: x86/pmu:", "Add PEBS", 2)
        assert app.query_one("#prefix", Input).value == "KVM: x86/pmu:"
        assert app.query_one("#summary", Input).value == "Add PEBS"
        assert series_info(app) == "2 patches, 1 files"
        assert "[PATCH 0/2] KVM: x86/pmu: Add PEBS" in str(
            app.query_one("#subject-preview", Static).render()
        )
        await pilot.press(*" support")
        assert app.session.draft.summary == "Add PEBS support"


async def test_cover_prefix_typed_before_the_series_is_read_is_not_overwritten(cover_repo):
    gate = threading.Event()
    app = gated_cover(cover_repo, gate, "main..HEAD")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("shift+tab", *"KVM: x86:")
        assert app.session.loading
        gate.set()
        await settle(pilot)
        assert app.session.draft.prefix == "KVM: x86:"
        assert app.query_one("#prefix", Input).value == "KVM: x86:"


async def test_cover_key_for_another_step_waits_for_the_series(cover_repo):
    gate = threading.Event()
    app = gated_cover(cover_repo, gate, "main..HEAD")
    opener = threading.Timer(0.3, gate.set)
    async with app.run_test(size=SIZE) as pilot:
        opener.start()
        await pilot.press("f3", *"Adds")
        await settle(pilot)
        assert app.current_step == "summary-step"
        assert app.session.draft.what == "Adds"
        assert app.session.draft.total == 2
    opener.join()


async def test_cover_stored_draft_offered_while_reading_is_restored_whole(cover_repo):
    unread = threading.Event()
    first = gated_cover(cover_repo, unread, "main..HEAD", store=True)
    async with first.run_test(size=SIZE) as pilot:
        await pilot.press(*"Kept")
        await pilot.press("ctrl+q")
        assert first.session.loading
        unread.set()  # let the worker thread end
    gate = threading.Event()
    again = gated_cover(cover_repo, gate, "main..HEAD", store=True)
    async with again.run_test(size=SIZE) as pilot:
        await until_screen(pilot, "RestoreScreen")
        gate.set()  # the reading arrives while the question is on the screen
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        draft = again.session.draft
        assert (draft.prefix, draft.summary, draft.total) == ("KVM: x86/pmu:", "Kept", 2)
        assert again.query_one("#summary", Input).value == "Kept"


async def test_cover_series_gone_before_the_reading_ends_the_app_with_the_reason(cover_repo):
    gate = threading.Event()
    app = gated_cover(cover_repo, gate, "main..HEAD")
    async with app.run_test(size=SIZE) as pilot:
        shutil.rmtree(cover_repo / ".git")
        gate.set()
        await settle(pilot)
    assert app.return_value is None
    assert app.failure is not None
    assert str(app.failure).startswith("not a git repository")
    assert "\n" not in str(app.failure)


def test_cover_on_a_bad_range_fails_before_any_screen_as_before(cover_repo, cli):
    result = cli("cover", "nope..HEAD", cwd=cover_repo)
    assert result.returncode == 2
    assert result.stderr.strip() == "kvmwriter: bad revision 'nope' in range 'nope..HEAD'"
    empty = cli("cover", "HEAD..HEAD", cwd=cover_repo)
    assert empty.stderr.strip() == "kvmwriter: range 'HEAD..HEAD' has no commits"


def test_the_cover_probe_answers_plain_series_and_declines_the_rest(cover_repo):
    from kvmwriter.compose.cover import probe_series
    from tests.conftest import git

    place = probe_series("main..HEAD")
    assert place is not None
    assert (place.root, place.branch, place.range) == (
        cover_repo.resolve(),
        "x86/pmu/pebs",
        "main..HEAD",
    )
    assert place.git_dir == (cover_repo / ".git").resolve()
    # What the full reading words better: no upstream, a bad or empty range.
    assert [probe_series(r) for r in (None, "nope..HEAD", "HEAD..HEAD", "a...b")] == [None] * 4
    git(cover_repo, "checkout", "-q", "--detach")
    detached = probe_series("main")
    assert detached is not None and detached.branch is None and detached.range == "main"
