"""vulnerability-process: a guest attacking its host is reported before posting."""

from __future__ import annotations

import pytest

from kvmwriter.lint.findings import Severity
from tests.conftest import fired, message_with

RULE = "vulnerability-process"


@pytest.mark.parametrize(
    "body",
    [
        "Bound the scratch area to the GHCB page.  A malicious SEV-SNP guest can\n"
        "otherwise trigger an out-of-bounds write in host memory.",
        "Check the index against the table size.  The bug is guest-triggerable.",
        "Inject a triple fault instead.  Without the check, L2 can crash L1 by\nloading a bad CR3.",
        "Zero the buffer before copying it out, which otherwise allows a guest to\n"
        "read host kernel memory.",
        "Don't copy the field from vmcb12: a future feature bit could allow guest\nescapes.",
        "Take the lock before freeing the page.  A misbehaving guest can race the\n"
        "free and cause a use-after-free.",
    ],
)
def test_vulnerability_process_flags_guest_attacks_on_the_host(body):
    found = fired(message_with(body=body), RULE)
    assert len(found) == 1
    assert found[0].severity == Severity.INFO and "security@kernel.org" in found[0].message


def test_vulnerability_process_points_at_the_paragraph_that_says_it():
    body = (
        "Bound the scratch area to the GHCB page.\n\n"
        "A malicious guest can otherwise write past the end of the page and\n"
        "corrupt host memory."
    )
    found = fired(message_with(body=body), RULE)
    assert [f.line for f in found] == [5]


@pytest.mark.parametrize(
    "body",
    [
        "Inject #GP when the guest writes a reserved bit; the guest can crash\n"
        "itself otherwise, which is its own business.",
        "Fix a use-after-free on vendor module reload: the caches are destroyed\n"
        "before the last user is gone.",
        "Grabbing the wrong vCPU hoses the guest and crashes the host, as the\n"
        "VMSA pointer is left NULL.  Take the vCPUs from the source VM.",
        "Userspace can crash the host by creating vCPUs before SEV init; reject\nthe init instead.",
        "Emulate the instruction for the guest.  KVM can now read the operand\nfrom guest memory.",
        "Drop the unused helper.\n\n"
        "BUG: KASAN: slab-use-after-free in kvm_irq_delivery+0x9bf/0xa20\n"
        "Call Trace:\n"
        "  kvm_arch_vcpu_ioctl_run+0x3013/0x5810 [kvm]\n\n"
        "The guest can't reach this path.",
    ],
)
def test_vulnerability_process_ignores_routine_fixes(body):
    assert not fired(message_with(body=body), RULE)


def test_vulnerability_process_ignores_cover_letters():
    text = (
        "[PATCH 0/2] KVM: SVM: Bound the GHCB scratch area\n\n"
        "A malicious guest can trigger an out-of-bounds write in host memory.\n"
    )
    assert not fired(text, RULE, cover=True)


def test_vulnerability_process_flags_the_subject_too():
    text = message_with(
        subject="KVM: x86: Fix a guest-triggerable host crash in the emulator",
        body="Check the operand size before copying it.",
    )
    assert [f.line for f in fired(text, RULE)] == [1]


def test_vulnerability_process_reads_text_that_lower_cases_unlike_ignorecase():
    # IGNORECASE matches the long s of "craſh" as "s"; lower() keeps it, so a
    # word filter on lower-cased text must not rule non-ASCII text out.
    body = "Check the index first.  A malicious guest can craſh the host otherwise."
    assert len(fired(message_with(body=body), RULE)) == 1


def test_vulnerability_process_needs_a_harm_verb_with_its_victim():
    body = "Read the host's TSC once.  The guest can read it again later."
    assert fired(message_with(body=body), RULE) == []
    body = "Zero the buffer first.  A guest can otherwise read host kernel memory."
    assert len(fired(message_with(body=body), RULE)) == 1
