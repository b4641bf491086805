"""kvmwriter cover: the skeleton, filling git's cover, branch description, clipboard."""

from __future__ import annotations

import base64
import email
import email.policy
import os
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, git

WRITTEN = """\
[PATCH v2 0/2] KVM: x86/pmu: Fix PEBS emulation on hybrid CPUs

Program the PEBS counters of the vCPU's core type and drop a bogus mask.

Tested on Intel (Alder Lake) with KVM selftests and kvm-unit-tests.

v1: https://lore.kernel.org/all/20250101000000.1-1-ada@example.org

Changes in v2:
- Drop the fixed-counter patch.
"""


@pytest.fixture
def series(make_repo):
    """A repository on branch x86/pmu/pebs with two KVM x86/pmu patches on main."""
    repo = make_repo()
    pmu = repo / "arch" / "x86" / "kvm"
    pmu.mkdir(parents=True)
    (pmu / "pmu.c").write_text("int pmu;\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Initial import")
    git(repo, "checkout", "-q", "-b", "x86/pmu/pebs")
    (pmu / "pmu.c").write_text("int pmu;\nint pebs;\n")
    git(repo, "commit", "-q", "-am", "KVM: x86/pmu: Program PEBS counters per core type")
    (pmu / "pmu.h").write_text("int pebs_mask;\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "KVM: x86/pmu: Drop the bogus PEBS mask")
    return repo


def format_patch(repo: Path, out: Path, *args: str) -> Path:
    git(repo, "format-patch", "-q", "--cover-letter", "-o", str(out), *args, "main")
    [cover] = out.glob("*0000-cover-letter.patch")
    return cover


def parse_mail(path: Path):
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def test_cover_no_tui_writes_prefilled_skeleton(cli, series, tmp_path):
    target = tmp_path / "cover.txt"
    result = cli("cover", "main..HEAD", "--no-tui", "-o", str(target), cwd=series)
    assert result.returncode == 0, result.stderr
    text = target.read_text()
    lines = text.splitlines()
    assert lines[0] == "[PATCH 0/2] KVM: x86/pmu: "
    assert "Testing:" in text and "- [ ] KVM selftests pass (required)" in text
    assert "Ada Tester (2):\n  KVM: x86/pmu: Program PEBS counters per core type" in text
    assert "2 files changed" in text
    base = git(series, "rev-parse", "main").strip()
    assert lines[-1] == f"base-commit: {base}"


def test_cover_skeleton_for_v3_rfc_lists_earlier_versions(cli, series):
    result = cli(
        "cover",
        "main",
        "--no-tui",
        "-v3",
        "--rfc",
        "--previous",
        "https://lore.kernel.org/all/v1@example.org",
        "--previous",
        "https://lore.kernel.org/all/v2@example.org",
        cwd=series,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("[RFC PATCH v3 0/2] KVM: x86/pmu: ")
    assert "v1: https://lore.kernel.org/all/v1@example.org\n" in result.stdout
    assert "v2: https://lore.kernel.org/all/v2@example.org\n" in result.stdout
    assert "Changes in v3:\n" in result.stdout


def test_cover_skeleton_is_flagged_until_testing_is_stated(cli, series, tmp_path):
    target = tmp_path / "cover.txt"
    assert cli("cover", "main", "--no-tui", "-o", str(target), cwd=series).returncode == 0
    check = cli("check", "--select", "cover", "--format", "terse", str(target))
    assert "[cover-testing-missing]" in check.stdout
    assert "[cover-placeholder]" in check.stdout
    text = target.read_text().replace(
        "- [ ] KVM selftests pass (required)", "- [x] Ran KVM selftests"
    )
    target.write_text(text)
    check = cli("check", "--select", "cover-testing-missing", "--format", "terse", str(target))
    assert check.stdout == ""


def test_cover_fill_replaces_placeholders_and_keeps_git_parts(cli, series, tmp_path):
    cover = format_patch(series, tmp_path / "out", "-v2", "--base=main")
    before = cover.read_text()
    assert "\nbase-commit: " in before
    message = tmp_path / "written.txt"
    message.write_text(WRITTEN)
    result = cli("cover", "--fill", str(cover), "--message", str(message))
    assert result.returncode == 0, result.stderr
    after = cover.read_text()
    assert "*** SUBJECT HERE ***" not in after and "*** BLURB HERE ***" not in after
    shortlog_and_diffstat = before[before.index("Ada Tester (2):") :]
    assert after.endswith(shortlog_and_diffstat)
    mail = parse_mail(cover)
    assert mail["Subject"] == "[PATCH v2 0/2] KVM: x86/pmu: Fix PEBS emulation on hybrid CPUs"
    body = mail.get_content()
    assert body.startswith("Program the PEBS counters")
    assert "Changes in v2:\n- Drop the fixed-counter patch.\n\nAda Tester (2):" in body
    check = cli("check", "--select", "cover", "--format", "terse", str(cover))
    assert check.returncode == 0 and check.stdout == ""


def test_cover_fill_without_message_prefills_from_series(cli, series, tmp_path):
    cover = format_patch(series, tmp_path / "out", "--rfc")
    result = cli("cover", "--fill", str(cover))
    assert result.returncode == 0, result.stderr
    mail = parse_mail(cover)
    assert mail["Subject"] == "[RFC PATCH 0/2] KVM: x86/pmu: *** SUBJECT HERE ***"
    assert "- [ ] KVM-unit-tests pass (required)" in mail.get_content()
    # The pre-filled blurb gives way to a written one later.
    message = cover.parent / "written.txt"
    message.write_text(
        "KVM: x86/pmu: Fix PEBS\n\nFix PEBS. Only compile tested.\n"
        "Is a new capability acceptable here?\n"
    )
    assert cli("cover", "--fill", str(cover), "--message", str(message)).returncode == 0
    mail = parse_mail(cover)
    assert mail["Subject"] == "[RFC PATCH 0/2] KVM: x86/pmu: Fix PEBS"
    assert mail.get_content().startswith("Fix PEBS. Only compile tested.")
    assert "Ada Tester (2):" in mail.get_content()


def test_cover_fill_non_ascii_keeps_a_valid_mail(cli, series, tmp_path):
    cover = format_patch(series, tmp_path / "out")
    message = tmp_path / "written.txt"
    message.write_text(
        "KVM: x86/pmu: Fix PEBS for Jörg's CPUs\n\n"
        "Fix PEBS.  Tested by Jörg on Zen 4 — selftests pass.\n"
    )
    assert cli("cover", "--fill", str(cover), "--message", str(message)).returncode == 0
    mail = parse_mail(cover)
    assert not mail.defects
    assert mail["Subject"] == "[PATCH 0/2] KVM: x86/pmu: Fix PEBS for Jörg's CPUs"
    assert "Tested by Jörg on Zen 4" in mail.get_content()
    check = cli("check", "--select", "cover", "--format", "terse", str(cover))
    assert check.stdout == ""


def test_cover_fill_refuses_written_blurb(cli, series, tmp_path):
    cover = format_patch(series, tmp_path / "out")
    message = tmp_path / "written.txt"
    message.write_text(WRITTEN)
    assert cli("cover", "--fill", str(cover), "--message", str(message)).returncode == 0
    filled = cover.read_text()
    result = cli("cover", "--fill", str(cover), "--message", str(message))
    assert result.returncode == 2
    assert result.stderr.startswith("kvmwriter: ") and result.stderr.count("\n") == 1
    assert cover.read_text() == filled


def test_cover_description_feeds_cover_from_description(cli, series, tmp_path):
    message = tmp_path / "written.txt"
    message.write_text(WRITTEN)
    result = cli(
        "cover", "main", "--no-tui", "--message", str(message), "--description", cwd=series
    )
    assert result.returncode == 0, result.stderr
    description = git(series, "config", "branch.x86/pmu/pebs.description")
    assert description.startswith("KVM: x86/pmu: Fix PEBS emulation on hybrid CPUs\n\n")
    assert "Ada Tester (2)" not in description
    cover = tmp_path / "out"
    git(
        series,
        "format-patch",
        "-q",
        "--cover-letter",
        "--cover-from-description=subject",
        "-v2",
        "-o",
        str(cover),
        "main",
    )
    mail = parse_mail(cover / "v2-0000-cover-letter.patch")
    assert mail["Subject"] == "[PATCH v2 0/2] KVM: x86/pmu: Fix PEBS emulation on hybrid CPUs"
    assert mail.get_content().startswith("Program the PEBS counters")
    # A second, different description is not overwritten without --force.
    message.write_text("KVM: x86/pmu: Other\n\nOther. Untested.\n")
    again = cli("cover", "main", "--no-tui", "--message", str(message), "--description", cwd=series)
    assert again.returncode == 2 and "--force" in again.stderr
    assert git(series, "config", "branch.x86/pmu/pebs.description") == description


def test_cover_output_refuses_to_overwrite_without_force(cli, series, tmp_path):
    target = tmp_path / "cover.txt"
    target.write_text("my own words\n")
    result = cli("cover", "main", "--no-tui", "-o", str(target), cwd=series)
    assert result.returncode == 2 and "--force" in result.stderr
    assert target.read_text() == "my own words\n"
    assert (
        cli("cover", "main", "--no-tui", "-o", str(target), "--force", cwd=series).returncode == 0
    )
    assert target.read_text().startswith("[PATCH 0/2]")


def test_cover_suggests_kvm_x86_next_not_a_topic_branch(cli, series, tmp_path):
    upstream = tmp_path / "kvm-x86-linux.git"
    git(tmp_path, "init", "-q", "--bare", str(upstream))
    git(series, "push", "-q", str(upstream), "main:pmu", "main:next")
    git(series, "remote", "add", "x", str(upstream))
    git(series, "fetch", "-q", "x")
    git(series, "checkout", "-q", "-b", "x86/pmu/counters")
    result = cli("cover", "HEAD~2", "--no-tui", cwd=series)
    assert result.returncode == 0, result.stderr
    assert "suggested base: --base=x/next" in result.stderr
    assert "x/pmu" not in result.stderr
    base = git(series, "rev-parse", "x/next").strip()
    assert result.stdout.rstrip().endswith(f"base-commit: {base}")


def test_cover_warns_when_a_multi_arch_series_is_based_on_next(cli, series):
    common = series / "virt" / "kvm"
    common.mkdir(parents=True)
    (common / "kvm_main.c").write_text("int vm;\n")
    git(series, "add", ".")
    git(series, "commit", "-q", "-m", "KVM: Track VMs in common code")
    git(series, "branch", "next", "main")
    result = cli("cover", "main", "--no-tui", "--base", "next", cwd=series)
    assert result.returncode == 0, result.stderr
    assert "warning: base 'next'" in result.stderr
    assert "stable point" in result.stderr


def test_cover_takes_a_next_base_without_warning(cli, series):
    git(series, "branch", "next", "main")
    result = cli("cover", "main", "--no-tui", "--base", "next", cwd=series)
    assert result.returncode == 0
    assert "warning" not in result.stderr


def test_cover_clipboard_copies_through_system_tool(cli, series, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    store = tmp_path / "clipboard.txt"
    # A stand-in for the system's wl-copy: pyperclip shells out to it.
    for name, body in (("wl-copy", f"cat > {store}"), ("wl-paste", f"cat {store}")):
        tool = bin_dir / name
        tool.write_text(f"#!/bin/sh\n{body}\n")
        tool.chmod(tool.stat().st_mode | stat.S_IEXEC)
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "WAYLAND_DISPLAY": "w-0"}
    result = cli("cover", "main", "--no-tui", "--clipboard", cwd=series, env=env)
    assert result.returncode == 0, result.stderr
    assert store.read_text().startswith("[PATCH 0/2] KVM: x86/pmu: ")
    assert result.stdout == ""


def _cover_clipboard(series, *, terminal: bool) -> subprocess.CompletedProcess:
    """Run ``cover --clipboard`` with no clipboard tool, in or out of a terminal."""
    env = dict(
        os.environ, WAYLAND_DISPLAY="", DISPLAY="", GIT_CONFIG_NOSYSTEM="1", PYTHONPATH=str(ROOT)
    )
    command = [sys.executable, "-m", "kvmwriter", "cover", "main", "--no-tui", "--clipboard"]
    if terminal:  # script(1) gives the command a terminal of its own
        command = ["script", "-qec", shlex.join(command), "/dev/null"]
    return subprocess.run(
        command,
        cwd=series,
        env=env,
        capture_output=True,
        text=True,
        start_new_session=True,
        timeout=60,
    )


def test_cover_clipboard_without_clipboard_or_terminal_is_one_line_error(series):
    result = _cover_clipboard(series, terminal=False)
    assert result.returncode == 2
    assert result.stderr == (
        "kvmwriter: cannot copy: no clipboard tool found (xclip, xsel, "
        "wl-copy or pbcopy), and no terminal for OSC 52; use -o FILE\n"
    )


@pytest.mark.skipif(shutil.which("script") is None, reason="script(1) is not installed")
def test_cover_clipboard_falls_back_to_the_terminal_osc52(series):
    result = _cover_clipboard(series, terminal=True)
    assert result.returncode == 0, result.stdout
    payload = result.stdout.split("\x1b]52;c;", 1)[1].split("\x07", 1)[0]
    assert base64.b64decode(payload).decode().startswith("[PATCH 0/2] KVM: x86/pmu: ")
    assert "copied the cover letter through the terminal (OSC 52" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (("nope..HEAD",), "bad revision 'nope'"),
        (("HEAD..HEAD",), "has no commits"),
        (("main...HEAD",), "symmetric range"),
    ],
)
def test_cover_bad_range_is_one_line_error(cli, series, args, message):
    result = cli("cover", *args, "--no-tui", cwd=series)
    assert result.returncode == 2
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_cover_outside_repository_is_one_line_error(cli, tmp_path):
    result = cli(
        "cover",
        "HEAD~1",
        "--no-tui",
        cwd=tmp_path,
        env={"GIT_CEILING_DIRECTORIES": str(tmp_path.parent)},
    )
    assert result.returncode == 2
    assert result.stderr.startswith("kvmwriter: not a git repository")


