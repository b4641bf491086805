"""draft: the on-disk draft store and the autosaver."""

from __future__ import annotations

import json
import os
import time

from kvmwriter.compose.draft_store import Autosaver, DraftStore, draft_path, write_atomic


def test_draft_path_is_under_git_dir_keyed_by_branch(tmp_path):
    assert draft_path(tmp_path, "main") == tmp_path / "kvmwriter" / "drafts" / "main.json"
    assert draft_path(tmp_path, "kvm/x86/pmu").name == "kvm%2Fx86%2Fpmu.json"
    assert draft_path(tmp_path, None).name == "HEAD.json"


def test_store_round_trips_a_draft(tmp_path):
    store = DraftStore(tmp_path, "main")
    store.save({"summary": "Fix it"})
    data, saved_at = store.load()
    assert data == {"summary": "Fix it"}
    assert abs(saved_at - time.time()) < 60
    store.discard()
    assert store.load() is None


def test_branches_do_not_share_drafts(tmp_path):
    DraftStore(tmp_path, "a").save({"summary": "A"})
    assert DraftStore(tmp_path, "b").load() is None


def test_corrupt_draft_is_set_aside_not_deleted(tmp_path):
    store = DraftStore(tmp_path, "main")
    store.path.parent.mkdir(parents=True)
    store.path.write_text('{"draft": trunc')
    assert store.load() is None
    assert store.path.with_suffix(".bad").read_text() == '{"draft": trunc'


def test_write_atomic_leaves_no_temp_files(tmp_path):
    target = tmp_path / "d" / "x.json"
    write_atomic(target, "one")
    write_atomic(target, "two")
    assert target.read_text() == "two"
    assert os.listdir(target.parent) == ["x.json"]


def test_autosaver_coalesces_changes_and_saves_within_delay(tmp_path):
    store = DraftStore(tmp_path, "main")
    state = {"summary": ""}
    saver = Autosaver(store, lambda: dict(state), delay=0.05)
    for char in "abc":
        state["summary"] += char
        saver.touch()
    deadline = time.time() + 2
    while saver.saves == 0 and time.time() < deadline:
        time.sleep(0.01)
    assert saver.saves == 1
    assert store.load()[0] == {"summary": "abc"}


def test_autosaver_flush_writes_pending_change_immediately(tmp_path):
    store = DraftStore(tmp_path, "main")
    saver = Autosaver(store, lambda: {"summary": "late"}, delay=60)
    saver.touch()
    saver.flush()
    assert json.loads(store.path.read_text())["draft"] == {"summary": "late"}


def test_autosaver_reports_write_errors_instead_of_raising(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    # Neither the git dir nor the state directory can hold a draft.
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    errors = []
    saver = Autosaver(DraftStore(blocker, "main"), dict, on_error=errors.append)
    saver.save_now()
    assert len(errors) == 1
