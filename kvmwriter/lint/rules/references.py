"""Commit references in changelog prose: ``commit <12+ hex> ("<subject>")``.

The form is checkpatch's GIT_COMMIT_ID; with a repository, the sha must
name one commit and the quoted title must be that commit's subject, as
fixes-commit-unknown and fixes-title-mismatch verify for Fixes: tags
(through the same helpers).
"""

from __future__ import annotations

from collections.abc import Iterator

from kvmwriter.lint.findings import Edit, Fix, Hit, Severity
from kvmwriter.lint.rules import CheckContext, rule
from kvmwriter.lint.rules.git import resolve_commit, same_title
from kvmwriter.records import NamedTuple
from kvmwriter.text.lazyre import lazy
from kvmwriter.text.message import Block, Message

SUBMITTING = "submitting-patches.rst, Describe your changes"

# "commit 1a2b3c4d5e6f", the id holding a digit so that English words made
# of hex letters ("commit added", "commit defaced") are never ids.
_REFERENCE = lazy(r"\b[Cc]ommit\s+(?=[0-9a-fA-F]*\d)(?P<sha>[0-9a-fA-F]{5,40})\b(?![\w-])")
# The word before "commit", read from a few characters before it (a bounded
# look: matching it as part of _REFERENCE rescans a long word at each of
# its characters).  A commit of another project or a stable backport's
# "[ Upstream commit <sha> ]" follows other rules.
_PREVIOUS_WORD = lazy(r"([\w-]+)\s+$")
# What follows the id: a title in one of the shapes kernel changelogs use,
# ("title"), ("title", 2019-04-02), , "title" or (prefix: title).  Bounded,
# and spanning at most three lines, so an unclosed one costs a constant,
# not the rest of the block.  A '("' that closes in no way read here
# (past the block, or too long) still says a title is there.
_TITLE = lazy(
    r"[ \t\n]*,?[ \t\n]*(?:"
    r"\([ \t]*[\"“](?P<paren>[^\n]{0,200}?(?:\n[^\n]{0,200}?){0,2})[\"”]"
    r"(?:,[^()\"\n]{0,40})?[ \t]*\)"
    r"|[\"“](?P<quoted>[^\"”\n]{0,200}(?:\n[^\"”\n]{0,200}){0,2})[\"”]"
    r"|\((?P<unquoted>[\w/.-]+:[ \t\n]|[ \t]*[\"“])"
    r")"
)
_SHA = lazy(r"[0-9a-fA-F]{5,40}\b")
# "commit <sha> upstream." opens a stable backport, as git cherry-pick -x
# and the stable tools write it.
_UPSTREAM = lazy(r"[ \t]+upstream\b")

#: Words before "commit" that say it is not a kernel commit, or that the
#: reference follows another convention (stable's "upstream commit <sha>").
_FOREIGN = frozenset(
    {
        "upstream",
        "xen",
        "qemu",
        "kvm-unit-tests",
        "edk2",
        "ovmf",
        "libvirt",
        "seabios",
        "gcc",
        "llvm",
        "clang",
        "binutils",
        "mainline",
        "reverts",
    }
)


class CommitReference(NamedTuple):
    """One ``commit <sha> [("<title>")]`` in a prose block."""

    sha: str
    #: Offsets in the block's text: the sha, and the end of what a fix
    #: rewrites (the quoted title's closing mark, else the sha).
    start: int
    end: int
    #: The quoted title; None when there is none or it is unquoted.
    title: str | None
    #: An unquoted "(KVM: x86: Do ...)" title: present, but where it ends
    #: is unknown, so it is neither compared nor rewritten.
    unquoted_title: bool = False

    @property
    def has_title(self) -> bool:
        return self.title is not None or self.unquoted_title


def commit_references(block: Block) -> Iterator[CommitReference]:
    text = block.text
    if "ommit" not in text:
        return  # _REFERENCE needs "commit" or "Commit": most blocks name none.
    for match in _REFERENCE.finditer(text):
        before = _PREVIOUS_WORD.search(text[max(0, match.start() - 24) : match.start()])
        if before is not None and before.group(1).lower() in _FOREIGN:
            continue
        sha, start, end = match.group("sha"), match.start("sha"), match.end("sha")
        if _UPSTREAM.match(text, end):
            continue
        title = _TITLE.match(text, end)
        if title is None:
            yield CommitReference(sha, start, end, None)
        elif title.group("unquoted") is not None:
            yield CommitReference(sha, start, end, None, unquoted_title=True)
        else:
            quoted = title.group("paren")
            quoted = title.group("quoted") if quoted is None else quoted
            if quoted.strip():
                yield CommitReference(sha, start, title.end(), quoted)
            else:
                yield CommitReference(sha, start, end, None)


