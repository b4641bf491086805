"""Subject rules: each must fire on its bad cases and stay quiet on good ones."""

from __future__ import annotations

import pytest

from kvmwriter.lint.findings import Severity
from tests.conftest import fired, fixed, lint, message_with


@pytest.mark.parametrize(
    "subject",
    [
        "Fix a null pointer dereference in function_xyz()",
        "KVM:x86: Fix a null pointer dereference",
        "KVM: x86:Fix a null pointer dereference",
        "KVM: x86:",
    ],
)
def test_subject_prefix_flags_missing_or_malformed_prefix(subject):
    assert fired(message_with(subject), "subject-prefix")


def test_subject_prefix_flags_a_tip_style_prefix_on_kvm_files():
    text = message_with("x86: Fix a null pointer dereference")
    assert fired(text, "subject-prefix", files=["arch/x86/kvm/x86.c"])


@pytest.mark.parametrize(
    "subject",
    [
        "KVM: x86: Fix a null pointer dereference in function_xyz()",
        "KVM: selftests: TDX: Add a test for TDG.VP.VMCALL",
        'Revert "KVM: x86: Fix a null pointer dereference"',
        "KVM: x86/mmu: Zap roots",
    ],
)
def test_subject_prefix_accepts_well_formed_prefixes(subject):
    assert not fired(message_with(subject), "subject-prefix")


def test_subject_prefix_without_topic_is_error_only_for_x86_only_changes():
    text = message_with("KVM: Initialize gfn_to_pfn_cache locks in a helper")
    # A bare "KVM:" is right for common KVM code and multi-arch changes.
    generic = fired(text, "subject-prefix", files=["virt/kvm/pfncache.c", "arch/x86/kvm/x86.c"])
    common = fired(text, "subject-prefix", files=["virt/kvm/eventfd.c"])
    header = fired(text, "subject-prefix", files=["include/linux/kvm_host.h"])
    multi_arch = fired(
        text, "subject-prefix", files=["arch/arm64/kvm/Kconfig", "arch/x86/kvm/Kconfig"]
    )
    assert generic == common == header == multi_arch == []
    x86_only = fired(text, "subject-prefix", files=["arch/x86/kvm/x86.c"])
    unknown = fired(text, "subject-prefix")
    assert unknown[0].severity == Severity.WARNING
    assert x86_only[0].severity == Severity.ERROR


@pytest.mark.parametrize(
    "subject, column",
    [
        ("kvm: x86: Fix foo()", 1),
        ("KVM: vmx: Fix foo()", 6),
        ("KVM: X86: Fix foo()", 6),
        ("Kvm: x86/MMU: Fix foo()", 1),
    ],
)
def test_subject_topic_case_flags_wrong_case(subject, column):
    found = fired(message_with(subject), "subject-topic-case")
    assert found and found[0].column == column


def test_subject_topic_case_offers_fix():
    text = message_with("KVM: vmx: Fix foo()")
    found = fired(text, "subject-topic-case")
    assert found[0].fix.safe
    assert fixed(text, found[0]) == message_with("KVM: VMX: Fix foo()")


def test_subject_topic_case_accepts_handbook_spelling():
    for topic in ("x86", "x86/mmu", "nVMX", "nSVM", "SVM", "VMX", "selftests", "SEV", "TDX"):
        assert not fired(message_with(f"KVM: {topic}: Fix foo()"), "subject-topic-case")


@pytest.mark.parametrize("subject", ["KVM: x86/kvm: Fix foo()", "x86/kvm: Fix foo()"])
def test_subject_topic_x86_kvm_flags_kvm_changes(subject):
    assert fired(message_with(subject), "subject-topic-x86-kvm", files=["arch/x86/kvm/x86.c"])


def test_subject_topic_x86_kvm_accepts_guest_only_change():
    text = message_with("x86/kvm: Use a static key for PV spinlocks")
    assert not fired(text, "subject-topic-x86-kvm", files=["arch/x86/kernel/kvm.c"])
    # Without knowing the files, x86/kvm is flagged (precision favours the handbook's
    # loudest rule: "DO NOT use x86/kvm!").
    assert fired(text, "subject-topic-x86-kvm")


