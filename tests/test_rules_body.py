"""Body rules: each must fire on its bad cases and stay quiet on good ones."""

from __future__ import annotations

import pytest

from kvmwriter.lint.findings import Severity
from tests.conftest import fired, message_with

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


# Background with no imperative in it, longer than the short-context limit.
DETAILS = (
    "The decoder reuses its buffers across instructions, so bytes of a previous\n"
    "instruction can reach the decode of the next one when the new instruction\n"
    "is shorter.  The cost of clearing them is a few stores per emulated\n"
    "instruction, which is noise next to the cost of the VM-Exit itself."
)


def test_body_what_first_flags_long_background_opening():
    found = fired(message_with(body=BACKGROUND), "body-what-first")
    assert found and found[0].line == 3


BURIED = (
    "Currently, KVM reloads the PDPTRs on every write to CR0, even when the write\n"
    "does not toggle paging.  The reload reads guest memory, which is slow when\n"
    "the PDPTRs live in MMIO or in memory that is not yet faulted in.\n\n"
    "On CPUs with EPT the reload is pointless, as the PDPTRs are loaded from\n"
    "the VMCS on VM-Entry.  The extra accesses show up in profiles of nested\n"
    "workloads, where L1 writes CR0 on every nested VM-Exit and VM-Entry.\n\n"
    "Skip the reload when CR0.PG is unchanged."
)


def test_body_what_first_warns_when_two_paragraphs_bury_the_change():
    found = fired(message_with(body=BURIED), "body-what-first")
    assert [(f.line, f.severity) for f in found] == [(3, Severity.WARNING)]
    assert "2 paragraphs of background" in found[0].message


def test_body_what_first_gives_advice_on_one_paragraph_of_context():
    found = fired(message_with(body=BACKGROUND), "body-what-first")
    assert [f.severity for f in found] == [Severity.INFO]


def test_body_what_first_warns_on_background_that_never_states_the_change():
    body = BURIED.rsplit("\n\n", 1)[0]
    found = fired(message_with(body=body), "body-what-first")
    assert [f.severity for f in found] == [Severity.WARNING]


@pytest.mark.parametrize(
    "opener",
    [
        "Currently, KVM doesn't",
        "Today, KVM doesn't",
        "At present KVM doesn't",
        "Right now KVM doesn't",
    ],
)
def test_body_what_first_flags_background_openers(opener):
    body = (
        f"{opener} reload the PDPTRs when L1 writes CR0.  The stale values then\n"
        "reach L2 on the next nested VM-Entry.\n\n"
        "Reload the PDPTRs when CR0.PG changes."
    )
    found = fired(message_with(body=body), "body-what-first")
    assert len(found) == 1 and opener.split()[0] in found[0].message


@pytest.mark.parametrize(
    "body",
    [
        "Skip the PDPTR reload on CR0 writes that don't toggle CR0.PG.\n\n" + BACKGROUND,
        "When emulating SGDT in 64-bit mode, write all 10 bytes of the descriptor.",
        "In preparation for moving the MMU lock, drop the unused parameter.",
        "Currently, CR0 is reloaded.  Skip the reload when CR0.PG is unchanged.",
        "Now that the helper is gone, drop its declaration.",
        # A subordinate clause with commas of its own before the imperative.
        "When re-injecting a soft interrupt from an INT3, INT0, or (select) INTn\n"
        "instruction, discard the exception and retry the instruction if the code\n"
        "stream is changed between when the CPU executes the instruction and when\n"
        "KVM decodes it.\n\n"
        "Failure to verify the decoded instruction clobbers guest state.  The bug\n"
        "shows up as int3 panics in Linux guests.",
        "In preparation for SNP, declutter the VMSA setup code by moving the\n"
        "SEV-ES parts to a helper.  The helper is reused by SNP later.  No\n"
        "functional change intended.",
        "Zero-initialize the emulator's operand buffers before decoding.\n\n" + DETAILS,
        "Don't reload the PDPTRs when CR0.PG is unchanged.\n\n" + DETAILS,
        "Do not reload the PDPTRs when CR0.PG is unchanged.\n\n" + DETAILS,
        "Explicitly set/clear CR8 write interception when AVIC is toggled.\n\n" + DETAILS,
        # At most two sentences: "if both are super short the order doesn't matter".
        "KVM reloads the PDPTRs on every CR0 write, even when paging is unchanged,\n"
        "which shows up in nested profiles.\n\nSkip the reload when CR0.PG is unchanged.",
        # What the patch does, in the wrong mood: body-mood's finding, not this one.
        "This patch fixes the PDPTR reload on CR0 writes.  The reload is slow.  It\n"
        "shows up in profiles of nested workloads.",
        # A maintainer's note is no paragraph of background.
        "Skip the PDPTR reload when CR0.PG is unchanged.  The reload is slow.  It\n"
        "shows up in profiles.\n\n[sean: massage changelog]",
    ],
)
def test_body_what_first_accepts_what_first_or_short_context(body):
    assert not fired(message_with(body=body), "body-what-first")


