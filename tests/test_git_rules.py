"""Git-aware rules on real repositories: Fixes: targets, topic vs files, authorship, comments."""

from __future__ import annotations

import pytest

from kvmwriter.git.repo import Repository
from kvmwriter.lint.engine import Linter
from kvmwriter.lint.findings import Severity
from kvmwriter.lint.rules.diff import added_comments
from kvmwriter.text.message import parse_message
from tests.conftest import fixed, git


def lint(text, *rules, **ctx):
    linter = Linter.from_config(select=list(rules))
    return linter.check(parse_message(text), linter.context(**ctx))


@pytest.fixture
def repo_with_target(make_repo):
    repo = make_repo()
    (repo / "x86.c").write_text("a\n")
    git(repo, "add", "x86.c")
    git(repo, "commit", "-q", "-m", "KVM: x86: Introduce the bug")
    sha = git(repo, "rev-parse", "HEAD").strip()
    return repo, sha


def message_fixing(sha, title):
    return (
        f'KVM: x86: Fix the bug\n\nFix it.\n\nFixes: {sha} ("{title}")\n'
        "Signed-off-by: Ada Tester <ada@example.org>\n"
    )


def test_fixes_commit_unknown_flags_a_missing_sha(repo_with_target):
    repo, _ = repo_with_target
    found = lint(
        message_fixing("0123456789ab", "KVM: x86: Nope"),
        "fixes-commit-unknown",
        repo=Repository.discover(repo),
    )
    assert [(f.rule, f.severity, f.line) for f in found] == [
        ("fixes-commit-unknown", Severity.ERROR, 5)
    ]
    assert "does not exist" in found[0].message


def test_fixes_commit_unknown_accepts_an_existing_sha(repo_with_target):
    repo, sha = repo_with_target
    text = message_fixing(sha[:12], "KVM: x86: Introduce the bug")
    assert lint(text, "git", repo=Repository.discover(repo)) == []


def test_fixes_rules_stay_silent_outside_a_repository():
    assert lint(message_fixing("0123456789ab", "KVM: x86: Nope"), "git") == []


def test_fixes_commit_unknown_is_info_in_a_shallow_clone(repo_with_target, tmp_path):
    repo, first = repo_with_target
    (repo / "x86.c").write_text("b\n")
    git(repo, "commit", "-q", "-am", "KVM: x86: Second")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    found = lint(
        message_fixing(first[:12], "KVM: x86: Introduce the bug"),
        "fixes-commit-unknown",
        repo=Repository.discover(clone),
    )
    assert [(f.severity, "cannot be verified" in f.message) for f in found] == [
        (Severity.INFO, True)
    ]


def test_fixes_title_mismatch_flags_a_wrong_title_and_offers_the_right_one(repo_with_target):
    repo, sha = repo_with_target
    text = message_fixing(sha[:12], "KVM: x86: Something else")
    found = lint(text, "fixes-title-mismatch", repo=Repository.discover(repo))
    assert len(found) == 1
    assert found[0].fix.safe
    assert fixed(text, found[0]) == message_fixing(sha[:12], "KVM: x86: Introduce the bug")


def test_subject_topic_mismatch_flags_svm_on_a_vmx_only_change():
    text = "KVM: SVM: Fix the VMCS field check\n\nFix it.\n"
    found = lint(text, "subject-topic-mismatch", files=("arch/x86/kvm/vmx/nested.c",))
    assert len(found) == 1 and "KVM: nVMX:" in found[0].message


@pytest.mark.parametrize(
    "subject, files",
    [
        ("KVM: x86/pmu: Disable PEBS", ("arch/x86/kvm/vmx/vmx.c",)),
        ("KVM: x86: Fix it", ("arch/x86/kvm/svm/svm.c",)),
        ("KVM: SEV: Fix it", ("arch/x86/kvm/svm/svm.c",)),
        ("KVM: nVMX: Fix it", ("arch/x86/kvm/vmx/vmx.c", "arch/x86/kvm/x86.c")),
        ("KVM: selftests: Add a test", ("tools/testing/selftests/kvm/x86/a_test.c",)),
        ("KVM: VMX: Fix it", ("include/linux/kvm_host.h",)),
    ],
)
def test_subject_topic_mismatch_accepts_compatible_topics(subject, files):
    assert lint(subject + "\n\nFix it.\n", "subject-topic-mismatch", files=files) == []


