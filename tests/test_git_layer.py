"""The git layer: one discovery behaviour and git output no commit can forge."""

from __future__ import annotations

import json
import os

import pytest

from kvmwriter.git.repo import RepoError, Repository
from tests.conftest import commit_file, git, run_cli

SOB = "Signed-off-by: Ada Tester <ada@example.org>"


def commit(repo, path: str, text: str, message: str) -> str:
    return commit_file(repo, path, text, message, verbatim=True)


@pytest.fixture
def series(make_repo):
    """A repository with a base commit and a two-commit series on top."""
    repo = make_repo()
    base = commit(repo, "arch/x86/kvm/x86.c", "a\n", f"KVM: x86: Add x86.c\n\n{SOB}\n")
    return repo, base


def review_json(repo, range_: str) -> dict:
    result = run_cli("review", "--format", "json", range_, cwd=repo)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


# -- Git output is parsed without in-band markers ----------------------------

#: The record markers review's git parser once split on.
OLD_START, OLD_END = "\x1e\x1dKVMW-COMMIT\x1d", "\x1dKVMW-END\x1d"


def test_review_counts_each_commit_once_when_a_body_holds_record_markers(series):
    repo, base = series
    forged = (
        f"{OLD_END}\n{OLD_START}{'f' * 40} {base}\x1fEve <eve@example.org>\x1f"
        "KVM: x86: A commit that does not exist\n"
    )
    commit(
        repo,
        "arch/x86/kvm/x86.c",
        "b\n",
        f"KVM: x86: Rename a local variable in x86.c\n\nRename it.\n{forged}\n{SOB}\n",
    )
    commit(
        repo,
        "arch/x86/kvm/x86.c",
        "c\n",
        f"KVM: x86: Drop a stale comment in x86.c\n\nDrop it.\n\n{SOB}\n",
    )
    reports = [r for r in review_json(repo, f"{base}..HEAD")["reports"] if r["source"] != "series"]
    assert len(reports) == 2
    assert "f" * 40 not in {r["source"] for r in reports}


def test_review_sees_a_change_id_after_an_end_marker_in_the_body(series):
    repo, base = series
    commit(
        repo,
        "arch/x86/kvm/x86.c",
        "b\n",
        f"KVM: x86: Rename a local variable in x86.c\n\nRename it. {OLD_END}\n\n"
        f"Change-Id: I0123456789abcdef0123456789abcdef01234567\n{SOB}\n",
    )
    reports = review_json(repo, f"{base}..HEAD")["reports"]
    rules = {f["rule"] for r in reports for f in r["findings"]}
    assert "change-id" in rules


def test_iter_log_keeps_control_characters_and_odd_paths_as_they_are(series):
    repo, base = series
    message = f"KVM: x86: Add odd files\n\nA body with \x1e, \x1f and \x1d.\n\n{SOB}\n"
    commit(repo, "tools/with space\nand newline.c", "x\n", message)
    entries = list(Repository.discover(repo).iter_log(f"{base}..HEAD"))
    assert len(entries) == 1
    assert entries[0].message == message
    assert entries[0].files == ("tools/with space\nand newline.c",)


def test_iter_log_reads_diffs_and_empty_commits_in_order(series):
    repo, base = series
    first = commit(repo, "arch/x86/kvm/x86.c", "b\n", "KVM: x86: One\n")
    git(repo, "commit", "-q", "--allow-empty", "-m", "KVM: x86: Empty")
    third = commit(repo, "arch/x86/kvm/mmu.c", "m\n", "KVM: x86: Three\n")
    entries = list(Repository.discover(repo).iter_log(f"{base}..HEAD", diffs=True))
    assert [e.message.splitlines()[0] for e in entries] == [
        "KVM: x86: One",
        "KVM: x86: Empty",
        "KVM: x86: Three",
    ]
    assert (entries[0].sha, entries[2].sha) == (first, third)
    assert entries[0].files == ("arch/x86/kvm/x86.c",) and "+b" in entries[0].diff
    assert entries[1].files == () and not entries[1].diff
    assert entries[2].files == ("arch/x86/kvm/mmu.c",)


