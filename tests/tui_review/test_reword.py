"""Reword commits in real repositories: amend, rebase, refusals, roll-back."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kvmwriter.git.reword import RewordError, reword_commit
from tests.conftest import ROOT, git

from .helpers import commit_file, install_hook, message_of, tree_of


@pytest.fixture
def series(make_repo):
    """A repository with three commits on main; returns (path, [sha1, sha2, sha3])."""
    repo = make_repo()
    shas = [
        commit_file(repo, "a.c", "a\n", "KVM: x86: Add a\n\nAdd a.\n"),
        commit_file(repo, "b.c", "b\n", "KVM: x86: Add b\n\nAdd b.\n"),
        commit_file(repo, "c.c", "c\n", "KVM: x86: Add c\n\nAdd c.\n"),
    ]
    return repo, shas


def test_reword_head_amends_message_and_keeps_tree(series):
    repo, shas = series
    result = reword_commit(repo, "HEAD", "KVM: x86: Add c properly\n\nExplain c.\n")
    assert result.method == "amend"
    assert message_of(repo, "HEAD") == "KVM: x86: Add c properly\n\nExplain c."
    assert tree_of(repo, "HEAD") == tree_of(repo, shas[2])
    assert git(repo, "rev-parse", "HEAD~1").strip() == shas[1]
    assert result.new_sha == result.new_head == git(repo, "rev-parse", "HEAD").strip()
    assert result.rewritten == {shas[2]: result.new_sha}


def test_reword_head_leaves_staged_changes_out_of_the_commit(series):
    repo, shas = series
    (repo / "c.c").write_text("changed\n")
    git(repo, "add", "c.c")
    reword_commit(repo, "HEAD", "KVM: x86: Reworded c\n")
    assert tree_of(repo, "HEAD") == tree_of(repo, shas[2])
    assert git(repo, "diff", "--cached", "--name-only").split() == ["c.c"]


def test_reword_older_commit_rewrites_message_and_keeps_every_tree(series):
    repo, shas = series
    trees = [tree_of(repo, sha) for sha in shas]
    result = reword_commit(repo, shas[1], "KVM: x86: Add b with care\n\nWhy b.\n")
    assert result.method == "rebase"
    log = git(repo, "log", "--format=%s", "-3").splitlines()
    assert log == ["KVM: x86: Add c", "KVM: x86: Add b with care", "KVM: x86: Add a"]
    assert [tree_of(repo, f"HEAD~{n}") for n in (2, 1, 0)] == trees
    assert git(repo, "rev-parse", "HEAD~2").strip() == shas[0]
    assert result.new_sha == git(repo, "rev-parse", "HEAD~1").strip()
    assert result.rewritten == {
        shas[1]: result.new_sha,
        shas[2]: git(repo, "rev-parse", "HEAD").strip(),
    }
    assert message_of(repo, "HEAD") == "KVM: x86: Add c\n\nAdd c."
    assert git(repo, "status", "--porcelain") == ""
    assert git(repo, "symbolic-ref", "HEAD").strip() == "refs/heads/main"


def test_reword_root_commit_through_rebase_root(series):
    repo, shas = series
    reword_commit(repo, shas[0], "KVM: x86: Start with a\n")
    assert git(repo, "log", "--format=%s", "--reverse").splitlines() == [
        "KVM: x86: Start with a",
        "KVM: x86: Add b",
        "KVM: x86: Add c",
    ]
    assert tree_of(repo, "HEAD") == tree_of(repo, shas[2])


def test_reword_keeps_hash_lines_such_as_define(series):
    repo, shas = series
    text = "KVM: x86: Add b\n\nDefine it:\n\n#define B 1\n"
    reword_commit(repo, shas[1], text)
    assert message_of(repo, "HEAD~1") == text.rstrip("\n")


def test_reword_with_unchanged_message_rewrites_nothing(series):
    repo, shas = series
    result = reword_commit(repo, shas[1], "KVM: x86: Add b\n\nAdd b.  \n\n")
    assert result.method == "unchanged" and not result.changed
    assert git(repo, "rev-parse", "HEAD").strip() == shas[2]


def test_reword_refuses_older_commit_with_dirty_tree(series):
    repo, shas = series
    (repo / "a.c").write_text("dirty\n")
    with pytest.raises(RewordError, match="uncommitted changes"):
        reword_commit(repo, shas[0], "KVM: x86: New a\n")
    assert git(repo, "rev-parse", "HEAD").strip() == shas[2]
    assert (repo / "a.c").read_text() == "dirty\n"


def test_reword_refuses_commit_that_is_not_an_ancestor(series):
    repo, shas = series
    git(repo, "checkout", "-q", "-b", "side", shas[0])
    side = commit_file(repo, "s.c", "s\n", "KVM: x86: Side\n")
    git(repo, "checkout", "-q", "main")
    with pytest.raises(RewordError, match="not an ancestor of HEAD"):
        reword_commit(repo, side, "KVM: x86: Other\n")


def test_reword_refuses_when_a_merge_lies_in_between(series):
    repo, shas = series
    git(repo, "checkout", "-q", "-b", "side", shas[0])
    commit_file(repo, "s.c", "s\n", "KVM: x86: Side\n")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-edit", "side")
    with pytest.raises(RewordError, match="merge commit .* lies between"):
        reword_commit(repo, shas[1], "KVM: x86: Other b\n")


def test_reword_refuses_older_commit_on_detached_head(series):
    repo, shas = series
    git(repo, "checkout", "-q", "--detach")
    with pytest.raises(RewordError, match="detached"):
        reword_commit(repo, shas[1], "KVM: x86: Other b\n")


def test_reword_refuses_empty_message_and_unknown_commit(series):
    repo, _ = series
    with pytest.raises(RewordError, match="empty"):
        reword_commit(repo, "HEAD", " \n\n")
    with pytest.raises(RewordError, match="unknown commit 'nosuchrev'"):
        reword_commit(repo, "nosuchrev", "KVM: x86: X\n")


def test_reword_refuses_outside_a_repository(tmp_path):
    with pytest.raises(RewordError, match="not a git repository"):
        reword_commit(tmp_path, "HEAD", "KVM: x86: X\n")


def test_reword_refuses_while_a_merge_is_in_progress(series):
    repo, shas = series
    git(repo, "checkout", "-q", "-b", "side", shas[0])
    commit_file(repo, "c.c", "side c\n", "KVM: x86: Side c\n")
    git(repo, "checkout", "-q", "main")
    with pytest.raises(RuntimeError):
        git(repo, "merge", "-q", "--no-edit", "side")
    with pytest.raises(RewordError, match="a merge is in progress"):
        reword_commit(repo, "HEAD", "KVM: x86: X\n")


def test_reword_rolls_back_when_commit_msg_hook_rejects_older_commit(series):
    repo, shas = series
    install_hook(
        repo,
        "commit-msg",
        'grep -q FORBIDDEN "$1" && { echo "hook: FORBIDDEN word" >&2; exit 1; }\nexit 0\n',
    )
    with pytest.raises(RewordError) as caught:
        reword_commit(repo, shas[1], "KVM: x86: FORBIDDEN b\n")
    message = str(caught.value)
    assert "rolled back" in message and "hook: FORBIDDEN word" in message
    assert "\n" not in message
    assert git(repo, "rev-parse", "HEAD").strip() == shas[2]
    assert git(repo, "symbolic-ref", "HEAD").strip() == "refs/heads/main"
    assert git(repo, "status", "--porcelain") == ""
    assert not (repo / ".git" / "rebase-merge").exists()
    assert message_of(repo, shas[1]) == "KVM: x86: Add b\n\nAdd b."


def test_reword_reports_hook_rejection_of_head_amend(series):
    repo, shas = series
    install_hook(repo, "commit-msg", 'echo "hook: no" >&2; exit 1\n')
    with pytest.raises(RewordError, match="hook: no"):
        reword_commit(repo, "HEAD", "KVM: x86: Anything\n")
    assert git(repo, "rev-parse", "HEAD").strip() == shas[2]


def test_reword_module_does_not_import_textual():
    code = "import sys, kvmwriter.git.reword; sys.exit('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_reword_refuses_the_boundary_commit_of_a_shallow_clone(series, tmp_path):
    repo, shas = series
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{repo}", str(clone))
    git(clone, "config", "user.name", "Ada Tester")
    git(clone, "config", "user.email", "ada@example.org")
    with pytest.raises(RewordError, match="shallow clone"):
        reword_commit(clone, "HEAD~1", "KVM: x86: Other b\n")
    result = reword_commit(clone, "HEAD", "KVM: x86: Other c\n")
    assert git(clone, "rev-parse", "HEAD~1").strip() == shas[1]
    assert result.method == "amend"


def test_reword_older_commit_in_a_linked_worktree(series, tmp_path):
    repo, shas = series
    tree = tmp_path / "wt"
    git(repo, "worktree", "add", "-q", "-b", "topic", str(tree), shas[2])
    install_hook(repo, "commit-msg", 'grep -q NOPE "$1" && exit 1; exit 0\n')
    with pytest.raises(RewordError, match="rolled back"):
        reword_commit(tree, shas[1], "KVM: x86: NOPE\n")
    assert git(tree, "rev-parse", "HEAD").strip() == shas[2]
    reword_commit(tree, shas[1], "KVM: x86: Add b in a worktree\n")
    assert git(tree, "log", "--format=%s", "-2").splitlines() == [
        "KVM: x86: Add c",
        "KVM: x86: Add b in a worktree",
    ]
    assert git(repo, "rev-parse", "main").strip() == shas[2]