def _position(block: Block, offset: int) -> tuple[int, int]:
    """(line number, 1-based column) of ``offset`` in ``block.text``."""
    for line in block.lines:
        if offset <= len(line.text):
            return line.number, offset + 1
        offset -= len(line.text) + 1
    last = block.lines[-1]
    return last.number, len(last.text) + 1


def _rebuilt(block: Block, ref: CommitReference, value: str, description: str) -> Fix:
    line, column = _position(block, ref.start)
    end_line, end_column = _position(block, ref.end)
    original = block.text[ref.start : ref.end]
    return Fix((Edit(line, column, end_line, end_column, value, original),), True, description)


@rule(
    "commit-reference",
    severity="warning",
    group="body",
    summary='Commits named in the changelog read `commit <12+ hex chars> ("<subject>")`.',
    rationale=(
        "\"If you want to refer to a specific commit, don't just refer to the SHA-1 ID of "
        "the commit. Please also include the oneline summary of the commit, to make it "
        "easier for reviewers to know what it is about. ... please use at least the first "
        f'12 characters of the SHA-1 ID" ({SUBMITTING}).  With a repository, the id must '
        "name a commit and the title must be its subject."
    ),
    bad="Commit 04746f8 moved the check, but missed the nested case.",
    good=(
        'Commit 04746f8a1b2c ("KVM: x86: Move the CR4 check") moved the check, but\n'
        "missed the nested case."
    ),
)
def commit_reference(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    minimum = ctx.profile.fixes.min_sha_length
    # A commit a Fixes: tag names with its title is introduced already.
    titled = {
        match.group(0).lower()
        for trailer in message.trailers_named("fixes")
        if '("' in trailer.value and (match := _SHA.match(trailer.value.strip()))
    }
    # With its trailers stripped (a record of a mail archive or a tool that
    # drops them), a Fixes: tag may have introduced an untitled id: report
    # only what the text itself gets wrong.
    stripped = bool(ctx.extras.get("trailers_stripped"))
    for block in message.prose_blocks:
        for ref in commit_references(block):
            yield from _check_reference(block, ref, ctx, minimum, titled, stripped)


def _check_reference(
    block: Block,
    ref: CommitReference,
    ctx: CheckContext,
    minimum: int,
    titled: set[str],
    trailers_stripped: bool = False,
) -> Iterator[Hit]:
    line, column = _position(block, ref.start)
    sha = ref.sha.lower()
    # A later mention of a commit already introduced with its title may
    # use the id alone.
    introduced = trailers_stripped or any(
        known.startswith(sha) or sha.startswith(known) for known in titled
    )
    if ref.has_title:
        titled.add(sha)
    problems = []
    if len(ref.sha) < minimum:
        problems.append(f"use at least {minimum} characters of the commit id")
    if not ref.has_title and not introduced:
        problems.append('add the commit\'s subject: commit <id> ("<subject>")')
    if ctx.repo is None:
        if problems:
            yield Hit(line, column, f"commit {ref.sha}: " + "; ".join(problems))
        return
    resolved, error = resolve_commit(ctx, sha)
    if error:
        yield Hit(line, column, f"commit {ref.sha}: {error}")
        return
    if resolved is None:
        yield _unknown(line, column, ref, ctx)
        return
    if ref.title is not None and not same_title(ref.title, resolved.subject):
        problems.append(f'the title is not its subject "{resolved.subject}"')
    if not problems:
        return
    # Rewrite only what is known to be the reference: the id, and the title
    # when it is quoted or missing from a first mention.
    canonical = resolved.sha[:minimum]
    if ref.title is not None or not (ref.has_title or introduced):
        canonical += f' ("{resolved.subject}")'
    yield Hit(
        line,
        column,
        f"commit {ref.sha}: " + "; ".join(problems),
        fix=_rebuilt(block, ref, canonical, f"write commit {canonical}"),
    )


def _unknown(line: int, column: int, ref: CommitReference, ctx: CheckContext) -> Hit:
    if ctx.repo is not None and ctx.repo.is_shallow:
        return Hit(
            line,
            column,
            f"commit {ref.sha} cannot be verified in a shallow clone (it may lie beyond "
            "the cut; 'git fetch --unshallow' to check)",
            severity=Severity.INFO,
        )
    return Hit(line, column, f"commit {ref.sha} does not exist in this repository")