@pytest.mark.parametrize(
    "sentence",
    [
        "If the value is zero, the vCPU can take another event.",
        "In short, if the knob is off, IBRS is not virtualized.",
        "So save/restore is completely broken.",
        "Reset can leave the vCPU in SMM with INIT blocked.",
        "Note, the guest can't provide the buffer in that case.",
        "Consider two vCPUs that share an ASID after a CPU hotplug.",
        'To make sure the page is mapped, "vmx_set_nested_state()" raises a request.',
        "`kvm_vcpu_reset()` clears the state before the vCPU runs.",
    ],
)
def test_body_what_first_reads_background_sentences_as_background(sentence):
    body = f"{sentence}  The rest follows.  More context here.\n\nFix the leak."
    assert fired(message_with(body=body), "body-what-first")


def test_body_what_first_reads_long_connective_chains_in_linear_time():
    body = "And " * 20_000 + "so on.  More.  Even more."
    assert fired(message_with(body=body), "body-what-first")


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


@pytest.mark.parametrize(
    "output",
    [
        "./tools/testing/selftests/kvm/x86/debug_regs.c:169:32-33: WARNING: Use ARRAY_SIZE.",
        "arch/x86/kvm/vmx/vmx.c:8123:13: warning: no previous prototype for 'vmx_foo_helper'",
        "arch/x86/kvm/svm/sev.c:2345:20: sparse: sparse: incorrect type in assignment (different",
        "In file included from arch/x86/kvm/vmx/nested.c:12, arch/x86/kvm/vmx/vmx.h:7, and more",
        "ld: vmlinux.o: in function `kvm_arch_vcpu_ioctl_run': undefined reference to `foo_bar'",
        "make[4]: *** [scripts/Makefile.build:243: arch/x86/kvm/vmx/vmx.o] Error 1 (and then more)",
        "ERROR: Missing Signed-off-by: line(s) in the patch that checkpatch read just now, sorry",
    ],
)
def test_body_line_length_exempts_pasted_tool_output(output):
    assert len(output) > 75
    body = f"Use ARRAY_SIZE() to size the array, as Coccinelle suggests:\n\n{output}"
    assert not fired(message_with(body=body), "body-line-length")


def test_body_line_length_still_flags_prose_that_names_a_location():
    prose = "The code at arch/x86/kvm/x86.c line 12 reads CR0 twice, which races with the vCPU."
    assert len(prose) > 75
    assert fired(message_with(body=prose), "body-line-length")


def test_body_missing_speaks_of_the_cover_on_a_cover_letter():
    found = fired("[PATCH v2 0/3] KVM: x86: Skip PDPTR reloads\n", "body-missing")
    assert found and "cover letter" in found[0].message


def test_body_line_length_allows_up_to_80_columns_as_advice():
    line = "Skip reloading the PDPTRs on CR0 writes that leave CR0.PG as it was, as before."
    assert 75 < len(line) <= 80
    (finding,) = fired(message_with(body=line), "body-line-length")
    assert finding.severity is Severity.INFO and "good reason" in finding.message
    # Advice is offered, never applied behind the author's back by --fix.
    assert finding.fix is not None and not finding.fix.safe
    longer = line[:-1] + " at all, ever."
    assert len(longer) > 80
    (finding,) = fired(message_with(body=longer), "body-line-length")
    assert finding.severity is Severity.WARNING and finding.fix is not None and finding.fix.safe


@pytest.mark.parametrize(
    "opening",
    [
        "As per the GHCB spec, when using GHCB v2+ require the software scratch area\n"
        "to reside in the GHCB's shared buffer.",
        "When running with EPT disabled skip the reload of the PDPTRs on writes to CR0.",
    ],
)
def test_body_what_first_reads_a_main_clause_without_its_comma(opening):
    body = opening + "\n\n" + DETAILS + "\n\n" + DETAILS
    assert not fired(message_with(body=body), "body-what-first")


@pytest.mark.parametrize(
    "opening",
    [
        # The verb after a participle still belongs to the subordinate clause.
        "When using EPT to access the PDPTRs, the CPU reads them from the VMCS.",
        "When vCPUs share the same root, the reload is pointless on CR0 writes.",
    ],
)
def test_body_what_first_still_flags_subordinate_verbs(opening):
    body = opening + "\n\n" + DETAILS + "\n\n" + DETAILS + "\n\nSkip the reload."
    assert fired(message_with(body=body), "body-what-first")
