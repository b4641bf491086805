"""Every rule's catalog examples say what they claim: bad fires, good is clean.

``kvmwriter explain`` and README show each rule's bad and good example; an
example that does not fire (or a good one that does) teaches the wrong
thing.  Examples are written as a reader sees them: a subject, a changelog
sentence, a trailer block, a diff hunk, a cover letter or a command line.
Each is placed where it belongs in a whole message, and rules that read a
repository, a diff or a series get one built for real with git.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from kvmwriter.git.repo import Repository
from kvmwriter.lint.engine import Linter, read_message
from kvmwriter.lint.rules import Rule, catalog
from kvmwriter.review.series import SeriesReview, load_patch_files
from kvmwriter.text.message import parse_subject
from tests.conftest import SIGNOFF, git
from tests.conftest import commit_file as commit

SUBJECT = "KVM: x86: Drop a stale comment in kvm_set_cr0()"
BODY = "Drop a stale comment; the cache it describes is long gone."

#: Rules whose examples this test cannot judge, and where they are checked.
CHECKED_ELSEWHERE = {
    "grammar": (
        "opt-in: findings come from a LanguageTool server, so tests/test_grammar.py "
        "runs the rule against a real local server instead"
    ),
}

RULES = [rule for rule in catalog().values() if rule.name not in CHECKED_ELSEWHERE]


def is_whole_message(example: str) -> bool:
    """True for an example that is a message already: a prefixed subject, a blank line."""
    lines = example.splitlines()
    if len(lines) < 3 or lines[1].strip():
        return False
    return bool(parse_subject(lines[0]).components)


def as_message(rule: Rule, example: str) -> str:
    """``example`` placed where it belongs in a whole commit message."""
    if is_whole_message(example):
        return example + "\n"
    if rule.group == "subject":
        return f"{example}\n\n{BODY}\n\n{SIGNOFF}\n"
    if rule.group == "trailers":
        return f"{SUBJECT}\n\n{BODY}\n\n{example}\n"
    return f"{SUBJECT}\n\n{example}\n\n{SIGNOFF}\n"


def findings(rule: Rule, text: str, **context) -> list:
    """``rule``'s findings on ``text``, with the context given (repo, files, diff ...)."""
    linter = Linter.from_config(select=(rule.name,))
    cover = context.pop("cover", False)
    extras = context.pop("extras", {})
    message, _ = read_message(text, cover=cover)
    ctx = linter.context(**context)
    ctx.cover = cover
    ctx.extras.update(extras)
    return [f for f in linter.check(message, ctx) if f.rule == rule.name]


# -- one message, placed by group --------------------------------------------


def check_message(rule: Rule, example: str, tmp_path: Path) -> list:
    return findings(rule, as_message(rule, example))


def check_cover(rule: Rule, example: str, tmp_path: Path) -> list:
    return findings(rule, example + "\n", cover=True)


# -- rules that read git ------------------------------------------------------

FIXES_TITLE = "KVM: MMU: make kvm_mmu_zap_page() return the number of pages it actually freed"
EXAMPLE_SHA = "54a4f0239f2e"


def check_fixes_in_repo(rule: Rule, example: str, tmp_path: Path) -> list:
    """The Fixes: examples against a repository holding the commit they name."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    sha = commit(repo, "arch/x86/kvm/mmu.c", "int a;\n", FIXES_TITLE)
    # The example's sha is upstream's; this repository's commit has its own.
    example = example.replace(EXAMPLE_SHA, sha[:12])
    text = f"{SUBJECT}\n\n{BODY}\n\n{example}\n{SIGNOFF}\n"
    return findings(rule, text, repo=Repository.discover(repo))


def check_touched_files(rule: Rule, example: str, tmp_path: Path) -> list:
    """``SUBJECT  (touches PATH)``: the subject, with PATH staged in a real repository."""
    subject, _, path = example.partition("(touches ")
    path = path.rstrip(")")
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "README", "kvm\n", "Initial commit")
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text("int a;\n")
    git(repo, "add", path)
    files = tuple(git(repo, "diff", "--cached", "--name-only").split())
    text = f"{subject.strip()}\n\n{BODY}\n\n{SIGNOFF}\n"
    return findings(rule, text, repo=Repository.discover(repo), files=files)


def check_author(rule: Rule, example: str, tmp_path: Path) -> list:
    """``Author: NAME``, a blank line, then the trailers of a commit by NAME."""
    author_line, _, trailers = example.partition("\n\n")
    author = author_line.split(":", 1)[1].strip()
    text = f"{SUBJECT}\n\n{BODY}\n\n{trailers}\n"
    return findings(rule, text, extras={"author": author})


# -- rules that read a diff ---------------------------------------------------


def check_diff(rule: Rule, example: str, tmp_path: Path) -> list:
    """Added lines (``+...``) as a real ``git diff`` of a KVM source file."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    path = "arch/x86/kvm/x86.c"
    commit(repo, path, "int a;\n", "Initial commit")
    added = "\n".join(line[1:] for line in example.splitlines()) + "\n"
    (repo / path).write_text("int a;\n" + added)
    diff = git(repo, "diff")
    text = f"{SUBJECT}\n\n{BODY}\n\n{SIGNOFF}\n"
    return findings(rule, text, files=(path,), diff=diff)


# -- series rules --------------------------------------------------------------


