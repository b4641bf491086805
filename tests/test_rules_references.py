"""commit-reference: commits named in prose, checked as written and against a real repository."""

from __future__ import annotations

import time

import pytest

from kvmwriter.git.repo import Repository
from kvmwriter.lint.engine import Linter
from kvmwriter.lint.findings import Severity
from kvmwriter.lint.rules import get_rule
from kvmwriter.text.message import parse_message
from tests.conftest import SIGNOFF, fired, fixed, git, message_with, run_cli

TITLE = "KVM: x86: Move the CR4 check into kvm_is_valid_cr4()"


def lint_in(repo, text):
    linter = Linter.from_config(select=["commit-reference"])
    return linter.check(parse_message(text), linter.context(repo=Repository.discover(repo)))


@pytest.fixture
def repo_with_target(make_repo):
    repo = make_repo()
    (repo / "x86.c").write_text("a\n")
    git(repo, "add", "x86.c")
    git(repo, "commit", "-q", "-m", TITLE)
    return repo, git(repo, "rev-parse", "HEAD").strip()


@pytest.mark.parametrize(
    "body, problem",
    [
        (f'Commit 04746f8 ("{TITLE}") moved the check, but missed L2.', "12 characters"),
        ("Commit 04746f8a1b2c moved the check, but missed L2.", "subject"),
        ("The check was added by commit\n04746f8a1b2c, which missed L2.", "subject"),
        ("Commit 04746f8 moved the check.", "12 characters of the commit id; add"),
    ],
)
def test_commit_reference_flags_short_ids_and_missing_titles(body, problem):
    found = fired(message_with(body=body), "commit-reference")
    assert len(found) == 1 and problem in found[0].message
    assert found[0].line == 3 + body[: body.index("04746f8")].count("\n")


@pytest.mark.parametrize(
    "body",
    [
        f'Commit 04746f8a1b2c ("{TITLE}") moved the check.',
        'Since commit 04746f8a1b2c ("KVM: x86: Move the CR4 check into\nkvm_is_valid_cr4()"), '
        "the check runs twice.",
        f'Commit 04746f8a1b2c ("{TITLE}", 2023-01-05) moved it.',
        f'Commit 04746f8a1b2c, "{TITLE}", moved it.',
        "Commit 04746f8a1b2c (KVM: x86: Move the CR4 check) moved it.",
        f'Commit 04746f8a1b2c ("{TITLE}") moved it.  Before commit 04746f8a1b2c, L2 was fine.',
        "Xen commit d1bd157fbc added the MSR in 2006.",
        "commit 5a5fbdc0e3f1159a734f1890da60fce70e98271d upstream.\n\nBackport the fix.",
        "The commit added a helper; the commit defaced nothing.",
    ],
)
def test_commit_reference_accepts_titled_and_foreign_references(body):
    assert not fired(message_with(body=body), "commit-reference")


def test_commit_reference_accepts_an_id_its_fixes_tag_introduces():
    text = message_with(
        body="Zap the SPTE first.  While commit 04746f8a1b2c was right, it missed L2.",
        trailers=f'Fixes: 04746f8a1b2c ("{TITLE}")\n{SIGNOFF}',
    )
    assert not fired(text, "commit-reference")


def test_commit_reference_trusts_stripped_trailers_with_the_title_only():
    # A record whose trailers were stripped may have introduced the id in a
    # Fixes: tag; the short id is still the text's own mistake.
    linter = Linter.from_config(select=("commit-reference",))
    text = message_with(body="Zap the SPTE first.  Commit 04746f8a1b2c was right, but missed L2.")
    ctx = linter.context()
    ctx.extras["trailers_stripped"] = True
    assert not linter.check(parse_message(text), ctx)
    assert fired(text, "commit-reference")
    short = message_with(body="Zap the SPTE first.  Commit 04746f8 was right, but missed L2.")
    ctx = linter.context()
    ctx.extras["trailers_stripped"] = True
    (finding,) = linter.check(parse_message(short), ctx)
    assert "12 characters" in finding.message and "subject" not in finding.message


def test_commit_reference_fixes_a_short_untitled_id_from_the_repository(repo_with_target):
    repo, sha = repo_with_target
    text = message_with(body=f"Commit {sha[:7]} moved the check, but missed L2.")
    found = lint_in(repo, text)
    assert len(found) == 1 and found[0].fix.safe
    assert fixed(text, found[0]) == message_with(
        body=f'Commit {sha[:12]} ("{TITLE}") moved the check, but missed L2.'
    )


def test_commit_reference_flags_a_title_that_is_not_the_subject(repo_with_target):
    repo, sha = repo_with_target
    text = message_with(body=f'Commit {sha[:12]} ("KVM: x86: Move a check\nsomewhere") missed L2.')
    found = lint_in(repo, text)
    assert len(found) == 1 and f'"{TITLE}"' in found[0].message
    assert fixed(text, found[0]) == message_with(body=f'Commit {sha[:12]} ("{TITLE}") missed L2.')


def test_commit_reference_accepts_a_verified_reference(repo_with_target):
    repo, sha = repo_with_target
    wrapped = TITLE.replace(" into ", " into\n")
    assert lint_in(repo, message_with(body=f'Commit {sha[:12]} ("{wrapped}") missed L2.')) == []


def test_commit_reference_flags_an_id_the_repository_does_not_have(repo_with_target):
    repo, _ = repo_with_target
    found = lint_in(repo, message_with(body=f'Commit 0123456789ab ("{TITLE}") missed L2.'))
    assert len(found) == 1 and "does not exist" in found[0].message
    assert found[0].severity == Severity.WARNING and found[0].fix is None


def test_commit_reference_catalog_examples():
    rule = get_rule("commit-reference")
    assert fired(message_with(body=rule.bad), "commit-reference")
    assert not fired(message_with(body=rule.good), "commit-reference")


@pytest.mark.parametrize(
    "unit", ['commit 1a2b3c4d5e6f ("', "commit 1a2b3 ", '("x', "commit\n", "x", "a_", "-"]
)
def test_commit_references_are_read_in_linear_time(unit):
    # Imported here: importing a rule module before the catalog loads would
    # register its rules ahead of their group's, reordering the catalog.
    from kvmwriter.lint.rules.references import commit_references

    text = message_with(body=unit * (100_000 // len(unit)))
    block = next(parse_message(text).prose_blocks)
    start = time.perf_counter()
    list(commit_references(block))
    assert time.perf_counter() - start < 3.0


def test_check_opens_the_repository_for_a_commit_reference(repo_with_target):
    repo, sha = repo_with_target
    path = repo / "message.txt"
    path.write_text(message_with(body=f'Commit {sha[:12]} ("KVM: x86: Nope") missed L2.'))
    result = run_cli("check", "--select", "commit-reference", str(path), cwd=repo)
    assert result.stderr == ""
    assert f'the title is not its subject "{TITLE}"' in result.stdout
