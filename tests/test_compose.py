"""compose: the draft rendered as a message, and read back."""

from __future__ import annotations

from kvmwriter.compose.commit import (
    Draft,
    add_function_parens,
    bare_function_mentions,
    compose,
    compose_with_origins,
    diff_function_names,
    draft_from_message,
    paragraphs_of,
    split_editor_file,
    wrap_prose,
)

DIFF = """\
diff --git a/arch/x86/kvm/vmx/nested.c b/arch/x86/kvm/vmx/nested.c
--- a/arch/x86/kvm/vmx/nested.c
+++ b/arch/x86/kvm/vmx/nested.c
@@ -20,7 +20,7 @@ static int nested_vmx_check_controls(struct kvm_vcpu *vcpu,
 	if (!vmx_control_verify(vmcs12->pin_based_vm_exec_control,
-				low, high))
+				high, low))
+	WARN_ON_ONCE(kvm_is_bad(vcpu));
 		return -EINVAL;
+	pr_err("call(%d)", x);
"""


def full_draft() -> Draft:
    return Draft(
        prefix="KVM: nVMX:",
        summary="Fix the pin-based checks",
        what="Swap the arguments.",
        why="The SDM says so.",
        fixes='0123456789ab ("KVM: nVMX: Check pins")',
        cc_stable=True,
        link="https://lore.kernel.org/all/x@y",
        reported_by="Bo <bo@example.org>",
        co_developed_by="Cy <cy@example.org>",
        signoff="Signed-off-by: Ada <ada@example.org>",
    )


def test_compose_orders_what_before_why_and_trailers_last():
    text = compose(full_draft())
    assert text == (
        "KVM: nVMX: Fix the pin-based checks\n\nSwap the arguments.\n\nThe SDM says so.\n\n"
        'Fixes: 0123456789ab ("KVM: nVMX: Check pins")\nReported-by: Bo <bo@example.org>\n'
        "Link: https://lore.kernel.org/all/x@y\nCc: stable@vger.kernel.org\n"
        "Co-developed-by: Cy <cy@example.org>\nSigned-off-by: Cy <cy@example.org>\n"
        "Signed-off-by: Ada <ada@example.org>\n"
    )


def test_compose_puts_testing_summary_below_dashes_only_for_notes_place():
    draft = Draft(summary="Fix it")
    assert compose(draft, "Testing:\n- Ran KVM selftests").endswith(
        "\n---\nTesting:\n- Ran KVM selftests\n"
    )
    draft.testing_place = "cover"
    assert "---" not in compose(draft, "Testing:\n- Ran KVM selftests")


def test_compose_origins_map_lines_to_fields():
    draft = full_draft()
    draft.why = "First line of why.\n\nSecond paragraph."
    text, origins = compose_with_origins(draft)
    lines = text.splitlines()
    assert len(lines) == len(origins)
    assert origins[0].field == "summary"
    assert origins[lines.index("Second paragraph.")].field == "why"
    assert origins[lines.index("Second paragraph.")].row == 2
    assert origins[lines.index("Cc: stable@vger.kernel.org")].field == "cc_stable"


def test_wrap_prose_reflows_prose_and_keeps_code_and_lists():
    text = ("word " * 30).strip() + "\n\n  code(line) stays   as is\n\n- item one\n- item two"
    wrapped = wrap_prose(text)
    assert all(len(line) <= 72 for line in wrapped.splitlines())
    assert "  code(line) stays   as is" in wrapped
    assert "- item one\n- item two" in wrapped


def test_fixes_field_accepts_a_pasted_fixes_prefix():
    text = compose(Draft(summary="S", fixes='Fixes: 0123456789ab ("x")'))
    assert 'Fixes: 0123456789ab ("x")' in text
    assert "Fixes: Fixes:" not in text


def test_draft_from_message_round_trips_compose():
    draft = full_draft()
    text = compose(draft)
    back = draft_from_message(text, "Signed-off-by: Ada <ada@example.org>")
    assert compose(back) == text


def test_draft_from_message_keeps_trailer_block_verbatim_and_notes():
    text = (
        "KVM: x86: Do a thing\n\nWhat.\n\nSigned-off-by: Bo <bo@example.org>\n"
        "[ada: reworded the changelog]\nReviewed-by: Rev <r@example.org>\n"
        "Signed-off-by: Ada <ada@example.org>\n---\nv2: reworded\n"
    )
    draft = draft_from_message(text, "Signed-off-by: Ada <ada@example.org>")
    assert draft.extra_trailers == [
        "Signed-off-by: Bo <bo@example.org>",
        "[ada: reworded the changelog]",
        "Reviewed-by: Rev <r@example.org>",
        "Signed-off-by: Ada <ada@example.org>",
    ]
    assert draft.signoff == ""
    assert draft.notes == "v2: reworded"
    assert compose(draft) == text


def test_draft_from_message_offers_own_signoff_when_missing():
    draft = draft_from_message("KVM: x86: Do it\n\nWhat.\n", "Signed-off-by: Ada <ada@example.org>")
    assert compose(draft).endswith("What.\n\nSigned-off-by: Ada <ada@example.org>\n")


