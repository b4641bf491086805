"""kvmwriter edit autosaves the text and offers it back after a crash or kill."""

from __future__ import annotations

import json
import os
import shutil
import time

import pytest

from kvmwriter.compose.draft_store import file_draft_store
from kvmwriter.tui.editor.app import EditorApp
from kvmwriter.tui.editor.area import MessageArea
from tests.tui.test_tmux_e2e import PYTHON, Tmux

from .test_editor_app import SIGNED, SIZE, document, wait_ready


def stored_text(store) -> str:
    return json.loads(store.path.read_text())["draft"]["text"]


async def wait_saved(store, timeout: float = 5) -> None:
    import asyncio

    deadline = time.monotonic() + timeout
    while not store.path.exists() and time.monotonic() < deadline:
        await asyncio.sleep(0.02)


async def test_editor_autosaves_and_offers_the_text_after_a_crash(demo_repo):
    doc = document(demo_repo, SIGNED)
    app = EditorApp(doc, store=file_draft_store(doc.path), autosave_delay=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        app.query_one(MessageArea).cursor_location = (0, 0)
        await pilot.press(*"KVM: nVMX: Fix the checks")
        await wait_saved(app.store)
        await pilot.pause(0.2)
        assert stored_text(app.store).startswith("KVM: nVMX: Fix the checks\n")
        # Leave without ctrl+s or ctrl+q: what a crash leaves behind.
    assert doc.path.read_text() == SIGNED

    again = EditorApp(document(demo_repo, SIGNED), store=file_draft_store(doc.path))
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert type(again.screen).__name__ == "RestoreScreen"
        await pilot.press("y")
        await pilot.pause()
        assert again.query_one(MessageArea).text.startswith("KVM: nVMX: Fix the checks\n")
        await pilot.press("ctrl+s")
    assert doc.path.read_text().startswith("KVM: nVMX: Fix the checks\n")
    assert not again.store.path.exists()  # written: nothing left to offer


async def test_editor_offers_no_draft_that_matches_the_file(demo_repo):
    doc = document(demo_repo, SIGNED)
    store = file_draft_store(doc.path)
    store.save({"text": SIGNED})
    app = EditorApp(doc, store=file_draft_store(doc.path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ != "RestoreScreen"


async def test_editor_drafts_are_keyed_on_the_file(demo_repo):
    one = document(demo_repo, SIGNED, "ONE_EDITMSG")
    file_draft_store(one.path).save({"text": "KVM: x86: Typed into one\n"})
    other = document(demo_repo, SIGNED, "OTHER_EDITMSG")
    app = EditorApp(other, store=file_draft_store(other.path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ != "RestoreScreen"


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_tmux_editor_keeps_the_text_through_sigterm(demo_repo, tmp_path):
    path = demo_repo / ".git" / "COMMIT_EDITMSG"
    path.write_text(SIGNED)
    state = tmp_path / "state"
    command = f"XDG_STATE_HOME={state} exec {PYTHON} -m kvmwriter edit {path}"
    tmux = Tmux(tmp_path)
    try:
        tmux.start(demo_repo, command)
        tmux.wait_for("editing COMMIT_EDITMSG")
        tmux.keys("C-Home")
        tmux.text("KVM: nVMX: Typed before SIGTERM")
        tmux.wait_for("Typed before SIGTERM")
        os.kill(tmux.pane_pid(), 15)  # well inside the autosave delay
        drafts = state / "kvmwriter" / "drafts" / "files"
        deadline = time.time() + 5
        while not list(drafts.glob("*.json")) and time.time() < deadline:
            time.sleep(0.05)
        (draft,) = drafts.glob("*.json")
        assert "KVM: nVMX: Typed before SIGTERM" in draft.read_text()
        assert path.read_text() == SIGNED
        tmux.start(demo_repo, command)
        tmux.wait_for("Restore it?")
        tmux.keys("y")
        screen = tmux.wait_for("Draft restored")
        assert "KVM: nVMX: Typed before SIGTERM" in screen
    finally:
        tmux.close()
