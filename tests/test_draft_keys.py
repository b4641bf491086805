"""Draft files: one per (branch, kind), within name limits, never lost.

Keys cannot collide (the commit draft of branch ``foo.cover`` is not the
cover draft of ``foo``; ``foo@amend`` is not ``foo``'s amend draft), names
stay within 255 bytes for any branch, a read-only git dir sends drafts to
the user's state directory, temp files of killed writers are cleaned up,
and a second declined draft does not replace the first.
"""

from __future__ import annotations

import os
import time

import pytest

from kvmwriter.compose.draft_store import DraftStore, draft_name


@pytest.fixture(autouse=True)
def _state_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@pytest.mark.parametrize(
    "first, second",
    [
        (("foo.cover", ""), ("foo", "cover")),
        (("foo@amend", ""), ("foo", "amend")),
        (("foo@edit", "amend"), ("foo", "edit")),
        (("a.b", "cover"), ("a", "b.cover")),
    ],
)
def test_draft_keys_never_collide(tmp_path, first, second):
    one, two = DraftStore(tmp_path, *first), DraftStore(tmp_path, *second)
    assert one.path != two.path
    one.save({"summary": "one"})
    two.save({"summary": "two"})
    assert one.load()[0] == {"summary": "one"} and two.load()[0] == {"summary": "two"}


def test_long_non_ascii_branch_fits_the_file_name_limit(tmp_path):
    branch = "修复" * 15 + "/" + "虚拟机" * 10
    stores = [DraftStore(tmp_path, branch, kind) for kind in ("", "amend", "cover")]
    for store in stores:
        assert len(store.path.name.encode()) <= 255
        store.save({"summary": store.kind})
        assert store.load()[0] == {"summary": store.kind}
    other = DraftStore(tmp_path, branch + "x")
    assert other.path != stores[0].path
    assert len(draft_name("x" * 1000).encode()) <= 255


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_read_only_git_dir_keeps_the_draft_in_the_state_dir(tmp_path):
    git_dir = tmp_path / "git"
    git_dir.mkdir()
    git_dir.chmod(0o500)
    try:
        store = DraftStore(git_dir, "main")
        store.save({"summary": "kept"})
        assert str(store.path).startswith(str(tmp_path / "state" / "kvmwriter" / "drafts"))
        assert DraftStore(git_dir, "main").load()[0] == {"summary": "kept"}
    finally:
        git_dir.chmod(0o700)


def test_unwritable_git_dir_keeps_the_draft_in_the_state_dir(tmp_path):
    # A file where the drafts directory would go: no one can write there.
    git_dir = tmp_path / "git"
    git_dir.mkdir()
    (git_dir / "kvmwriter").write_text("")
    store = DraftStore(git_dir, "main")
    store.save({"summary": "kept"})
    assert str(store.path).startswith(str(tmp_path / "state" / "kvmwriter" / "drafts"))
    again = DraftStore(git_dir, "main")
    assert again.path == store.path and again.load()[0] == {"summary": "kept"}


def test_stale_temp_files_are_removed_on_start(tmp_path):
    store = DraftStore(tmp_path, "main")
    store.save({"summary": "x"})
    drafts = store.path.parent
    stale = drafts / ".main.json.abc123.tmp"
    fresh = drafts / ".main.json.def456.tmp"
    stale.write_text("{")
    fresh.write_text("{")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    DraftStore(tmp_path, "main")
    assert not stale.exists() and fresh.exists()
    assert store.path.exists()


def test_declining_twice_keeps_both_declined_drafts(tmp_path):
    store = DraftStore(tmp_path, "main")
    store.save({"summary": "first"})
    first = store.set_aside(".declined.json")
    store.save({"summary": "second"})
    second = store.set_aside(".declined.json")
    assert first != second and first.exists() and second.exists()
    assert '"first"' in first.read_text() and '"second"' in second.read_text()
