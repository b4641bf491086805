"""Fix a whole series: each commit's message with its safe fixes, then one reword.

:func:`plan_fixes` lints every commit of a range the way ``review`` does
and runs :func:`kvmwriter.lint.autofix.fix_all` over its message;
:func:`apply_plan` rewords the commits that changed through
:func:`kvmwriter.git.reword.reword_commits`, the review app's machinery, in
one rebase that is rolled back whole on any failure.

No Textual, no printing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kvmwriter.lint.autofix import fix_all
from kvmwriter.lint.findings import Finding
from kvmwriter.review.series import SeriesItem, SeriesReview
from kvmwriter.text.message import parse_message


@dataclass(frozen=True)
class CommitFix:
    """What the fixes change in one commit's message."""

    sha: str
    subject: str
    old: str
    new: str
    #: Names of the rules whose fixes were applied, once each, in order.
    rules: tuple[str, ...]
    #: How many fixes were applied.
    count: int
    settled: bool = True


def item_linter(review: SeriesReview, item: SeriesItem):
    """Lint an edited text of ``item`` the way the review lints the commit."""

    def lint(text: str) -> list[Finding]:
        edited = SeriesItem(
            source=item.source,
            text=text,
            message=parse_message(text),
            files=item.files,
            diff=item.diff,
            author=item.author,
            sha=item.sha,
        )
        report = review.check_item(edited)
        return report.findings if report is not None else []

    return lint


def plan_fixes(
    review: SeriesReview, items: Iterable[SeriesItem], *, unsafe: bool = False
) -> list[CommitFix]:
    """The commits of ``items`` whose messages the fixes change, oldest first."""
    plan: list[CommitFix] = []
    for item in items:
        if item.is_merge or item.sha is None:
            continue
        run = fix_all(item.text, item_linter(review, item), unsafe=unsafe)
        if run.changed:
            plan.append(
                CommitFix(
                    item.sha,
                    item.subject,
                    item.text,
                    run.text,
                    tuple(run.rules),
                    len(run.applied),
                    run.settled,
                )
            )
    return plan


def apply_plan(repo, plan: list[CommitFix]):
    """Reword every planned commit at once; return the
    :class:`kvmwriter.git.reword.RewordResult` (``RewordError`` on failure,
    with the branch as it was)."""
    from kvmwriter.git.reword import reword_commits

    return reword_commits(repo, {fix.sha: fix.new for fix in plan})


def changed_lines(fix: CommitFix) -> list[str]:
    """The message lines the fixes changed, as ``-old`` / ``+new`` lines."""
    import difflib

    old = fix.old.splitlines()
    new = fix.new.splitlines()
    diff = list(difflib.unified_diff(old, new, n=0, lineterm=""))[2:]  # No file headers.
    return [line for line in diff if not line.startswith("@@")]


def printable(text: str) -> str:
    """``text`` with control characters shown as ``\\xNN``: a commit message
    must never drive the terminal it is printed on."""
    from kvmwriter.text.terminal import visible_line

    return visible_line(text)


def needs_diffs(review: SeriesReview) -> bool:
    """Whether a fix reads the diff (``()`` on functions the diff shows)."""
    return review.needs_diffs or any(
        rule.name == "body-function-reference" for rule in review.linter.rules
    )


__all__ = [
    "CommitFix",
    "apply_plan",
    "changed_lines",
    "item_linter",
    "needs_diffs",
    "plan_fixes",
    "printable",
]
