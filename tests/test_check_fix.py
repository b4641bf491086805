"""kvmwriter check --fix / --diff as a user runs them: files rewritten, diffs, exit codes."""

from __future__ import annotations

import os

from tests.conftest import SIGNOFF, git, run_cli

BAD = "kvm: svm: fixed efer handling.\n\nHandle EFER writes.\n\n" + SIGNOFF + "\n"
SAFE_FIXED = "KVM: SVM: Fixed efer handling\n\nHandle EFER writes.\n\n" + SIGNOFF + "\n"
PATCH_HEAD = (
    "From 1234567890abcdef1234567890abcdef12345678 Mon Sep 17 00:00:00 2001\n"
    "From: Ada Tester <ada@example.org>\n"
    "Date: Mon, 1 Jan 2024 00:00:00 +0000\n"
    "Subject: [PATCH v2 1/2] kvm: x86: fix the thing.\n\n"
)
PATCH_BODY = "Fix the thing.\n\n" + SIGNOFF + "\n"
PATCH_TAIL = (
    "---\n arch/x86/kvm/x86.c | 2 +-\n 1 file changed\n\n"
    "diff --git a/arch/x86/kvm/x86.c b/arch/x86/kvm/x86.c\n"
    "--- a/arch/x86/kvm/x86.c\n+++ b/arch/x86/kvm/x86.c\n"
    "@@ -1 +1 @@\n-kvm: x86: fix the thing.\n+Cc: stable@kernel.org \n--\n2.43.0\n"
)


def test_check_fix_rewrites_the_file_with_the_safe_fixes(tmp_path):
    path = tmp_path / "msg"
    path.write_text(BAD)
    result = run_cli("check", "--fix", str(path))
    assert path.read_text() == SAFE_FIXED
    # The mood finding has only an unsafe fix: it remains, and it is an error.
    assert result.returncode == 1
    assert "[subject-mood]" in result.stdout and "[subject-topic-case]" not in result.stdout
    assert "applied" in result.stderr and "subject-topic-case" in result.stderr


def test_check_fix_exits_zero_when_nothing_remains(tmp_path):
    path = tmp_path / "msg"
    path.write_text(
        "kvm: x86: Drop a stale comment in kvm_set_cr0().\n\n"
        "Drop a stale comment; the cache it describes is long gone.\n\n" + SIGNOFF + "\n"
    )
    result = run_cli("check", "--fix", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert path.read_text().startswith("KVM: x86: Drop a stale comment in kvm_set_cr0()\n")


def test_check_fix_with_unsafe_fixes_fixes_the_mood_too(tmp_path):
    path = tmp_path / "msg"
    path.write_text(BAD)
    result = run_cli("check", "--fix", "--unsafe-fixes", str(path))
    assert path.read_text().splitlines()[0] == "KVM: SVM: Fix efer handling"
    assert "[subject-mood]" not in result.stdout


def test_check_fix_is_idempotent_and_leaves_a_fixed_file_untouched(tmp_path):
    path = tmp_path / "msg"
    path.write_text(BAD)
    run_cli("check", "--fix", str(path))
    first = path.read_bytes()
    before = path.stat().st_mtime_ns
    run_cli("check", "--fix", str(path))
    assert path.read_bytes() == first
    assert path.stat().st_mtime_ns == before


def test_check_fix_keeps_a_patch_files_headers_and_diff_byte_identical(tmp_path):
    path = tmp_path / "0001-x.patch"
    path.write_bytes((PATCH_HEAD + PATCH_BODY + PATCH_TAIL).encode())
    run_cli("check", "--fix", str(path))
    assert (
        path.read_bytes()
        == (
            PATCH_HEAD.replace("kvm: x86: fix the thing.", "KVM: x86: Fix the thing")
            + PATCH_BODY
            + PATCH_TAIL
        ).encode()
    )


def test_check_fix_keeps_crlf_line_endings_and_file_mode(tmp_path):
    path = tmp_path / "msg"
    path.write_bytes(BAD.replace("\n", "\r\n").encode())
    os.chmod(path, 0o640)
    run_cli("check", "--fix", str(path))
    assert path.read_bytes() == SAFE_FIXED.replace("\n", "\r\n").encode()
    assert (path.stat().st_mode & 0o777) == 0o640


def test_check_fix_leaves_git_comment_lines_and_the_scissors_diff_alone(tmp_path):
    comments = (
        "# Please enter the commit message for your changes.\n"
        "# kvm: x86: fix foo.\n"
        "# ------------------------ >8 ------------------------\n"
        "# Do not modify or remove the line above.\n"
        "diff --git a/x b/x\n-kvm: vmx: fix.\n+Cc: stable@kernel.org\n"
    )
    path = tmp_path / "COMMIT_EDITMSG"
    path.write_text(BAD + comments)
    run_cli("check", "--fix", str(path))
    assert path.read_text() == SAFE_FIXED + comments


def test_check_diff_prints_the_changes_and_writes_nothing(tmp_path):
    path = tmp_path / "msg"
    path.write_text(BAD)
    result = run_cli("check", "--diff", str(path))
    assert path.read_text() == BAD
    assert result.stdout.startswith(f"--- {path}\n+++ {path} (fixed)\n@@ ")
    assert "-kvm: svm: fixed efer handling.\n+KVM: SVM: Fixed efer handling\n" in result.stdout
    # What remains after the fixes decides the exit status: the mood error.
    assert result.returncode == 1


def test_check_diff_of_a_clean_file_is_empty_and_exits_zero(tmp_path):
    path = tmp_path / "msg"
    path.write_text(SAFE_FIXED.replace("Fixed", "Fix"))
    result = run_cli("check", "--diff", str(path))
    assert result.returncode == 0 and result.stdout == ""


def test_check_fix_on_stdin_prints_the_fixed_message():
    result = run_cli("check", "--fix", "-", input=BAD)
    assert result.stdout == SAFE_FIXED
    assert "[subject-mood]" in result.stderr and result.returncode == 1


def test_check_fix_of_a_missing_file_is_one_line_and_touches_the_others(tmp_path):
    path = tmp_path / "msg"
    path.write_text(BAD)
    result = run_cli("check", "--fix", str(path), str(tmp_path / "missing"))
    assert result.returncode == 2 and "no such file" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_fix_on_a_read_only_directory_is_one_line(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "msg"
    path.write_text(BAD)
    os.chmod(folder, 0o555)
    try:
        if os.access(folder, os.W_OK):
            return  # Running as root: permissions are not enforced.
        result = run_cli("check", "--fix", str(path))
        assert result.returncode == 2 and "cannot write" in result.stderr
        assert "Traceback" not in result.stderr and path.read_text() == BAD
    finally:
        os.chmod(folder, 0o755)


def test_check_diff_and_fix_need_no_repository_but_rebuild_fixes_in_one(make_repo):
    repo = make_repo()
    (repo / "a.c").write_text("a\n")
    git(repo, "add", "a.c")
    git(repo, "commit", "-q", "-m", "KVM: x86: Add the a file")
    sha = git(repo, "rev-parse", "HEAD").strip()
    path = repo / "msg"
    path.write_text(f'KVM: x86: Fix a\n\nFix a.\n\nFixes: {sha[:8]} ("wrong")\n{SIGNOFF}\n')
    run_cli("check", "--fix", str(path), cwd=repo)
    assert f'Fixes: {sha[:12]} ("KVM: x86: Add the a file")' in path.read_text()
