"""Fixes: suggestions by blaming the lines a change removes, on real repositories."""

from __future__ import annotations

from kvmwriter.git.blame import FixesCandidate, old_lines, suggest_fixes
from kvmwriter.git.repo import Repository
from tests.conftest import git


def write_commit(repo, path, lines, subject):
    (repo / path).write_text("".join(line + "\n" for line in lines))
    git(repo, "add", path)
    git(repo, "commit", "-q", "-m", subject)
    return git(repo, "rev-parse", "HEAD").strip()


def build(make_repo):
    repo = make_repo()
    base = [f"line {n}" for n in range(1, 11)]
    root = write_commit(repo, "x86.c", base, "KVM: x86: Add x86.c")
    buggy = list(base)
    buggy[4:6] = ["bug a", "bug b"]
    culprit = write_commit(repo, "x86.c", buggy, "KVM: x86: Introduce the bug")
    return repo, root, culprit, buggy


def test_fixes_suggests_the_commit_that_wrote_the_removed_lines(make_repo):
    repo, _, culprit, buggy = build(make_repo)
    fixed = list(buggy)
    fixed[4:6] = ["good a", "good b"]
    fix = write_commit(repo, "x86.c", fixed, "KVM: x86: Fix the bug")
    found = suggest_fixes(Repository.discover(repo), fix)
    assert found[0].sha == culprit
    assert found[0].trailer == f'Fixes: {culprit[:12]} ("KVM: x86: Introduce the bug")'
    assert "2 removed" in found[0].reason


def test_fixes_reads_the_staged_change_by_default(make_repo):
    repo, _, culprit, buggy = build(make_repo)
    fixed = list(buggy)
    fixed[5] = "good b"
    (repo / "x86.c").write_text("".join(line + "\n" for line in fixed))
    git(repo, "add", "x86.c")
    r = Repository.discover(repo)
    assert suggest_fixes(r)[0].sha == culprit
    assert suggest_fixes(r, staged=True)[0].sha == culprit


def test_fixes_blames_the_lines_around_a_pure_insertion(make_repo):
    repo, _, culprit, buggy = build(make_repo)
    fixed = buggy[:5] + ["new check"] + buggy[5:]
    fix = write_commit(repo, "x86.c", fixed, "KVM: x86: Add a check")
    found = suggest_fixes(Repository.discover(repo), fix)
    assert found[0].sha == culprit and "around an insertion" in found[0].reason


def test_fixes_gives_nothing_for_a_root_commit_or_a_new_file(make_repo):
    repo, root, _, _ = build(make_repo)
    new = write_commit(repo, "new.c", ["x"], "KVM: x86: Add new.c")
    r = Repository.discover(repo)
    assert suggest_fixes(r, root) == []
    assert suggest_fixes(r, new) == []


def test_fixes_skips_the_shallow_cut(make_repo, tmp_path):
    repo, _, _, buggy = build(make_repo)
    fixed = list(buggy)
    fixed[0] = "changed 1"
    write_commit(repo, "x86.c", fixed, "KVM: x86: Touch line 1")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    (clone / "x86.c").write_text("".join(line + "\n" for line in fixed[1:]))
    git(clone, "add", "x86.c")
    assert suggest_fixes(Repository.discover(clone)) == []


def test_old_lines_reads_removed_lines_per_old_path():
    diff = (
        "diff --git a/a.c b/a.c\n--- a/a.c\n+++ b/a.c\n@@ -3,3 +3,3 @@\n"
        " keep\n-old\n+new\n keep\n"
        "diff --git a/b.png b/b.png\nBinary files a/b.png and b/b.png differ\n"
    )
    lines = old_lines(diff)
    assert lines["a.c"].removed == {4} and list(lines) == ["a.c"]


def test_candidate_trailer_quotes_twelve_characters():
    candidate = FixesCandidate("0123456789abcdef" * 2, "KVM: x86: Subject", 1.0, "")
    assert candidate.trailer == 'Fixes: 0123456789ab ("KVM: x86: Subject")'
