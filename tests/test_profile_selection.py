"""Profiles per patch: KVM files get kvm-x86, other arch/x86 tip, the rest generic."""

from __future__ import annotations

import json

import pytest

from kvmwriter.lint.profile import choose_profile
from tests.conftest import git, run_cli

SOB = "Signed-off-by: Ada Tester <ada@example.org>"

# Subjects maintainers applied through kvm-x86 although they are not KVM
# patches, with the files such a patch touches and a plain changelog.
NON_KVM = [
    (
        "x86/cpufeatures: Add CPUID feature bit for Idle HLT intercept",
        ["arch/x86/include/asm/cpufeatures.h"],
        "tip",
        "The Idle HLT intercept lets a hypervisor intercept HLT only when no\n"
        "interrupt is pending.  Add its CPUID bit so that KVM can advertise it.",
    ),
    (
        "sched/wait: Drop WQ_FLAG_EXCLUSIVE from add_wait_queue_priority()",
        ["kernel/sched/wait.c"],
        "generic",
        "Priority waiters are woken first, and the exclusive flag only makes the\n"
        "wakeup stop after them.  Drop the flag so that the other waiters run too.",
    ),
    (
        "mm/filemap: Add NUMA mempolicy support to filemap_alloc_folio()",
        ["mm/filemap.c", "include/linux/pagemap.h"],
        "generic",
        "Allocations for a file's page cache ignore the memory policy the caller\n"
        "set.  Pass the policy down so that the folio lands on the right node.",
    ),
    (
        "crypto: ccp - Add an API to return the supported SEV-SNP policy bits",
        ["drivers/crypto/ccp/sev-dev.c", "include/linux/psp-sev.h"],
        "generic",
        "Callers need to know which SNP guest policy bits the firmware supports.\n"
        "Add a helper that returns them, read once at initialization.",
    ),
]


def patch_mail(subject: str, files: list[str], body: str) -> str:
    diff = "".join(
        f"diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n"
        "@@ -1 +1,2 @@\n int a;\n+int b;\n"
        for path in files
    )
    return (
        f"From: Ada Tester <ada@example.org>\nSubject: [PATCH] {subject}\n\n"
        f"{body}\n\n{SOB}\n---\n{diff}"
    )


def check_json(text: str, *args: str, cwd=None) -> dict:
    result = run_cli("check", "--format", "json", "--fail-on", "info", *args, input=text, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["reports"][0]


@pytest.mark.parametrize("subject, files, profile, body", NON_KVM)
def test_non_kvm_patches_pass_cleanly_under_their_profile(subject, files, profile, body):
    report = check_json(patch_mail(subject, files, body))
    assert report["profile"] == profile
    assert report["findings"] == []


@pytest.mark.parametrize("subject, files, profile, body", NON_KVM)
def test_forced_kvm_profile_still_flags_non_kvm_patches(subject, files, profile, body):
    report = check_json(patch_mail(subject, files, body), "--profile", "kvm-x86")
    assert report["profile"] == "kvm-x86"
    assert "subject-prefix" in {f["rule"] for f in report["findings"]}


def test_kvm_files_choose_kvm_profile_even_with_other_files():
    files = ["arch/x86/kvm/vmx/vmx.c", "arch/x86/include/asm/cpufeatures.h"]
    text = patch_mail(
        "x86/cpufeatures: Add a bit and use it in KVM",
        files,
        "Add the bit and let KVM advertise it.",
    )
    report = check_json(text)
    assert report["profile"] == "kvm-x86"
    assert "subject-prefix" in {f["rule"] for f in report["findings"]}


def test_plain_message_chooses_profile_by_subject_prefix(tmp_path):
    assert choose_profile(None, "KVM") == ("kvm-x86", "from the subject prefix")
    assert choose_profile(None, "x86/kvm")[0] == "kvm-x86"
    assert choose_profile(None, "x86/mm")[0] == "tip"
    assert choose_profile(None, "crypto")[0] == "generic"
    assert choose_profile(None, None)[0] == "kvm-x86"
    # The author's "KVM:" keeps the KVM rules on files no profile lists.
    assert choose_profile(["a.c"], "kvm") == ("kvm-x86", "from the subject prefix")
    assert choose_profile(["a.c"], "lib") == ("generic", "from the files")
    assert choose_profile(None, ["selftests", "KVM"])[0] == "kvm-x86"
    assert choose_profile(None, ["selftests", "net"])[0] == "generic"
    assert choose_profile(None, ["selftests/kvm"])[0] == "kvm-x86"
    text = (
        "sched/wait: Drop WQ_FLAG_EXCLUSIVE from add_wait_queue_priority()\n\n"
        f"{NON_KVM[1][3]}\n\n{SOB}\n"
    )
    result = run_cli("check", cwd=tmp_path, input=text)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "<stdin>: linted with the generic profile\n"


def test_common_kvm_code_takes_bare_kvm_prefix():
    text = patch_mail(
        "KVM: Use a spinlock for the irqfd resampler list",
        ["virt/kvm/eventfd.c"],
        "Readers walk the resampler list under RCU already; writers only\n"
        "need mutual exclusion.  Use a spinlock instead of the mutex.",
    )
    report = check_json(text)
    assert report["profile"] == "kvm-x86"
    assert report["findings"] == []


def test_tip_profile_has_no_what_first_rule():
    body = (
        "Commit 1234 made the APIC timer code read the TSC deadline MSR on every\n"
        "tick, and the MSR read is slow on some CPUs.  A deadline that is already\n"
        "programmed does not need to be read back, since the cached value is\n"
        "kept up to date by every write.\n\n"
        "Use the cached value."
    )
    forced = check_json(
        patch_mail("x86/apic: Use the cached TSC deadline", ["arch/x86/kernel/apic/apic.c"], body),
        "--profile",
        "kvm-x86",
    )
    assert "body-what-first" in {f["rule"] for f in forced["findings"]}
    report = check_json(
        patch_mail("x86/apic: Use the cached TSC deadline", ["arch/x86/kernel/apic/apic.c"], body)
    )
    assert report["profile"] == "tip"
    assert "body-what-first" not in {f["rule"] for f in report["findings"]}


def test_config_profile_forces_one_profile(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".kvmwriter.toml").write_text('profile = "kvm-x86"\n')
    subject, files, _, body = NON_KVM[0]
    report = check_json(patch_mail(subject, files, body), cwd=tmp_path)
    assert report["profile"] == "kvm-x86"


def test_commit_msg_hook_chooses_profile_from_staged_files(make_repo):
    repo = make_repo()
    path = repo / "arch" / "x86" / "include" / "asm" / "cpufeatures.h"
    path.parent.mkdir(parents=True)
    path.write_text("#define X86_FEATURE_IDLE_HLT 1\n")
    git(repo, "add", ".")
    subject, _, _, body = NON_KVM[0]
    message = repo / ".git" / "COMMIT_EDITMSG"
    message.write_text(f"{subject}\n\n{body}\n\n{SOB}\n")
    result = run_cli("check", "--format", "json", str(message), cwd=repo)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)["reports"][0]
    assert report["profile"] == "tip" and report["findings"] == []
