"""subject-prefix names the topic the changed files suggest, not always x86."""

from __future__ import annotations

from tests.conftest import fired, message_with


def test_subject_prefix_suggests_the_files_topic_for_a_missing_prefix():
    text = message_with("Fix the VMCS12 field check")
    (finding,) = fired(text, "subject-prefix", files=["arch/x86/kvm/vmx/nested.c"])
    assert "'KVM: nVMX: '" in finding.message and "KVM: x86:" not in finding.message


def test_subject_prefix_suggests_the_files_topic_for_a_bare_kvm_prefix():
    text = message_with("KVM: Fix the VMCB12 field check")
    (finding,) = fired(text, "subject-prefix", files=["arch/x86/kvm/svm/nested.c"])
    assert finding.message.endswith("the changed files suggest 'KVM: nSVM: '")


def test_subject_prefix_without_files_keeps_the_x86_example():
    (finding,) = fired(message_with("Fix the VMCS12 field check"), "subject-prefix")
    assert finding.message == (
        "no 'KVM: <topic>: ' prefix; start the subject with e.g. 'KVM: x86: '"
    )
