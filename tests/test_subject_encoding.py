"""subject-encoding: a subject is one line of plain text, raw or MIME-encoded."""

from __future__ import annotations

import base64

from tests.conftest import fired, message_with

RULE = "subject-encoding"


def patch_email(subject_header: str) -> str:
    return (
        "From 1234567890123456789012345678901234567890 Mon Sep 17 00:00:00 2001\n"
        "From: Ada Tester <ada@example.org>\n"
        "Date: Mon, 1 Jan 2024 00:00:00 +0000\n"
        f"Subject: {subject_header}\n\n"
        "Fix the check.\n\nSigned-off-by: Ada Tester <ada@example.org>\n---\n"
    )


def encoded(text: str) -> str:
    return "=?UTF-8?B?" + base64.b64encode(text.encode()).decode() + "?="


def test_encoded_subject_that_decodes_to_a_line_break_is_an_error():
    (hit,) = fired(patch_email("[PATCH] " + encoded("KVM: x86: Fix it\nSigned-off-by: X")), RULE)
    assert (hit.line, hit.column) == (4, len("Subject: [PATCH] ") + 1)
    assert "decodes to a line break" in hit.message


def test_encoded_subject_that_decodes_to_an_escape_is_an_error():
    (hit,) = fired(patch_email("[PATCH] =?UTF-8?Q?KVM:_x86:_Fix_it=1B[2J?="), RULE)
    assert "control character \\x1b" in hit.message
    assert "\x1b" not in hit.message


def test_encoded_c1_control_is_an_error():
    assert fired(patch_email("[PATCH] " + encoded("KVM: x86: Fix \x9b2J it")), RULE)


def test_raw_control_character_in_a_commit_subject_points_at_it():
    (hit,) = fired(message_with(subject="KVM: x86: Fix the\x1b[2J check"), RULE)
    assert (hit.line, hit.column) == (1, len("KVM: x86: Fix the") + 1)
    assert "holds the control character \\x1b" in hit.message


def test_encoded_non_ascii_subject_is_fine():
    assert not fired(patch_email("[PATCH] " + encoded("KVM: x86: Fix Jörg's check")), RULE)


def test_folded_plain_subject_is_fine():
    header = "[PATCH v2 3/7] KVM: x86: Fix the PDPTR check on\n a nested VM-Enter"
    assert not fired(patch_email(header), RULE)


def test_tab_in_a_subject_is_left_to_other_rules():
    assert not fired(message_with(subject="KVM: x86:\tFix the check"), RULE)
