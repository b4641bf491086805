"""kvmwriter check/rules/explain as a user runs them: output, exit codes, errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT, message_with, run_cli

BAD = "kvm: x86: fixed a bug.\n\nThis patch fixes it.\n"
PATCH = """\
From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001
From: Ada Tester <ada@example.org>
Date: Mon, 6 Jan 2025 10:00:00 +0000
Subject: [PATCH v2 3/7] KVM: x86: fixed the PDPTR reload

This patch skips the reload.

Signed-off-by: Ada Tester <ada@example.org>
---
 arch/x86/kvm/x86.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/arch/x86/kvm/x86.c b/arch/x86/kvm/x86.c
index 1111111..2222222 100644
--- a/arch/x86/kvm/x86.c
+++ b/arch/x86/kvm/x86.c
@@ -1,3 +1,3 @@
-old
+new
--
2.43.0
"""


def test_check_clean_message_exits_zero(tmp_path):
    path = tmp_path / "msg"
    path.write_text(message_with())
    result = run_cli("check", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_check_text_format_points_at_line_and_column(tmp_path):
    path = tmp_path / "COMMIT_EDITMSG"
    path.write_text(BAD)
    result = run_cli("check", str(path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"{path}:1:1: error [subject-topic-case] 'kvm' must be spelled 'KVM'" in lines
    index = lines.index(f"{path}:1:1: error [subject-topic-case] 'kvm' must be spelled 'KVM'")
    assert lines[index + 1] == "    kvm: x86: fixed a bug."
    assert lines[index + 2] == "    ^"


def test_check_reads_stdin():
    result = run_cli("check", input=BAD)
    assert result.returncode == 1
    assert result.stdout.startswith("<stdin>:1:")
    assert run_cli("check", "-", input=message_with()).returncode == 0


def test_check_json_format_has_versioned_schema():
    result = run_cli("check", "--format", "json", input=BAD)
    data = json.loads(result.stdout)
    assert data["version"] == 1
    report = data["reports"][0]
    assert report["source"] == "<stdin>" and report["subject"] == "kvm: x86: fixed a bug."
    finding = report["findings"][0]
    assert set(finding) >= {"rule", "severity", "line", "column", "message"}
    assert {f["rule"] for f in report["findings"]} >= {"subject-mood", "body-mood"}


def test_check_terse_format_is_checkpatch_like():
    result = run_cli("check", "--format", "terse", input=BAD)
    lines = result.stdout.splitlines()
    assert any(
        line.startswith("-:1: ERROR: ") and line.endswith("[subject-mood]") for line in lines
    )
    assert any(": WARNING: " in line for line in lines)


def test_check_fail_on_warning_changes_exit_code():
    text = message_with(body="We drop the stale comment.")
    assert run_cli("check", input=text).returncode == 0
    assert run_cli("check", "--fail-on", "warning", input=text).returncode == 1


def test_check_select_and_ignore_choose_rules():
    result = run_cli("check", "--format", "json", "--select", "subject-mood", input=BAD)
    rules = {f["rule"] for f in json.loads(result.stdout)["reports"][0]["findings"]}
    assert rules == {"subject-mood"}
    result = run_cli("check", "--format", "json", "--ignore", "subject,body-mood", input=BAD)
    rules = {f["rule"] for f in json.loads(result.stdout)["reports"][0]["findings"]}
    assert rules and not any(r.startswith("subject-") or r == "body-mood" for r in rules)


def test_check_unknown_rule_is_usage_error():
    result = run_cli("check", "--select", "subject-moood", input=BAD)
    assert result.returncode == 2
    assert (
        result.stderr.strip() == "kvmwriter: unknown rule 'subject-moood' (see 'kvmwriter rules')"
    )


def test_check_config_file_sets_ignore_and_severity(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".kvmwriter.toml").write_text(
        'ignore = ["body-mood"]\n[severity]\n"subject-topic-case" = "info"\n'
    )
    result = run_cli("check", "--format", "json", cwd=tmp_path, input=BAD)
    findings = json.loads(result.stdout)["reports"][0]["findings"]
    assert "body-mood" not in {f["rule"] for f in findings}
    case = [f for f in findings if f["rule"] == "subject-topic-case"]
    assert case and case[0]["severity"] == "info"


def test_check_bad_config_is_one_line_error(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".kvmwriter.toml").write_text("ignore = [unterminated\n")
    result = run_cli("check", cwd=tmp_path, input=BAD)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "invalid TOML" in result.stderr


def test_check_profile_override_extends_verbs(tmp_path):
    (tmp_path / ".git").mkdir()
    text = message_with("KVM: x86: Kicks the vCPU")
    assert "subject-mood" in run_cli("check", "--format", "json", cwd=tmp_path, input=text).stdout
    (tmp_path / ".kvmwriter.toml").write_text('[profile-data.mood]\nextra_verbs = ["kicks"]\n')
    assert (
        "subject-mood" not in run_cli("check", "--format", "json", cwd=tmp_path, input=text).stdout
    )


def test_check_non_utf8_names_the_byte(tmp_path):
    path = tmp_path / "msg"
    path.write_bytes(b"KVM: x86: Fix foo()\n\nCaf\xe9 bytes\n")
    result = run_cli("check", str(path))
    assert result.returncode == 2
    assert result.stderr.strip() == f"kvmwriter: {path}:3:4: not UTF-8: byte 0xe9 cannot be decoded"


def test_check_rejects_huge_file(tmp_path):
    path = tmp_path / "huge"
    path.write_text("KVM: x86: Fix\n\n" + "a" * (1024 * 1024 + 10))
    result = run_cli("check", str(path))
    assert result.returncode == 2 and "larger than 1024 KiB" in result.stderr


@pytest.mark.parametrize(
    "target, expect", [("missing-file", "no such file"), (".", "is a directory")]
)
def test_check_unreadable_input_is_one_line(tmp_path, target, expect):
    result = run_cli("check", target, cwd=tmp_path)
    assert result.returncode == 2
    assert expect in result.stderr and "Traceback" not in result.stderr


def test_check_patch_email_strips_tag_and_keeps_file_lines(tmp_path):
    path = tmp_path / "0003-fix.patch"
    path.write_text(PATCH)
    result = run_cli("check", "--format", "json", str(path))
    report = json.loads(result.stdout)["reports"][0]
    assert report["subject"] == "KVM: x86: fixed the PDPTR reload"
    by_rule = {f["rule"]: f for f in report["findings"]}
    assert by_rule["subject-mood"]["line"] == 4
    assert by_rule["subject-mood"]["column"] == len("Subject: [PATCH v2 3/7] KVM: x86: ") + 1
    assert by_rule["body-mood"]["line"] == 6
    # The diff and diffstat are not part of the message.
    assert "body-line-length" not in by_rule and "signoff-missing" not in by_rule


def test_check_several_files_prints_summary(tmp_path):
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.write_text(message_with())
    bad.write_text(BAD)
    result = run_cli("check", str(good), str(bad))
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1].startswith("2 messages, ")


def test_check_treats_zero_of_n_as_cover_letter():
    cover = "[PATCH v2 0/3] KVM: x86: Skip PDPTR reloads\n\nThis series skips reloads.\n"
    result = run_cli("check", "--format", "json", input=cover)
    rules = {f["rule"] for f in json.loads(result.stdout)["reports"][0]["findings"]}
    assert "signoff-missing" not in rules


def test_rules_lists_every_rule():
    result = run_cli("rules")
    assert result.returncode == 0
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert "subject-prefix" in names and "change-id" in names


def test_explain_prints_rationale_and_examples():
    result = run_cli("explain", "subject-topic-x86-kvm")
    assert result.returncode == 0
    assert "DO NOT use x86/kvm!" in result.stdout
    assert "Bad\n" in result.stdout and "Good\n" in result.stdout


def test_explain_unknown_rule_suggests_closest():
    result = run_cli("explain", "subject-moood")
    assert result.returncode == 2
    assert "did you mean subject-mood?" in result.stderr


def test_check_does_not_import_textual_or_git():
    code = (
        "import sys, io; sys.stdin = io.TextIOWrapper(io.BytesIO(b'KVM: x86: Fix foo()\\n'));"
        "from kvmwriter.cli import main; main(['check', '--format', 'json']);"
        "assert 'textual' not in sys.modules, 'textual imported';"
        "assert 'git' not in sys.modules, 'GitPython imported'"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_every_rule_has_documentation():
    from kvmwriter.lint.rules import catalog

    for rule in catalog().values():
        assert rule.summary and rule.rationale and rule.bad and rule.good, rule.name
        assert rule.name == rule.name.lower() and " " not in rule.name
