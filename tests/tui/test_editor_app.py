"""kvmwriter edit: the free-text editor on real files git wrote."""

from __future__ import annotations

import time

from textual.widgets import OptionList

from kvmwriter.compose.edit_document import EditDocument
from kvmwriter.tui.editor.app import EditorApp
from kvmwriter.tui.editor.area import MessageArea
from tests.conftest import git

from .conftest import settle

SIZE = (80, 24)

SIGNED = """\


Signed-off-by: Ada Tester <ada@example.org>

# Please enter the commit message for your changes. Lines starting
# with '#' will be ignored, and an empty message aborts the commit.
#
# On branch kvm-demo
# Changes to be committed:
#\tmodified:   arch/x86/kvm/vmx/nested.c
#
"""


def document(repo, text: str, name: str = "COMMIT_EDITMSG") -> EditDocument:
    path = repo / ".git" / name
    path.write_text(text)
    return EditDocument(path, text)


async def wait_ready(pilot) -> None:
    deadline = time.monotonic() + 30
    while not pilot.app.session.ready and time.monotonic() < deadline:
        await pilot.pause(0.05)
    await settle(pilot)


async def test_editor_shows_the_whole_file_and_writes_what_was_typed(demo_repo):
    doc = document(demo_repo, SIGNED)
    app = EditorApp(doc)
    async with app.run_test(size=SIZE) as pilot:
        area = app.query_one(MessageArea)
        assert area.text == SIGNED
        await wait_ready(pilot)
        assert "subject-prefix" in [f.rule for f in app.findings]
        assert "trailer-format" not in [f.rule for f in app.findings]
        area.cursor_location = (0, 0)
        await pilot.press(*"KVM: nVMX: Fix the pin-based control checks")
        await pilot.press("ctrl+s")
    assert app.return_code == 0
    text = doc.path.read_text()
    assert text.startswith(
        "KVM: nVMX: Fix the pin-based control checks\n\nSigned-off-by: Ada Tester"
    )
    assert text.endswith(SIGNED.split("\n\n", 2)[2].split("\n", 1)[1])


async def test_editor_abort_exits_non_zero_and_leaves_the_file(demo_repo):
    doc = document(demo_repo, SIGNED)
    app = EditorApp(doc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"typed")
        await pilot.press("ctrl+q")
        assert app.is_running  # a changed text asks for a second ctrl+q
        await pilot.press("ctrl+q")
    assert app.return_code == 1
    assert doc.path.read_text() == SIGNED


async def test_enter_on_a_finding_moves_the_cursor_to_its_spot(demo_repo):
    text = (
        "KVM: nVMX: Fix the checks\n\nThis patch fixes the checks.\n\n"
        "Signed-off-by: Ada Tester <ada@example.org>\n# comment\n"
    )
    doc = document(demo_repo, text)
    app = EditorApp(doc)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        rules = [f.rule for f in app.findings]
        assert "body-mood" in rules, rules
        target = rules.index("body-mood")
        finding = app.findings[target]
        await pilot.press("ctrl+l")
        for _ in range(target):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        area = app.query_one(MessageArea)
        assert area.has_focus
        assert area.cursor_location == (finding.line - 1, finding.column - 1)
        # The finding is marked where it is.
        assert any(name.startswith("finding-") for _, _, name in area.marks[finding.line - 1])
        assert area.marks[5] == [(0, None, "git")]


async def test_topic_key_puts_the_picked_prefix_on_the_subject(demo_repo):
    doc = document(demo_repo, "Fix the pin-based control checks\n\nSwap them.\n")
    app = EditorApp(doc)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("f2")
        await pilot.pause()
        evidence = str(app.screen.query_one("#prefix-evidence").render())
        assert "Suggested: KVM: nVMX:" in evidence
        await pilot.press("enter")
        await pilot.pause()
        assert app.query_one(MessageArea).text.startswith(
            "KVM: nVMX: Fix the pin-based control checks\n"
        )


async def test_fixes_key_inserts_a_blame_candidate_before_the_signoff(demo_repo):
    text = (
        "KVM: nVMX: Fix the pin-based control checks\n\nSwap them.\n\n"
        "Signed-off-by: Ada Tester <ada@example.org>\n"
    )
    doc = document(demo_repo, text)
    app = EditorApp(doc)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("f3")
        await settle(pilot)
        options = app.screen.query_one("#fixes-list", OptionList)
        first = options.get_option_at_index(0).id
        assert first and first.startswith("Fixes: ")
        await pilot.press("enter")  # from the search box: the highlighted candidate
        await pilot.pause()
        lines = app.query_one(MessageArea).text.splitlines()
    assert lines[-2] == first
    assert lines[-1].startswith("Signed-off-by:")


async def test_tags_key_requires_closes_with_reported_by(demo_repo):
    text = "KVM: nVMX: Fix the checks\n\nSwap them.\n"
    doc = document(demo_repo, text)
    app = EditorApp(doc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("space", "tab", "tab")
        await pilot.press(*"Bo <bo@example.org>")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "needs Closes" in str(app.screen.query_one("#tags-error").render())
        await pilot.press(*"https://lore.kernel.org/all/x@y/")
        await pilot.press("enter")
        await pilot.pause()
        area = app.query_one(MessageArea)
        assert area.text.endswith(
            "Swap them.\n\nReported-by: Bo <bo@example.org>\n"
            "Closes: https://lore.kernel.org/all/x@y/\n"
            "Cc: stable@vger.kernel.org\n"
        )


async def test_guided_key_leaves_with_the_text(demo_repo):
    doc = document(demo_repo, SIGNED)
    app = EditorApp(doc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f7")
    assert app.return_value.action == "guided"
    assert app.return_value.detail == SIGNED


async def test_squash_combination_is_announced_and_linted_as_one(demo_repo):
    git(demo_repo, "config", "user.name", "Ada Tester")
    text = (
        "# This is a combination of 2 commits.\n# This is the 1st commit message:\n\n"
        "KVM: nVMX: Fix the pin-based control checks\n\nSwap the allowed-0 and "
        "allowed-1 settings.\n\n# This is the commit message #2:\n\nfixup! KVM: nVMX: "
        "Fix\n\n# Please enter the commit message for your changes. Lines starting\n"
    )
    doc = document(demo_repo, text)
    app = EditorApp(doc)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        where = str(app.query_one("#where").render())
        assert "combination of 2 messages" in where
        assert all(f.line < 8 for f in app.findings), app.findings


async def test_testing_key_keeps_the_summary_out_of_the_message(demo_repo):
    from kvmwriter.compose.testing_notes import attach_pending, read_testing_note

    text = (
        "KVM: nVMX: Fix the pin-based control checks\n\nSwap them.\n\n"
        "Signed-off-by: Ada Tester <ada@example.org>\n"
    )
    doc = document(demo_repo, text)
    app = EditorApp(doc)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("space")  # the first checklist item
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ != "TestingScreen"
        await pilot.press("ctrl+s")
    assert app.return_code == 0
    assert doc.path.read_text() == text
    git(demo_repo, "commit", "-q", "-F", str(doc.path))
    assert attach_pending(demo_repo, demo_repo / ".git") == 1
    note = read_testing_note(demo_repo, "HEAD")
    assert note.startswith("Testing:\n- ")


async def test_lint_finishing_under_an_open_dialog_updates_the_editor(demo_repo):
    doc = document(demo_repo, "KVM: nVMX: Fix the checks\n\nSwap them.\n")
    app = EditorApp(doc)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("f4")
        await pilot.pause()
        app.lint_updated(app.findings)  # as the lint worker does when it finishes
        assert app.is_running
        await pilot.press("escape")