@pytest.mark.parametrize(
    "subject, hint",
    [
        ("KVM: LAPIC: Fix foo()", "x86"),
        ("KVM: mmu: Fix foo()", "x86/mmu"),
        ("KVM: pmu: Fix foo()", "x86/pmu"),
    ],
)
def test_subject_topic_unknown_flags_topics_outside_profile(subject, hint):
    found = fired(message_with(subject), "subject-topic-unknown")
    assert found and f"'{hint}'" in found[0].message


@pytest.mark.parametrize(
    "subject",
    [
        "KVM: x86: hyper-v: Fix foo()",
        "KVM: selftests: TDX: Add a test",
        "KVM: x86/mmu/tdp_mmu: Fix foo()",
        "KVM: SEV: Fix foo()",
        "KVM: guest_memfd: Fix foo()",
    ],
)
def test_subject_topic_unknown_accepts_known_and_second_level(subject):
    assert not fired(message_with(subject), "subject-topic-unknown")


@pytest.mark.parametrize(
    "subject",
    [
        "KVM: arch/x86/kvm/x86.c: Fix foo()",
        "KVM: x86.c: Fix foo()",
        "arch/x86/kvm/vmx/nested.c: Fix foo()",
        "KVM: selftests: pmu_counters_test.c: Fix foo()",
    ],
)
def test_subject_topic_filename_flags_paths(subject):
    assert fired(message_with(subject), "subject-topic-filename")


def test_subject_topic_filename_accepts_topics_with_slashes():
    assert not fired(message_with("KVM: x86/mmu: Fix foo()"), "subject-topic-filename")


def test_subject_capitalization_flags_lowercase_summary():
    text = message_with("KVM: x86: fix foo()")
    found = fired(text, "subject-capitalization")
    assert found and found[0].column == len("KVM: x86: ") + 1
    assert fixed(text, found[0]) == message_with("KVM: x86: Fix foo()")


@pytest.mark.parametrize(
    "subject",
    [
        "KVM: x86: Fix foo()",
        "KVM: x86: kvm_mmu_zap_all() must hold mmu_lock",
        "KVM: x86: vCPU stats are read without holding the lock",
        "KVM: x86: x2APIC writes are ignored",
    ],
)
def test_subject_capitalization_leaves_identifiers_alone(subject):
    assert not fired(message_with(subject), "subject-capitalization")


@pytest.mark.parametrize(
    "subject", ["KVM: x86: Fix foo.", "KVM: x86: Fix foo!", "KVM: x86: Fix foo;"]
)
def test_subject_trailing_punctuation_flags_ending_punctuation(subject):
    assert fired(message_with(subject), "subject-trailing-punctuation")


@pytest.mark.parametrize("subject", ["KVM: x86: Fix foo()", "KVM: x86: Fix the (broken) thing"])
def test_subject_trailing_punctuation_accepts_parentheses(subject):
    assert not fired(message_with(subject), "subject-trailing-punctuation")


def test_subject_length_advises_from_76_to_80_columns():
    long76 = "KVM: x86: " + "A" + "b" * 65
    assert len(long76) == 76
    for subject in (long76, long76 + "b" * 4):
        found = fired(message_with(subject), "subject-length")
        assert [f.severity for f in found] == [Severity.INFO]
        assert "good reason" in found[0].message
    assert not fired(message_with(long76[:75]), "subject-length")


def test_subject_length_is_an_error_over_the_hard_limit_of_80():
    long81 = "KVM: x86: " + "A" + "b" * 70
    assert len(long81) == 81
    found = fired(message_with(long81), "subject-length")
    assert [f.severity for f in found] == [Severity.ERROR]
    assert "hard limit of 80" in found[0].message


def test_subject_length_wrapped_subject_stays_a_warning():
    text = "KVM: x86: Fix foo()\nin the emulator\n\nBody.\n\nSigned-off-by: A B <a@b.org>\n"
    found = fired(text, "subject-length")
    assert [f.severity for f in found] == [Severity.WARNING]


