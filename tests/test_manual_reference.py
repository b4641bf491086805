"""body-manual-reference: every numbered SDM/APM reference, pointed at by its number."""

from __future__ import annotations

import time

import pytest

from kvmwriter.lint.profile import load_profile
from kvmwriter.lint.rules.manuals import manual_patterns
from tests.conftest import fired, message_with


@pytest.mark.parametrize(
    "sentence, reference",
    [
        ("Per the SDM, Section 24.8.3, the bit is reserved on VM-Entry.", "Section 24.8.3"),
        ("See section 26.2.1.3 of the SDM for the guest state checks.", "section 26.2.1.3"),
        ("The SDM lists the exit qualification in Table 24-13.", "Table 24-13"),
        ("The SDM draws the paging structures in Figure 3-2.", "Figure 3-2"),
        ("Per APM 15.20, the event injection field is cleared on VMRUN.", "15.20"),
        ("Clear the pending debug exceptions, see SDM 24.8.1.", "24.8.1"),
        ("Per SDM Vol. 3C, Section 24.8.3, the bit is reserved on VM-Entry.", "Section 24.8.3"),
        ("Per the Intel SDM vol 1. 13.10, XSTATE_BV is written on XSAVE.", "13.10"),
    ],
)
def test_body_manual_reference_points_at_the_number(sentence, reference):
    found = fired(message_with(body=sentence), "body-manual-reference")
    assert found, sentence
    assert found[0].column == sentence.index(reference) + 1
    assert f'"{reference}"' in found[0].message


@pytest.mark.parametrize(
    "sentence",
    [
        "See the APM volume 2 for how the intercept is reported.",
        "The SDM Vol. 3C describes VMX in detail.",
        'Per the SDM\'s "Checks on Guest Non-Register State", the pointer must be all ones.',
        "Version 6.18 of the SDM changed nothing here.",
    ],
)
def test_body_manual_reference_accepts_volumes_and_names(sentence):
    assert not fired(message_with(body=sentence), "body-manual-reference")


def test_comment_manual_reference_flags_a_bare_section_number_in_a_comment():
    diff = (
        "diff --git a/arch/x86/kvm/vmx/nested.c b/arch/x86/kvm/vmx/nested.c\n"
        "--- a/arch/x86/kvm/vmx/nested.c\n"
        "+++ b/arch/x86/kvm/vmx/nested.c\n"
        "@@ -10,3 +10,4 @@ static int nested_vmx_check_guest_state(struct kvm_vcpu *vcpu)\n"
        " \tint r;\n"
        "+\t/* Per APM 15.20, the event injection field is cleared. */\n"
        " \treturn 0;\n"
        " }\n"
    )
    found = fired(message_with(), "comment-manual-reference", diff=diff)
    assert found and '"15.20"' in found[0].message


@pytest.mark.parametrize("unit", ["SDM 1.", "vol 1 ", "section 1-", "APM vol. 1, 1.", "1.1."])
def test_numbered_reference_search_is_linear(unit):
    located = manual_patterns(load_profile()).located
    line = unit * (100_000 // len(unit))
    start = time.perf_counter()
    located.search(line)
    assert time.perf_counter() - start < 2.0
