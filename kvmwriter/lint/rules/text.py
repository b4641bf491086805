"""Text-quality rules: grammar (LanguageTool, opt-in) and spelling (offline).

Both read only prose: the subject's summary and the body's prose and list
blocks, with code, identifiers, SHAs, URLs and quoted text masked (see
:mod:`kvmwriter.text.prose`).
"""

from __future__ import annotations

from collections.abc import Iterator

from kvmwriter.lint.findings import Fix, Hit
from kvmwriter.lint.rules import CheckContext, rule
from kvmwriter.text.message import Message

PLAIN_ENGLISH = (
    "\"It's important to describe the change in plain English for the reviewer "
    'to verify that the code is behaving as you intend it to" '
    "(submitting-patches.rst, Describe your changes)."
)


def _replaced(message: Message, line: int, column: int, length: int, text: str) -> Fix:
    """Replace a word; a machine's guess, so the author confirms it."""
    original = message.line(line)[column - 1 : column - 1 + length]
    return Fix.replace(line, column, original, text, safe=False, description=f"write '{text}'")


@rule(
    "grammar",
    severity="warning",
    group="text",
    opt_in=True,
    summary="LanguageTool finds no grammar mistake in the changelog's prose.",
    rationale=(
        PLAIN_ENGLISH + " Reviewers otherwise point out grammar by hand.  Runs only "
        "when asked for (`kvmwriter check --grammar`) and only with a LanguageTool "
        "the user chose: a local one, a self-hosted server, or the public API when "
        "named explicitly, since drafts can be embargoed security fixes.  Code, "
        "identifiers, SHAs, URLs, quoted text, logs and trailers are never sent."
    ),
    bad="KVM: x86: Fix a races when zapping SPTEs\n\nThis are racy if the vCPU run.",
    good="KVM: x86: Fix a race when zapping SPTEs\n\nThe zap races with a running vCPU.",
)
def grammar(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    checker = ctx.extras.get("grammar")
    if checker is None:
        return
    # A front end that re-checks as the text changes passes an Event that
    # cancels the call (the drafting TUI); the CLI waits for the timeout.
    result = checker.check_message(message, cancel=ctx.extras.get("grammar_cancel"))
    ctx.extras["grammar_status"] = result.status
    for issue in result.issues:
        fix = None
        if issue.replacements and not issue.spans_lines:
            fix = _replaced(message, issue.line, issue.column, issue.length, issue.replacements[0])
        text = issue.message.rstrip()
        if issue.replacements:
            options = ", ".join(f"'{r}'" for r in issue.replacements[:3])
            text += f" (suggestion: {options})"
        yield Hit(issue.line, issue.column, f"{text} [{issue.rule_id}]", fix=fix)


@rule(
    "spelling",
    severity="warning",
    group="text",
    summary="No commonly misspelled word in the subject or the changelog's prose.",
    rationale=(
        PLAIN_ENGLISH + " checkpatch.pl flags the same misspellings (the kernel's "
        "spelling list and codespell's dictionary); catching them before posting saves "
        "a review round.  Identifiers, register and MSR names, acronyms, SHAs, URLs, "
        "quoted text, code, logs and trailers are never checked."
    ),
    bad="KVM: x86: Fix teh emulation of RDPID\n\nThe instruction is emulated seperately.",
    good="KVM: x86: Fix the emulation of RDPID\n\nThe instruction is emulated separately.",
)
def spelling(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    from kvmwriter.lint.spelling import Misspelling, describe, listed_misspellings

    ignore = ctx.profile.spelling.ignore
    for found in listed_misspellings(message, ignore):
        fix = None
        if isinstance(found, Misspelling) and found.suggestions:
            fix = _replaced(
                message, found.line, found.column, len(found.word), found.suggestions[0]
            )
        yield Hit(found.line, found.column, describe(found), fix=fix)
