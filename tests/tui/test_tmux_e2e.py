"""The real app in a real terminal (tmux): commit, and restore after a kill."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, git

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Tmux:
    """One private tmux server (own socket) holding the app's terminal."""

    def __init__(self, tmp_path: Path) -> None:
        self.socket = f"kvmwriter-test-{os.getpid()}-{tmp_path.name}"
        # Keep a pane whose process died (killed on purpose) for respawn-pane.
        self.config = tmp_path / "tmux.conf"
        self.config.write_text("set -g remain-on-exit on\n")
        self.env = dict(os.environ)
        self.env.pop("TMUX", None)
        self.started = False

    def run(self, *args: str) -> str:
        proc = subprocess.run(["tmux", "-L", self.socket, "-f", str(self.config), *args],
                              capture_output=True, text=True, env=self.env, timeout=20,
                              check=False)
        return proc.stdout

    def start(self, cwd: Path, command: str) -> None:
        env = (f"PYTHONPATH={ROOT} GIT_CONFIG_NOSYSTEM=1 TERM=xterm-256color "
               f"DISPLAY= WAYLAND_DISPLAY=")
        shell = f"cd {cwd} && {env} {command}"
        if not self.started:
            self.run("new-session", "-d", "-s", "app", "-x", "80", "-y", "24", shell)
            self.started = True
        else:
            self.run("respawn-pane", "-k", "-t", "app", shell)

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "app", *keys)

    def text(self, text: str) -> None:
        self.run("send-keys", "-t", "app", "-l", text)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "app")

    def wait_for(self, needle: str, timeout: float = 15) -> str:
        deadline = time.time() + timeout
        screen = ""
        while time.time() < deadline:
            screen = self.screen()
            if needle in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{needle!r} not on screen:\n{screen}")

    def pane_pid(self) -> int:
        return int(self.run("list-panes", "-t", "app", "-F", "#{pane_pid}").split()[0])

    def close(self) -> None:
        self.run("kill-server")


@pytest.fixture
def tmux(tmp_path):
    server = Tmux(tmp_path)
    yield server
    server.close()


PYTHON = sys.executable


def test_tmux_drafts_and_commits_through_git(tmux, demo_repo):
    tmux.start(demo_repo, f"{PYTHON} -m kvmwriter; echo EXIT=$?; sleep 30")
    tmux.wait_for("F2 Topic")
    tmux.text("KVM: nVMX: Fix swapped pin-based control checks")
    tmux.keys("Enter")
    tmux.wait_for("What changes")
    tmux.text("Pass the allowed-0 and allowed-1 settings in the right order.")
    tmux.keys("Tab")
    tmux.text("Swapping them rejects valid controls.")
    tmux.keys("F6")
    tmux.wait_for("passes every rule")
    tmux.keys("c")
    screen = tmux.wait_for("EXIT=")
    assert "EXIT=0" in screen
    assert "kvmwriter: committed" in screen
    message = git(demo_repo, "log", "-1", "--format=%B")
    assert message.startswith("KVM: nVMX: Fix swapped pin-based control checks\n\n"
                              "Pass the allowed-0")
    assert git(demo_repo, "diff", "--cached", "--name-only") == ""


def test_tmux_restores_draft_after_the_app_is_killed(tmux, demo_repo):
    tmux.start(demo_repo, f"exec {PYTHON} -m kvmwriter")
    tmux.wait_for("F2 Topic")
    tmux.text("Fix the pin-based checks before a kill")
    tmux.wait_for("before a kill")
    time.sleep(0.9)  # autosave runs 0.5 s after a change: under 1 s is ever lost
    os.kill(tmux.pane_pid(), 9)
    draft = demo_repo / ".git" / "kvmwriter" / "drafts" / "kvm-demo.json"
    assert "before a kill" in draft.read_text()
    tmux.start(demo_repo, f"exec {PYTHON} -m kvmwriter")
    tmux.wait_for("Restore it?")
    tmux.keys("y")
    screen = tmux.wait_for("Draft restored")
    assert "Fix the pin-based checks before a kill" in screen


def test_tmux_git_commit_with_kvmwriter_as_editor(tmux, demo_repo):
    editor = f"{PYTHON} -m kvmwriter edit"
    tmux.start(demo_repo, f"GIT_EDITOR='{editor}' git commit; echo EXIT=$?; sleep 30")
    tmux.wait_for("editing COMMIT_EDITMSG")
    tmux.text("KVM: nVMX: Fix swapped pin-based control checks")
    tmux.keys("Enter")
    tmux.wait_for("What changes")
    tmux.text("Pass the allowed-0 and allowed-1 settings in the right order.")
    tmux.keys("F6")
    tmux.wait_for("Write & exit")
    tmux.keys("w")  # no waiting for the lint panel: w lints the text itself
    screen = tmux.wait_for("EXIT=")
    assert "EXIT=0" in screen
    message = git(demo_repo, "log", "-1", "--format=%B")
    assert message.startswith("KVM: nVMX: Fix swapped pin-based control checks\n\n"
                              "Pass the allowed-0")
    assert "#" not in message


def test_tmux_aborting_the_editor_aborts_git_commit(tmux, demo_repo):
    head = git(demo_repo, "rev-parse", "HEAD")
    editor = f"{PYTHON} -m kvmwriter edit"
    tmux.start(demo_repo, f"GIT_EDITOR='{editor}' git commit; echo EXIT=$?; sleep 30")
    tmux.wait_for("editing COMMIT_EDITMSG")
    tmux.keys("C-q")
    screen = tmux.wait_for("EXIT=")
    assert "EXIT=1" in screen
    assert git(demo_repo, "rev-parse", "HEAD") == head


def test_tmux_terminated_app_saves_the_last_keystrokes(tmux, demo_repo):
    tmux.start(demo_repo, f"exec {PYTHON} -m kvmwriter")
    tmux.wait_for("F2 Topic")
    tmux.text("Typed just before SIGTERM")
    tmux.wait_for("before SIGTERM")
    os.kill(tmux.pane_pid(), 15)  # well inside the autosave delay
    draft = demo_repo / ".git" / "kvmwriter" / "drafts" / "kvm-demo.json"
    deadline = time.time() + 5
    while not draft.exists() and time.time() < deadline:
        time.sleep(0.05)
    assert "Typed just before SIGTERM" in draft.read_text()


def test_tmux_restores_cover_draft_after_the_app_is_killed(tmux, make_repo):
    from .test_cover_flow import series_repo

    repo = series_repo(make_repo)
    tmux.start(repo, f"exec {PYTHON} -m kvmwriter cover main")
    tmux.wait_for("2 patches, 1 files")
    tmux.text("Fix PEBS before a kill")
    tmux.wait_for("x86/pmu: Fix PEBS before a kill")
    time.sleep(0.9)  # autosave runs 0.5 s after a change: under 1 s is ever lost
    os.kill(tmux.pane_pid(), 9)
    draft = repo / ".git" / "kvmwriter" / "drafts" / "x86%2Fpmu%2Fpebs.cover.json"
    assert "Fix PEBS before a kill" in draft.read_text()
    tmux.start(repo, f"exec {PYTHON} -m kvmwriter cover main")
    tmux.wait_for("Restore it?")
    tmux.keys("y")
    screen = tmux.wait_for("Draft restored")
    assert "[PATCH 0/2] KVM: x86/pmu: Fix PEBS before a kill" in screen
