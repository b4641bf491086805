"""Testing notes in git notes: they survive later trailers, format-patch and am.

Real git throughout; b4's trailer update needs a network, so the trailers
added later come from 'git commit --amend -s' and 'git interpret-trailers'.
"""

from __future__ import annotations

import subprocess

from kvmwriter.compose.checklist import CheckItem
from kvmwriter.compose.testing_notes import (
    NOTES_REF,
    PatchTesting,
    cover_testing_notes,
    read_testing_note,
    series_testing,
    store_testing_note,
)
from tests.conftest import git

SUMMARY = "Testing:\n- Ran KVM selftests\n- Tested on AMD"
ITEMS = [
    CheckItem("selftests", "KVM selftests pass", "Ran KVM selftests", True),
    CheckItem("amd", "Tested on AMD", "Tested on AMD"),
]


def series(make_repo):
    repo = make_repo()
    (repo / "a.c").write_text("int a;\n")
    git(repo, "add", "a.c")
    git(repo, "commit", "-q", "-m", "Initial import")
    git(repo, "tag", "base")
    for name in ("b", "c"):
        (repo / f"{name}.c").write_text(f"int {name};\n")
        git(repo, "add", f"{name}.c")
        git(repo, "commit", "-q", "-m", f"KVM: x86: Add {name}", "-m", f"Add {name}.")
    return repo


def test_note_follows_amend_with_a_later_signoff(make_repo):
    repo = series(make_repo)
    store_testing_note(repo, "HEAD", SUMMARY)
    git(repo, "commit", "-q", "--amend", "--no-edit", "-s")
    assert read_testing_note(repo, "HEAD") == SUMMARY
    message = git(repo, "log", "-1", "--format=%B")
    assert "Testing:" not in message and "Signed-off-by: Ada Tester" in message


def test_note_follows_rebase(make_repo):
    repo = series(make_repo)
    store_testing_note(repo, "HEAD~1", SUMMARY)
    git(repo, "rebase", "-q", "--exec", "true", "base")
    git(repo, "commit", "-q", "--allow-empty", "-m", "unrelated")
    git(repo, "rebase", "-q", "--force-rebase", "base")
    assert read_testing_note(repo, "HEAD~2") == SUMMARY


def test_trailers_added_later_survive_format_patch_and_am(make_repo, tmp_path):
    repo = series(make_repo)
    store_testing_note(repo, "HEAD", SUMMARY)
    git(repo, "commit", "-q", "--amend", "--no-edit", "-s")
    message = git(repo, "log", "-1", "--format=%B")
    reviewed = git(
        repo,
        "interpret-trailers",
        "--trailer",
        "Reviewed-by: Bo Reviewer <bo@example.org>",
        input=message,
    )
    git(repo, "commit", "-q", "--amend", "-F", "-", input=reviewed)
    out = tmp_path / "patches"
    git(repo, "format-patch", "-q", f"--notes={NOTES_REF}", "-o", str(out), "base")
    patch = max(out.iterdir()).read_text()
    head, _, below = patch.partition("\n---\n")
    assert "Reviewed-by: Bo Reviewer" in head and "Signed-off-by: Ada Tester" in head
    assert "Notes (kvmwriter-testing):" in below and "Ran KVM selftests" in below
    other = make_repo("other")
    (other / "a.c").write_text("int a;\n")
    git(other, "add", "a.c")
    git(other, "commit", "-q", "-m", "Initial import")
    for path in sorted(out.iterdir()):
        git(other, "am", "-q", str(path))
    applied = git(other, "log", "-1", "--format=%B")
    assert applied.rstrip("\n").endswith(
        "Signed-off-by: Ada Tester <ada@example.org>\nReviewed-by: Bo Reviewer <bo@example.org>"
    )
    assert "Testing:" not in applied


def test_empty_summary_removes_the_note(make_repo):
    repo = series(make_repo)
    store_testing_note(repo, "HEAD", SUMMARY)
    store_testing_note(repo, "HEAD", "")
    assert read_testing_note(repo, "HEAD") == ""


def test_series_testing_reads_each_commit_note(make_repo):
    repo = series(make_repo)
    store_testing_note(repo, "HEAD~1", SUMMARY)
    patches = series_testing(repo, "base..HEAD")
    assert [(p.number, p.subject, p.note) for p in patches] == [
        (1, "KVM: x86: Add b", SUMMARY),
        (2, "KVM: x86: Add c", ""),
    ]


def test_cover_ticks_items_every_noted_patch_reports():
    patches = [
        PatchTesting(1, "KVM: x86: Add b", SUMMARY),
        PatchTesting(
            2, "KVM: x86: Add c", "Testing:\n- Ran KVM selftests\n- Only compile-tested on 32-bit"
        ),
    ]
    done, text = cover_testing_notes(patches, ITEMS)
    assert done == {"selftests"}
    assert text == (
        "[1/2] KVM: x86: Add b:\n- Tested on AMD\n"
        "[2/2] KVM: x86: Add c:\n- Only compile-tested on 32-bit"
    )


def test_cover_command_collects_the_notes(cli, make_repo):
    repo = series(make_repo)
    for rev in ("HEAD", "HEAD~1"):
        store_testing_note(repo, rev, "Testing:\n- Ran KVM selftests\n- Ran on SPR")
    result = cli("cover", "base..HEAD", "--no-tui", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "- [x] Ran KVM selftests" in result.stdout, result.stdout
    assert "- Ran on SPR" in result.stdout


def test_rewrite_ref_is_added_once(make_repo):
    repo = series(make_repo)
    store_testing_note(repo, "HEAD", SUMMARY)
    store_testing_note(repo, "HEAD~1", SUMMARY)
    refs = subprocess.run(
        ["git", "config", "--get-all", "notes.rewriteRef"], cwd=repo, capture_output=True, text=True
    ).stdout.split()
    assert refs == [NOTES_REF]


def test_pending_summary_is_attached_to_the_commit_git_made(make_repo):
    from kvmwriter.compose.testing_notes import attach_pending, save_pending

    repo = series(make_repo)
    git_dir = repo / ".git"
    save_pending(git_dir, "KVM: x86: Add d", SUMMARY)
    assert attach_pending(repo, git_dir) == 0  # no such commit yet: kept
    (repo / "d.c").write_text("int d;\n")
    git(repo, "add", "d.c")
    git(repo, "commit", "-q", "-m", "KVM: x86: Add d", "-m", "Add d.")
    assert attach_pending(repo, git_dir) == 1
    assert read_testing_note(repo, "HEAD") == SUMMARY
    assert attach_pending(repo, git_dir) == 0  # attached once, then forgotten
