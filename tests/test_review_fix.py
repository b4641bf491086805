"""kvmwriter review --fix on real repositories: exactly the commits with safe fixes
are reworded, the others keep their content, and failures leave the branch alone."""

from __future__ import annotations

import os
import stat

from tests.conftest import SIGNOFF, git

#: Commit index -> a subject whose safe fixes change it (others are clean).
BROKEN = {
    5: (
        "kvm: vmx: Drop a stale comment in vmx_vcpu_run().",
        "KVM: VMX: Drop a stale comment in vmx_vcpu_run()",
    ),
    9: (
        "KVM: x86: zap the roots in kvm_mmu_zap_all()",
        "KVM: x86: Zap the roots in kvm_mmu_zap_all()",
    ),
    16: ("KVM: x86:drop a check in kvm_set_cr4()", "KVM: x86: Drop a check in kvm_set_cr4()"),
}


def build_series(repo, count: int = 20) -> list[str]:
    """A base commit and ``count`` commits on branch 'topic'; return their shas."""
    (repo / "base.c").write_text("base\n")
    git(repo, "add", "base.c")
    git(repo, "commit", "-q", "-m", "KVM: x86: Add the base\n\nAdd the base.\n\n" + SIGNOFF)
    git(repo, "checkout", "-q", "-b", "topic")
    shas = []
    for index in range(count):
        name = f"f{index}.c"
        (repo / name).write_text(f"{index}\n")
        git(repo, "add", name)
        subject = BROKEN.get(index, (f"KVM: x86: Add file {index} for the series",))[0]
        message = f"{subject}\n\nAdd file {index} so that the series has a body.\n\n{SIGNOFF}\n"
        git(repo, "commit", "-q", "-F", "-", input=message)
        shas.append(git(repo, "rev-parse", "HEAD").strip())
    return shas


def subjects(repo) -> list[str]:
    return git(repo, "log", "--reverse", "--format=%s", "main..topic").splitlines()


def test_review_fix_rewords_exactly_the_commits_with_safe_fixes(cli, make_repo):
    repo = make_repo()
    shas = build_series(repo)
    trees = git(repo, "log", "--reverse", "--format=%T", "main..topic").splitlines()
    result = cli("review", "--fix", "main..topic", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    after = git(repo, "rev-list", "--reverse", "main..topic").split()
    assert len(after) == 20
    first = min(BROKEN)
    assert after[:first] == shas[:first]  # Untouched history keeps its ids.
    assert after[first] != shas[first]
    expected = [
        BROKEN[i][1] if i in BROKEN else f"KVM: x86: Add file {i} for the series" for i in range(20)
    ]
    assert subjects(repo) == expected
    # Only messages changed: every tree is as before, and so is every other message.
    assert git(repo, "log", "--reverse", "--format=%T", "main..topic").splitlines() == trees
    for index in range(20):
        if index not in BROKEN:
            body = git(repo, "log", "-1", "--format=%B", after[index])
            assert body == git(repo, "log", "-1", "--format=%B", shas[index])
    # What changed, per commit, with the rules that changed it.
    for index, (old, new) in BROKEN.items():
        assert f"{shas[index][:12]} -> {after[index][:12]} {old}" in result.stdout
        assert f"    -{old}\n    +{new}\n" in result.stdout
    assert "subject-topic-case" in result.stdout and "subject-prefix" in result.stdout
    assert "reworded 3 of 20 commits" in result.stdout


def test_review_fix_twice_changes_nothing_the_second_time(cli, make_repo):
    repo = make_repo()
    build_series(repo, 8)
    assert cli("review", "--fix", "main..topic", cwd=repo).returncode == 0
    head = git(repo, "rev-parse", "HEAD").strip()
    again = cli("review", "--fix", "main..topic", cwd=repo)
    assert again.returncode == 0 and "no safe fixes in 8 commits" in again.stdout
    assert git(repo, "rev-parse", "HEAD").strip() == head


def test_review_fix_of_head_alone_amends_it(cli, make_repo):
    repo = make_repo()
    build_series(repo, 6)  # Commit 5, the HEAD, is the only broken one.
    parent = git(repo, "rev-parse", "HEAD~1").strip()
    assert cli("review", "--fix", "main..topic", cwd=repo).returncode == 0
    assert git(repo, "rev-parse", "HEAD~1").strip() == parent
    assert subjects(repo)[-1] == BROKEN[5][1]


def test_review_fix_refuses_a_dirty_work_tree(cli, make_repo):
    repo = make_repo()
    build_series(repo, 8)
    head = git(repo, "rev-parse", "HEAD").strip()
    (repo / "f1.c").write_text("changed\n")
    result = cli("review", "--fix", "main..topic", cwd=repo)
    assert result.returncode == 2 and "uncommitted changes" in result.stderr
    assert "Traceback" not in result.stderr
    assert git(repo, "rev-parse", "HEAD").strip() == head
    assert (repo / "f1.c").read_text() == "changed\n"


def test_review_fix_rolls_back_every_reword_when_a_hook_refuses(cli, make_repo):
    repo = make_repo()
    shas = build_series(repo)
    hook = repo / ".git" / "hooks" / "commit-msg"
    hook.parent.mkdir(exist_ok=True)
    # Refuse only the last reworded commit, after two others went through.
    hook.write_text(
        "#!/bin/sh\nif grep -q 'kvm_set_cr4' \"$1\"; then\n"
        "    echo 'hook: no cr4 today' >&2\n    exit 1\nfi\n"
    )
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    result = cli("review", "--fix", "main..topic", cwd=repo)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "rolled back" in result.stderr and "Traceback" not in result.stderr
    assert git(repo, "rev-list", "--reverse", "main..topic").split() == shas
    assert git(repo, "symbolic-ref", "HEAD").strip() == "refs/heads/topic"
    assert git(repo, "status", "--porcelain").strip() == ""
    assert not os.path.exists(repo / ".git" / "rebase-merge")


def test_review_fix_refuses_patch_files(cli, tmp_path):
    patch = tmp_path / "0001-x.patch"
    patch.write_text("Subject: [PATCH] kvm: x86: fix\n\nbody\n")
    result = cli("review", "--fix", str(patch), cwd=tmp_path)
    assert result.returncode == 2 and "check --fix" in result.stderr
