"""Body rules: each must fire on its bad cases and stay quiet on good ones."""

from __future__ import annotations

import pytest
from conftest import fired, message_with

BACKGROUND = (
    "Currently, KVM reloads the PDPTRs on every write to CR0, even when the write\n"
    "does not toggle paging.  On CPUs with EPT the reload is pointless, and the\n"
    "extra guest memory accesses show up in profiles of nested workloads, where\n"
    "CR0 is written on every nested VM-Exit and VM-Entry by L1 hypervisors.\n\n"
    "Skip the reload when CR0.PG is unchanged."
)


def test_body_missing_flags_subject_only_message():
    assert fired(message_with(body=""), "body-missing")


def test_body_missing_accepts_a_changelog():
    assert not fired(message_with(), "body-missing")


def test_body_what_first_flags_long_background_opening():
    found = fired(message_with(body=BACKGROUND), "body-what-first")
    assert found and found[0].line == 3


@pytest.mark.parametrize(
    "body",
    [
        "Skip the PDPTR reload on CR0 writes that don't toggle CR0.PG.\n\n" + BACKGROUND,
        "When emulating SGDT in 64-bit mode, write all 10 bytes of the descriptor.",
        "In preparation for moving the MMU lock, drop the unused parameter.",
        "Currently, CR0 is reloaded.  Skip the reload when CR0.PG is unchanged.",
        "Now that the helper is gone, drop its declaration.",
    ],
)
def test_body_what_first_accepts_what_first_or_short_context(body):
    assert not fired(message_with(body=body), "body-what-first")


@pytest.mark.parametrize(
    "sentence",
    [
        "This patch adds a check for a NULL root.",
        "This commit fixes the leak.",
        "I changed the order of the checks.",
        "We now skip the reload.",
        "With this patch, the reload is skipped.",
    ],
)
def test_body_mood_flags_descriptions_of_the_patch(sentence):
    assert fired(message_with(body=sentence), "body-mood")


def test_body_mood_accepts_imperative_and_quotes():
    body = 'Add a check for a NULL root.  The SDM says "This instruction causes a VM-Exit."'
    assert not fired(message_with(body=body), "body-mood")


@pytest.mark.parametrize(
    "sentence, word",
    [
        ("Flush the TLB, otherwise we can see stale entries.", "we"),
        ("I think the check is wrong.", "I"),
        ("Our guest crashes without it.", "Our"),
        ("If you run the test, it fails.", "you"),
        ("Drop it; it only confuses us.", "us"),
    ],
)
def test_body_pronoun_flags_personal_pronouns(sentence, word):
    found = fired(message_with(body=sentence), "body-pronoun")
    assert found and f'"{word}"' in found[0].message


@pytest.mark.parametrize(
    "body",
    [
        "Track I/O port accesses in the I-cache model.",
        "Wait 100 us before retrying.",
        'The SDM says "we recommend software to retry".',
        "Drop the check.\n\n  WARNING: we hit this in kvm_mmu_page_fault()\n",
        "> We should drop this.\n\nDrop it.",
        "Use the US bit of the PTE.",
    ],
)
def test_body_pronoun_ignores_quotes_logs_and_non_pronouns(body):
    assert not fired(message_with(body=body), "body-pronoun")


@pytest.mark.parametrize(
    "sentence",
    [
        "Call the function kvm_inject_gp to inject #GP.",
        "The kvm_vcpu_reset helper clears the state.",
        "Use kvm_inject_gp() here, as kvm_inject_gp also handles nested.",
    ],
)
def test_body_function_reference_flags_bare_function_names(sentence):
    assert fired(message_with(body=sentence), "body-function-reference")


def test_body_function_reference_uses_the_diff():
    diff = "+\tkvm_make_request(KVM_REQ_TLB_FLUSH, vcpu);\n"
    body = "Request a flush with kvm_make_request so the TLB is flushed."
    assert fired(message_with(body=body), "body-function-reference", diff=diff)
    assert not fired(message_with(body=body), "body-function-reference")


@pytest.mark.parametrize(
    "body",
    [
        "Call kvm_inject_gp() to inject #GP.",
        "Check the vmcs12->guest_cr0 field before reading it.",
        "Set the nested_run_pending flag.",
        "The kvm_intel module param enable_ept is read once.",
        "Set KVM_REQ_TLB_FLUSH for the vCPU.",
        "Read vcpu->arch.cr0 directly.",
    ],
)
def test_body_function_reference_accepts_data_and_parenthesized_names(body):
    assert not fired(message_with(body=body), "body-function-reference")


@pytest.mark.parametrize(
    "sentence",
    [
        "Per SDM section 27.3.4, the link pointer must be all ones.",
        "See the APM Vol. 2, Table 15-7 for the intercept.",
        "The SDM says so (Figure 26-1).",
    ],
)
def test_body_manual_reference_flags_numbers(sentence):
    assert fired(message_with(body=sentence), "body-manual-reference")


@pytest.mark.parametrize(
    "sentence",
    [
        'Per the SDM\'s "Checks on Guest Non-Register State", the pointer must be all ones.',
        "Table 5 of the PCI spec lists the BARs.",
        "Per the SDM, bits 63:52 are reserved.",
    ],
)
def test_body_manual_reference_accepts_names(sentence):
    assert not fired(message_with(body=sentence), "body-manual-reference")


def test_body_line_length_flags_long_prose_only():
    long_line = "Skip reloading the PDPTRs on CR0 writes that do not toggle CR0.PG, as it is moot."
    assert len(long_line) > 75
    found = fired(message_with(body=long_line), "body-line-length")
    assert found and found[0].column == 76
    exempt = "\n".join(
        [
            "Link the report: https://lore.kernel.org/all/20230105123456.12345-1-ada@example.org/T/#u",
            "",
            "  " + long_line,
            "> " + long_line,
        ]
    )
    assert not fired(message_with(body=exempt), "body-line-length")


@pytest.mark.parametrize(
    "notes",
    [
        "v2: Drop the WARN (Sean)",
        "Changes since v1:\n - Drop the WARN",
        "v1 -> v2: rebase",
        "v1: https://lore.kernel.org/all/20230101-1-ada@example.org",
    ],
)
def test_body_version_notes_flags_history_above_dashes(notes):
    assert fired(message_with(body="Drop the WARN.\n\n" + notes), "body-version-notes")


def test_body_version_notes_accepts_history_below_dashes():
    text = message_with(body="Drop the WARN.") + "---\nv2: Drop the WARN (Sean)\n"
    assert not fired(text, "body-version-notes")


def test_body_line_length_exempts_tags_in_the_body():
    tag = 'Fixes: 82a11e9c6fa2 ("KVM: SVM: Add emulation support for #GP triggered by SVM instructions")'
    assert not fired(message_with(body="Fix it.\n\n" + tag), "body-line-length")


def test_body_missing_speaks_of_the_cover_on_a_cover_letter():
    found = fired("[PATCH v2 0/3] KVM: x86: Skip PDPTR reloads\n", "body-missing")
    assert found and "cover letter" in found[0].message
