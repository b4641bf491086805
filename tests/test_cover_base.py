"""Base suggestion (maintainer-kvm-x86.rst, Base Tree/Branch)."""

from __future__ import annotations

from kvmwriter.compose.format_base import (
    base_warning,
    is_multi_arch,
    kvm_x86_remote,
    parse_remotes,
    read_remotes,
    suggest_base,
)
from kvmwriter.git.repo import Repository
from kvmwriter.lint.profile import load_profile
from tests.conftest import git

PROFILE = load_profile()

REMOTES_V = """\
origin\tgit@github.com:ada/linux.git (fetch)
origin\tgit@github.com:ada/linux.git (push)
x\thttps://github.com/kvm-x86/linux.git (fetch)
x\thttps://github.com/kvm-x86/linux.git (push)
"""


def test_parse_remotes_reads_fetch_urls():
    assert parse_remotes(REMOTES_V) == {
        "origin": "git@github.com:ada/linux.git",
        "x": "https://github.com/kvm-x86/linux.git",
    }


def test_kvm_x86_remote_found_by_url_else_default():
    assert kvm_x86_remote(parse_remotes(REMOTES_V), PROFILE) == "x"
    assert kvm_x86_remote({"origin": "git@github.com:ada/linux.git"}, PROFILE) == "kvm-x86"


def test_suggest_base_is_kvm_x86_next_whatever_the_branch_name():
    # "there is no need to select a specific topic branch as the base"
    for branch in ("x86/pmu/foo", "main", None):
        suggestion = suggest_base(parse_remotes(REMOTES_V), PROFILE)
        assert suggestion.ref == "x/next", branch
        assert "no topic branch" in suggestion.reason
    assert suggest_base({}, PROFILE).ref == "kvm-x86/next"


def test_suggest_base_for_multi_arch_is_the_tag_next_is_based_on(make_repo):
    repo = make_repo()
    (repo / "f.c").write_text("int a;\n")
    git(repo, "add", "f.c")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "tag", "v6.18-rc3")
    (repo / "f.c").write_text("int b;\n")
    git(repo, "commit", "-q", "-am", "next work")
    git(repo, "update-ref", "refs/remotes/kvm-x86/next", "HEAD")
    files = ["virt/kvm/kvm_main.c", "arch/x86/kvm/x86.c"]
    assert is_multi_arch(files, PROFILE)
    suggestion = suggest_base(
        {}, PROFILE, multi_arch=is_multi_arch(files, PROFILE), repo=Repository.discover(repo)
    )
    assert suggestion.ref == "v6.18-rc3"
    assert "stable point" in suggestion.reason
    assert suggest_base({}, PROFILE, multi_arch=True, repo=None).ref is None


def test_is_multi_arch_reads_common_and_other_architectures_code():
    assert is_multi_arch(["arch/arm64/kvm/arm.c"], PROFILE)
    assert is_multi_arch(["include/linux/kvm_host.h"], PROFILE)
    assert not is_multi_arch(["arch/x86/kvm/x86.c", "tools/testing/selftests/kvm/x86/a.c"], PROFILE)


def test_base_warning_only_for_multi_arch_on_next():
    assert base_warning("kvm-x86/next", PROFILE) is None
    assert base_warning("kvm-x86/pmu", PROFILE) is None
    assert base_warning("kvm-x86/pmu", PROFILE, multi_arch=True) is None
    assert "stable point" in base_warning("kvm-x86/next", PROFILE, multi_arch=True)


def test_read_remotes_from_real_repository(make_repo, tmp_path):
    repo = make_repo()
    git(repo, "remote", "add", "kx", "https://github.com/kvm-x86/linux.git")
    assert read_remotes(repo) == {"kx": "https://github.com/kvm-x86/linux.git"}
    assert read_remotes(tmp_path / "missing") == {}
