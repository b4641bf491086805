"""kvmwriter edit: the app as git's editor, round trip on real files."""

from __future__ import annotations

from textual.widgets import Input

from kvmwriter.compose.session import edit_session
from kvmwriter.tui.drafting.app import DraftApp
from tests.conftest import git

from .conftest import settle

SIZE = (80, 24)

COMMIT_EDITMSG = """\
KVM: nVMX: fix the pin-based checks

Swap the arguments.

Signed-off-by: Ada Tester <ada@example.org>
# Please enter the commit message for your changes. Lines starting
# with '#' will be ignored, and an empty message aborts the commit.
#
# On branch kvm-demo
# Changes to be committed:
#\tmodified:   arch/x86/kvm/vmx/nested.c
#
"""


async def test_edit_round_trip_writes_message_without_git_comments(demo_repo):
    git(demo_repo, "config", "user.name", "Ada Tester")
    git(demo_repo, "config", "user.email", "ada@example.org")
    path = demo_repo / ".git" / "COMMIT_EDITMSG"
    path.write_text(COMMIT_EDITMSG)
    app = DraftApp(edit_session(path))
    async with app.run_test(size=SIZE) as pilot:
        assert app.session.draft.summary == "fix the pin-based checks"
        assert "arch/x86/kvm/vmx/nested.c" in app.session.files
        summary = app.query_one("#summary", Input)
        summary.value = "Fix the pin-based checks"
        await pilot.press("f6")
        await settle(pilot)
        # A fix with no Fixes: tag gets advice, nothing to correct.
        assert [(f.rule, f.severity.label) for f in app.findings] == [("fixes-suggested", "info")]
        await pilot.press("w")
        await pilot.pause()
    assert app.return_value.action == "written"
    assert app.return_code == 0
    assert path.read_text() == (
        "KVM: nVMX: Fix the pin-based checks\n\nSwap the arguments."
        "\n\nSigned-off-by: Ada Tester <ada@example.org>\n"
    )


async def test_edit_abort_exits_non_zero_and_leaves_file_alone(demo_repo):
    path = demo_repo / ".git" / "COMMIT_EDITMSG"
    path.write_text(COMMIT_EDITMSG)
    app = DraftApp(edit_session(path))
    async with app.run_test(size=SIZE) as pilot:
        app.query_one("#summary", Input).value = "Something else"
        await pilot.press("ctrl+q")
    assert app.return_value.action == "aborted"
    assert app.return_code == 1
    assert path.read_text() == COMMIT_EDITMSG


async def test_edit_b4_cover_keeps_tracking_section(tmp_path):
    tracking = (
        "--- b4-submit-tracking ---\n# This section is used internally by b4 prep "
        'for tracking purposes.\n{"series": {"revision": 2}}\n'
    )
    path = tmp_path / "cover"
    path.write_text("KVM: x86: Cover subject\n\nThe cover body.\n\n" + tracking)
    app = DraftApp(edit_session(path))
    async with app.run_test(size=SIZE) as pilot:
        assert app.session.cover
        await pilot.press("f6", "w")
        await pilot.pause()
    assert app.return_value.action == "written"
    assert path.read_text().endswith("\n" + tracking)
    assert path.read_text().startswith("KVM: x86: Cover subject\n\nThe cover body.\n")


def test_edit_command_rejects_missing_and_binary_files(cli, tmp_path):
    missing = cli("edit", str(tmp_path / "nope"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    binary = tmp_path / "bin"
    binary.write_bytes(b"\xff\xfe\x00bad")
    result = cli("edit", str(binary))
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_edit_command_without_terminal_fails_so_git_aborts(cli, demo_repo):
    path = demo_repo / ".git" / "COMMIT_EDITMSG"
    path.write_text(COMMIT_EDITMSG)
    result = cli("edit", str(path))
    assert result.returncode == 2
    assert path.read_text() == COMMIT_EDITMSG
    assert git(demo_repo, "diff", "--cached", "--name-only").strip()


async def test_edit_draft_is_offered_again_after_abort(demo_repo):
    from kvmwriter.tui.drafting.app import session_store

    path = demo_repo / ".git" / "COMMIT_EDITMSG"
    path.write_text(COMMIT_EDITMSG)
    session = edit_session(path)
    app = DraftApp(session, store=session_store(session), autosave_delay=0.05)
    async with app.run_test(size=SIZE) as pilot:
        app.query_one("#summary", Input).value = "Fix the pin-based checks"
        await pilot.pause(0.2)
        await pilot.press("ctrl+q")
    assert app.return_code == 1
    session = edit_session(path)
    again = DraftApp(session, store=session_store(session))
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert type(again.screen).__name__ == "RestoreScreen"
        await pilot.press("y")
        await pilot.pause()
        assert again.session.draft.summary == "Fix the pin-based checks"
        await pilot.press("f6", "w")
        await pilot.pause()
    assert path.read_text().startswith("KVM: nVMX: Fix the pin-based checks\n")
    assert not again.store.path.exists()


def test_edit_session_reads_core_comment_char(demo_repo):
    git(demo_repo, "config", "core.commentChar", ";")
    path = demo_repo / ".git" / "COMMIT_EDITMSG"
    path.write_text("KVM: nVMX: Fix it\n\nBody.\n; Please enter the commit message\n")
    session = edit_session(path)
    assert session.draft.what == "Body."
    assert ";" not in session.message()


def test_edit_session_treats_b4_edit_cover_file_as_cover(demo_repo):
    # b4 prep --edit-cover writes the cover without its tracking section to
    # .b4-editor*/COMMIT_EDITMSG; the path, not the text, says it is a cover.
    editor_dir = demo_repo / ".b4-editor-x1y2"
    editor_dir.mkdir()
    path = editor_dir / "COMMIT_EDITMSG"
    path.write_text("KVM: nVMX: Fix the pin-based checks\n\nThis series fixes them.\n")
    assert edit_session(path).cover
    plain = demo_repo / ".git" / "COMMIT_EDITMSG"
    plain.write_text("KVM: nVMX: Fix the pin-based checks\n\nFix them.\n")
    assert not edit_session(plain).cover
