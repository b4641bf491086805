"""ctrl+q in a real terminal: where the draft is, and an honest exit status."""

from __future__ import annotations

import shutil

import pytest

from tests.tui.test_tmux_e2e import PYTHON, Tmux

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.fixture
def tmux(tmp_path):
    server = Tmux(tmp_path)
    yield server
    server.close()


def test_tmux_quit_with_unwritable_git_dir_names_the_state_dir_draft(tmux, demo_repo, tmp_path):
    # A file where the drafts directory would go: nobody, root included, writes there.
    (demo_repo / ".git" / "kvmwriter").write_text("")
    state = tmp_path / "state"
    tmux.start(demo_repo, f"XDG_STATE_HOME={state} {PYTHON} -m kvmwriter; echo EXIT=$?; sleep 30")
    tmux.wait_for("F2 Topic")
    tmux.text("Fix the checks with a read-only git dir")
    tmux.wait_for("read-only git dir")
    tmux.keys("C-q")
    screen = tmux.wait_for("EXIT=")
    assert "EXIT=0" in screen, screen
    drafts = list((state / "kvmwriter" / "drafts").glob("*/kvm-demo.json"))
    assert len(drafts) == 1 and "read-only git dir" in drafts[0].read_text()
    said = "".join(screen.split("\n"))  # the path may wrap at 80 columns
    assert "the draft is kept in" in said and str(drafts[0]) in said


def test_tmux_quit_with_nothing_typed_keeps_nothing_and_exits_1(tmux, demo_repo):
    tmux.start(demo_repo, f"{PYTHON} -m kvmwriter; echo EXIT=$?; sleep 30")
    tmux.wait_for("F2 Topic")
    tmux.keys("C-q")
    screen = tmux.wait_for("EXIT=")
    assert "EXIT=1" in screen and "kept" not in screen