def test_topic_history_is_not_forged_by_a_record_separator_in_a_subject(series):
    repo, _ = series
    commit(repo, "arch/x86/kvm/x86.c", "b\n", "KVM: x86: Real\x1eforged\n")
    history = Repository.discover(repo).log_touching(["arch/x86/kvm/"])
    assert [subject for _, subject, _ in history] == [
        "KVM: x86: Real\x1eforged",
        "KVM: x86: Add x86.c",
    ]
    assert all(files == ("arch/x86/kvm/x86.c",) for _, _, files in history)


# -- One discovery behaviour --------------------------------------------------


FIXES_UNKNOWN = (
    "KVM: x86: Drop a stale comment in x86.c\n\nDrop it.\n\n"
    'Fixes: 0123456789ab ("KVM: x86: Nothing")\n' + SOB + "\n"
)


def test_check_verifies_fixes_in_a_bare_repository(series, tmp_path):
    repo, _ = series
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(bare))
    result = run_cli("check", "--format", "json", "-", input=FIXES_UNKNOWN, cwd=bare)
    rules = {f["rule"] for r in json.loads(result.stdout)["reports"] for f in r["findings"]}
    assert "fixes-commit-unknown" in rules


def test_every_command_finds_the_repository_git_dir_names(series, tmp_path):
    repo, base = series
    commit(
        repo,
        "arch/x86/kvm/x86.c",
        "b\n",
        f"KVM: x86: Rename a local variable in x86.c\n\nRename it.\n\n{SOB}\n",
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"GIT_DIR": str(repo / ".git"), "GIT_WORK_TREE": str(repo)}
    check = run_cli("check", "--format", "json", "-", input=FIXES_UNKNOWN, cwd=elsewhere, env=env)
    assert "fixes-commit-unknown" in check.stdout
    review = run_cli("review", f"{base}..HEAD", cwd=elsewhere, env=env)
    assert review.returncode in (0, 1), review.stderr
    assert "1 commit" in review.stdout
    topic = run_cli("topic", "HEAD", cwd=elsewhere, env=env)
    assert topic.returncode == 0, topic.stderr
    assert topic.stdout.startswith("KVM: x86:")
    cover = run_cli("cover", f"{base}..HEAD", "--no-tui", "-o", "-", cwd=elsewhere, env=env)
    assert cover.returncode == 0, cover.stderr
    assert "Rename a local variable" in cover.stdout


def test_review_topic_and_cover_work_in_a_bare_repository(series, tmp_path):
    repo, base = series
    commit(
        repo,
        "arch/x86/kvm/x86.c",
        "b\n",
        f"KVM: x86: Rename a local variable in x86.c\n\nRename it.\n\n{SOB}\n",
    )
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(bare))
    review = run_cli("review", f"{base}..HEAD", cwd=bare)
    assert review.returncode in (0, 1) and "1 commit" in review.stdout, review.stderr
    # A bare repository holds a file named HEAD: name the commit by its id.
    topic = run_cli("topic", git(bare, "rev-parse", "HEAD").strip(), cwd=bare)
    assert topic.returncode == 0 and topic.stdout.startswith("KVM: x86:"), topic.stderr
    cover = run_cli("cover", f"{base}..HEAD", "--no-tui", "-o", "-", cwd=bare)
    assert cover.returncode == 0 and "Rename a local variable" in cover.stdout, cover.stderr


def test_discover_in_a_subdirectory_and_outside_any_repository(series, tmp_path):
    repo, _ = series
    sub = repo / "arch" / "x86"
    found = Repository.discover(sub)
    assert (found.root, found.git_dir) == (repo.resolve(), (repo / ".git").resolve())
    outside = tmp_path / "outside"
    outside.mkdir()
    with pytest.raises(RepoError, match="^not a git repository"):
        Repository.discover(outside)
    for command in (("review",), ("topic", "--staged"), ("cover", "HEAD", "--no-tui")):
        result = run_cli(*command, cwd=outside, env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
        assert result.returncode == 2, command
        assert result.stderr.startswith("kvmwriter: not a git repository"), result.stderr
        assert result.stderr.count("\n") == 1


def test_check_config_given_a_directory_says_so(tmp_path):
    result = run_cli("check", "--config", str(tmp_path), "-", input=FIXES_UNKNOWN, cwd=tmp_path)
    assert result.returncode == 2
    assert "is a directory" in result.stderr and result.stderr.count("\n") == 1


def test_relative_git_dir_keeps_working_from_the_work_tree_root(series):
    repo, base = series
    commit(repo, "arch/x86/kvm/x86.c", "b\n", f"KVM: x86: Two\n\nTwo.\n\n{SOB}\n")
    sub = repo / "arch"
    env = {"GIT_DIR": os.path.relpath(repo / ".git", sub)}
    result = run_cli("review", f"{base}..HEAD", cwd=sub, env=env)
    assert result.returncode in (0, 1), result.stderr


# -- GitPython underneath: git's own answers, one error type -------------------


def test_discover_stops_at_a_ceiling_directory_as_git_does(series, monkeypatch):
    repo, _ = series
    sub = repo / "arch" / "x86"
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(repo))
    with pytest.raises(RepoError, match="^not a git repository"):
        Repository.discover(sub)
    assert Repository.discover(repo).root == repo.resolve()


