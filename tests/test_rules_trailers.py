"""Trailer rules: each must fire on its bad cases and stay quiet on good ones."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kvmwriter.lint.findings import Severity
from tests.conftest import SIGNOFF, fired, message_with

GOOD_FIXES = 'Fixes: 54a4f0239f2e ("KVM: MMU: make kvm_mmu_zap_page() return the number of pages")'


@pytest.mark.parametrize(
    "tag",
    [
        'Fixes: 54a4f02 ("KVM: MMU: make kvm_mmu_zap_page() return")',
        "Fixes: 54a4f0239f2e KVM: MMU: make kvm_mmu_zap_page() return",
        'Fixes: 54A4F0239F2E ("KVM: MMU: make kvm_mmu_zap_page() return")',
        "Fixes: commit 54a4f0239f2e",
        'fixes: 54a4f0239f2e ("KVM: MMU: make kvm_mmu_zap_page() return")',
    ],
)
def test_fixes_format_flags_malformed_tags(tag):
    assert fired(message_with(trailers=tag + "\n" + SIGNOFF), "fixes-format")


def test_fixes_format_flags_wrapped_tag():
    tag = 'Fixes: 54a4f0239f2e ("KVM: MMU: make kvm_mmu_zap_page()\n  return the number")'
    assert fired(message_with(trailers=tag + "\n" + SIGNOFF), "fixes-format")


@pytest.mark.parametrize(
    "tag",
    [
        GOOD_FIXES,
        'Fixes: 0123456789abcdef ("Revert "KVM: x86: Fix foo()"")',
    ],
)
def test_fixes_format_accepts_canonical_tags(tag):
    assert not fired(message_with(trailers=tag + "\n" + SIGNOFF), "fixes-format")


def test_fixes_suggested_flags_bug_words_without_fixes():
    text = message_with(body="Fix a use-after-free when the IOAPIC is destroyed.")
    assert fired(text, "fixes-suggested")


def test_fixes_suggested_quiet_with_fixes_or_without_bug_words():
    text = message_with(body="Fix a use-after-free.", trailers=GOOD_FIXES + "\n" + SIGNOFF)
    assert not fired(text, "fixes-suggested")
    assert not fired(message_with(body="Rename the helper."), "fixes-suggested")
    # "leaks" inside another word is not a bug word.
    assert not fired(message_with(body="Rename leaksafe_init()."), "fixes-suggested")


@pytest.mark.parametrize(
    "subject, body",
    [
        ("KVM: x86: Fix the PDPTR reload on CR0 writes", "Reload the PDPTRs when CR0.PG changes."),
        ("KVM: nVMX: fix the CR0 check", "Check CR0.PE before CR0.PG."),
        ("KVM: x86: Reload the PDPTRs", "KVM's PDPTR cache is broken after migration."),
        ("KVM: x86: Reload the PDPTRs", "KVM incorrectly skips the reload on CR0 writes."),
        ("KVM: x86: Reload the PDPTRs", "KVM fails to reload the PDPTRs on CR0 writes."),
        ("KVM: x86: Size the array right", "The loop has an off-by-one and reads past it."),
        ("KVM: x86: Reload the PDPTRs", "KVM loads the wrong PDPTRs after migration."),
    ],
)
def test_fixes_suggested_flags_fix_subjects_and_bug_descriptions(subject, body):
    found = fired(message_with(subject=subject, body=body), "fixes-suggested")
    assert len(found) == 1 and found[0].severity == Severity.INFO


@pytest.mark.parametrize(
    "subject, body",
    [
        ("KVM: selftests: Fix typo in the hyperv CPUID test", "Spell 'permitted' right."),
        ("KVM: x86: Fix a comment in kvm_set_cr0()", "Say what the function returns."),
        ("KVM: x86: Fix the kernel-doc of kvm_set_cr0()", "Name every parameter."),
        ("KVM: x86: Reload the PDPTRs on CR0.PG writes", "Reload the PDPTRs on CR0.PG writes."),
    ],
)
def test_fixes_suggested_ignores_wording_fixes_and_features(subject, body):
    assert not fired(message_with(subject=subject, body=body), "fixes-suggested")


def test_fixes_suggested_quiet_when_a_fix_subject_has_fixes():
    text = message_with(
        subject="KVM: x86: Fix the PDPTR reload", trailers=GOOD_FIXES + "\n" + SIGNOFF
    )
    assert not fired(text, "fixes-suggested")


STABLE = "Cc: stable@vger.kernel.org"


@pytest.mark.parametrize(
    "cc", [STABLE, "Cc: <stable@vger.kernel.org> # 6.1.x", "Cc: stable@kernel.org"]
)
def test_stable_without_fixes_flags_backport_without_fixes(cc):
    text = message_with(
        body="Reject nested state larger than the buffer.", trailers=cc + "\n" + SIGNOFF
    )
    found = fired(text, "stable-without-fixes")
    assert [(f.line, f.severity) for f in found] == [(5, Severity.WARNING)]


@pytest.mark.parametrize(
    "body, trailers",
    [
        (
            "Reject nested state larger than the buffer.",
            GOOD_FIXES + "\n" + STABLE + "\n" + SIGNOFF,
        ),
        (
            "Reject nested state larger than the buffer.",
            "Cc: Paolo Bonzini <pbonzini@redhat.com>\n" + SIGNOFF,
        ),
        (
            "Clear the upper half of the exit code; KVM has treated it as 32 bits\n"
            "since KVM's inception.",
            STABLE + "\n" + SIGNOFF,
        ),
    ],
)
def test_stable_without_fixes_accepts_fixes_or_no_backport(body, trailers):
    assert not fired(message_with(body=body, trailers=trailers), "stable-without-fixes")


def test_stable_without_fixes_skips_records_without_trailers():
    from kvmwriter.lint.engine import Linter, read_message

    linter = Linter.from_config(select=("stable-without-fixes",))
    message, _ = read_message(message_with(trailers=STABLE + "\n" + SIGNOFF))
    ctx = linter.context()
    ctx.extras["trailers_stripped"] = True
    assert not linter.check(message, ctx)


@pytest.mark.parametrize(
    "cc",
    [
        "Cc: stable@kernel.org",
        "Cc: stable@vger.kernel",
        "Cc: Stable <stable@vger.kernel.org>",
        "Cc: stable",
    ],
)
def test_stable_address_flags_wrong_forms(cc):
    assert fired(message_with(trailers=cc + "\n" + SIGNOFF), "stable-address")


@pytest.mark.parametrize(
    "cc",
    [
        "Cc: stable@vger.kernel.org",
        "Cc: stable@vger.kernel.org # 6.1.x",
        "Cc: <stable@vger.kernel.org> # v5.10+",
        "Cc: Paolo Bonzini <pbonzini@redhat.com>",
    ],
)
def test_stable_address_accepts_canonical_forms(cc):
    assert not fired(message_with(trailers=cc + "\n" + SIGNOFF), "stable-address")


@pytest.mark.parametrize(
    "link",
    [
        "Link: https://lkml.org/lkml/2023/1/5/123",
        "Link: https://marc.info/?l=kvm&m=123",
        "Closes: https://www.spinics.net/lists/kvm/msg123.html",
        "Link: lore.kernel.org/r/20230105-1-ada@example.org",
        "Link: <20230105-1-ada@example.org>",
        # urlsplit() refuses these: still a finding, never a traceback.
        "Link: https://[abc",
        "Closes: https://lore.kernel.org]/r/x",
    ],
)
def test_link_lore_flags_other_archives_and_non_urls(link):
    assert fired(message_with(trailers=link + "\n" + SIGNOFF), "link-lore")


@pytest.mark.parametrize(
    "link",
    [
        "Link: https://lore.kernel.org/r/20230105-1-ada@example.org",
        "Closes: https://bugzilla.kernel.org/show_bug.cgi?id=218267",
        "Link: https://lore.kernel.org/all/20230105-1-ada@example.org # v2",
    ],
)
def test_link_lore_accepts_lore_and_bug_trackers(link):
    assert not fired(message_with(trailers=link + "\n" + SIGNOFF), "link-lore")


def test_reported_without_closes_flags_bare_reported_by():
    text = message_with(trailers="Reported-by: Bo Coder <bo@example.org>\n" + SIGNOFF)
    assert fired(text, "reported-without-closes")


def test_reported_without_closes_accepts_closes_or_link():
    for tag in ("Closes", "Link"):
        text = message_with(
            trailers="Reported-by: Bo Coder <bo@example.org>\n"
            f"{tag}: https://lore.kernel.org/r/x@y\n" + SIGNOFF
        )
        assert not fired(text, "reported-without-closes")


def test_signoff_missing_flags_no_signoff():
    assert fired(message_with(trailers="Cc: stable@vger.kernel.org"), "signoff-missing")
    assert fired(message_with(trailers=""), "signoff-missing")


def test_signoff_missing_quiet_with_signoff_or_on_cover():
    assert not fired(message_with(), "signoff-missing")
    assert not fired(message_with(trailers=""), "signoff-missing", cover=True)


def test_codevelop_signoff_flags_missing_or_other_signoff():
    bad = "Co-developed-by: Bo Coder <bo@example.org>\n" + SIGNOFF
    assert fired(message_with(trailers=bad), "codevelop-signoff")
    last = SIGNOFF + "\nCo-developed-by: Bo Coder <bo@example.org>"
    assert fired(message_with(trailers=last), "codevelop-signoff")


def test_codevelop_signoff_accepts_immediate_signoff():
    good = (
        "Co-developed-by: Bo Coder <bo@example.org>\n"
        "Signed-off-by: Bo Coder <bo@example.org>\n" + SIGNOFF
    )
    assert not fired(message_with(trailers=good), "codevelop-signoff")


@pytest.mark.parametrize(
    "trailers, expect",
    [
        ("Signed-of-by: Ada Tester <ada@example.org>", "Signed-off-by"),
        ("Reviewed-By: Bo Coder <bo@example.org>\n" + SIGNOFF, "Reviewed-by"),
        ("Reviewed-by: Bo Coder bo@example\n" + SIGNOFF, "Full Name"),
        (SIGNOFF + "\n" + SIGNOFF, "duplicate"),
        ("Acked-by:Bo Coder <bo@example.org>\n" + SIGNOFF, "one space"),
    ],
)
def test_trailer_format_flags_misspelled_and_malformed_tags(trailers, expect):
    found = fired(message_with(trailers=trailers), "trailer-format")
    assert found and any(expect in f.message for f in found)


def test_trailer_format_accepts_well_formed_block():
    good = (
        "Reported-by: syzbot+8a7c91f1ab9bc3e6a77e@syzkaller.appspotmail.com\n"
        "Closes: https://lore.kernel.org/all/x@y\n"
        "Suggested-by: Sean Christopherson <seanjc@google.com>\n"
        "Cc: stable@vger.kernel.org # 6.1.x\n"
        "Reviewed-by: Bo Coder <bo@example.org>\n" + SIGNOFF + "\n"
        "[sean: massage changelog]\n"
        "Signed-off-by: Sean Christopherson <seanjc@google.com>"
    )
    assert not fired(message_with(trailers=good), "trailer-format")


def test_change_id_flags_gerrit_ids():
    text = message_with(trailers="Change-Id: I0123456789abcdef0123456789abcdef01234567\n" + SIGNOFF)
    assert fired(text, "change-id")
    assert not fired(message_with(), "change-id")


def test_fixes_suggested_ignores_regression_tests():
    text = message_with(
        "KVM: selftests: Add a regression test for SEV-ES shutdown",
        body="Add a regression test for the shutdown path.",
    )
    assert not fired(text, "fixes-suggested")


def test_codevelop_signoff_out_of_place_is_a_warning():
    text = message_with(
        trailers="Co-developed-by: Bo Coder <bo@example.org>\n"
        + SIGNOFF
        + "\nSigned-off-by: Bo Coder <bo@example.org>"
    )
    found = fired(text, "codevelop-signoff")
    assert len(found) == 1 and found[0].severity == Severity.WARNING
    assert "right after" in found[0].message
    missing = fired(
        message_with(trailers="Co-developed-by: Bo Coder <bo@example.org>\n" + SIGNOFF),
        "codevelop-signoff",
    )
    assert missing[0].severity == Severity.ERROR


URL_PIECES = (
    "https",
    "http",
    "HTTP",
    "ftp",
    "1x",
    ":",
    "//",
    "/",
    "?",
    "#",
    "@",
    ".",
    "+",
    "-",
    "lore.kernel.org",
    "lkml.org",
    "r",
    "a b",
    "\t",
    "[::1]",
    "[",
    "]",
    "é",
    "\x7f",
    "\x00",
    "q=1",
    "",
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(URL_PIECES), max_size=8).map("".join))
def test_split_url_splits_as_urlsplit(url):
    from urllib.parse import urlsplit

    from kvmwriter.lint.rules.trailers import split_url

    try:
        expected = urlsplit(url)
    except ValueError:  # An invalid IPv6 host: no URL, whichever path runs.
        assert split_url(url) == ("", "", "")
        return
    assert split_url(url) == (expected.scheme, expected.netloc, expected.path)


def test_a_plain_link_is_checked_without_urllib():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from kvmwriter.lint.rules.trailers import split_url\n"
        "assert split_url('https://lkml.org/lkml/2023/1/5/123?x#y') == "
        "('https', 'lkml.org', '/lkml/2023/1/5/123')\n"
        "print('urllib.parse' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip() == "False", proc.stderr
