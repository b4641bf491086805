"""kvmwriter.git.repo against real repositories built in temp dirs."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict

import pytest

from kvmwriter.git.repo import RepoError, Repository, diff_files
from tests.conftest import commit_file as shared_commit_file
from tests.conftest import git


def commit_file(repo, path, text, subject, body=""):
    return shared_commit_file(repo, path, text, subject + ("\n\n" + body if body else ""))


@pytest.fixture
def history(make_repo):
    repo = make_repo()
    first = commit_file(repo, "arch/x86/kvm/vmx/nested.c", "a\nb\nc\n", "KVM: nVMX: Add nested")
    second = commit_file(repo, "arch/x86/kvm/svm/svm.c", "x\n", "KVM: SVM: Add svm", "Body line.")
    third = commit_file(repo, "arch/x86/kvm/vmx/nested.c", "a\nB\nc\n", "KVM: nVMX: Fix the b line")
    return repo, (first, second, third)


def test_discover_rejects_a_directory_outside_any_repository(tmp_path):
    with pytest.raises(RepoError, match="not a git repository"):
        Repository.discover(tmp_path)


def test_discover_rejects_a_missing_path(tmp_path):
    with pytest.raises(RepoError, match="not a git repository"):
        Repository.discover(tmp_path / "nope")


def test_discover_finds_the_root_from_a_subdirectory(history):
    repo, _ = history
    found = Repository.discover(repo / "arch" / "x86")
    assert found.root == repo.resolve()
    assert found.git_dir == (repo / ".git").resolve()
    assert not found.is_shallow


def test_branch_is_none_on_a_detached_head(history):
    repo, (first, _, _) = history
    r = Repository.discover(repo)
    assert r.branch() == "main"
    git(repo, "checkout", "-q", "--detach", first)
    assert r.branch() is None


def test_upstream_names_the_tracking_branch(history, tmp_path):
    repo, _ = history
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    assert Repository.discover(clone).upstream() == "origin/main"
    assert Repository.discover(repo).upstream() is None


def test_staged_files_and_diff_work_on_an_unborn_branch(make_repo):
    repo = make_repo()
    (repo / "a.c").write_text("int a;\n")
    git(repo, "add", "a.c")
    r = Repository.discover(repo)
    assert r.staged_files() == ["a.c"]
    assert "+int a;" in r.staged_diff()
    assert r.log_subjects(["a.c"]) == []


def test_staged_diff_compares_the_index_with_head(history):
    repo, _ = history
    (repo / "arch/x86/kvm/vmx/nested.c").write_text("a\nB\nC\n")
    git(repo, "add", "-A")
    r = Repository.discover(repo)
    assert r.staged_files() == ["arch/x86/kvm/vmx/nested.c"]
    assert "-c\n+C" in r.staged_diff()


def test_commit_queries_return_files_diff_message_and_author(history):
    repo, (first, second, _) = history
    r = Repository.discover(repo)
    assert r.commit_files(first) == ["arch/x86/kvm/vmx/nested.c"]  # A root commit.
    assert r.commit_message(second) == "KVM: SVM: Add svm\n\nBody line.\n"
    assert r.commit_author(second) == "Ada Tester <ada@example.org>"
    assert "+x" in r.commit_diff(second)
    assert r.user_signoff() == "Signed-off-by: Ada Tester <ada@example.org>"


def test_commit_queries_reject_an_unknown_revision(history):
    r = Repository.discover(history[0])
    with pytest.raises(RepoError, match="unknown revision: nosuch"):
        r.commit_files("nosuch")


def test_log_subjects_only_sees_history_before_the_given_commit(history):
    repo, (first, _, third) = history
    r = Repository.discover(repo)
    path = ["arch/x86/kvm/vmx/nested.c"]
    assert [s for _, s in r.log_subjects(path)] == [
        "KVM: nVMX: Fix the b line",
        "KVM: nVMX: Add nested",
    ]
    assert r.log_subjects(path, before=third) == [(first, "KVM: nVMX: Add nested")]
    assert r.log_subjects(path, before=first) == []
    assert len(r.log_subjects(path, limit=1)) == 1


def test_resolve_commit_gives_sha_and_subject_or_none(history):
    repo, (_, second, _) = history
    r = Repository.discover(repo)
    resolved = r.resolve_commit(second[:12])
    assert resolved.sha == second and resolved.subject == "KVM: SVM: Add svm"
    assert r.resolve_commit("0123456789ab") is None
    assert r.resolve_commit("--all") is None


def test_resolve_commit_raises_for_an_ambiguous_short_id(make_repo):
    repo = make_repo()
    # Enough commits that two share a 4-digit prefix (git's shortest id).
    stream = []
    for index in range(1200):
        stream.append(
            f"commit refs/heads/main\ncommitter A <a@x> {1600000000 + index} +0000\n"
            f"data {len(str(index))}\n{index}\n"
        )
    subprocess.run(
        ["git", "fast-import", "--quiet"], cwd=repo, check=True, input="".join(stream).encode()
    )
    shas = git(repo, "rev-list", "main").split()
    prefixes = defaultdict(list)
    for sha in shas:
        prefixes[sha[:4]].append(sha)
    shared = next(prefix for prefix, group in prefixes.items() if len(group) > 1)
    r = Repository.discover(repo)
    with pytest.raises(RepoError, match="ambiguous"):
        r.resolve_commit(shared)


def test_search_subjects_matches_any_case_newest_first(history):
    r = Repository.discover(history[0])
    assert [s for _, s in r.search_subjects("nvmx")] == [
        "KVM: nVMX: Fix the b line",
        "KVM: nVMX: Add nested",
    ]
    assert r.search_subjects("nvmx", limit=1)[0][1] == "KVM: nVMX: Fix the b line"


def test_rev_list_is_oldest_first_and_rejects_a_bad_range(history):
    repo, (first, second, third) = history
    r = Repository.discover(repo)
    assert r.rev_list(f"{first}..HEAD") == [second, third]
    assert r.rev_list("HEAD..HEAD") == []
    with pytest.raises(RepoError, match="bad range"):
        r.rev_list("nosuch..HEAD")


def test_iter_log_streams_messages_files_and_diffs(history):
    repo, (first, second, third) = history
    r = Repository.discover(repo)
    entries = list(r.iter_log("HEAD"))
    assert [e.sha for e in entries] == [first, second, third]
    assert entries[1].message == "KVM: SVM: Add svm\n\nBody line.\n"
    assert entries[1].files == ("arch/x86/kvm/svm/svm.c",)
    assert entries[0].parents == ()
    with_diff = list(r.iter_log(f"{second}..HEAD", diffs=True))
    assert len(with_diff) == 1 and "-b\n+B" in with_diff[0].diff


def test_iter_log_diffs_a_merge_against_its_first_parent(history):
    repo, _ = history
    git(repo, "checkout", "-q", "-b", "side", "HEAD~1")
    commit_file(repo, "virt/kvm/kvm_main.c", "k\n", "KVM: Add main")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "Merge branch 'side'", "side")
    r = Repository.discover(repo)
    merge = list(r.iter_log("HEAD~1..HEAD"))
    assert merge[-1].is_merge and merge[-1].files == ("virt/kvm/kvm_main.c",)


def test_list_range_counts_the_first_ids_then_lists_them_all_in_order(history):
    repo, (first, second, third) = history
    listing = Repository.discover(repo).list_range("HEAD")
    try:
        assert listing.peek(2) == 2
        assert listing.peek(10) == 3  # The whole range: fewer than asked.
        assert list(listing) == [first, second, third]
    finally:
        listing.close()


def test_list_range_reports_a_bad_range_in_one_line_when_read(history):
    r = Repository.discover(history[0])
    listing = r.list_range("nosuch..HEAD")
    with pytest.raises(RepoError, match=r"^bad range: nosuch\.\.HEAD \(.*nosuch") as error:
        listing.peek(1)
    assert "\n" not in str(error.value)
    with pytest.raises(RepoError, match="bad range: '--all'"):
        r.list_range("--all")


def test_list_range_says_it_is_waiting_only_until_git_prints(history):
    import time

    from kvmwriter.git.process import GitRunner
    from kvmwriter.git.repo import RangeIds

    repo, (first, second, third) = history
    # A real git that walks slowly: an alias that sleeps, then lists.
    git(repo, "config", "alias.slow-ids", "!sleep 0.5; git rev-list --reverse HEAD")
    listing = RangeIds("HEAD", GitRunner(repo).start("slow-ids"))
    try:
        assert listing.waiting()
        deadline = time.monotonic() + 30
        while listing.waiting():
            assert time.monotonic() < deadline, "git printed nothing in 30 s"
            time.sleep(0.01)
        assert listing.peek(1) == 1 and not listing.waiting()
        assert list(listing) == [first, second, third]
        assert not listing.waiting()  # Read to its end.
    finally:
        listing.close()


def test_list_range_stops_git_when_closed_unread(history):
    listing = Repository.discover(history[0]).list_range("HEAD")
    process = listing._stream._process
    assert listing.fds()
    listing.close()
    assert process.returncode is not None and not listing.fds()
    listing.close()  # Twice is harmless.


def test_log_of_reads_the_given_ids_in_the_given_order(history):
    repo, (first, second, third) = history
    entries = list(Repository.discover(repo).log_of([third, first, second], batch=2))
    assert [e.sha for e in entries] == [third, first, second]
    assert entries[1].files == ("arch/x86/kvm/vmx/nested.c",)


def test_resolve_commit_starts_git_afresh_after_an_object_it_cannot_read(history):
    repo, (first, second, third) = history
    r = Repository.discover(repo)
    try:
        assert r.resolve_commit(first[:12]).sha == first
        # A loose object git cannot inflate: git cat-file exits on it.
        loose = repo / ".git" / "objects" / second[:2] / second[2:]
        loose.chmod(0o644)
        loose.write_bytes(b"not zlib")
        assert r.resolve_commit(second[:12]) is None
        assert r.resolve_commit(third[:12]).subject == "KVM: nVMX: Fix the b line"
        assert r.resolve_commit("0" * 12) is None
    finally:
        r.close()


def test_a_repository_left_open_at_exit_reaps_git_quietly(history):
    repo, (first, _, _) = history
    code = (
        "import sys\n"
        "import kvmwriter.git.process as holder\n"
        "from kvmwriter.git.repo import Repository\n"
        # A module's global: freed late in the shutdown, as a worker's is.
        "holder.kept = Repository.discover(sys.argv[1])\n"
        "print(holder.kept.resolve_commit(sys.argv[2]).sha)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(repo), first[:12]], capture_output=True, text=True
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, first + "\n", "")


def test_is_shallow_in_a_shallow_clone(history, tmp_path):
    repo, _ = history
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    r = Repository.discover(clone)
    assert r.is_shallow and len(r.shallow_roots()) == 1


def test_blame_lines_names_the_commit_of_each_line(history):
    repo, (first, _, third) = history
    r = Repository.discover(repo)
    assert r.blame_lines("arch/x86/kvm/vmx/nested.c", "HEAD", [(1, 2)]) == [(first, 1), (third, 2)]


def test_commit_runs_hooks_and_reports_their_rejection(history):
    repo, _ = history
    r = Repository.discover(repo)
    (repo / "x.c").write_text("x\n")
    git(repo, "add", "x.c")
    sha = r.commit("KVM: x86: Add x\n")
    assert sha == git(repo, "rev-parse", "HEAD").strip()
    amended = r.commit("KVM: x86: Add the x file\n", amend=True)
    assert r.commit_message(amended) == "KVM: x86: Add the x file\n"
    hook = repo / ".git" / "hooks" / "commit-msg"
    hook.write_text("#!/bin/sh\necho 'rejected by policy' >&2\nexit 1\n")
    hook.chmod(0o755)
    (repo / "y.c").write_text("y\n")
    git(repo, "add", "y.c")
    with pytest.raises(RepoError, match="rejected by policy"):
        r.commit("KVM: x86: Add y\n")


def test_hooks_dir_honours_core_hooks_path(history):
    repo, _ = history
    r = Repository.discover(repo)
    assert r.hooks_dir() == (repo / ".git" / "hooks").resolve()
    git(repo, "config", "core.hooksPath", "myhooks")
    assert r.hooks_dir() == repo.resolve() / "myhooks"


def test_diff_files_reads_paths_with_spaces():
    diff = "diff --git a/x y.c b/x y.c\n--- a/x y.c\n+++ b/x y.c\ndiff --git a/z.c b/z.c\n"
    assert diff_files(diff) == ["x y.c", "z.c"]


def test_log_touching_lists_every_file_only_when_asked(make_repo):
    repo = make_repo()
    for name in ("a.c", "b.c"):
        (repo / name).write_text(name)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Touch a and b")
    r = Repository.discover(repo)
    assert [files for _, _, files in r.log_touching(["a.c"])] == [("a.c",)]
    assert [set(files) for _, _, files in r.log_touching(["a.c"], all_files=True)] == [
        {"a.c", "b.c"}
    ]
