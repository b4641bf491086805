"""The message model: parsing, spans, lossless rendering, never raising."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kvmwriter.text.message import cleanup, parse_message, parse_subject

GOOD = """\
KVM: x86/mmu: Zap invalidated roots at 4KiB granularity

Zap invalidated TDP MMU roots at 4KiB granularity to avoid soft lockups
when the VM is torn down.

  BUG: soft lockup - CPU#3 stuck for 22s! [qemu:1234]
  Call Trace:
   kvm_tdp_mmu_zap_invalidated_roots+0x1c/0x40

> Quoted reply text.

Signed-off-by: Ada Tester <ada@example.org>
Cc: stable@vger.kernel.org # 6.1.x
---
v2: Drop the WARN.
"""


def test_parse_message_splits_subject_prefix_and_summary():
    message = parse_message(GOOD)
    subject = message.subject
    assert subject.prefix == "KVM: x86/mmu:"
    assert [t.name for t in subject.topics] == ["x86/mmu"]
    assert subject.summary == "Zap invalidated roots at 4KiB granularity"
    assert subject.summary_column == len("KVM: x86/mmu: ") + 1
    assert subject.topics[0].column == 6


def test_parse_message_types_blocks():
    message = parse_message(GOOD)
    kinds = [b.kind for p in message.paragraphs for b in p.blocks]
    assert kinds == ["prose", "log", "quoted"]
    assert message.paragraphs[0].first_line == 3


def test_parse_message_reads_trailers_with_lines():
    message = parse_message(GOOD)
    assert [(t.key, t.line) for t in message.trailers] == [("Signed-off-by", 12), ("Cc", 13)]
    assert message.trailers[0].address == "ada@example.org"
    assert message.trailers[1].person == "stable@vger.kernel.org"
    assert message.trailers[0].value_column == len("Signed-off-by: ") + 1


def test_parse_message_keeps_notes_after_dashes():
    message = parse_message(GOOD)
    assert [line.text for line in message.notes] == ["---", "v2: Drop the WARN."]


def test_parse_message_drops_comment_lines():
    text = "KVM: x86: Fix foo()\n# Please enter the commit message\n\nFix it.\n# comment\n"
    message = parse_message(text)
    assert [c.number for c in message.comments] == [2, 5]
    assert message.body_text == "Fix it."


def test_parse_message_stops_at_scissors():
    text = "KVM: x86: Fix\n\nBody.\n# ------------------------ >8 ------------------------\ndiff\n"
    message = parse_message(text)
    assert message.body_text == "Body."
    assert message.notes[-1].text == "diff"


def test_cleanup_matches_git_strip_mode():
    text = "Subject  \n# comment\n\n\n\nBody\n\n"
    assert cleanup(text) == "Subject\n\nBody\n"


def test_render_is_lossless_with_crlf_and_no_final_newline():
    text = "KVM: x86: Fix\r\n\r\nBody line\r\nSigned-off-by: A <a@b.c>"
    assert parse_message(text).render() == text


def test_trailer_block_needs_a_final_paragraph_of_tags():
    message = parse_message("KVM: x86: Fix\n\nNote: this is prose, not a tag.\n")
    assert message.trailers == ()
    assert message.body_text == "Note: this is prose, not a tag."


def test_trailer_block_tolerates_maintainer_notes():
    text = "KVM: x86: Fix\n\nBody.\n\nSigned-off-by: A <a@b.org>\n[sean: reword]\nSigned-off-by: S <s@b.org>\n"
    message = parse_message(text)
    assert [t.key for t in message.trailers] == ["Signed-off-by", "Signed-off-by"]


def test_parse_subject_strips_patch_tag_and_keeps_columns():
    subject = parse_subject("[PATCH v2 3/7] KVM: selftests: TDX: Add a test")
    assert subject.patch_tag == "[PATCH v2 3/7]"
    assert [t.name for t in subject.topics] == ["selftests", "TDX"]
    assert subject.summary == "Add a test"
    assert subject.column == len("[PATCH v2 3/7] ") + 1


def test_parse_subject_does_not_take_summary_words_as_topics():
    subject = parse_subject("KVM: SVM: Use ASID: the new way")
    assert [t.name for t in subject.topics] == ["SVM"]
    assert subject.summary == "Use ASID: the new way"


def test_parse_subject_of_revert_has_no_prefix():
    subject = parse_subject('Revert "KVM: x86: Fix foo"')
    assert subject.components == ()


def test_empty_message_parses():
    message = parse_message("")
    assert message.subject is None and message.paragraphs == () and message.render() == ""


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_message_never_raises_and_renders_back(text):
    message = parse_message(text)
    assert message.render() == text


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "KVM: x86: Fix foo",
                "",
                "Signed-off-by: A <a@b.c>",
                "  indented",
                "> quoted",
                "---",
                'Fixes: 0123456789ab ("x")',
                "# comment",
                "\tcode",
                "- item",
                "Cc: stable",
                "prose line",
                "Link: https://lore.kernel.org/r/x",
                "[sean: note]",
                "KVM:x86:",
                "kvm: vmx: y.",
            ]
        ),
        max_size=30,
    )
)
def test_parse_message_never_raises_on_message_like_input(lines):
    text = "\n".join(lines)
    message = parse_message(text)
    assert message.render() == text
    for trailer in message.trailers:
        assert message.line(trailer.line).startswith(trailer.key)


def test_wrapped_maintainer_note_is_not_folded_into_a_trailer():
    text = (
        "KVM: SEV: Fix\n\nBody.\n\nSigned-off-by: Ada Tester <ada@example.org>\n"
        "[mdr: Use gfn_to_hva_memslot_prot() for shared GFNs to deal with\n"
        " read-only slots.]\nSigned-off-by: Bo Coder <bo@example.org>\n"
    )
    message = parse_message(text)
    assert [t.value for t in message.trailers] == [
        "Ada Tester <ada@example.org>",
        "Bo Coder <bo@example.org>",
    ]