def test_subject_topic_mismatch_is_silent_without_files():
    assert lint("KVM: SVM: Fix it\n\nFix it.\n", "subject-topic-mismatch") == []


def test_signoff_author_flags_a_message_the_author_did_not_sign():
    text = "KVM: x86: Fix it\n\nFix it.\n\nSigned-off-by: Bo Coder <bo@example.org>\n"
    found = lint(text, "signoff-author", extras={"author": "Ada Tester <ada@example.org>"})
    assert len(found) == 1 and found[0].line == 5
    assert lint(text, "signoff-author", extras={"author": "Bo Coder <BO@example.org>"}) == []
    assert lint(text, "signoff-author") == []


DIFF = """diff --git a/arch/x86/kvm/x86.c b/arch/x86/kvm/x86.c
--- a/arch/x86/kvm/x86.c
+++ b/arch/x86/kvm/x86.c
@@ -10,3 +10,14 @@ static int old(void)
 	int a;
+	/* We flush here so our TLB stays sane. */
+	/*
+	 * Per SDM section 27.3.4, the pointer must be all ones.
+	 */
+	/* Handle I/O exits. */
 	return a;
+/**
+ * kvm_do_foo - Do foo
+ * @vcpu: the vCPU
+ */
+static void kvm_do_foo(struct kvm_vcpu *vcpu)
 }
"""


def test_comment_rules_read_added_comments_in_the_diff():
    text = "KVM: x86: Add foo\n\nAdd foo.\n"
    found = lint(text, "diff", diff=DIFF)
    assert [f.rule for f in found] == [
        "comment-kernel-doc",
        "comment-manual-reference",
        "comment-pronoun",
    ]
    pronoun = next(f for f in found if f.rule == "comment-pronoun")
    assert "arch/x86/kvm/x86.c:11" in pronoun.message and "'We'" in pronoun.message
    kernel_doc = next(f for f in found if f.rule == "comment-kernel-doc")
    assert kernel_doc.severity == Severity.INFO and "kvm_do_foo()" in kernel_doc.message


def test_comment_rules_point_at_the_patch_line_when_the_diff_is_in_the_email():
    found = lint(
        "KVM: x86: Add foo\n\nAdd foo.\n",
        "comment-pronoun",
        diff=DIFF,
        extras={"diff_first_line": 20},
    )
    assert found[0].line == 20 + 5


def test_comment_rules_ignore_removed_and_context_comments():
    diff = (
        "diff --git a/arch/x86/kvm/x86.c b/arch/x86/kvm/x86.c\n--- a/arch/x86/kvm/x86.c\n"
        "+++ b/arch/x86/kvm/x86.c\n@@ -1,3 +1,3 @@\n /* We keep this. */\n"
        "-/* We drop this. */\n+int x; /* Count exits. */\n"
    )
    assert lint("KVM: x86: Add x\n\nAdd x.\n", "diff", diff=diff) == []
    assert [c.text for c in added_comments(diff)] == ["Count exits."]


def test_kernel_doc_outside_kvm_files_is_fine():
    diff = DIFF.replace("arch/x86/kvm/x86.c", "drivers/foo/bar.c")
    assert lint("KVM: x86: Add foo\n\nAdd foo.\n", "comment-kernel-doc", diff=diff) == []


def test_comment_pronoun_ignores_microseconds_and_io():
    diff = (
        "diff --git a/arch/x86/kvm/x86.c b/arch/x86/kvm/x86.c\n--- a/arch/x86/kvm/x86.c\n"
        "+++ b/arch/x86/kvm/x86.c\n@@ -1,1 +1,2 @@\n int x;\n"
        "+/* Wait 10 us for I/O to drain, the US bit stays set. */\n"
    )
    assert lint("KVM: x86: Add x\n\nAdd x.\n", "comment-pronoun", diff=diff) == []
