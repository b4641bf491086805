"""subject-mood on summaries: noun phrases and statements, kernel verbs, adverbs."""

from __future__ import annotations

import pytest

from kvmwriter.lint.findings import Severity
from kvmwriter.lint.mood import MoodChecker
from kvmwriter.lint.profile import load_profile
from tests.conftest import fired, fixed, message_with


@pytest.mark.parametrize(
    "summary, word, form",
    [
        ("Abstractions for SEV to decouple policy from type", "Abstractions", "non-verb"),
        ("APIC_ID must be correctly updated when disabling x2apic", "APIC_ID", "statement"),
        ("kvm_vcpu_halt() can be static", "kvm_vcpu_halt()", "statement"),
        ("Guest must not see the reserved bit", "Guest", "statement"),
        ("Missing check of the PDPTRs on nested VM-Enter", "Missing", "non-verb"),
        ("Recovery of shattered NX huge pages", "Recovery", "non-verb"),
        ("Sanity check on the gfn before removal", "Sanity", "non-verb"),
        ("Pending debug exceptions trump the preemption timer", "Pending", "non-verb"),
        ("Dynamically allocating the MSR lists", "allocating", "gerund"),
        ("Small cleanup in handle_exception()", "Small", "non-verb"),
        ("Fixed the PDPTR check", "Fixed", "past"),
    ],
)
def test_judge_summary_reports_noun_phrases_and_statements(summary, word, form):
    verdict = MoodChecker(load_profile()).judge_summary(summary)
    assert verdict is not None and (verdict.word, verdict.form) == (word, form)


@pytest.mark.parametrize(
    "summary",
    [
        "Zap SPTEs on the slot's GFN range",
        "Plumb the fault's error code into the MMU",
        "WARN if KVM tries to inject an event while L2 is active",
        "Open code the only caller of the helper",
        "Snapshot the host's DEBUGCTL",
        "Nullify the root after freeing it",
        "Zero-initialize the kvm_pmu_event_filter struct",
        "Re-enable the PMU after a failed VM-Enter",
        "Explicitly clear the pending exception",
        "Always flush the TLB on nested VM-Enter",
        "Unconditionally intercept RDTSCP",
        "More precisely identify NMIs from the guest",
        "Don't advertise the PMU without a vPMU",
        "Do not inject #GP on a reserved bit",
        "Drop kvm_x86_ops.hwapic_irr_update()",
        "Process pending IRQs before the timer",
        "Use kvm_inject_gp() to inject #GP",
        "Sanity check the gfn before removing the SPTE",
    ],
)
def test_judge_summary_accepts_kernel_imperatives(summary):
    assert MoodChecker(load_profile()).judge_summary(summary) is None


def test_subject_mood_suggests_add_the_missing_never_miss():
    text = message_with("KVM: nVMX: Missing check of the PDPTRs on nested VM-Enter")
    found = fired(text, "subject-mood")
    assert len(found) == 1 and '"Add the missing ..."' in found[0].message
    assert 'Miss"' not in found[0].message and not found[0].fix.safe
    assert fixed(text, found[0]) == message_with(
        "KVM: nVMX: Add the missing check of the PDPTRs on nested VM-Enter"
    )


@pytest.mark.parametrize(
    "subject",
    [
        "KVM: SEV: Abstractions for SEV to decouple policy from type",
        "KVM: x86: APIC_ID must be correctly updated when disabling x2apic",
    ],
)
def test_subject_mood_advises_on_noun_phrases_and_statements(subject):
    found = fired(message_with(subject), "subject-mood")
    assert [f.severity for f in found] == [Severity.WARNING]


def test_subject_mood_keeps_the_profiles_non_verbs_as_errors():
    found = fired(message_with("KVM: x86: This patch adds a check"), "subject-mood")
    assert [f.severity for f in found] == [Severity.ERROR]


@pytest.mark.parametrize("unit", ["a_", "aA", "x ", "Always ", "a->", "1a", "a_b+"])
def test_judge_summary_reads_a_long_summary_in_linear_time(unit):
    import time

    checker = MoodChecker(load_profile())
    text = unit * (100_000 // len(unit)) + "+"
    start = time.perf_counter()
    checker.judge_summary(text)
    assert time.perf_counter() - start < 2.0
