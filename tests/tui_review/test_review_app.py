"""The review app through Pilot on real repositories."""

from __future__ import annotations

from screen import notifications

from kvmwriter.git.repo import Repository
from kvmwriter.lint.engine import Linter
from kvmwriter.review.model import ReviewSource
from kvmwriter.tui.review import run_review_tui
from kvmwriter.tui.review.app import ReviewApp
from kvmwriter.tui.review.review_screen import ReviewScreen
from kvmwriter.tui.review.reword_screen import RewordScreen
from kvmwriter.tui.review.widgets import EntryList
from tests.conftest import git

from .conftest import BAD, RULES, WARN
from .helpers import install_hook, message_of, open_editor, rows, run_async, settle, shown, until


def make_app(path, range_="base..HEAD") -> ReviewApp:
    source = ReviewSource(Repository.discover(path), range_)
    return ReviewApp(source, Linter.from_config(select=RULES))


@run_async
async def test_review_lists_commits_with_error_and_warning_counts(series_repo):
    app = make_app(series_repo)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        listed = rows(app)
        assert len(listed) == 3
        assert "✓" in listed[0] and "Add the base" in listed[0]
        assert "✖1" in listed[1] and "▲1" in listed[1] and "Fixed the thing." in listed[1]
        assert "✖" not in listed[2] and "▲1" in listed[2]
        summary = str(app.screen.query_one("#summary").content)
        assert "base..HEAD" in summary and "3 commits, 1 error, 2 warnings" in summary


@run_async
async def test_review_selecting_a_commit_shows_its_findings_under_the_line(series_repo):
    app = make_app(series_repo)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert "no findings" not in shown(app) and "subject-mood" not in shown(app)
        await pilot.press("down", "enter")
        text = shown(app).splitlines()
        subject = next(i for i, line in enumerate(text) if "Fixed the thing." in line)
        assert text[subject].startswith("1 │")
        below = "\n".join(text[subject + 1 : subject + 5])
        assert "error 1:11 subject-mood" in below
        assert "warning 1:26 subject-trailing-punctuation" in below
        assert "Make the thing work again." in shown(app)
        await pilot.press("down")
        assert "subject-capitalization" in shown(app)
        assert "subject-mood" not in shown(app)


@run_async
async def test_review_reword_of_older_commit_through_editor_rewrites_it(series_repo):
    head_tree = git(series_repo, "rev-parse", "HEAD^{tree}")
    app = make_app(series_repo)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        await open_editor(pilot)
        assert isinstance(app.screen, RewordScreen)
        editor = app.screen.query_one("#reword-editor")
        assert editor.text == BAD
        assert "subject-mood" in str(app.screen.query_one("#reword-findings").content)
        editor.text = "KVM: x86: Fix the thing\n\nMake the thing work again.\n"
        await pilot.pause()
        assert "no findings" in str(app.screen.query_one("#reword-findings").content)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Fix the thing" in rows(app)[1])
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        listed = rows(app)
        assert "Fix the thing" in listed[1] and "✓" in listed[1]
        assert app.screen.query_one(EntryList).highlighted == 1
        assert "Fix the thing" in shown(app)
    assert message_of(series_repo, "HEAD~1") == (
        "KVM: x86: Fix the thing\n\nMake the thing work again."
    )
    assert message_of(series_repo, "HEAD") == WARN.rstrip("\n")
    assert git(series_repo, "rev-parse", "HEAD^{tree}") == head_tree


@run_async
async def test_review_reword_editor_relints_as_the_user_types(series_repo):
    app = make_app(series_repo)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("end")
        await open_editor(pilot)
        findings = app.screen.query_one("#reword-findings")
        assert "subject-capitalization" in str(findings.content)
        app.screen.query_one("#reword-editor").move_cursor((0, 10))
        await pilot.press("delete", "A")
        await pilot.pause()
        assert app.screen.query_one("#reword-editor").text.startswith("KVM: x86: Add the")
        assert "no findings" in str(findings.content)
        await pilot.press("escape")
        await settle(pilot)
    assert message_of(series_repo, "HEAD") == WARN.rstrip("\n")


@run_async
async def test_review_reword_editor_applies_suggested_fixes(series_repo):
    app = make_app(series_repo)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        await open_editor(pilot)
        await pilot.press("ctrl+f")
        await pilot.pause()
        editor = app.screen.query_one("#reword-editor")
        assert editor.text.splitlines()[0] == "KVM: x86: Fixed the thing"
        assert editor.text.splitlines()[2] == "Make the thing work again."
        findings = str(app.screen.query_one("#reword-findings").content)
        assert "subject-trailing-punctuation" not in findings and "subject-mood" in findings