def test_cover_without_range_or_upstream_asks_for_one(cli, series):
    result = cli("cover", "--no-tui", cwd=series)
    assert result.returncode == 2 and "has no upstream; give a range" in result.stderr


def test_cover_fill_rejects_non_utf8_and_keeps_the_file(cli, tmp_path):
    binary = tmp_path / "bin.patch"
    binary.write_bytes(b"\xff\xfe\x00bad")
    result = cli("cover", "--fill", str(binary))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("kvmwriter: ") and result.stderr.count("\n") == 1
    assert binary.read_bytes() == b"\xff\xfe\x00bad"


def test_cover_fill_missing_file_is_one_line_error(cli, tmp_path):
    result = cli("cover", "--fill", str(tmp_path / "nope.patch"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1


def test_cover_prefix_comes_from_files_when_subjects_disagree(cli, make_repo):
    repo = make_repo()
    vmx = repo / "arch" / "x86" / "kvm" / "vmx"
    vmx.mkdir(parents=True)
    (vmx / "nested.c").write_text("int a;\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Initial import")
    for index, summary in enumerate(("KVM: nVMX: Add a", "KVM: VMX: Add b", "KVM: x86: Add c")):
        (vmx / "nested.c").write_text((vmx / "nested.c").read_text() + f"int v{index};\n")
        git(repo, "commit", "-q", "-am", summary)
    result = cli("cover", "HEAD~3", "--no-tui", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("[PATCH 0/3] KVM: nVMX: ")


def test_cover_prefix_ignores_selftests_patches_of_the_series(cli, series):
    (series / "test.c").write_text("int t;\n")
    git(series, "add", ".")
    git(series, "commit", "-q", "-m", "KVM: selftests: Test PEBS")
    result = cli("cover", "main", "--no-tui", cwd=series)
    assert result.stdout.startswith("[PATCH 0/3] KVM: x86/pmu: ")


def test_cover_message_file_errors_are_one_line(cli, series, tmp_path):
    missing = cli("cover", "main", "--no-tui", "--message", str(tmp_path / "nope.txt"), cwd=series)
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")
    result = cli("cover", "main", "--no-tui", "--message", str(empty), cwd=series)
    assert result.returncode == 2 and "empty cover letter" in result.stderr


def test_cover_written_message_keeps_git_parts_in_output(cli, series, tmp_path):
    message = tmp_path / "written.txt"
    message.write_text(WRITTEN)
    result = cli("cover", "main", "--no-tui", "-v2", "--message", str(message), cwd=series)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "[PATCH v2 0/2] KVM: x86/pmu: Fix PEBS emulation on hybrid CPUs\n\nProgram the PEBS"
    )
    assert "Ada Tester (2):" in result.stdout and "base-commit: " in result.stdout
    check = cli("check", "--select", "cover", "--format", "terse", "-", input=result.stdout)
    assert check.stdout == ""
