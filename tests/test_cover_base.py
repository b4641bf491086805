"""Base suggestion from the branch name (maintainer-kvm-x86.rst, Git Base)."""

from __future__ import annotations

from kvmwriter.compose.format_base import (
    base_warning,
    kvm_x86_remote,
    parse_remotes,
    read_remotes,
    suggest_base,
    topic_of_branch,
)
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
    assert parse_remotes(REMOTES_V) == {"origin": "git@github.com:ada/linux.git",
                                        "x": "https://github.com/kvm-x86/linux.git"}


def test_kvm_x86_remote_found_by_url_else_default():
    assert kvm_x86_remote(parse_remotes(REMOTES_V), PROFILE) == "x"
    assert kvm_x86_remote({"origin": "git@github.com:ada/linux.git"}, PROFILE) == "kvm-x86"


def test_topic_of_branch_reads_x86_topic_name():
    assert topic_of_branch("x86/pmu/foo", PROFILE) == "pmu"
    assert topic_of_branch("x86/mmu/tdp/zap", PROFILE) == "mmu"
    assert topic_of_branch("x86/pmu", PROFILE) is None
    assert topic_of_branch("pebs-fix", PROFILE) is None
    assert topic_of_branch(None, PROFILE) is None


def test_suggest_base_maps_branch_to_remote_topic_branch():
    suggestion = suggest_base("x86/pmu/foo", parse_remotes(REMOTES_V), PROFILE)
    assert suggestion.ref == "x/pmu" and suggestion.warning is None
    assert suggest_base("main", {}, PROFILE) is None


def test_suggest_base_warns_for_next():
    suggestion = suggest_base("x86/next/foo", {}, PROFILE)
    assert suggestion.ref == "kvm-x86/next"
    assert "force pushes" in suggestion.warning
    assert base_warning("kvm-x86/pmu", PROFILE) is None


def test_read_remotes_from_real_repository(make_repo, tmp_path):
    repo = make_repo()
    git(repo, "remote", "add", "kx", "https://github.com/kvm-x86/linux.git")
    assert read_remotes(repo) == {"kx": "https://github.com/kvm-x86/linux.git"}
    assert read_remotes(tmp_path / "missing") == {}