def test_new_tags_go_before_kept_trailers_and_stable_is_not_doubled():
    draft = draft_from_message(
        "KVM: x86: Do it\n\nWhat.\n\nCc: stable@vger.kernel.org\n"
        "Signed-off-by: Ada <ada@example.org>\n"
    )
    assert draft.cc_stable
    draft.fixes = '0123456789ab ("KVM: x86: Old")'
    assert compose(draft).endswith(
        '\n\nFixes: 0123456789ab ("KVM: x86: Old")\n'
        "Cc: stable@vger.kernel.org\n"
        "Signed-off-by: Ada <ada@example.org>\n"
    )


def test_reworded_paragraphs_keep_their_wrapping():
    long_line = "A line that an existing commit wrapped at seventy-nine columns, on purpose, ok."
    text = f"KVM: x86: Do it\n\n{long_line}\n"
    draft = draft_from_message(text)
    assert compose(draft, keep=paragraphs_of(draft)) == text
    assert compose(draft) != text


def test_diff_function_names_reads_hunk_headers_calls_and_skips_macros():
    names = diff_function_names(DIFF)
    assert "nested_vmx_check_controls" in names
    assert "vmx_control_verify" in names
    assert "kvm_is_bad" in names
    assert "WARN_ON_ONCE" not in names
    assert "call" not in names  # inside a string literal
    assert "if" not in names


def test_add_function_parens_marks_bare_names_only():
    text = "Fix foo_bar and foo_bar() in foo_bar_baz, not obj->foo_bar."
    fixed = add_function_parens(text, ["foo_bar"])
    assert fixed == "Fix foo_bar() and foo_bar() in foo_bar_baz, not obj->foo_bar."
    assert bare_function_mentions(fixed, ["foo_bar"]) == []
    assert bare_function_mentions(text, ["foo_bar", "absent"]) == ["foo_bar"]


def test_split_editor_file_drops_git_comments_and_verbose_diff():
    text = (
        "KVM: x86: Subject\n\nBody.\n# Please enter the commit message\n#\n"
        "# ------------------------ >8 ------------------------\n"
        "# Do not modify or remove the line above.\ndiff --git a/x b/x\n"
    )
    message, tail = split_editor_file(text)
    assert message == "KVM: x86: Subject\n\nBody.\n"
    assert tail == ""


def test_split_editor_file_keeps_b4_tracking_section_verbatim():
    tracking = (
        "--- b4-submit-tracking ---\n# This section is used internally by b4 prep "
        'for tracking purposes.\n{"series": {"revision": 1}}\n'
    )
    message, tail = split_editor_file("Cover subject\n\nCover body.\n\n" + tracking)
    assert message == "Cover subject\n\nCover body.\n"
    assert tail == tracking


def test_draft_from_json_ignores_unknown_and_mistyped_keys():
    draft = Draft.from_json({"summary": "S", "cc_stable": "yes", "tested": "x", "bogus": 1})
    assert draft.summary == "S"
    assert draft.cc_stable is False
    assert draft.tested == []


def test_wrap_prose_keeps_paragraphs_that_already_fit():
    text = "A line wrapped by hand at a short width,\nthen the rest of the sentence."
    assert wrap_prose(text) == text


def test_real_messages_round_trip_through_a_draft(corpus_records):
    from kvmwriter.text.message import cleanup

    changed = []
    for record in corpus_records:
        text = cleanup(record["subject"] + "\n\n" + (record.get("body") or "") + "\n")
        draft = draft_from_message(text)
        if compose(draft, keep=paragraphs_of(draft)) != text:
            changed.append(record["subject"])
    # Only subjects with a malformed prefix ("kvm:x86 :") come back changed.
    assert len(changed) <= len(corpus_records) // 200, changed[:5]


def test_split_editor_file_honours_a_custom_comment_char():
    message, _ = split_editor_file("Subject\n\nBody.\n; Please enter the message\n", ";")
    assert message == "Subject\n\nBody.\n"


def test_origins_map_each_wrapped_line_to_its_column_in_the_typed_line():
    typed = (
        "Drop the stale shadow page before re-entering the guest, so that the "
        "next fault rebuilds it from the current guest page tables and sees "
        "the updated permissions."
    )
    message, origins = compose_with_origins(
        Draft(prefix="KVM: x86/mmu:", summary="Drop stale pages", what=typed)
    )
    lines = message.splitlines()
    wrapped = [(line, origin) for line, origin in zip(lines, origins) if origin.field == "what"]
    assert len(wrapped) > 1, "the typed line must wrap for this test to mean anything"
    for line, origin in wrapped:
        assert origin.row == 0
        assert typed[origin.column : origin.column + len(line)] == line


def test_origins_map_a_repeated_phrase_to_its_own_occurrence():
    phrase = "flush the TLB"
    typed = " ".join([f"Step {n}: {phrase} for the vCPU and then continue." for n in range(8)])
    _, origins = compose_with_origins(Draft(summary="Flush", what=typed))
    columns = [o.column for o in origins if o.field == "what"]
    assert columns == sorted(columns) and len(set(columns)) == len(columns)