@run_async
async def test_review_reword_rejected_by_hook_notifies_and_keeps_history(series_repo):
    install_hook(series_repo, "commit-msg", 'echo "hook: rejected" >&2; exit 1\n')
    head = git(series_repo, "rev-parse", "HEAD")
    app = make_app(series_repo)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("down")
        await open_editor(pilot)
        app.screen.query_one("#reword-editor").text = "KVM: x86: Fix the thing\n"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any("rolled back" in note for note in notifications(app)))
        await settle(pilot)
        notes = notifications(app)
        assert any("hook: rejected" in note and "rolled back" in note for note in notes)
        assert "Fixed the thing." in rows(app)[1]
        await open_editor(pilot)
        assert app.screen.query_one("#reword-editor").text == "KVM: x86: Fix the thing\n"
    assert git(series_repo, "rev-parse", "HEAD") == head
    assert git(series_repo, "status", "--porcelain") == ""


@run_async
async def test_review_refuses_reword_on_dirty_tree_before_opening_the_editor(series_repo):
    (series_repo / "a.c").write_text("dirty\n")
    app = make_app(series_repo)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("down", "r")
        await until(
            pilot, lambda: any("uncommitted changes" in note for note in notifications(app))
        )
        assert isinstance(app.screen, ReviewScreen)


@run_async
async def test_review_saving_an_unchanged_message_rewrites_nothing(series_repo):
    head = git(series_repo, "rev-parse", "HEAD")
    app = make_app(series_repo)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("down")
        await open_editor(pilot)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any("unchanged" in note for note in notifications(app)))
    assert git(series_repo, "rev-parse", "HEAD") == head


@run_async
async def test_review_quits_with_q(series_repo):
    app = make_app(series_repo)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_value == 0


def test_run_review_tui_rejects_a_bad_range_in_one_line(series_repo, capsys):
    assert run_review_tui(series_repo, "nosuch..HEAD") == 2
    err = capsys.readouterr().err
    assert err.startswith("kvmwriter: bad range") and err.count("\n") == 1


def test_run_review_tui_rejects_a_path_outside_a_repository(tmp_path, capsys):
    assert run_review_tui(tmp_path, "HEAD") == 2
    assert capsys.readouterr().err.startswith("kvmwriter: not a git repository")


@run_async
async def test_review_range_given_by_ids_follows_the_reworded_commits(series_repo):
    base = git(series_repo, "rev-parse", "base").strip()
    head = git(series_repo, "rev-parse", "HEAD").strip()
    app = make_app(series_repo, f"{base[:12]}..{head}")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        await open_editor(pilot)
        app.screen.query_one("#reword-editor").text = "KVM: x86: Fix the thing\n"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Fix the thing" in rows(app)[1])
        await settle(pilot)
        new_head = git(series_repo, "rev-parse", "HEAD").strip()
        assert app.screen.source.range == f"{base[:12]}..{new_head}"
        listed = rows(app)
        assert len(listed) == 3 and "Fix the thing" in listed[1]
        assert "add the helper" in listed[2]


@run_async
async def test_review_shows_messages_at_their_own_width_and_subjects_in_full(make_repo):
    from textual.geometry import Region

    from .helpers import commit_file

    repo = make_repo()
    commit_file(repo, "README", "base\n", "Initial commit\n")
    git(repo, "tag", "base")
    subject = (
        "KVM: x86/mmu: Zap only the SPTEs that the memslot update really "
        "invalidates, not all of them"
    )
    long_line = (
        "This line was typed at ninety-six columns so that a reviewer can see "
        "that it runs past the limit."
    )
    commit_file(repo, "a.c", "a\n", f"{subject}\n\n{long_line}\n")
    app = make_app(repo)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        entries = app.screen.query_one("#entries")
        listed = "".join(
            strip.text.strip("│╭╮╰╯─ ")
            for strip in entries.render_lines(Region(0, 0, entries.size.width, entries.size.height))
        )
        assert "".join(subject.split()) in "".join(listed.split())
        await pilot.press("enter")
        await settle(pilot)
        body = app.screen.query_one("#message-body")
        assert body.size.width >= len(long_line)
        rows_shown = [
            "".join(s.text for s in strip)
            for strip in body.render_lines(Region(0, 0, body.size.width, body.size.height))
        ]
        assert any(long_line in row for row in rows_shown)