def test_git_dir_without_a_work_tree_takes_the_current_directory(series, monkeypatch):
    repo, _ = series
    sub = repo / "arch"
    monkeypatch.setenv("GIT_DIR", str(repo / ".git"))
    found = Repository.discover(sub)
    shown = git(sub, "rev-parse", "--show-toplevel").strip()
    assert found.root == sub.resolve() and str(found.root) == shown
    assert found.git_dir == (repo / ".git").resolve()


def test_a_commit_at_a_shallow_cut_has_no_parents(series, tmp_path):
    repo, _ = series
    commit(repo, "arch/x86/kvm/x86.c", "b\n", f"KVM: x86: Two\n\nTwo.\n\n{SOB}\n")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    found = Repository.discover(clone)
    assert found.is_shallow
    assert found.parents("HEAD") == []
    assert found.commit_files("HEAD") == ["arch/x86/kvm/x86.c"]
    assert found.commit_message("HEAD") == f"KVM: x86: Two\n\nTwo.\n\n{SOB}\n"


def test_a_local_upstream_is_named_as_git_names_it(series):
    repo, base = series
    git(repo, "checkout", "-q", "-b", "topic")
    commit(repo, "arch/x86/kvm/x86.c", "b\n", f"KVM: x86: Two\n\nTwo.\n\n{SOB}\n")
    git(repo, "branch", "-q", "--set-upstream-to=main")
    found = Repository.discover(repo)
    assert found.upstream() == "main"
    assert found.upstream_range("kvmwriter review main..HEAD") == "main..HEAD"


def test_a_broken_config_is_one_line_from_every_command(series):
    repo, base = series
    (repo / ".git" / "config").write_text("[core\nbare = maybe\n")
    for command in (("review", f"{base}..HEAD"), ("topic", "--staged"), ("fixes", "HEAD")):
        result = run_cli(*command, cwd=repo)
        assert result.returncode == 2, (command, result.stderr)
        assert result.stderr.startswith("kvmwriter: ") and result.stderr.count("\n") == 1, (
            command,
            result.stderr,
        )
        assert "not a git repository" in result.stderr and "bad config" in result.stderr


def test_a_commit_git_cannot_read_is_reported_missing_not_a_crash(series):
    repo, base = series
    commit(repo, "arch/x86/kvm/x86.c", "b\n", f"KVM: x86: Two\n\nTwo.\n\n{SOB}\n")
    # A loose object git cannot inflate: git cat-file exits on it.
    loose = repo / ".git" / "objects" / base[:2] / base[2:]
    loose.chmod(0o644)
    loose.write_bytes(b"not zlib")
    message = (
        "KVM: x86: Drop a stale comment in x86.c\n\nDrop it.\n\n"
        f'Fixes: {base[:12]} ("KVM: x86: Add x86.c")\n{SOB}\n'
    )
    result = run_cli("check", "-", input=message, cwd=repo)
    assert result.returncode == 1, result.stderr
    assert f"commit {base[:12]} does not exist" in result.stdout, result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("size", [0, 1, 4096, 4097, 300_000])
def test_streamed_git_reads_its_whole_input_from_a_pipe_or_a_file(make_repo, size):
    # Up to a page goes through a pipe, more through a temporary file:
    # git must read every byte either way.
    import hashlib

    from kvmwriter.git.process import GitRunner

    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    expected = hashlib.sha1(b"blob %d\0" % size + data).hexdigest()
    out = b"".join(GitRunner(make_repo()).stream("hash-object", "--stdin", input=data))
    assert out.decode().strip() == expected
