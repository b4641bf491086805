"""Each rule's fix: the bad example becomes the good one, and a second run changes nothing."""

from __future__ import annotations

import pytest

from kvmwriter.lint.autofix import fix_all
from kvmwriter.lint.rules.trailers import lore_url
from tests.conftest import SIGNOFF, fired, fixed, lint, message_with


def fix_safe(text: str, **kwargs) -> str:
    """All safe fixes until nothing changes; assert a second run is a no-op."""
    run = fix_all(text, lambda t: lint(t, **kwargs))
    assert run.settled
    assert fix_all(run.text, lambda t: lint(t, **kwargs)).text == run.text
    return run.text


def first_line(text: str) -> str:
    return text.splitlines()[0]


@pytest.mark.parametrize(
    "bad, good",
    [
        ("KVM: x86: selftests: Add a test for CR4", "KVM: selftests: Add a test for CR4"),
        ("selftests: KVM: Add a test for CR4", "KVM: selftests: Add a test for CR4"),
        ("selftests: KVM: x86: Add a test for CR4", "KVM: selftests: Add a test for CR4"),
        ("kvm/selftests: Add a test for CR4", "KVM: selftests: Add a test for CR4"),
        ("KVM: selftest: Add a test for CR4", "KVM: selftests: Add a test for CR4"),
        ("selftests/kvm: Add a test for CR4", "KVM: selftests: Add a test for CR4"),
        ("kvm: selftests: add a test for CR4.", "KVM: selftests: Add a test for CR4"),
        ("KVM: KVM: x86: Drop a stale comment", "KVM: x86: Drop a stale comment"),
        ("KVM: x86: x86: Drop a stale comment", "KVM: x86: Drop a stale comment"),
        ("KVM: VMX: vmx: Drop a stale comment", "KVM: VMX: Drop a stale comment"),
        ("kvm: x86: Drop a stale comment", "KVM: x86: Drop a stale comment"),
        ("KVM: X86: Drop a stale comment", "KVM: x86: Drop a stale comment"),
        ("KVM: vmx: Drop a stale comment", "KVM: VMX: Drop a stale comment"),
    ],
)
def test_prefix_aliases_and_doubled_prefixes_become_the_handbooks_form(bad, good):
    assert first_line(fix_safe(message_with(bad))) == good


def test_x86_kvm_prefix_becomes_kvm_x86_for_kvm_files_only():
    text = message_with("x86/kvm: Drop a stale comment")
    assert (
        first_line(fix_safe(text, files=["arch/x86/kvm/x86.c"])) == "KVM: x86: Drop a stale comment"
    )
    # Without the files, the fix is offered but not applied unasked.
    assert first_line(fix_safe(text)) == "x86/kvm: Drop a stale comment"


@pytest.mark.parametrize(
    "subject, rule",
    [
        ("KVM: selftest: Add a test for CR4", "subject-selftests-prefix"),
        ("KVM: KVM: x86: Add a test for CR4", "subject-topic-unknown"),
        ("KVM: x86: x86: Add a test for CR4", "subject-prefix"),
        ("selftests: KVM: Add a test for CR4", "subject-selftests-prefix"),
        ("KVM: x86: selftests: Add a test for CR4", "subject-selftests-prefix"),
        ("kvm/selftests: Add a test for CR4", "subject-selftests-prefix"),
    ],
)
def test_a_prefix_rewrite_is_one_finding_not_two(subject, rule):
    findings = [
        f
        for f in lint(message_with(subject))
        if f.rule in ("subject-prefix", "subject-topic-unknown", "subject-selftests-prefix")
    ]
    assert [f.rule for f in findings] == [rule] and findings[0].fix.safe


def test_a_good_selftests_prefix_is_left_alone():
    assert not fired(message_with("KVM: selftests: TDX: Add a test for CR4"), "subject-prefix")


@pytest.mark.parametrize(
    "url, lore",
    [
        (
            "https://marc.info/?i=20230105123456.12345-1-ada@example.org",
            "https://lore.kernel.org/r/20230105123456.12345-1-ada@example.org",
        ),
        (
            "https://patchwork.kernel.org/project/kvm/patch/20230105.1-ada@example.org/",
            "https://lore.kernel.org/r/20230105.1-ada@example.org",
        ),
        (
            "https://www.mail-archive.com/search?l=mid&q=abc%40example.org",
            "https://lore.kernel.org/r/abc@example.org",
        ),
        ("https://lkml.org/lkml/2023/1/5/123", None),
        ("https://www.spinics.net/lists/kvm/msg12345.html", None),
        ("https://marc.info/?l=kvm&m=167293000000000", None),
    ],
)
def test_archive_links_map_to_lore_only_by_a_message_id_in_the_url(url, lore):
    assert lore_url(url) == lore
    text = message_with(trailers=f"Link: {url}\n{SIGNOFF}")
    (finding,) = fired(text, "link-lore")
    if lore is None:
        assert finding.fix is None
    else:
        assert finding.fix.safe and f"Link: {lore}\n" in fix_safe(text)


def test_version_notes_move_below_the_separator():
    text = (
        "KVM: x86: Skip the PDPTR reload\n\nSkip the reload.\n\n"
        "v2:\n - Drop the WARN (Sean)\n\nv1: https://lore.kernel.org/r/a@b.org\n\n" + SIGNOFF + "\n"
    )
    assert fix_safe(text) == (
        "KVM: x86: Skip the PDPTR reload\n\nSkip the reload.\n\n"
        + SIGNOFF
        + "\n---\nv2:\n - Drop the WARN (Sean)\n\n"
        "v1: https://lore.kernel.org/r/a@b.org\n"
    )


