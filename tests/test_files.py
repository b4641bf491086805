"""Files: only regular files are opened, up to a cap; one line otherwise.

A FIFO, a device behind a symlink or an oversized file gets one clear line
and exit 2 from every command, never a hang or a MemoryError.  ``check``
still streams a FIFO or stdin; its size limit applies to the message, not
to the diff after it.  ``cover`` keeps CRLF covers intact and writes
atomically only where a rename cannot replace a link, a pipe or a device.
"""

from __future__ import annotations

import email
import os
import threading
from pathlib import Path

import pytest

from tests.conftest import SIGNOFF, git, run_cli
from tests.test_cover_command import WRITTEN, format_patch, series  # noqa: F401

MESSAGE = (
    "KVM: x86: Drop a stale comment in kvm_set_cr0()\n\n"
    "Drop a stale comment; the cache it describes is long gone.\n\n" + SIGNOFF + "\n"
)


def _one_line_error(result, *words: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _write_fifo_later(path: Path, data: bytes) -> threading.Thread:
    def writer() -> None:
        with open(path, "wb") as handle:
            handle.write(data)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    return thread


def test_review_of_a_fifo_is_one_line_not_a_hang(tmp_path):
    fifo = _fifo(tmp_path / "fifo.patch")
    result = run_cli("review", str(fifo), timeout=30)
    _one_line_error(result, "fifo.patch", "FIFO")


def test_review_of_a_symlink_to_dev_zero_is_one_line(tmp_path):
    link = tmp_path / "zero.patch"
    link.symlink_to("/dev/zero")
    result = run_cli("review", str(link), timeout=30)
    _one_line_error(result, "zero.patch", "device")


def test_profile_dev_zero_in_config_is_one_line(tmp_path):
    (tmp_path / ".kvmwriter.toml").write_text('profile = "/dev/zero"\n')
    result = run_cli("check", "-", input=MESSAGE, cwd=tmp_path, timeout=30)
    _one_line_error(result, "/dev/zero", "device")


def test_cover_fill_with_a_fifo_beside_the_cover_is_one_line(series, tmp_path):  # noqa: F811
    cover = format_patch(series, tmp_path / "out")
    _fifo(cover.parent / "0003-stuck.patch")
    before = cover.read_bytes()
    result = run_cli("cover", "--fill", str(cover), cwd=series, timeout=30)
    _one_line_error(result, "0003-stuck.patch", "FIFO")
    assert cover.read_bytes() == before


def test_check_streams_a_fifo(tmp_path):
    fifo = _fifo(tmp_path / "message")
    writer = _write_fifo_later(fifo, MESSAGE.encode())
    result = run_cli("check", str(fifo), timeout=30)
    writer.join(5)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_limits_the_message_not_the_diff(tmp_path):
    diff = "".join(f'+\tasm volatile("nop"); /* line {n} */\n' for n in range(40_000))
    patch = (
        "From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n"
        "From: Ada Tester <ada@example.org>\n"
        "Subject: [PATCH] KVM: selftests: Add a big NOP sled test\n\n"
        "Add a test that runs a large NOP sled in the guest.\n\n" + SIGNOFF + "\n---\n"
        "diff --git a/tools/testing/selftests/kvm/x86/nop_sled.c "
        "b/tools/testing/selftests/kvm/x86/nop_sled.c\n"
        "--- /dev/null\n+++ b/tools/testing/selftests/kvm/x86/nop_sled.c\n"
        f"@@ -0,0 +1,40000 @@\n{diff}"
    )
    assert len(patch.encode()) > 1_400_000
    path = tmp_path / "0001-big.patch"
    path.write_text(patch)
    result = run_cli("check", str(path), timeout=120)
    assert result.returncode in (0, 1), result.stderr
    assert "larger than" not in result.stderr
    piped = run_cli("check", "-", input=patch, timeout=120)
    assert piped.returncode in (0, 1), piped.stderr


def test_check_still_refuses_a_huge_message_before_the_diff(tmp_path):
    path = tmp_path / "huge"
    path.write_text("KVM: x86: Fix\n\n" + "word " * 220_000 + "\n---\ndiff --git a/x b/x\n")
    _one_line_error(run_cli("check", str(path)), "larger than 1024 KiB")


def test_utf8_bom_before_the_subject_is_ignored(tmp_path):
    path = tmp_path / "message"
    path.write_bytes(b"\xef\xbb\xbf" + MESSAGE.encode())
    result = run_cli("check", "--format", "terse", str(path))
    assert result.returncode == 0, result.stdout
    assert "subject-prefix" not in result.stdout


def test_cover_fill_keeps_crlf_headers_intact(series, tmp_path):  # noqa: F811
    cover = format_patch(series, tmp_path / "out", "-v2")
    crlf = cover.read_bytes().replace(b"\n", b"\r\n")
    cover.write_bytes(crlf)
    message = tmp_path / "written.txt"
    message.write_text(WRITTEN)
    result = run_cli("cover", "--fill", str(cover), "--message", str(message), cwd=series)
    assert result.returncode == 0, result.stderr
    filled = cover.read_bytes()
    assert b"\n" not in filled.replace(b"\r\n", b"")  # every line still ends CRLF
    first, second = filled.split(b"\r\n")[:2]
    assert first.startswith(b"From ") and second.startswith(b"From: ")
    mail = email.message_from_bytes(filled.replace(b"\r\n", b"\n"))
    assert mail["Subject"] == "[PATCH v2 0/2] KVM: x86/pmu: Fix PEBS emulation on hybrid CPUs"
    assert mail.get_payload().startswith("Program the PEBS counters")


def test_cover_output_through_a_symlink_writes_the_target(series, tmp_path):  # noqa: F811
    target = tmp_path / "cover.txt"
    target.write_text("")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    result = run_cli("cover", "--no-tui", "-o", str(link), "main..HEAD", cwd=series)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert "KVM: x86/pmu:" in target.read_text()


def test_cover_output_to_dev_stdout_writes_stdout(series):  # noqa: F811
    if not os.path.exists("/dev/stdout"):
        pytest.skip("no /dev/stdout on this system")
    result = run_cli("cover", "--no-tui", "-o", "/dev/stdout", "--force", "main..HEAD", cwd=series)
    assert result.returncode == 0, result.stderr
    assert "KVM: x86/pmu:" in result.stdout


def test_cover_output_to_a_fifo_writes_into_the_pipe(series, tmp_path):  # noqa: F811
    fifo = _fifo(tmp_path / "pipe")
    received: list[bytes] = []

    def reader() -> None:
        with open(fifo, "rb") as handle:
            received.append(handle.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    result = run_cli(
        "cover", "--no-tui", "-o", str(fifo), "--force", "main..HEAD", cwd=series, timeout=30
    )
    thread.join(10)
    assert result.returncode == 0, result.stderr
    assert fifo.is_fifo() and b"KVM: x86/pmu:" in received[0]


def test_git_commit_message_file_with_fixes_is_read(make_repo):
    # A regular file inside .git stays readable by the commit-msg hook path.
    repo = make_repo()
    path = repo / ".git" / "COMMIT_EDITMSG"
    path.write_text(MESSAGE)
    assert run_cli("check", str(path), cwd=repo).returncode == 0
    assert git(repo, "status", "--short") == ""
