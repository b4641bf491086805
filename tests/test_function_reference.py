"""body-function-reference: bare function names in the subject and changelog."""

from __future__ import annotations

import time

import pytest

from kvmwriter.git.repo import Repository
from kvmwriter.lint.engine import Linter
from kvmwriter.lint.rules import get_rule
from kvmwriter.text.message import parse_message
from tests.conftest import fired, fixed, git, message_with

RULE = "body-function-reference"


@pytest.mark.parametrize(
    "subject, name",
    [
        (
            "KVM: VMX: Handle vectoring error in check_emulate_instruction",
            "check_emulate_instruction",
        ),
        ("KVM: x86: Use kvm_inject_gp to inject #GP on reserved CR4 bits", "kvm_inject_gp"),
        ("KVM: nSVM: Sync the VMCB in nested_svm_vmexit", "nested_svm_vmexit"),
    ],
)
def test_function_reference_flags_bare_names_in_the_subject(subject, name):
    text = message_with(subject)
    found = fired(text, RULE)
    assert len(found) == 1 and found[0].line == 1
    assert found[0].column == subject.index(name) + 1
    assert fixed(text, found[0]) == message_with(subject.replace(name, name + "()"))


@pytest.mark.parametrize(
    "body, name",
    [
        ("Call kvm_set_msr_common from the MSR handler.", "kvm_set_msr_common"),
        ("Skip the VMCB sync in nested_svm_vmexit.", "nested_svm_vmexit"),
        ("Invoke kvm_mmu_reset_context after changing CR0.WP.", "kvm_mmu_reset_context"),
        ("Move the check into kvm_is_valid_cr4's callers.", "kvm_is_valid_cr4"),
        ("Audit the callers of kvm_vcpu_reset for stale state.", "kvm_vcpu_reset"),
        ("Use the helper kvm_register_mark_dirty instead.", "kvm_register_mark_dirty"),
    ],
)
def test_function_reference_flags_bare_names_in_the_changelog(body, name):
    found = fired(message_with(body=body), RULE)
    assert len(found) == 1 and found[0].line == 3
    assert found[0].column == body.index(name) + 1


@pytest.mark.parametrize(
    "body",
    [
        "Handle the error in check_emulate_instruction().",
        "Track the flag in struct kvm_vcpu_arch instead.",
        "Read the value in vcpu->arch.apic_base before the write.",
        "Clear the bit in nested_run_pending.",
        "Honor the enable_apicv module param.",
        "Save MSR_IA32_DEBUGCTLMSR in the VMCS.",
        "Build the code only with CONFIG_KVM_AMD_SEV.",
        "Fix the triple fault if ept=0 in dirty_log_test.",
        "Register a kvm_x86_ops callback for SNP.",
        "Implement the .fault_is_private callback for SNP.",
        "Add the field in kvm_host_values{} for PERF_CAPABILITIES.",
        "Drop current_vcpu in favor of kvm_running_vcpu in kvm_arch_vcpu.",
        'Flush the TLB in `kvm_mmu_load`, the "kvm_mmu_unload" path is fine.',
        "Update all callers of this_cpu* to read the host CPU.",
    ],
)
def test_function_reference_accepts_data_types_and_written_calls(body):
    assert not fired(message_with(body=body), RULE)


def test_function_reference_trusts_the_diff_for_names_without_context():
    diff = (
        "@@ -10,6 +10,8 @@ static int vmx_set_cr4(struct kvm_vcpu *vcpu)\n"
        "+\tkvm_frob_cr4_bits(vcpu, cr4);\n"
    )
    text = message_with(body="Let kvm_frob_cr4_bits drop the reserved bits.")
    found = fired(text, RULE, diff=diff)
    assert len(found) == 1 and found[0].fix.safe
    assert not fired(text, RULE)


@pytest.fixture
def kernel_repo(make_repo):
    repo = make_repo()
    (repo / "arch" / "x86" / "kvm").mkdir(parents=True)
    (repo / "arch" / "x86" / "kvm" / "x86.c").write_text(
        "struct kvm_frob_state {\n\tint bits;\n};\n\n"
        "static void kvm_frob_cr4_bits(struct kvm_vcpu *vcpu)\n{\n}\n"
    )
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "KVM: x86: Add the frob helpers")
    return repo


def lint_in(repo, text):
    linter = Linter.from_config(select=[RULE])
    return linter.check(parse_message(text), linter.context(repo=Repository.discover(repo)))


def test_function_reference_asks_the_repository_what_is_a_function(kernel_repo):
    text = message_with(body="Let kvm_frob_cr4_bits drop bits from kvm_frob_state.")
    found = lint_in(kernel_repo, text)
    assert [f.column for f in found] == [len("Let ") + 1]
    assert found[0].fix.safe and "repository" in found[0].message
    assert not fired(text, RULE)


def test_function_reference_trusts_the_diff_over_the_repository(kernel_repo):
    text = message_with(body="Let kvm_frob_cr4_bits drop bits from kvm_frob_state.")
    linter = Linter.from_config(select=[RULE])
    ctx = linter.context(repo=Repository.discover(kernel_repo), diff="+\tint unrelated;\n")
    assert linter.check(parse_message(text), ctx) == []


def test_function_reference_catalog_examples():
    rule = get_rule(RULE)
    assert fired(message_with(body=rule.bad), RULE)
    assert not fired(message_with(body=rule.good), RULE)


@pytest.mark.parametrize("unit", ["in a_b_c ", "call a_b ", "a_b's ", "use a_", "in a_b_c."])
def test_function_reference_reads_a_long_line_in_linear_time(unit):
    text = message_with(body=unit * (100_000 // len(unit)))
    start = time.perf_counter()
    fired(text, RULE)
    assert time.perf_counter() - start < 10.0


def test_parens_on_a_subject_at_the_hard_limit_are_not_a_safe_fix():
    # 79 columns: "()" would make it 81, over the 80-column hard limit.
    subject = "KVM: nVMX: Set nested_run_pending in vmx_set_nested_state after checks are done"
    assert len(subject) == 79
    text = message_with(subject, body="Call vmx_set_nested_state() after the checks.")
    found = [f for f in fired(text, RULE) if f.line == 1]
    assert found and found[0].fix is not None and not found[0].fix.safe
