"""The real app in a real terminal (tmux): commit, and restore after a kill."""

from __future__ import annotations

import os
import re
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
        # The same server wherever the suite runs: inside a developer's own
        # tmux (TMUX, TMUX_PANE, TERM=screen) as on a bare CI terminal.
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("TMUX", "TMUX_PANE", "COLUMNS", "LINES")
        }
        self.env["TERM"] = "xterm-256color"
        self.started = False

    def run(self, *args: str) -> str:
        proc = subprocess.run(
            ["tmux", "-L", self.socket, "-f", str(self.config), *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=20,
            check=False,
        )
        return proc.stdout

    def start(self, cwd: Path, command: str) -> None:
        env = (
            f"PYTHONPATH={ROOT} GIT_CONFIG_NOSYSTEM=1 TERM=xterm-256color DISPLAY= WAYLAND_DISPLAY="
        )
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

    def wait_gone(self, needle: str, timeout: float = 15) -> str:
        deadline = time.time() + timeout
        screen = ""
        while time.time() < deadline:
            screen = self.screen()
            if needle not in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{needle!r} still on screen:\n{screen}")

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
    assert message.startswith(
        "KVM: nVMX: Fix swapped pin-based control checks\n\nPass the allowed-0"
    )
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


EDITOR = f"{PYTHON} -m kvmwriter edit"
SUBJECT = "KVM: nVMX: Fix swapped pin-based control checks"
BODY = "Pass the allowed-0 and allowed-1 settings in the right order."
FIXED = f"KVM: nVMX: Fix the checks\n\n{BODY}\n\nSigned-off-by: Ada Tester <ada@example.org>\n"


def last_message(repo) -> str:
    """HEAD's message as git stored it (%B ends with one extra newline)."""
    return git(repo, "log", "-1", "--format=%B").rstrip("\n") + "\n"


def wait_linted(tmux) -> str:
    """Wait for the first lint to finish (the app is then fully up)."""
    deadline = time.time() + 30
    screen = ""
    while time.time() < deadline:
        screen = tmux.screen()
        if "Findings: none" in screen or re.search(r"Findings: \d+ errors?, ", screen):
            return screen
        time.sleep(0.1)
    raise AssertionError(f"the lint never finished:\n{screen}")


def retype_subject(tmux, subject: str) -> None:
    """Empty the first line (ctrl+k deletes to its end) and type over it.

    ctrl+k is one byte: unlike shift+end's escape sequence, a loaded
    machine cannot split it.
    """
    tmux.keys("C-Home")
    tmux.keys("C-k")
    tmux.text(subject)


def run_with_editor(tmux, repo, command: str) -> None:
    tmux.start(repo, f"GIT_EDITOR='{EDITOR}' {command}; echo EXIT=$?; sleep 30")


def type_message(tmux) -> None:
    """Type subject and body at the top of the file, as a user would."""
    tmux.keys("C-Home")
    tmux.text(SUBJECT)
    tmux.keys("Enter", "Enter")
    tmux.text(BODY)


def test_tmux_git_commit_with_kvmwriter_as_editor(tmux, demo_repo):
    run_with_editor(tmux, demo_repo, "git commit")
    tmux.wait_for("editing COMMIT_EDITMSG")
    wait_linted(tmux)
    type_message(tmux)
    tmux.keys("C-s")
    screen = tmux.wait_for("EXIT=")
    assert "EXIT=0" in screen
    message = last_message(demo_repo)
    assert message == f"{SUBJECT}\n\n{BODY}\n"


def test_tmux_editor_switches_to_the_guided_steps(tmux, demo_repo):
    run_with_editor(tmux, demo_repo, "git commit")
    tmux.wait_for("editing COMMIT_EDITMSG")
    wait_linted(tmux)
    tmux.keys("F7")
    tmux.wait_for("F2 Topic")
    tmux.text(SUBJECT)
    tmux.keys("Enter")
    tmux.wait_for("What changes")
    tmux.text(BODY)
    tmux.keys("F6")
    tmux.wait_for("Write & exit")
    tmux.keys("w")
    assert "EXIT=0" in tmux.wait_for("EXIT=")
    # The guided steps offer the author's sign-off, as 'git commit -s' would.
    assert last_message(demo_repo).startswith(f"{SUBJECT}\n\n{BODY}\n\nSigned-off-by: ")


def test_tmux_git_commit_s_keeps_the_signoff_as_a_trailer(tmux, demo_repo):
    run_with_editor(tmux, demo_repo, "git commit -s")
    tmux.wait_for("subject-prefix")  # the empty subject, not the sign-off
    type_message(tmux)
    tmux.keys("C-s")
    assert "EXIT=0" in tmux.wait_for("EXIT=")
    name = git(demo_repo, "config", "user.name").strip()
    email = git(demo_repo, "config", "user.email").strip()
    message = last_message(demo_repo)
    assert message == f"{SUBJECT}\n\n{BODY}\n\nSigned-off-by: {name} <{email}>\n"


def test_tmux_git_commit_v_keeps_the_diff_out_of_the_message(tmux, demo_repo):
    run_with_editor(tmux, demo_repo, "git commit -v")
    tmux.wait_for("editing COMMIT_EDITMSG")
    wait_linted(tmux)
    type_message(tmux)
    tmux.keys("C-s")
    assert "EXIT=0" in tmux.wait_for("EXIT=")
    message = last_message(demo_repo)
    assert message == f"{SUBJECT}\n\n{BODY}\n"


def test_tmux_git_commit_amend_edits_the_message_in_place(tmux, demo_repo):
    git(demo_repo, "commit", "-q", "-s", "-m", "KVM: nVMX: fix the checks", "-m", BODY)
    run_with_editor(tmux, demo_repo, "git commit --amend")
    tmux.wait_for("subject-capitalization")
    retype_subject(tmux, "KVM: nVMX: Fix the checks")
    tmux.keys("C-s")
    assert "EXIT=0" in tmux.wait_for("EXIT=")
    assert last_message(demo_repo) == FIXED


def test_tmux_rebase_reword_and_squash(tmux, demo_repo):
    git(demo_repo, "commit", "-q", "-s", "-m", "KVM: nVMX: fix the checks", "-m", BODY)
    (demo_repo / "extra.txt").write_text("more\n")
    git(demo_repo, "add", "extra.txt")
    git(demo_repo, "commit", "-q", "-m", "squash! KVM: nVMX: fix the checks", "-m", "More.")
    base = git(demo_repo, "rev-parse", "HEAD~2").strip()
    sequence = "sed -i -e '1s/^pick/reword/' -e '2s/^pick/squash/'"
    tmux.start(
        demo_repo,
        f"GIT_SEQUENCE_EDITOR=\"{sequence}\" GIT_EDITOR='{EDITOR}' "
        f"git rebase -i {base}; echo EXIT=$?; sleep 30",
    )
    # The reword: fix the subject's case.
    tmux.wait_for("subject-capitalization")
    retype_subject(tmux, "KVM: nVMX: Fix the checks")
    tmux.keys("C-s")
    # The squash: keep the first message, delete the squash! one.
    tmux.wait_for("combination of 2 messages")
    # "Fix" with no Fixes: tag leaves advice only (fixes-suggested, info).
    tmux.wait_for("Findings: 0 errors, 0 warnings")
    tmux.keys("C-Home", *["Down"] * 9)
    # One key a call: on a busy machine a burst of escape sequences can
    # reach the app split, and a split sequence is not the key sent.
    for _ in range(6):
        tmux.keys("S-Down")
    tmux.keys("Delete")
    # Save only once the squash message is gone from the screen.
    tmux.wait_gone("More.")
    tmux.wait_for("Findings: 0 errors, 0 warnings")
    tmux.keys("C-s")
    assert "EXIT=0" in tmux.wait_for("EXIT=")
    message = last_message(demo_repo)
    assert message == FIXED
    assert git(demo_repo, "rev-list", "--count", f"{base}..HEAD").strip() == "1"


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
    tmux.wait_for("Draft restored")
    # The question shows before the series is read: the count follows it.
    tmux.wait_for("[PATCH 0/2] KVM: x86/pmu: Fix PEBS before a kill")


@pytest.mark.skipif(shutil.which("b4") is None, reason="b4 is not installed (pip install b4)")
@pytest.mark.parametrize("how", ["core.editor", "GIT_EDITOR", "EDITOR"])
def test_tmux_b4_edit_cover_opens_the_cover_editor(tmux, make_repo, tmp_path, how):
    import shlex

    from tests.test_b4 import cover_commit_message

    env = b4_environment(tmp_path)
    repo = b4_prep_repo(make_repo, env)
    if how == "core.editor":
        git(repo, "config", "core.editor", EDITOR)
    else:
        env[how] = EDITOR
    exports = " ".join(
        f"{name}={shlex.quote(value)}"
        for name, value in env.items()
        if name in B4_VARS or name == how
    )
    tmux.start(repo, f"env {exports} b4 prep --edit-cover; echo EXIT=$?; sleep 30")
    tmux.wait_for("cover letter (b4)")
    screen = wait_linted(tmux)
    assert "EDITME: cover title" in screen and "Staged:" not in screen
    title = "KVM: x86: Advertise AVX-VNNI-INT16 to userspace"
    retype_subject(tmux, title)
    # Save only once the screen shows the new title in place of the old
    # one: if a key went astray, the failure shows the screen it left.
    tmux.wait_for(title)
    tmux.wait_gone("EDITME: cover title")
    tmux.keys("C-s")
    assert "EXIT=0" in tmux.wait_for("EXIT=")
    assert cover_commit_message(repo).startswith(title + "\n")


B4_VARS = (
    "HOME",
    "XDG_CONFIG_HOME",
    "XDG_CACHE_HOME",
    "XDG_DATA_HOME",
    "http_proxy",
    "https_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_COLOR",
    "PATH",
)


def b4_environment(tmp_path: Path) -> dict[str, str]:
    """b4 offline: a private HOME, proxies at a closed port (as tests/test_b4.py)."""
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ)
    env.update(
        {
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "XDG_DATA_HOME": str(home / ".local"),
            "http_proxy": "http://127.0.0.1:9",
            "https_proxy": "http://127.0.0.1:9",
            "HTTP_PROXY": "http://127.0.0.1:9",
            "HTTPS_PROXY": "http://127.0.0.1:9",
            "NO_COLOR": "1",
        }
    )
    for name in ("GIT_EDITOR", "EDITOR", "VISUAL"):
        env.pop(name, None)
    return env


def b4_prep_repo(make_repo, env: dict[str, str]) -> Path:
    repo = make_repo()
    (repo / "cpuid.c").write_text("int cpuid;\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Initial import")
    proc = subprocess.run(
        ["b4", "prep", "-n", "avx", "-f", "main"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return repo
