"""The cover flow in the real Textual app, through App.run_test()."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("textual")

from textual.widgets import Input, SelectionList, TextArea

from kvmwriter.compose.cover import (
    CoverSession,
    cover_draft_store,
    draft_for_series,
    series_from_repo,
)
from kvmwriter.compose.draft_store import DraftStore
from kvmwriter.lint.engine import Linter
from kvmwriter.tui.cover.app import CoverApp
from kvmwriter.tui.widgets.lint import LintPanel
from tests.conftest import git
from tests.screen import notifications

from .conftest import until_screen, wait_for_workers


def series_repo(make_repo) -> Path:
    """A repository on branch x86/pmu/pebs, two commits ahead of main."""
    repo = make_repo()
    (repo / "pmu.c").write_text("int pmu;\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Initial import")
    git(repo, "checkout", "-q", "-b", "x86/pmu/pebs")
    for name in ("a", "b"):
        (repo / "pmu.c").write_text((repo / "pmu.c").read_text() + f"int {name};\n")
        git(repo, "commit", "-q", "-am", f"KVM: x86/pmu: Add {name}")
    return repo


def open_cover(repo: Path, output: Path) -> CoverSession:
    """A fresh session on ``repo`` as ``kvmwriter cover main`` opens it."""
    linter = Linter.from_config()
    series = series_from_repo(repo, "main..HEAD")
    draft = draft_for_series(series, linter.profile, version=2)
    return CoverSession(linter=linter, draft=draft, series=series, root=repo, output=output)


@pytest.fixture
def session(make_repo, tmp_path) -> CoverSession:
    return open_cover(series_repo(make_repo), tmp_path / "cover.txt")


def stored_app(session: CoverSession) -> CoverApp:
    """The app with the draft store ``kvmwriter cover`` gives it, quick autosave."""
    store = cover_draft_store(session.root, session.series.branch)
    return CoverApp(session, store=store, autosave_delay=0.1)


async def settle(app, pilot) -> list[str]:
    await pilot.pause(0.3)
    await wait_for_workers(pilot)
    return [f.rule for f in app.query_one(LintPanel).findings]


async def type_text(pilot, text: str) -> None:
    """Type into the focused field: the head through the widget, the last key for real."""
    await pilot.pause()
    widget = pilot.app.focused
    head, last = text[:-1], text[-1:]
    if isinstance(widget, Input):
        widget.insert_text_at_cursor(head)
    elif isinstance(widget, TextArea):
        widget.insert(head)
    await pilot.press({" ": "space", ".": "full_stop"}.get(last, last))


async def test_cover_app_lints_live_until_the_cover_is_complete(session):
    app = CoverApp(session)
    async with app.run_test(size=(100, 40)) as pilot:
        rules = await settle(app, pilot)
        assert "cover-testing-missing" in rules and "cover-version-links" in rules
        assert "subject-prefix" in rules  # no summary yet
        assert app.query_one("#summary", Input).has_focus
        await type_text(pilot, "Fix PEBS emulation")
        assert session.draft.subject == "[PATCH v2 0/2] KVM: x86/pmu: Fix PEBS emulation"
        await pilot.press("f3")
        await type_text(pilot, "Fix PEBS emulation on hybrid CPUs")
        app.query_one("#background", TextArea).focus()
        await type_text(pilot, "PEBS records land in the wrong buffer")
        await pilot.press("f4")
        checklist = app.query_one("#checklist", SelectionList)
        assert checklist.has_focus
        await pilot.press("down", "down", "space")  # "KVM selftests pass"
        await pilot.press("f5")
        await type_text(pilot, "https://lore.kernel.org/all/v1@example.org")
        app.query_one("#changes", TextArea).focus()
        await type_text(pilot, "- Rebase onto kvm-x86/next")
        rules = await settle(app, pilot)
        assert not [r for r in rules if r.startswith(("cover-", "subject-"))], rules
        assert "body-line-length" not in rules
        text = session.message()
        assert "Testing:\n- Ran KVM selftests" in text
        assert "v1: https://lore.kernel.org/all/v1@example.org" in text
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert Path(session.output).read_text() == text
        await pilot.press("ctrl+q")
    assert app.return_value == f"wrote the cover letter to {session.output}"


async def test_cover_app_finding_jumps_to_its_field(session):
    app = CoverApp(session)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        [finding] = [
            f for f in app.query_one(LintPanel).findings if f.rule == "cover-testing-missing"
        ]
        # The rule points at the subject, the fix is in the testing step.
        app.jump_to(finding)
        await pilot.pause()
        assert app.current_step == "testing"
        text, _ = session.message_with_origins()
        from kvmwriter.lint.findings import Finding, Severity

        app.jump_to(Finding(1, 20, "subject-mood", Severity.ERROR, "", None))
        await pilot.pause()
        assert app.current_step == "subject"
        line = text.splitlines().index("<Background: the problem, and why this approach.>") + 1
        app.jump_to(Finding(line, 1, "x", Severity.INFO, "", None))
        await pilot.pause()
        assert app.current_step == "summary-step"
        assert app.query_one("#background", TextArea).has_focus


async def test_cover_app_stores_branch_description(session):
    app = CoverApp(session)
    async with app.run_test(size=(100, 40)) as pilot:
        await type_text(pilot, "Fix PEBS")
        await pilot.press("f3")
        await type_text(pilot, "Fix PEBS on hybrid CPUs. Only compile tested")
        await pilot.press("ctrl+d")
        await pilot.pause()
        await pilot.press("ctrl+q")
    description = git(session.root, "config", "branch.x86/pmu/pebs.description")
    assert description.startswith("KVM: x86/pmu: Fix PEBS\n\nFix PEBS on hybrid CPUs.")
    assert "description" in app.return_value


async def test_cover_app_rfc_toggle_and_version_update_subject(session):
    app = CoverApp(session)
    async with app.run_test(size=(100, 40)) as pilot:
        app.query_one("#rfc").toggle()
        version = app.query_one("#version", Input)
        version.value = "3"
        await pilot.pause()
        assert session.draft.subject.startswith("[RFC PATCH v3 0/2] KVM: x86/pmu:")
        rules = await settle(app, pilot)
        assert "cover-rfc-feedback" in rules
        await pilot.press("ctrl+q")
    assert app.return_value is None


def test_cover_command_without_terminal_suggests_no_tui(cli, session):
    result = cli("cover", "main", cwd=session.root)
    assert result.returncode == 2
    assert "needs a terminal; use --no-tui" in result.stderr


async def test_cover_quit_keeps_draft_and_next_start_restores_it(session, tmp_path):
    app = stored_app(session)
    async with app.run_test(size=(100, 40)) as pilot:
        await type_text(pilot, "Fix PEBS emulation")
        await pilot.press("f3")
        await type_text(pilot, "Route PEBS records to the guest buffer")
        await pilot.press("f4", "down", "down", "space")
        await pilot.press("f5")
        await type_text(pilot, "https://lore.kernel.org/all/v1@example.org")
        await pilot.press("ctrl+q")
    assert app.return_value is None
    assert app.store.path.name == "x86%2Fpmu%2Fpebs.cover.json"
    again = stored_app(open_cover(session.root, tmp_path / "cover.txt"))
    async with again.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert type(again.screen).__name__ == "RestoreScreen"
        await pilot.press("y")
        await pilot.pause()
        draft = again.session.draft
        assert draft.summary == "Fix PEBS emulation"
        assert again.query_one("#summary", Input).value == "Fix PEBS emulation"
        assert again.query_one("#what", TextArea).text == ("Route PEBS records to the guest buffer")
        assert (
            again.query_one("#checklist", SelectionList).selected
            == sorted(draft.testing_done)
            != []
        )
        assert draft.previous == [(1, "https://lore.kernel.org/all/v1@example.org")]
        assert "v1: https://lore.kernel.org/all/v1@example.org" in again.session.message()
        rules = await settle(again, pilot)
        assert "cover-version-links" not in rules


async def test_cover_draft_and_commit_draft_of_a_branch_are_kept_apart(session):
    git_dir = session.root / ".git"
    commit_store = DraftStore(git_dir, "x86/pmu/pebs")
    commit_store.save({"summary": "Commit draft"})
    app = stored_app(session)
    async with app.run_test(size=(100, 40)) as pilot:
        await type_text(pilot, "Cover draft")
        await pilot.pause(0.4)  # past the autosave delay, without quitting
        stored = app.store.load()
        assert stored is not None and stored[0]["summary"] == "Cover draft"
        await pilot.press("ctrl+q")
    assert commit_store.load()[0] == {"summary": "Commit draft"}


async def test_cover_saved_to_a_file_deletes_its_draft(session):
    app = stored_app(session)
    async with app.run_test(size=(100, 40)) as pilot:
        await type_text(pilot, "Fix PEBS")
        await pilot.pause(0.4)
        assert app.store.path.exists()
        await pilot.press("ctrl+s")
        await pilot.pause(0.4)
        assert not app.store.path.exists()
        await pilot.press("ctrl+q")  # nothing changed since the save
    assert not app.store.path.exists()
    assert "Fix PEBS" in session.output.read_text()


async def test_cover_declined_restore_keeps_old_draft_aside(session, tmp_path):
    app = stored_app(session)
    async with app.run_test(size=(100, 40)) as pilot:
        await type_text(pilot, "Old cover")
        await pilot.press("ctrl+q")
    again = stored_app(open_cover(session.root, tmp_path / "cover.txt"))
    async with again.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert again.session.draft.summary == ""
    aside = again.store.path.with_suffix(".declined.json")
    assert "Old cover" in aside.read_text()


@pytest.mark.parametrize(
    "key,words",
    [
        ("f2", "`KVM: <topic>:`"),
        ("f3", "what type of feedback is requested/expected"),
        ("f4", "e.g. in the cover letter"),
        ("f5", "For referencing previous version(s)"),
        ("f6", "`--base`"),
    ],
)
async def test_cover_help_key_shows_handbook_words_for_each_step(session, key, words):
    app = CoverApp(session)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press(key, "f1")
        await until_screen(pilot, "HelpScreen")
        assert words in app.screen.query_one("#help-text").source
        await pilot.press("f1")
        await until_screen(pilot, "HelpScreen", shown=False)


async def test_cover_ctrl_f_fixes_the_subject_fields(session):
    app = CoverApp(session)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        session.draft.prefix = "KVM: X86/pmu:"
        await type_text(pilot, "fix PEBS emulation.")
        rules = await settle(app, pilot)
        assert "subject-capitalization" in rules
        await pilot.press("ctrl+f")
        rules = await settle(app, pilot)
        assert session.draft.subject == "[PATCH v2 0/2] KVM: x86/pmu: Fix PEBS emulation"
        assert app.query_one("#summary", Input).value == "Fix PEBS emulation"
        assert not {
            "subject-capitalization",
            "subject-trailing-punctuation",
            "subject-topic-case",
        } & set(rules)


async def test_cover_copy_without_clipboard_tool_says_osc52_in_one_short_line(session):
    app = CoverApp(session)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await pilot.press("ctrl+y")
        await pilot.pause(0.1)
        assert app.clipboard == session.message()
        assert notifications(app) == ["Copied through the terminal (OSC 52)"]