def series_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "arch/x86/kvm/x86.c", "int a;\n", f"KVM: x86: Base\n\n{BODY}\n\n{SIGNOFF}")
    git(repo, "update-ref", "refs/remotes/kvm-x86/next", "main")
    git(repo, "checkout", "-q", "-b", "topic")
    return repo


def review_series(rule: Rule, repo: Path, files: list[Path]) -> list:
    linter = Linter.from_config(select=(rule.name,))
    review = SeriesReview(linter, Repository.discover(repo), from_files=True)
    for item in load_patch_files(files):
        review.check_item(item)
    return [f for f in review.finish().findings if f.rule == rule.name]


def path_for(subject: str, tag: str) -> str:
    if "kvm-unit-tests" in tag:
        return "x86/cr4.c"
    if "selftests" in subject:
        return "tools/testing/selftests/kvm/x86/fred_test.c"
    return "arch/x86/kvm/vmx/vmx.c"


def check_subject_list(rule: Rule, example: str, tmp_path: Path) -> list:
    """``[TAG] subject`` lines: one real commit each, posted with that tag.

    A line starting "(separately)" is another posting and not part of this series.
    """
    repo = series_repo(tmp_path)
    posted = []
    for index, line in enumerate(example.splitlines()):
        if line.startswith("(separately)"):
            continue
        tag, _, subject = line.partition("] ")
        tag += "]"
        commit(
            repo, path_for(subject, tag), f"int v{index};\n", f"{subject}\n\n{BODY}\n\n{SIGNOFF}"
        )
        posted.append(tag)
    out = tmp_path / "out"
    git(repo, "format-patch", "-q", "--base=main", "-o", str(out), "main..topic")
    files = sorted(out.iterdir())
    for path, tag in zip(files, posted):
        # Post each patch with the example's own tag ("[kvm-unit-tests PATCH 2/2]").
        lines = path.read_text().splitlines(keepends=True)
        for number, text in enumerate(lines):
            if text.startswith("Subject: "):
                lines[number] = "Subject: " + tag + text[len("Subject: ") :].split("] ", 1)[-1]
                break
        path.write_text("".join(lines))
    return review_series(rule, repo, files)


def check_command(rule: Rule, example: str, tmp_path: Path) -> list:
    """``git format-patch ...`` run for real on a three-patch topic branch."""
    repo = series_repo(tmp_path)
    for index in range(3):
        commit(
            repo,
            "arch/x86/kvm/x86.c",
            "int a;\n" + "".join(f"int b{n};\n" for n in range(index + 1)),
            f"KVM: x86: Add b{index}\n\n{BODY}\n\n{SIGNOFF}",
        )
    command = shlex.split(example.split("(", 1)[0])
    assert command[:2] == ["git", "format-patch"], example
    out = tmp_path / "out"
    git(repo, *command[1:], "-q", "-o", str(out))
    return review_series(rule, repo, sorted(out.iterdir()))


def check_patch_email(rule: Rule, example: str, tmp_path: Path) -> list:
    """A ``Subject:`` header, in a patch email that ``git format-patch`` wrote."""
    repo = series_repo(tmp_path)
    commit(repo, "arch/x86/kvm/x86.c", "int b;\n", f"{SUBJECT}\n\n{BODY}\n\n{SIGNOFF}")
    out = tmp_path / "out"
    git(repo, "format-patch", "-q", "-o", str(out), "main..topic")
    (path,) = out.iterdir()
    lines = path.read_text().splitlines(keepends=True)
    start = next(n for n, line in enumerate(lines) if line.startswith("Subject: "))
    end = start + 1
    while lines[end].startswith((" ", "\t")):
        end += 1  # A folded subject ends where the next header starts.
    lines[start:end] = [example + "\n"]
    return findings(rule, "".join(lines))


#: How each rule's examples are placed and given context, by rule name;
#: rules not listed are message rules placed by their group.
SPECIAL = {
    "subject-encoding": check_patch_email,
    "fixes-commit-unknown": check_fixes_in_repo,
    "fixes-title-mismatch": check_fixes_in_repo,
    "subject-topic-mismatch": check_touched_files,
    "signoff-author": check_author,
    "series-tests-missing": check_subject_list,
    "series-mixed-trees": check_subject_list,
    "series-base-missing": check_command,
    "series-in-reply-to": check_command,
}


def checker(rule: Rule):
    if rule.name in SPECIAL:
        return SPECIAL[rule.name]
    if rule.group == "diff":
        return check_diff
    if rule.group == "cover":
        return check_cover
    assert rule.scope == "message" and rule.group != "git", (
        f"{rule.name}: say how to build its context in SPECIAL or CHECKED_ELSEWHERE"
    )
    return check_message


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_bad_example_fires_its_rule(rule, tmp_path):
    found = checker(rule)(rule, rule.bad, tmp_path)
    assert found, f"{rule.name}'s bad example does not fire:\n{rule.bad}"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_good_example_is_clean_of_its_rule(rule, tmp_path):
    found = checker(rule)(rule, rule.good, tmp_path)
    assert not found, f"{rule.name}'s good example fires: {[f.message for f in found]}"


def test_every_rule_left_out_exists_and_says_why():
    rules = catalog()
    for name, reason in CHECKED_ELSEWHERE.items():
        assert name in rules and reason
