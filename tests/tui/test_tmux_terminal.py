"""A terminated app gives the shell back a usable terminal (real tmux)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time

import pytest

from tests.tui.test_tmux_e2e import PYTHON, Tmux

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None or shutil.which("pgrep") is None,
    reason="tmux or pgrep is not installed",
)


@pytest.fixture
def tmux(tmp_path):
    server = Tmux(tmp_path)
    yield server
    server.close()


#: Textual's modes of the pane, as tmux tracks them.
MODES = "#{alternate_on} #{cursor_flag} #{mouse_any_flag} #{mouse_all_flag} #{mouse_sgr_flag}"


def app_pid(tmux) -> int:
    """The app's process: the child of the pane's shell."""
    shell = tmux.pane_pid()
    deadline = time.time() + 10
    while time.time() < deadline:
        found = subprocess.run(
            ["pgrep", "-P", str(shell)], capture_output=True, text=True, check=False
        ).stdout.split()
        if found:
            return int(found[0])
        time.sleep(0.05)
    raise AssertionError("the app never started")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_tmux_terminated_app_restores_the_terminal(tmux, demo_repo, signum):
    # The shell reports the line discipline the app left (echo, icanon).
    after = "stty -a | tr ' ;' '\\n\\n' | grep -x -e '-*echo' -e '-*icanon' | tr '\\n' ' '"
    tmux.start(demo_repo, f"{PYTHON} -m kvmwriter; echo; echo MODES $({after}); sleep 30")
    tmux.wait_for("F2 Topic")
    assert tmux.run("display", "-p", "-t", "app", MODES).split() == ["1", "0", "1", "1", "1"]
    tmux.text("Typed before the terminal ends")
    tmux.wait_for("before the terminal ends")
    os.kill(app_pid(tmux), signum)
    screen = tmux.wait_for("MODES ")
    time.sleep(0.3)
    assert tmux.run("display", "-p", "-t", "app", MODES).split() == ["0", "1", "0", "0", "0"]
    modes = tmux.wait_for("MODES ").split("MODES ", 1)[1].split("\n", 1)[0].split()
    assert sorted(modes) == ["echo", "icanon"]  # not "-echo", "-icanon"
    draft = demo_repo / ".git" / "kvmwriter" / "drafts" / "kvm-demo.json"
    assert "Typed before the terminal ends" in draft.read_text()
    assert "F2 Topic" not in screen  # the shell's own screen, not the app's
