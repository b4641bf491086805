"""The fix model: exact edits, applied together, conflicts left for a later pass."""

from __future__ import annotations

import json

from kvmwriter.lint.autofix import apply_fixes, fix_all, protected_lines
from kvmwriter.lint.findings import Edit, Finding, Fix, Severity
from tests.conftest import SIGNOFF, lint, message_with


def linted(**kwargs):
    return lambda text: lint(text, **kwargs)


def test_apply_fixes_replaces_exactly_the_span():
    text = "KVM: vmx: Fix foo\n\nBody.\n"
    result = apply_fixes(text, [Fix.replace(1, 6, "vmx", "VMX", safe=True)])
    assert result.text == "KVM: VMX: Fix foo\n\nBody.\n"
    assert len(result.applied) == 1 and not result.skipped


def test_apply_fixes_spans_lines_and_inserts():
    text = "one\ntwo\nthree\n"
    join = Fix((Edit(1, 4, 2, 1, " ", "\n"),), safe=True)
    append = Fix((Edit(4, 1, 4, 1, "four\n", ""),), safe=True)
    assert apply_fixes(text, [join, append]).text == "one two\nthree\nfour\n"


def test_apply_fixes_skips_an_overlapping_fix_for_the_next_pass():
    text = "KVM: x86: fix foo.\n"
    first = Fix.replace(1, 11, "fix", "Fix", safe=True)
    overlapping = Fix.replace(1, 11, "fix foo", "Fix bar", safe=True)
    result = apply_fixes(text, [first, overlapping])
    assert result.text == "KVM: x86: Fix foo.\n"
    assert result.skipped == (overlapping,)


def test_apply_fixes_takes_a_fix_whole_or_not_at_all():
    text = "alpha beta\n"
    taken = Fix.replace(1, 1, "alpha", "ALPHA", safe=True)
    half_colliding = Fix(
        (Edit.on_line(1, 7, "beta", "BETA"), Edit.on_line(1, 1, "a", "A")), safe=True
    )
    assert apply_fixes(text, [taken, half_colliding]).text == "ALPHA beta\n"


def test_apply_fixes_skips_stale_and_out_of_range_edits():
    text = "KVM: x86: Fix foo\n"
    stale = Fix.replace(1, 6, "vmx", "VMX", safe=True)
    beyond = Fix.replace(7, 1, "", "x", safe=True)
    past_the_line = Fix.replace(1, 30, "", "x", safe=True)
    result = apply_fixes(text, [stale, beyond, past_the_line])
    assert result.text == text and len(result.skipped) == 3


def test_apply_fixes_never_touches_a_protected_line():
    text = "KVM: x86: Fix foo\n# comment.\n"
    result = apply_fixes(text, [Fix.replace(2, 10, ".", "", safe=True)], protected={2})
    assert result.text == text


def test_protected_lines_are_git_comments():
    text = "KVM: x86: Fix foo\n\nBody.\n# Please enter the commit message\n#\n"
    assert protected_lines(text) == {4, 5}


def test_fix_all_settles_the_issue_example_in_one_call():
    text = "kvm: svm: fixed efer handling.\n\nHandle EFER.\n\n" + SIGNOFF + "\n"
    run = fix_all(text, linted())
    assert run.text.splitlines()[0] == "KVM: SVM: Fixed efer handling"
    assert run.settled and {"subject-topic-case", "subject-trailing-punctuation"} <= set(run.rules)
    assert fix_all(run.text, linted()).text == run.text


def test_fix_all_with_unsafe_fixes_changes_the_mood_too():
    text = "kvm: svm: fixed efer handling.\n\nHandle EFER.\n\n" + SIGNOFF + "\n"
    run = fix_all(text, linted(), unsafe=True)
    assert run.text.splitlines()[0] == "KVM: SVM: Fix efer handling"
    assert "subject-mood" in run.rules


def test_fix_all_relints_without_the_fixed_findings():
    text = message_with("kvm: x86: fix a leak in kvm_foo().")
    run = fix_all(text, linted())
    left = {f.rule for f in lint(run.text)}
    assert not left & {
        "subject-topic-case",
        "subject-capitalization",
        "subject-trailing-punctuation",
    }


def test_fix_all_leaves_comment_lines_alone():
    text = (
        "kvm: x86: Fix foo.\n\nFix foo.\n\n" + SIGNOFF + "\n"
        "# Please enter the commit message for your changes.\n# kvm: x86: fix foo.\n"
    )
    run = fix_all(text, linted())
    assert run.text.endswith("# kvm: x86: fix foo.\n")
    assert run.text.startswith("KVM: x86: Fix foo\n")


def test_fix_all_keeps_a_patch_emails_headers_and_diff_byte_identical():
    head = (
        "From 1234567890abcdef1234567890abcdef12345678 Mon Sep 17 00:00:00 2001\n"
        "From: Ada Tester <ada@example.org>\n"
        "Date: Mon, 1 Jan 2024 00:00:00 +0000\n"
        "Subject: [PATCH v2 1/2] kvm: x86: fix the thing.\n\n"
    )
    body = "Fix the thing.\n\n" + SIGNOFF + "\n"
    tail = (
        "---\n x86.c | 2 +-\n 1 file changed\n\n"
        "diff --git a/arch/x86/kvm/x86.c b/arch/x86/kvm/x86.c\n"
        "--- a/arch/x86/kvm/x86.c\n+++ b/arch/x86/kvm/x86.c\n"
        "@@ -1 +1 @@\n-kvm: x86: fix the thing.\n+Cc: stable@kernel.org\n--\n2.43.0\n"
    )
    run = fix_all(head + body + tail, linted())
    assert (
        run.text
        == head.replace("kvm: x86: fix the thing.", "KVM: x86: Fix the thing") + body + tail
    )


def test_finding_json_carries_the_fix_object():
    finding = Finding(
        1,
        6,
        "subject-topic-case",
        Severity.ERROR,
        "spell it 'VMX'",
        Fix.replace(1, 6, "vmx", "VMX", safe=True, description="spell 'VMX'"),
    )
    assert json.loads(json.dumps(finding.to_json()))["fix"] == {
        "safe": True,
        "description": "spell 'VMX'",
        "edits": [{"line": 1, "column": 6, "end_line": 1, "end_column": 9, "replacement": "VMX"}],
    }
