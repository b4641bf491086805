"""One session per draft file: a lock held for the session's life."""

from __future__ import annotations

import subprocess
import sys

from kvmwriter.compose.draft_store import DraftStore


def test_second_session_on_a_branch_saves_to_its_own_draft(tmp_path):
    first, second = DraftStore(tmp_path, "main"), DraftStore(tmp_path, "main")
    assert first.claim() and not second.claim()
    assert second.path != first.path and second.path.parent == first.path.parent
    first.save({"summary": "one"})
    second.save({"summary": "two"})
    assert first.load()[0] == {"summary": "one"} and second.load()[0] == {"summary": "two"}
    # Each session sees its own draft, never the other live one.
    assert [s.data for s in first.stored_drafts()] == [{"summary": "one"}]
    assert [s.data for s in second.stored_drafts()] == [{"summary": "two"}]
    first.release()
    second.release()
    third = DraftStore(tmp_path, "main")
    assert third.claim()
    assert sorted(s.data["summary"] for s in third.stored_drafts()) == ["one", "two"]


def test_a_killed_session_releases_its_lock(tmp_path):
    script = (
        "import os, sys; from kvmwriter.compose.draft_store import DraftStore; "
        f"s = DraftStore({str(tmp_path)!r}, 'main'); assert s.claim(); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
    assert DraftStore(tmp_path, "main").claim()


def test_other_keys_session_drafts_are_not_offered(tmp_path):
    cover = DraftStore(tmp_path, "main", "cover")
    DraftStore(tmp_path, "main").claim()
    assert not DraftStore(tmp_path, "main").claim()  # a live session draft of "main"
    cover.claim()
    cover.save({"summary": "cover"})
    assert [s.data for s in cover.stored_drafts()] == [{"summary": "cover"}]


def test_session_drafts_fall_back_to_the_state_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    git_dir = tmp_path / "git"
    git_dir.mkdir()
    (git_dir / "kvmwriter").write_text("")  # nothing can be written under it
    first, second = DraftStore(git_dir, "main"), DraftStore(git_dir, "main")
    assert first.claim() and not second.claim()
    first.save({"summary": "one"})
    second.save({"summary": "two"})
    assert str(second.path).startswith(str(tmp_path / "state"))
    assert first.load()[0] == {"summary": "one"} and second.load()[0] == {"summary": "two"}


def test_released_sessions_leave_no_lock_files(tmp_path):
    first, second = DraftStore(tmp_path, "main"), DraftStore(tmp_path, "main")
    first.claim()
    second.claim()
    drafts = first.path.parent
    assert len(list(drafts.glob("*.lock"))) == 2
    first.save({"summary": "one"})
    first.release()
    second.release()
    assert list(drafts.glob("*.lock")) == []
    assert first.load()[0] == {"summary": "one"}
    again = DraftStore(tmp_path, "main")
    assert again.claim() and not DraftStore(tmp_path, "main").claim()
