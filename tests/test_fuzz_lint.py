"""No input makes the linter raise: plain messages and patch emails alike."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kvmwriter.lint.engine import Linter, check_text
from kvmwriter.text.patchmail import parse_patch_email

LINTER = Linter.from_config()

LINES = st.sampled_from(
    [
        "KVM: x86: Fix foo()",
        "kvm: vmx: fixed it.",
        "",
        "Signed-off-by: A <a@b.c>",
        "Co-developed-by: B <b@c.d>",
        'Fixes: 0123 ("x',
        "Cc: stable@kernel.org # 6.1",
        "Link: ftp://x",
        "Reported-by: syzbot",
        "  Call Trace:",
        "> We did",
        "---",
        "Subject: [PATCH v2 0/3] KVM: x86: Foo",
        "From: A <a@b.c>",
        "diff --git a/x b/x",
        "This patch adds we you I",
        "Per SDM section 1.2.3",
        "[sean: x",
        "Change-Id: I1",
        "From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001",
        "\t\tcode();",
        "1. item",
        "base-commit: abc",
        "Subject: =?utf-8?q?bad",
        "é ü 中文",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=25), st.booleans())
def test_linter_never_raises_on_message_like_input(lines, cover):
    text = "\n".join(lines)
    report, _ = check_text(LINTER, text, "fuzz", cover=cover)
    for finding in report.findings:
        assert finding.line >= 1 and finding.column >= 1


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_linter_never_raises_on_arbitrary_text(text):
    check_text(LINTER, text, "fuzz")
    parse_patch_email(text)
