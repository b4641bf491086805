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


LOCKDEP = """KVM: x86: Take SRCU when reading the PDPTRs for KVM_GET_SREGS2

Take kvm->srcu around the PDPTR reads, as they may access guest memory.

=============================
WARNING: suspicious RCU usage in kvm_vcpu_gfn_to_memslot
6.13.0-rc2+ #7 Not tainted

include/linux/kvm_host.h:1062 suspicious rcu_dereference_check() usage!

other info that might help us debug this:

rcu_scheduler_active = 2, debug_locks = 1
1 lock held by qemu/4242:

Call Trace:
 <TASK>
 dump_stack_lvl+0xf0/0x120

Found while fuzzing KVM_GET_SREGS2.
"""


def kinds_by_line(text: str) -> dict[int, str]:
    message = parse_message(text)
    return {
        line.number: block.kind
        for paragraph in message.paragraphs
        for block in paragraph.blocks
        for line in block.lines
    }


def test_a_splat_pasted_at_column_one_is_log_across_its_blank_lines():
    kinds = kinds_by_line(LOCKDEP)
    assert kinds[3] == "prose" and kinds[20] == "prose"
    assert all(kinds[number] == "log" for number in range(5, 19) if number in kinds)
    message = parse_message(LOCKDEP)
    assert "us debug" not in "\n".join(block.text for block in message.prose_blocks)


def test_register_dumps_and_cut_here_lines_are_log():
    text = (
        "KVM: x86: Fix it\n\nFix the crash.\n\n"
        "------------[ cut here ]------------\n"
        "RAX: 0000000000000000 RBX: ffff888100a3c000 RCX: 0000000000000001\n"
        "R10: 0000000000000001 R11: 0000000000000000 R12: ffff888100a3c000\n"
        "CS:  0010 DS: 0000 ES: 0000 CR0: 0000000080050033\n"
        "Code: 48 89 e5 41 57 <0f> 0b\n"
    )
    kinds = kinds_by_line(text)
    assert [kinds[number] for number in range(5, 10)] == ["log"] * 5


def test_prose_between_two_logs_stays_prose():
    text = (
        "KVM: x86: Fix it\n\nFix the crash.\n\n"
        "WARNING: CPU: 0 PID: 1 at arch/x86/kvm/x86.c:123 kvm_foo+0x1/0x2\n\n"
        "The first warning comes from the reload.  The second one follows it.\n\n"
        "WARNING: CPU: 0 PID: 1 at arch/x86/kvm/x86.c:456 kvm_bar+0x1/0x2\n"
        "That one is benign, as the vCPU is torn down anyway.\n"
    )
    kinds = kinds_by_line(text)
    assert kinds[7] == "prose" and kinds[10] == "prose"


def test_many_fragments_between_logs_stay_prose():
    # More short paragraphs than a splat breaks into are the author's notes.
    notes = "\n\n".join(f"note {index} about the splat" for index in range(4))
    text = (
        "KVM: x86: Fix it\n\nFix the crash.\n\n"
        "RIP: 0010:kvm_foo+0x1/0x2\n\n" + notes + "\n\nRIP: 0010:kvm_bar+0x1/0x2\n"
    )
    kinds = kinds_by_line(text)
    assert kinds[7] == "prose"
