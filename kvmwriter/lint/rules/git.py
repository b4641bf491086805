"""Rules that read the repository: Fixes: targets, topics against files, authorship.

Each rule stays silent when what it needs is missing: ``ctx.repo`` outside
a repository, ``ctx.files`` when the touched files are unknown,
``ctx.extras["author"]`` (``Name <address>``) when the author is unknown.
"""

from __future__ import annotations

from collections.abc import Iterator

from kvmwriter.lint.findings import Fix, Hit, Severity
from kvmwriter.lint.rules import CheckContext, rule
from kvmwriter.text.lazyre import lazy
from kvmwriter.text.message import Message, Trailer

HANDBOOK = "maintainer-kvm-x86.rst"
SUBMITTING = "submitting-patches.rst"

_FIXES_ID = lazy(r"^\s*(?P<sha>[0-9a-fA-F]{4,64})\b")
# The title runs from the first '("' to the '")' ending the value.  Check
# the ending once up front: trying every '("' against the rest of a value
# without one costs quadratic time.
_FIXES_TITLE = lazy(r'^(?=.*"\s*\)\s*$).*?\(\s*"(?P<title>.*)"\s*\)\s*$')


def _fixes_targets(message: Message):
    """``(trailer, sha, title or None)`` for each Fixes: with a commit id."""
    for trailer in message.trailers_named("fixes"):
        match = _FIXES_ID.match(trailer.value)
        if match is None:
            continue  # fixes-format explains.
        title = _FIXES_TITLE.search(trailer.value)
        yield trailer, match.group("sha"), title.group("title") if title else None


def resolve_commit(ctx: CheckContext, sha: str):
    """``(resolved or None, error text or None)`` through ``ctx.repo``.

    Shared by every rule that verifies a commit a message names (Fixes:
    tags, commit references in prose).
    """
    from kvmwriter.git.repo import RepoError

    if ctx.repo is None:
        return None, "no repository"
    try:
        return ctx.repo.resolve_commit(sha), None
    except RepoError as error:
        return None, str(error)


def same_title(quoted: str, subject: str) -> bool:
    """``quoted`` is ``subject``, however either was wrapped or spaced."""
    return " ".join(quoted.split()) == " ".join(subject.split())


def rebuilt_fixes(trailer: Trailer, ctx: CheckContext) -> Fix | None:
    """``Fixes: <12 chars> ("<exact subject>")`` from the commit the tag names.

    ``None`` when the tag starts with no commit id, or the id names no
    commit or several: then nothing says what the author meant.
    """
    from kvmwriter.lint.rules.trailers import trailer_value_edit

    match = _FIXES_ID.match(trailer.value)
    if ctx.repo is None or match is None:
        return None
    resolved, error = resolve_commit(ctx, match.group("sha").lower())
    if resolved is None or error:
        return None
    length = ctx.profile.fixes.min_sha_length
    value = f'{resolved.sha[:length]} ("{resolved.subject}")'
    if value == trailer.value and not trailer.continuation:
        return None
    return Fix(
        (trailer_value_edit(trailer, value),),
        safe=True,
        description=f"rebuild the tag from {resolved.sha[:length]}",
    )


