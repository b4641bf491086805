"""The review app over patch files and with series-wide findings, and the
command line's error paths for --tui."""

from __future__ import annotations

import pytest
from screen import notifications

from kvmwriter.git.repo import Repository
from kvmwriter.lint.engine import Linter
from kvmwriter.review.model import ReviewSource, resolve_source
from kvmwriter.tui.review.app import ReviewApp
from kvmwriter.tui.review.review_screen import ReviewScreen
from tests.conftest import ROOT, git

from .conftest import RULES
from .helpers import commit_file, open_editor, rows, run_async, settle, shown, until


@run_async
async def test_review_of_patch_files_lists_patches_and_refuses_reword(series_repo, tmp_path):
    out = tmp_path / "patches"
    git(series_repo, "format-patch", "-q", "-o", str(out), "base..HEAD")
    files = sorted(str(path) for path in out.iterdir())
    source = resolve_source(None, files)
    assert source.patch_files and not source.can_reword
    app = ReviewApp(source, Linter.from_config(select=RULES))
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await settle(pilot)
        listed = rows(app)
        assert len(listed) == 3 and "0002-KVM-x86-Fixed" in listed[1]
        assert "3 patches, 1 error, 2 warnings" in str(app.screen.query_one("#summary").content)
        await pilot.press("down")
        text = shown(app)
        assert "Subject: [PATCH 2/3] KVM: x86: Fixed the thing." in text
        assert "subject-mood" in text and "lines not shown" in text
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await until(
            pilot, lambda: any("Only commits can be reworded" in n for n in notifications(app))
        )


@run_async
async def test_review_shows_series_findings_in_their_own_row(make_repo):
    repo = make_repo()
    commit_file(repo, "README", "base\n", "Initial commit\n")
    (repo / "arch/x86/kvm").mkdir(parents=True)
    commit_file(
        repo,
        "arch/x86/kvm/x86.c",
        "int cr4;\n",
        "KVM: x86: Fix the CR4 check\n\nCheck CR4 before loading it.\n",
    )
    linter = Linter.from_config(select=("series-tests-missing", "subject-mood"))
    app = ReviewApp(ReviewSource(Repository.discover(repo), "HEAD~1..HEAD"), linter)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        listed = rows(app)
        assert len(listed) == 2 and "series" in listed[1] and "▲1" in listed[1]
        assert "1 commit, 0 errors, 1 warning" in str(app.screen.query_one("#summary").content)
        await pilot.press("down")
        assert "series-tests-missing" in shown(app)


def test_cli_review_tui_rejects_a_bad_range_in_one_line(series_repo, cli):
    result = cli("review", "--tui", "nosuch..HEAD", cwd=series_repo)
    assert result.returncode == 2
    assert result.stderr.startswith("kvmwriter: bad range") and result.stderr.count("\n") == 1


def test_cli_review_tui_without_upstream_asks_for_a_range(series_repo, cli):
    result = cli("review", "--tui", cwd=series_repo)
    assert result.returncode == 2
    assert "has no upstream" in result.stderr and result.stderr.count("\n") == 1


def test_cli_review_tui_rejects_an_unknown_rule_before_starting(series_repo, cli):
    result = cli("review", "--tui", "--select", "no-such-rule", "base..HEAD", cwd=series_repo)
    assert result.returncode == 2 and "unknown rule 'no-such-rule'" in result.stderr


def test_cli_review_tui_reports_an_empty_range(series_repo, cli):
    result = cli("review", "--tui", "HEAD..HEAD", cwd=series_repo)
    assert result.returncode == 2 and "no commits in HEAD..HEAD" in result.stderr


def test_cli_review_tui_starts_in_a_terminal_and_quits_with_q(series_repo):
    """The real command in a pseudo-terminal: the list appears, q exits 0."""
    import os
    import select
    import sys
    import time

    pty = pytest.importorskip("pty")
    pid, fd = pty.fork()
    if pid == 0:  # The child: become 'kvmwriter review --tui' in the repository.
        try:
            os.chdir(series_repo)
            os.environ["PYTHONPATH"] = str(ROOT)
            os.environ["TERM"] = "xterm-256color"
            os.execvp(
                sys.executable, [sys.executable, "-m", "kvmwriter", "review", "--tui", "base..HEAD"]
            )
        finally:  # Never let a failed exec run the rest of pytest in the child.
            os._exit(127)
    output, sent, deadline = b"", False, time.monotonic() + 30
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                try:
                    data = os.read(fd, 65536)
                except OSError:  # The child closed the terminal: it exited.
                    break
                if not data:
                    break
                output += data
            if not sent and b"3 commits" in output:
                time.sleep(0.3)
                os.write(fd, b"q")
                sent = True
    finally:
        if time.monotonic() >= deadline:
            os.kill(pid, 9)
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert sent, output[-500:]
    assert os.waitstatus_to_exitcode(status) == 0


@run_async
async def test_review_editor_lints_with_the_commit_diff(make_repo):
    repo = make_repo()
    commit_file(repo, "README", "base\n", "Initial commit\n")
    (repo / "arch/x86/kvm").mkdir(parents=True)
    commit_file(
        repo,
        "arch/x86/kvm/mmu.c",
        "/* We flush the TLB here. */\nint x;\n",
        "KVM: x86: Flush the TLB\n\nFlush the TLB on every load.\n",
    )
    commit_file(repo, "arch/x86/kvm/x86.c", "int y;\n", "KVM: x86: Add y\n\nAdd y.\n")
    linter = Linter.from_config(select=("comment-pronoun",))
    app = ReviewApp(ReviewSource(Repository.discover(repo), "HEAD~2..HEAD"), linter)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert "▲1" in rows(app)[0] and "✓" in rows(app)[1]
        assert app.screen.review.entries[0].diff is None
        await open_editor(pilot)
        findings = str(app.screen.query_one("#reword-findings").content)
        assert "comment-pronoun" in findings and "'We'" in findings


def test_cli_review_tui_without_a_terminal_refuses_in_one_line(series_repo, cli):
    result = cli("review", "--tui", "base..HEAD", cwd=series_repo, input="", timeout=30)
    assert result.returncode == 2
    assert "--tui needs a terminal" in result.stderr and result.stderr.count("\n") == 1
