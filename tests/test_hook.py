"""kvmwriter hook install/uninstall on real repositories, and the hook in a real commit."""

from __future__ import annotations

import os
import subprocess

from tests.conftest import ROOT, git


def commit_with_hook(repo, message):
    """Run real 'git commit' (hooks included) and return the completed process."""
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1")
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        ["git", "commit", "-q", "-F", "-"],
        cwd=repo,
        input=message,
        text=True,
        capture_output=True,
        env=env,
    )


def test_hook_install_writes_a_commit_msg_hook_that_rejects_bad_messages(cli, make_repo):
    repo = make_repo()
    result = cli("hook", "install", cwd=repo)
    assert result.returncode == 0, result.stderr
    hook = repo / ".git" / "hooks" / "commit-msg"
    assert os.access(hook, os.X_OK)
    (repo / "a.c").write_text("a\n")
    git(repo, "add", "a.c")
    rejected = commit_with_hook(repo, "fixed stuff\n")
    assert rejected.returncode != 0 and "subject-prefix" in rejected.stdout + rejected.stderr
    accepted = commit_with_hook(
        repo,
        "KVM: x86: Add the a file\n\nAdd the a file for the test.\n\n"
        "Signed-off-by: Ada Tester <ada@example.org>\n",
    )
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


def test_hook_install_honours_core_hooks_path(cli, make_repo):
    repo = make_repo()
    git(repo, "config", "core.hooksPath", "githooks")
    assert cli("hook", "install", cwd=repo).returncode == 0
    assert (repo / "githooks" / "commit-msg").is_file()
    assert not (repo / ".git" / "hooks" / "commit-msg").exists()


def test_hook_never_overwrites_or_removes_a_foreign_hook(cli, make_repo):
    repo = make_repo()
    hook = repo / ".git" / "hooks" / "commit-msg"
    hook.write_text("#!/bin/sh\necho mine\n")
    result = cli("hook", "install", cwd=repo)
    assert result.returncode == 2 and "not kvmwriter's" in result.stderr
    assert cli("hook", "uninstall", cwd=repo).returncode == 2
    assert hook.read_text() == "#!/bin/sh\necho mine\n"


def test_hook_uninstall_removes_only_its_own_hook_and_install_is_repeatable(cli, make_repo):
    repo = make_repo()
    assert cli("hook", "install", cwd=repo).returncode == 0
    assert cli("hook", "install", cwd=repo).returncode == 0
    assert cli("hook", "uninstall", cwd=repo).returncode == 0
    assert not (repo / ".git" / "hooks" / "commit-msg").exists()
    assert "nothing to remove" in cli("hook", "uninstall", cwd=repo).stdout


def test_hook_outside_a_repository_is_one_line(cli, tmp_path):
    result = cli("hook", "install", cwd=tmp_path)
    assert result.returncode == 2 and "not a git repository" in result.stderr


def test_hook_install_fix_fixes_what_is_safe_then_checks(cli, make_repo):
    repo = make_repo()
    assert cli("hook", "install", "--fix", cwd=repo).returncode == 0
    (repo / "a.c").write_text("a\n")
    git(repo, "add", "a.c")
    fixed = commit_with_hook(
        repo,
        "kvm: x86: add the a file.\n\nAdd the a file for the test.\n\n"
        "Signed-off-by: Ada Tester <ada@example.org>\n",
    )
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert git(repo, "log", "-1", "--format=%s").strip() == "KVM: x86: Add the a file"
    (repo / "b.c").write_text("b\n")
    git(repo, "add", "b.c")
    # The mood fix is unsafe: the hook leaves it to the author and rejects.
    rejected = commit_with_hook(
        repo,
        "kvm: x86: added the b file\n\nAdd the b file for the test.\n\n"
        "Signed-off-by: Ada Tester <ada@example.org>\n",
    )
    assert rejected.returncode != 0 and "subject-mood" in rejected.stdout + rejected.stderr
    assert git(repo, "log", "-1", "--format=%s").strip() == "KVM: x86: Add the a file"


def test_hook_reinstall_without_fix_drops_the_fixing(cli, make_repo):
    repo = make_repo()
    hook = repo / ".git" / "hooks" / "commit-msg"
    assert cli("hook", "install", "--fix", cwd=repo).returncode == 0
    assert "--fix" in hook.read_text()
    assert cli("hook", "install", cwd=repo).returncode == 0
    assert "--fix" not in hook.read_text()