@rule(
    "fixes-commit-unknown",
    severity="error",
    group="git",
    summary="The commit a Fixes: tag names exists in the repository, unambiguously.",
    rationale=(
        "\"please use the 'Fixes:' tag with at least the first 12 characters of the SHA-1 "
        f'ID" ({SUBMITTING}, Describe your changes): a Fixes: that names no commit, or '
        "several, sends backporters after the wrong change."
    ),
    bad='Fixes: 0123456789ab ("KVM: x86: A commit that does not exist")',
    good=(
        'Fixes: 54a4f0239f2e ("KVM: MMU: make kvm_mmu_zap_page() return the number of '
        'pages it actually freed")'
    ),
)
def fixes_commit_unknown(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    if ctx.repo is None:
        return
    for trailer, sha, _ in _fixes_targets(message):
        resolved, error = resolve_commit(ctx, sha)
        if error:
            yield Hit(trailer.line, trailer.value_column, f"Fixes: {error}")
        elif resolved is None:
            if ctx.repo.is_shallow:
                yield Hit(
                    trailer.line,
                    trailer.value_column,
                    f"Fixes: commit {sha} cannot be verified in a shallow clone (it may "
                    "lie beyond the cut; 'git fetch --unshallow' to check)",
                    severity=Severity.INFO,
                )
            else:
                yield Hit(
                    trailer.line,
                    trailer.value_column,
                    f"Fixes: commit {sha} does not exist in this repository",
                )


@rule(
    "fixes-title-mismatch",
    severity="error",
    group="git",
    summary="The title a Fixes: tag quotes is the subject of the commit it names.",
    rationale=(
        "\"please use the 'Fixes:' tag with at least the first 12 characters of the SHA-1 "
        f'ID, and the one line summary" ({SUBMITTING}, Describe your changes): the summary '
        "must be that commit's, so a reader can find it even after a rebase."
    ),
    bad='Fixes: 54a4f0239f2e ("KVM: MMU: Fix the zap count")',
    good=(
        'Fixes: 54a4f0239f2e ("KVM: MMU: make kvm_mmu_zap_page() return the number of '
        'pages it actually freed")'
    ),
)
def fixes_title_mismatch(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    if ctx.repo is None:
        return
    for trailer, sha, title in _fixes_targets(message):
        if title is None:
            continue
        resolved, _ = resolve_commit(ctx, sha)
        if resolved is None:
            continue
        if same_title(title, resolved.subject):
            continue
        yield Hit(
            trailer.line,
            trailer.value_column,
            f'Fixes: title is not the subject of {sha[:12]}: "{resolved.subject}"',
            fix=rebuilt_fixes(trailer, ctx),
        )


def _subject_topics(message: Message, topics) -> list[str]:
    subject = message.subject
    if subject is None:
        return []
    return [topics.canonical(t.name) for t in subject.topics]


@rule(
    "subject-topic-mismatch",
    severity="warning",
    group="git",
    summary="The subject's topic agrees with the files the change touches.",
    rationale=(
        '"The preferred prefix format is ``KVM: <topic>:``" and, for the topic, "look at '
        f'``git log path/to/file``" ({HANDBOOK}, Shortlog): `KVM: SVM:` on a change to '
        "vmx/ only sends the patch to the wrong reviewers."
    ),
    bad="KVM: SVM: Fix the VMCS12 field check        (touches arch/x86/kvm/vmx/nested.c)",
    good="KVM: nVMX: Fix the VMCS12 field check       (touches arch/x86/kvm/vmx/nested.c)",
)
def subject_topic_mismatch(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    if not ctx.files or ctx.cover or message.subject is None:
        return
    from kvmwriter.lint.topics import TopicMap, suggest_topics

    topics = ctx.extras.get("topic_map")
    if topics is None:
        topics = ctx.extras["topic_map"] = TopicMap(ctx.profile)
    named = _subject_topics(message, topics)
    if not named:
        return
    first = message.subject.topics[0]
    guest = ctx.profile.topics.guest_only.lower()
    if first.name.lower() == guest:
        return  # subject-topic-x86-kvm's business.
    # Only topics of code one vendor or tree owns exclusively (VMX, SVM,
    # selftests) can contradict files: x86/pmu or guest_memfd changes
    # legitimately live in vmx.c or x86.c.
    exclusive = ctx.profile.paths.exclusive
    families = set()
    for topic in named:
        lineage = _lineage(topic, topics)
        family = next((t for t in lineage or () if t in exclusive), None)
        if family is None:
            return
        families.add(family)
    mapped = {}
    for path in ctx.files:
        found = topics.path_topic(path)
        if found:
            mapped[path] = found[0]
    if not mapped or len(mapped) * 2 < len(ctx.files):
        return  # Mostly unmapped files: too little to contradict.
    for file_topic in mapped.values():
        family = next((t for t in topics.ancestors(file_topic) if t in exclusive), None)
        if family is None or family in families:
            return
    ranked = suggest_topics(list(ctx.files), ctx.profile)
    best = ranked[0].prefix if ranked else None
    where = ", ".join(sorted(mapped)[:3]) + (" ..." if len(mapped) > 3 else "")
    hint = f"; use '{best}'" if best else ""
    subject = message.subject
    fix = None
    if best and subject.prefix and best != subject.prefix:
        # The files suggest a topic; only the author knows the change's intent.
        fix = Fix.replace(
            subject.line,
            subject.components[0].column,
            subject.prefix,
            best,
            safe=False,
            description=f"use the files' topic '{best}'",
        )
    yield Hit(
        message.subject.line,
        first.column,
        f"topic '{first.name}' does not match the files the change touches ({where}){hint}",
        fix=fix,
    )


def _lineage(topic: str, topics) -> list[str] | None:
    """``topic`` and its parents; a sub-topic (``x86/mmu/tdp``) climbs to a known one."""
    known = set(topics.spelling.values())
    name = topic
    while name not in known:
        if "/" not in name:
            return None
        name = name.rsplit("/", 1)[0]
    chain = topics.ancestors(name)
    return [topic, *chain] if name != topic else chain


# The name ends on a non-space, so a long run of spaces is crossed once.
_PERSON = lazy(r'^\s*"?(?P<name>(?:[^<>"]*[^<>"\s])?)(?:\s*"\s*|\s*)<(?P<address>[^<>]+)>')


def _normalise_person(text: str) -> tuple[str, str]:
    match = _PERSON.match(text)
    if match:
        return " ".join(match.group("name").split()).lower(), match.group("address").lower()
    return " ".join(text.split()).lower(), ""


@rule(
    "signoff-author",
    severity="warning",
    group="git",
    summary="The author (commit author or patch From:) has a Signed-off-by: in the message.",
    rationale=(
        '"The Signed-off-by: tag indicates that the signer was involved in the development '
        'of the patch" and the From: author "must be the first Signed-off-by:" '
        f"({SUBMITTING}, Sign your work; When to use Acked-by:, Cc:, and Co-developed-by:)"
    ),
    bad="Author: Ada Tester <ada@example.org>\n\nSigned-off-by: Bo Coder <bo@example.org>",
    good="Author: Ada Tester <ada@example.org>\n\nSigned-off-by: Ada Tester <ada@example.org>",
)
def signoff_author(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    author = ctx.extras.get("author")
    if not author or ctx.cover or ctx.extras.get("trailers_stripped"):
        return
    signoffs = message.trailers_named("signed-off-by")
    if not signoffs:
        return  # signoff-missing explains.
    name, address = _normalise_person(author)
    for trailer in signoffs:
        their_name, their_address = _normalise_person(trailer.person)
        if (address and their_address == address) or (name and their_name == name):
            return
    yield Hit(
        signoffs[0].line,
        1,
        f"no Signed-off-by: from the author {author}; add theirs (the author signs "
        "first) or fix the author with 'git commit --amend --author'",
    )
