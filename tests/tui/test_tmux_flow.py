"""The guided flow in a real terminal: keys as a person types them."""

from __future__ import annotations

import shutil
import sys

import pytest

from tests.tui.test_tmux_e2e import Tmux

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.fixture
def tmux(tmp_path):
    server = Tmux(tmp_path)
    yield server
    server.close()


@pytest.mark.parametrize("enter", [["F5"], ["C-n", "C-n", "C-n"]])
def test_tmux_space_ticks_the_first_checklist_item_on_entering_testing(tmux, demo_repo, enter):
    tmux.start(demo_repo, f"exec {sys.executable} -m kvmwriter")
    tmux.wait_for("F2 Topic")
    for key in enter:
        tmux.keys(key)
    tmux.wait_for("Notes (what else was run")
    tmux.keys("Space")
    screen = tmux.wait_for("Testing:")
    first = next(line for line in screen.splitlines() if "KVM_INTEL=m" in line)
    assert "▐X▌" in first