def test_subject_length_flags_wrapped_subject():
    text = "KVM: x86: Fix foo()\nin the emulator\n\nBody.\n\nSigned-off-by: A B <a@b.org>\n"
    assert any("second line" in f.message for f in fired(text, "subject-length"))


@pytest.mark.parametrize(
    "summary, word",
    [
        ("Fixed a null pointer dereference", "Fixed"),
        ("Fixes a null pointer dereference", "Fixes"),
        ("Fixing a null pointer dereference", "Fixing"),
        ("Adding support for PEBS", "Adding"),
        ("This patch adds support for PEBS", "This"),
        ("Always checks the root", "checks"),
        ("Handles INIT in guest mode", "Handles"),
    ],
)
def test_subject_mood_flags_non_imperative_summaries(summary, word):
    found = fired(message_with("KVM: x86: " + summary), "subject-mood")
    assert found and f'"{word}"' in found[0].message


@pytest.mark.parametrize(
    "summary",
    [
        "Drop the stale comment",
        "Snapshot the guest's DEBUGCTL",
        "Plumb the error code",
        "WARN if the root is invalid",
        "Bug the VM on an illegal state",
        "Rename foo() to bar()",
        "Nullify the pointer after freeing",
        "Process pending IRQs first",
        "Bypass the cache",
        "Always make an attempt to map eVMCS",
        "Don't skip the instruction",
        "Pass the vCPU",
        "Embed the struct",
        "Explicitly clear the bit",
        "Set the flag",
    ],
)
def test_subject_mood_accepts_imperative_summaries(summary):
    assert not fired(message_with("KVM: x86: " + summary), "subject-mood")


def test_clean_message_has_no_findings():
    assert lint(message_with()) == []


def test_subject_topic_filename_accepts_sub_topics_of_multi_level_topics():
    for subject in (
        "KVM: x86/pmu/vmx: Save the guest's PERF_GLOBAL_CTRL",
        "KVM: x86/mmu/hyper-v: Validate faults",
    ):
        assert not fired(message_with(subject), "subject-topic-filename")
    assert fired(message_with("KVM: x86/mmu/mmu.c: Fix foo()"), "subject-topic-filename")


@pytest.mark.parametrize(
    "subject, written",
    [
        ("KVM: x86: selftests: Add a test for the CR4.PCIDE toggle", "KVM: x86: selftests:"),
        ("selftests: KVM: Add a test for the CR4.PCIDE toggle", "selftests: KVM:"),
        ("kvm/selftests: Add a test for the CR4.PCIDE toggle", "kvm/selftests:"),
        ("KVM: selftest: Add a test for the CR4.PCIDE toggle", "KVM: selftest:"),
        ("selftests/kvm: Drop a stale TODO in xapic_state_test", "selftests/kvm:"),
    ],
)
def test_subject_selftests_prefix_rewrites_to_kvm_selftests(subject, written):
    text = message_with(subject)
    found = fired(text, "subject-selftests-prefix")
    assert len(found) == 1 and f"not '{written}'" in found[0].message
    assert found[0].severity == Severity.WARNING and found[0].fix.safe
    summary = subject.split(": ")[-1]
    assert fixed(text, found[0]) == message_with("KVM: selftests: " + summary)


@pytest.mark.parametrize(
    "subject",
    [
        "KVM: selftests: Add a test for the CR4.PCIDE toggle",
        "KVM: selftests: TDX: Add a test for TDG.VP.VMCALL",
        "KVM: selftests: x86: Repeat the xheader check in amx_test",
        "KVM: x86: Add a selftests-only module param",
        'Revert "selftests: KVM: Add a test for the CR4.PCIDE toggle"',
    ],
)
def test_subject_selftests_prefix_accepts_the_handbooks_form(subject):
    assert not fired(message_with(subject), "subject-selftests-prefix")


@pytest.mark.parametrize(
    "subject, doubled",
    [("KVM: KVM: x86: Drop a stale comment", "KVM"), ("KVM: x86: x86: Drop a comment", "x86")],
)
def test_a_doubled_prefix_component_is_named_as_such(subject, doubled):
    found = [
        f for f in lint(message_with(subject)) if f"'{doubled}:' is written twice" in f.message
    ]
    assert len(found) == 1 and found[0].fix.safe