def test_version_notes_join_an_existing_separator():
    text = (
        "KVM: x86: Skip the PDPTR reload\n\nSkip the reload.\n\n"
        "Changes since v1:\n - Reword\n\n" + SIGNOFF + "\n---\n"
        "Tested on SPR.\n"
    )
    assert fix_safe(text) == (
        "KVM: x86: Skip the PDPTR reload\n\nSkip the reload.\n\n"
        + SIGNOFF
        + "\n---\nChanges since v1:\n - Reword\n\n"
        "Tested on SPR.\n"
    )


def test_version_notes_keep_the_changelog_after_them():
    text = (
        "KVM: x86: Skip the PDPTR reload\n\nv2: Skip it.\n\nSkip the reload.\n\n" + SIGNOFF + "\n"
    )
    assert fix_safe(text) == (
        "KVM: x86: Skip the PDPTR reload\n\nSkip the reload.\n\n"
        + SIGNOFF
        + "\n---\nv2: Skip it.\n"
    )


def test_version_notes_without_trailers_get_a_separator():
    text = "KVM: x86: Skip the PDPTR reload\n\nSkip the reload.\n\nv2: Reword.\n"
    assert fix_safe(text, ignore=("signoff-missing",)) == (
        "KVM: x86: Skip the PDPTR reload\n\nSkip the reload.\n---\nv2: Reword.\n"
    )


LONG = (
    "Skip reloading the PDPTRs on CR0 writes that do not toggle CR0.PG, as the reload "
    "is pointless.  The PDPTRs are reloaded on the next\nwrite that toggles paging "
    "anyway."
)


def test_an_over_long_paragraph_is_rewrapped_at_75_keeping_two_spaces():
    text = message_with(body="Keep this line.\n" + LONG)
    result = fix_safe(text)
    body = result.split("\n\n")[1]
    assert body == (
        "Keep this line.\n"
        "Skip reloading the PDPTRs on CR0 writes that do not toggle CR0.PG, as the\n"
        "reload is pointless.  The PDPTRs are reloaded on the next write that\n"
        "toggles paging anyway."
    )
    assert all(len(line) <= 75 for line in body.splitlines())
    assert " ".join(result.split()) == " ".join(text.split())


@pytest.mark.parametrize(
    "body",
    [
        "  indented code that is very long and must never be rewrapped by the fix, never, ever\n",
        "> quoted text that is very long and must never be rewrapped by the fix, never, ever ok\n",
        "[  12.345678] WARNING: CPU: 0 PID: 1 at arch/x86/kvm/x86.c:123 kvm_arch_vcpu_ioctl+0x1\n",
        "See https://lore.kernel.org/r/a@b.org for the whole story of why this is so long, ok\n",
    ],
)
def test_rewrap_never_touches_code_quotes_logs_or_urls(body):
    text = message_with(body="Skip the reload.\n\n" + body.rstrip("\n"))
    assert fix_safe(text) == text


def test_rewrap_never_starts_a_line_with_a_git_comment_character():
    words = "Inject " + "a #GP " * 11 + "into the guest when it writes reserved bits."
    text = message_with(body=words)
    for finding in fired(text, "body-line-length"):
        if finding.fix is not None:
            assert not any(line.startswith("#") for line in fixed(text, finding).splitlines())


def test_this_patch_adds_becomes_add_as_an_unsafe_fix():
    text = message_with(body="This patch adds a check for a NULL root.")
    (finding,) = fired(text, "body-mood")
    assert finding.fix is not None and not finding.fix.safe
    assert "\nAdd a check for a NULL root.\n" in fixed(text, finding)
    assert fix_safe(text) == text  # Not applied unasked.


def test_this_patch_mid_sentence_gets_no_fix():
    text = message_with(body="KVM is slow, so this patch adds a cache.")
    assert all(f.fix is None for f in fired(text, "body-mood"))


def test_topic_from_the_files_is_an_unsafe_fix():
    text = message_with("KVM: SVM: Fix the VMCS12 field check")
    (finding,) = fired(text, "subject-topic-mismatch", files=["arch/x86/kvm/vmx/nested.c"])
    assert not finding.fix.safe
    assert first_line(fixed(text, finding)) == "KVM: nVMX: Fix the VMCS12 field check"


def test_function_parentheses_come_from_the_diff():
    diff = "@@ -1,3 +1,3 @@ void kvm_set_cr0(struct kvm_vcpu *vcpu)\n+\tkvm_inject_gp(vcpu, 0);\n"
    text = message_with(body="Call kvm_inject_gp when the guest sets a reserved bit.")
    assert "Call kvm_inject_gp() when" in fix_safe(text, diff=diff)
    assert fix_safe(text) == text or "kvm_inject_gp()" not in fix_safe(text)


def test_a_function_name_alone_on_its_line_is_not_edited_unasked():
    body = "Call kvm_xen_init_timer() once.  The trace:\n\nhrtimer_init\nkvm_xen_init_timer\n"
    text = message_with(body=body.rstrip("\n"))
    assert "\nkvm_xen_init_timer\n" in fix_safe(text)


@pytest.mark.parametrize(
    "body, good",
    [
        ("We need to flush the TLB here.", "Flush the TLB here."),
        ("Otherwise our guest sees stale entries.", "Otherwise the guest sees stale entries."),
        ("Flush it.  We must zap the roots first.", "Flush it.  Zap the roots first."),
    ],
)
def test_we_and_our_rewrites_are_unsafe_fixes(body, good):
    text = message_with(body=body)
    (finding,) = fired(text, "body-pronoun")
    assert not finding.fix.safe and fixed(text, finding) == message_with(body=good)
    assert fix_safe(text) == text


def test_we_mid_sentence_gets_no_fix():
    text = message_with(body="KVM flushes, so we need to zap.")
    assert all(f.fix is None for f in fired(text, "body-pronoun"))
