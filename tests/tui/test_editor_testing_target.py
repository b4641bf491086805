"""F5 in `kvmwriter edit` on an --amend or a reword: the note of the commit being edited."""

from __future__ import annotations

from kvmwriter.compose.edited_commit import is_message_of
from kvmwriter.compose.testing_notes import read_testing_note, store_testing_note
from kvmwriter.tui.editor.app import EditorApp
from tests.conftest import git
from tests.screen import notifications

from .test_editor_app import SIZE, document, wait_ready

AMENDED = "KVM: nVMX: Fix the pin-based control checks\n\nSwap them.\n"
AMEND_FILE = (
    AMENDED + "\nSigned-off-by: Ada Tester <ada@example.org>\n\n"
    "# Please enter the commit message for your changes. Lines starting\n"
    "# with '#' will be ignored, and an empty message aborts the commit.\n"
    "#\n# Date:      Wed Dec 2 17:50:18 2026 +0000\n"
)


def committed(repo) -> str:
    """Commit the demo's staged change with AMENDED; its sha."""
    git(repo, "commit", "-q", "-m", AMENDED)
    return git(repo, "rev-parse", "HEAD").strip()


async def test_testing_on_amend_notes_the_commit_being_edited(demo_repo):
    head = committed(demo_repo)
    doc = document(demo_repo, AMEND_FILE)
    app = EditorApp(doc)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_ready(pilot)
        assert doc.edited_commit == head
        await pilot.press("f5")
        await pilot.pause()
        assert head[:12] in str(app.screen.query_one("Label").render())
        await pilot.press("space", "ctrl+s")
        await pilot.pause()
        notices = notifications(app)
        assert any(f"git note of {head[:12]} (HEAD" in n for n in notices), notices
        await pilot.press("ctrl+s")
    assert app.return_code == 0
    # Written at once on the commit being amended, no subject guess needed ...
    assert read_testing_note(demo_repo, head).startswith("Testing:\n- ")
    # ... and git carries it to the amended commit.
    git(demo_repo, "commit", "-q", "--amend", "--cleanup=strip", "-F", str(doc.path))
    assert git(demo_repo, "rev-parse", "HEAD").strip() != head
    assert read_testing_note(demo_repo, "HEAD").startswith("Testing:\n- ")


async def test_testing_on_amend_starts_from_the_commit_note(demo_repo):
    head = committed(demo_repo)
    doc = document(demo_repo, AMEND_FILE)
    app = EditorApp(doc)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_ready(pilot)
        first = doc.checklist[0]
        store_testing_note(demo_repo, head, f"Testing:\n- {first.done}\n- Ran it on Zen 4")
        doc._read_edited_commit()
        assert doc.tested == [first.key] and doc.testing_notes == "- Ran it on Zen 4"


async def test_testing_on_a_new_commit_names_no_commit(demo_repo):
    committed(demo_repo)
    doc = document(demo_repo, "KVM: x86: Something else\n\nNew.\n")
    app = EditorApp(doc)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_ready(pilot)
        assert doc.edited_commit is None


def test_amended_message_may_gain_trailers_but_nothing_else():
    assert is_message_of(AMENDED + "\nSigned-off-by: A <a@b.c>\n", AMENDED)
    assert is_message_of(AMENDED, AMENDED + "\n\n")
    assert not is_message_of(AMENDED + "\nMore prose.\n", AMENDED)
    assert not is_message_of("KVM: x86: Other\n", AMENDED)
    assert not is_message_of("", AMENDED) and not is_message_of(AMENDED, "")


async def test_amend_without_f5_leaves_the_commit_note_alone(demo_repo):
    head = committed(demo_repo)
    note = "Testing:\n- Ran it on Zen 4, by hand"
    store_testing_note(demo_repo, head, note)
    doc = document(demo_repo, AMEND_FILE)
    app = EditorApp(doc)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_ready(pilot)
        assert doc.testing_notes == "- Ran it on Zen 4, by hand"
        await pilot.press("ctrl+s")
    assert app.return_code == 0
    assert read_testing_note(demo_repo, head) == note
