"""Trailer rules: Fixes:, Cc: stable, Link:/Closes:, sign-offs, tag spelling."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from kvmwriter.lint.findings import Edit, Fix, Hit, Severity
from kvmwriter.lint.rules import CheckContext, rule
from kvmwriter.text.lazyre import lazy
from kvmwriter.text.message import Message, Trailer

HANDBOOK = "maintainer-kvm-x86.rst"
SUBMITTING = "submitting-patches.rst"

_FIXES = lazy(r'^(?P<sha>[0-9a-f]+) \("(?P<title>.+)"\)$')
# local@domain, the domain with a dot inside.  Check the whole domain's
# characters once up front, then find its first inner dot: trying every dot
# against the rest of the line costs quadratic time.
_ADDRESS = lazy(r"^[^\s<>@]+@(?=[^\s<>@]+$)[^\s<>@]+?\.[^\s<>@]")
# The name ends on a non-space, so a long run of spaces is crossed once.
_PERSON = lazy(r"^(?P<name>(?:[^<>]*[^<>\s])?)\s*<(?P<address>[^<>]+)>\s*(?:#.*)?$")


def _skip_trailers(message: Message, ctx: CheckContext) -> bool:
    return bool(ctx.extras.get("trailers_stripped"))


@rule(
    "fixes-format",
    severity="error",
    group="trailers",
    summary='Fixes: tags read `Fixes: <12+ hex chars> ("<subject>")` on one line.',
    rationale=(
        "\"please use the 'Fixes:' tag with at least the first 12 characters of the SHA-1 "
        "ID, and the one line summary.  Do not split the tag across multiple lines, tags are "
        f"exempt from the 'wrap at 75 columns' rule\" ({SUBMITTING}, Describe your changes)"
    ),
    bad="Fixes: 54a4f02 (KVM: MMU: make kvm_mmu_zap_page() return the number of pages)",
    good='Fixes: 54a4f0239f2e ("KVM: MMU: make kvm_mmu_zap_page() return the number of pages it actually freed")',
)
def fixes_format(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    minimum = ctx.profile.fixes.min_sha_length
    for trailer in message.trailers_named("fixes"):
        if trailer.key != "Fixes":
            yield Hit(
                trailer.line,
                1,
                f"write the tag as 'Fixes:', not '{trailer.key}:'",
                fix=_rename_key(trailer, "Fixes"),
            )
        if trailer.continuation:
            yield Hit(
                trailer.continuation[0].number,
                1,
                "do not wrap a Fixes: tag; keep it on one line",
                fix=_rebuilt_fixes(trailer, ctx),
            )
            continue
        value = trailer.value
        match = _FIXES.match(value)
        column = trailer.value_column
        if match is None:
            sha = re.match(r"^([0-9a-fA-F]+)", value)
            if sha and sha.group(1) != sha.group(1).lower():
                reason = "the commit id is not lowercase hex"
            elif sha is None:
                reason = "it does not start with a commit id"
            elif not re.search(r'\("', value):
                reason = 'the title is not quoted as ("<subject>")'
            else:
                reason = 'expected Fixes: <sha> ("<subject>")'
            yield Hit(
                trailer.line,
                column,
                f"malformed Fixes: tag: {reason}",
                fix=_rebuilt_fixes(trailer, ctx),
            )
            continue
        if len(match.group("sha")) < minimum:
            yield Hit(
                trailer.line,
                column,
                f"Fixes: commit id has {len(match.group('sha'))} characters; use at "
                f"least {minimum}",
                fix=_rebuilt_fixes(trailer, ctx),
            )
        elif len(match.group("sha")) > 40:
            yield Hit(trailer.line, column, "Fixes: commit id is longer than a SHA-1")


def _rebuilt_fixes(trailer: Trailer, ctx: CheckContext) -> Fix | None:
    """The tag rebuilt from the repository, when there is one to ask."""
    if ctx.repo is None:
        return None
    from kvmwriter.lint.rules.git import rebuilt_fixes

    return rebuilt_fixes(trailer, ctx)


def _rename_key(trailer: Trailer, key: str) -> Fix:
    return Fix.replace(trailer.line, 1, trailer.key, key, safe=True, description=f"write '{key}:'")


def trailer_value_edit(trailer: Trailer, replacement: str) -> Edit:
    """Replace a trailer's value, continuation lines included, keeping its key."""
    start = trailer.value_column
    original = trailer.raw[start - 1 :]
    if not trailer.continuation:
        return Edit.on_line(trailer.line, start, original, replacement)
    last = trailer.continuation[-1]
    original += "\n" + "".join(line.text + line.ending for line in trailer.continuation[:-1])
    original += last.text
    return Edit(trailer.line, start, last.number, len(last.text) + 1, replacement, original)


@rule(
    "fixes-suggested",
    severity="info",
    group="trailers",
    summary="A message that reads like a bug fix carries a Fixes: tag.",
    rationale=(
        "\"If a change fixes a KVM/kernel bug, add a Fixes: tag even if the change doesn't "
        "need to be backported to stable kernels, and even if the change fixes a bug in an "
        f'older release." ({HANDBOOK}, Fixes)'
    ),
    bad="KVM: x86: Fix a use-after-free in kvm_ioapic_destroy()\n\n... (no Fixes: tag)",
    good='KVM: x86: Fix a use-after-free in kvm_ioapic_destroy()\n\n...\n\nFixes: 0123456789ab ("KVM: x86: Destroy the IOAPIC early")',
)
def fixes_suggested(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    if ctx.cover or _skip_trailers(message, ctx) or message.trailers_named("fixes"):
        return
    if message.subject is None:
        return
    summary = message.subject.summary
    summary_words = summary.split(None, 1)
    # "Fix typo in ...": a fix of words, not of a bug a commit introduced.
    if summary_words and summary_words[0] in ("Fix", "fix") and not _NOT_A_BUG.search(summary):
        yield Hit(
            message.subject.line,
            message.subject.summary_column,
            "the subject says it fixes something but there is no Fixes: tag; add one "
            "naming the commit that introduced the bug",
        )
        return
    words = _lowered(ctx.profile.fixes.bug_words)
    texts = [(message.subject.line, message.subject.text)]
    texts += [(b.lines[0].number, b.text) for p in message.paragraphs for b in p.blocks]
    # Look for each word once in the whole message: a word it lacks is in
    # none of its texts (no word holds a line break), and most messages
    # hold none of them.
    joined = "\n".join(text for _line, text in texts).lower()
    words = tuple(filter(joined.__contains__, words))
    if not words:
        return
    for _line, text in texts:
        lowered = text.lower()
        for word in words:
            index = lowered.find(word)
            if (
                index >= 0
                and _word_bounded(lowered, index, len(word))
                and not (lowered[index + len(word) :].lstrip().startswith("test"))
            ):  # A "regression test" adds coverage; it fixes nothing.
                yield Hit(
                    message.subject.line,
                    1,
                    f'reads like a bug fix ("{text[index : index + len(word)]}") but has no '
                    "Fixes: tag; add one naming the commit that introduced the bug",
                )
                return


# Changelogs that date the bug to the code's first version.
_SINCE_THE_START = lazy(
    r"\bsince (?:(?:KVM's |the code's |its )?inception|the (?:very )?beginning|day one|"
    r"(?:the )?initial (?:commit|support|implementation)|forever)\b",
    re.IGNORECASE,
)
# Subjects that fix wording or layout rather than behaviour.
_NOT_A_BUG = lazy(
    r"\b(?:typos?|spelling|misspell\w*|comments?|grammar|whitespace|indentation|"
    r"coding style|kernel-doc|documentation|docs?)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=16)
def _lowered(words: tuple[str, ...]) -> tuple[str, ...]:
    # A profile's word lists stay the same for every message it reads.
    return tuple(word.lower() for word in words)


def _word_bounded(text: str, index: int, length: int) -> bool:
    before = text[index - 1] if index > 0 else " "
    after = text[index + length] if index + length < len(text) else " "
    return not before.isalnum() and not after.isalnum() and after != "_"


@rule(
    "stable-address",
    severity="warning",
    group="trailers",
    summary="A stable backport request reads `Cc: stable@vger.kernel.org` (a `# 6.1.x` comment is fine).",
    rationale=(
        '"if a fix does need to be backported, explicitly tag the patch with '
        '"Cc: stable@vger.kernel" (though the email itself doesn\'t need to Cc: stable)" '
        f"({HANDBOOK}, Fixes); the address is stable@vger.kernel.org ({SUBMITTING})."
    ),
    bad="Cc: stable@kernel.org",
    good="Cc: stable@vger.kernel.org # 6.1.x",
)
def stable_address(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    wanted = ctx.profile.trailers.stable_address
    for trailer in message.trailers_named("cc"):
        person = trailer.person
        if "stable" not in person.lower():
            continue
        address = trailer.address or person
        if address.strip("<>").lower() == wanted and _plain_stable(person, wanted):
            continue
        fix = None
        if not trailer.continuation:
            fix = Fix(
                (trailer_value_edit(trailer, wanted + _comment(trailer.value)),),
                safe=True,
                description=f"write '{wanted}'",
            )
        yield Hit(
            trailer.line,
            trailer.value_column,
            f"stable backports are requested with 'Cc: {wanted}' (found '{trailer.value}')",
            fix=fix,
        )


def _plain_stable(person: str, wanted: str) -> bool:
    # Allow "stable@vger.kernel.org" and "<stable@vger.kernel.org>", and a
    # display name only when it is empty.
    return person.strip("<> ").lower() == wanted


def _comment(value: str) -> str:
    return " #" + value.split("#", 1)[1] if "#" in value else ""


@rule(
    "stable-without-fixes",
    severity="warning",
    group="trailers",
    summary="A `Cc: stable@vger.kernel.org` backport request comes with a Fixes: tag.",
    rationale=(
        '"If a change fixes a KVM/kernel bug, add a Fixes: tag ... Conversely, if a fix '
        'does need to be backported, explicitly tag the patch with "Cc: stable@vger.kernel"" '
        f"({HANDBOOK}, Fixes): a backport names the commit it fixes, so the stable team "
        "knows which kernels need it.  checkpatch.pl asks the same (MISSING_FIXES_TAG)."
    ),
    bad=(
        "KVM: x86: Reject a too-large nested state\n\nReject nested state larger than "
        "the buffer.\n\nCc: stable@vger.kernel.org\nSigned-off-by: Ada Tester <ada@example.org>"
    ),
    good=(
        "KVM: x86: Reject a too-large nested state\n\nReject nested state larger than "
        'the buffer.\n\nFixes: 0123456789ab ("KVM: x86: Add KVM_SET_NESTED_STATE")\n'
        "Cc: stable@vger.kernel.org\nSigned-off-by: Ada Tester <ada@example.org>"
    ),
)
def stable_without_fixes(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    if ctx.cover or _skip_trailers(message, ctx) or message.trailers_named("fixes"):
        return
    stable = [t for t in message.trailers_named("cc") if "stable@" in t.value.lower()]
    # Read the changelog only for a backport request: most messages have none.
    if not stable or any(_SINCE_THE_START.search(p.text) for p in message.paragraphs):
        return  # None, or a bug as old as the code: it has no commit to name.
    yield Hit(
        stable[0].line,
        1,
        "Cc: stable without a Fixes: tag; add 'Fixes: <sha> (\"<subject>\")' naming "
        "the commit that introduced the bug, so the stable team knows where to backport",
    )


@rule(
    "link-lore",
    severity="warning",
    group="trailers",
    summary="Link: and Closes: point to lore.kernel.org (or another http(s) page), not other archives.",
    rationale=(
        '"To link to a bug report, previous version, or anything of interest, use lore '
        f'links." ({HANDBOOK}, Links)'
    ),
    bad="Link: https://lkml.org/lkml/2023/1/5/123",
    good="Link: https://lore.kernel.org/all/20230105123456.12345-1-ada@example.org",
)
def link_lore(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    hosts = tuple(h.lower() for h in ctx.profile.trailers.non_lore_hosts)
    for trailer in message.trailers_named("link", "closes"):
        url = trailer.value.split()[0] if trailer.value.split() else ""
        scheme, netloc, path = split_url(url)
        if scheme not in ("http", "https") or not netloc:
            yield Hit(
                trailer.line,
                trailer.value_column,
                f"{trailer.key}: is not an http(s) URL; link to "
                "https://lore.kernel.org/r/<message-id>",
            )
            continue
        host = netloc.lower().split("@")[-1].split(":")[0]
        where = host + path.lower()
        for bad in hosts:
            if host == bad or host.endswith("." + bad) or ("/" in bad and where.startswith(bad)):
                lore = lore_url(url)
                fix = None
                if lore is not None:
                    start = trailer.value_column + trailer.value.index(url)
                    fix = Fix.replace(
                        trailer.line, start, url, lore, safe=True, description=f"link to {lore}"
                    )
                yield Hit(
                    trailer.line,
                    trailer.value_column,
                    f"{host} is not lore; link to the same message on "
                    "https://lore.kernel.org/r/<message-id>",
                    fix=fix,
                )
                break


#: The characters of a URL scheme (urllib.parse.scheme_chars).
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.")
#: What makes urlsplit() do more than split: characters it strips or
#: removes (C0 controls, space, tab, newlines) and IPv6 brackets.
_NOT_PLAIN = frozenset("[] ")


def split_url(url: str) -> tuple[str, str, str]:
    """``urllib.parse.urlsplit(url)``'s scheme, netloc and path.

    A plain URL (printable ASCII starting with a letter, no space or
    bracket), as most Link: tags hold, is split here the way urlsplit
    splits it, step for step: importing urllib.parse (and ipaddress with
    it) costs a check 2.5 ms.  Any other URL goes to urlsplit itself; one
    it refuses (an unclosed IPv6 bracket) splits into three empty strings.
    """
    plain = url[:1].isalpha() and url.isascii() and url.isprintable()
    if not plain or not _NOT_PLAIN.isdisjoint(url):
        from urllib.parse import urlsplit

        try:
            parts = urlsplit(url)
        except ValueError:  # Such as "https://[abc": no URL at all.
            return "", "", ""
        return parts.scheme, parts.netloc, parts.path
    scheme, rest = "", url
    colon = url.find(":")
    if colon > 0 and _SCHEME_CHARS.issuperset(url[:colon]):
        scheme, rest = url[:colon].lower(), url[colon + 1 :]
    netloc = ""
    if rest[:2] == "//":
        end = len(rest)
        for delimiter in "/?#":
            found = rest.find(delimiter, 2)
            if found >= 0:
                end = min(end, found)
        netloc, rest = rest[2:end], rest[end:]
    return scheme, netloc, rest.split("#", 1)[0].split("?", 1)[0]


#: Query keys that carry a Message-ID (marc.info ``?i=``, mail-archive ``?q=``).
_MSGID_KEYS = ("i", "q", "mid", "msgid", "message-id", "message_id")
#: A Message-ID without its angle brackets: ``local@domain`` with a dot in the domain.
_MSGID = lazy(r"^[^\s<>@/]+@[^\s<>@/]+\.[^\s<>@/]+$")


def lore_url(url: str) -> str | None:
    """The lore.kernel.org URL of the message ``url`` names by Message-ID.

    Only a Message-ID written in the URL itself counts (a query value or a
    path segment such as patchwork's); an lkml.org or spinics URL names the
    message by number, and nothing short of the network maps it.
    """
    from urllib.parse import parse_qsl, quote, unquote, urlsplit

    parts = urlsplit(url)
    candidates = [value for key, value in parse_qsl(parts.query) if key.lower() in _MSGID_KEYS]
    candidates += [unquote(segment) for segment in parts.path.split("/") if segment]
    for candidate in candidates:
        candidate = candidate.strip().strip("<>")
        if _MSGID.match(candidate):
            return "https://lore.kernel.org/r/" + quote(candidate, safe="@.+-_=~!$&'*,;:")
    return None


@rule(
    "reported-without-closes",
    severity="warning",
    group="trailers",
    summary="Reported-by: is followed by a Closes: (or Link:) to the report.",
    rationale=(
        '"The Reported-by tag gives credit to people who find bugs and report them and it '
        "hopefully inspires them to help us again in the future.  The tag is intended for "
        "bugs; please do not use it to credit feature requests.  The tag should be followed "
        f'by a Closes: tag pointing to the report" ({SUBMITTING}).'
    ),
    bad="Reported-by: Ada Tester <ada@example.org>\nSigned-off-by: ...",
    good="Reported-by: Ada Tester <ada@example.org>\nCloses: https://lore.kernel.org/all/...\nSigned-off-by: ...",
)
def reported_without_closes(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    if _skip_trailers(message, ctx):
        return
    trailers = list(message.trailers)
    for index, trailer in enumerate(trailers):
        if trailer.name not in ("reported-by", "reported-and-tested-by"):
            continue
        later = {t.name for t in trailers[index + 1 :]}
        if "closes" in later or "link" in later:
            continue
        yield Hit(
            trailer.line,
            1,
            "Reported-by: without a Closes: (or Link:) to the report; add "
            "'Closes: https://lore.kernel.org/...' after it",
        )


@rule(
    "signoff-missing",
    severity="error",
    group="trailers",
    summary="The message carries the author's Signed-off-by:.",
    rationale=(
        '"The sign-off is a simple line at the end of the explanation for the patch, which '
        "certifies that you wrote it or otherwise have the right to pass it on as an "
        f'open-source patch." ({SUBMITTING}, Sign your work)'
    ),
    bad="KVM: x86: Drop a stale comment\n\nDrop ...",
    good="KVM: x86: Drop a stale comment\n\nDrop ...\n\nSigned-off-by: Ada Tester <ada@example.org>",
)
def signoff_missing(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    if ctx.cover or _skip_trailers(message, ctx) or message.subject is None:
        return
    if message.trailers_named("signed-off-by"):
        return
    if any(line.text.lower().startswith("signed-off-by:") for line in message.body_lines):
        return  # Misplaced: trailer-format explains.
    line = (
        message.trailer_lines[-1].number + 1
        if message.trailer_lines
        else (message.body_lines[-1].number + 1 if message.body_lines else message.subject.line + 1)
    )
    yield Hit(line, 1, "no Signed-off-by:; add one with 'git commit -s'")


@rule(
    "codevelop-signoff",
    severity="error",
    group="trailers",
    summary="Every Co-developed-by: is immediately followed by the same person's Signed-off-by:.",
    rationale=(
        '"Since Co-developed-by: denotes authorship, every Co-developed-by: must be '
        'immediately followed by a Signed-off-by: of the associated co-author." '
        f"({SUBMITTING}, When to use Acked-by:, Cc:, and Co-developed-by:)"
    ),
    bad="Co-developed-by: Bo Coder <bo@example.org>\nSigned-off-by: Ada Tester <ada@example.org>",
    good=(
        "Co-developed-by: Bo Coder <bo@example.org>\nSigned-off-by: Bo Coder <bo@example.org>\n"
        "Signed-off-by: Ada Tester <ada@example.org>"
    ),
)
def codevelop_signoff(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    trailers = list(message.trailers)
    for index, trailer in enumerate(trailers):
        if trailer.name != "co-developed-by":
            continue
        following = trailers[index + 1] if index + 1 < len(trailers) else None
        if (
            following is not None
            and following.name == "signed-off-by"
            and _same_person(trailer, following) is not False
        ):
            continue
        # The co-author's sign-off further down certifies the DCO; only its
        # place is wrong, so say where it goes at warning level.
        signed_later = any(
            t.name == "signed-off-by" and _same_person(trailer, t) for t in trailers[index + 1 :]
        )
        if signed_later:
            yield Hit(
                trailer.line,
                1,
                f"move {trailer.value}'s Signed-off-by: to right after this Co-developed-by:",
                severity=Severity.WARNING,
            )
        elif following is not None and following.name == "signed-off-by":
            yield Hit(
                following.line,
                following.value_column,
                f"Signed-off-by: after Co-developed-by: must be the same person ({trailer.value})",
            )
        else:
            yield Hit(
                trailer.line,
                1,
                "Co-developed-by: must be followed immediately by the same person's Signed-off-by:",
            )


def _same_person(a: Trailer, b: Trailer) -> bool | None:
    if a.address and b.address:
        return a.address.lower() == b.address.lower()
    return None


_STRANDED_TAG = lazy(
    r"^(Signed-off-by|Reviewed-by|Acked-by|Fixes|Cc|Reported-by):\s", re.IGNORECASE
)
_CHANGE_ID = lazy(r"^change-id:\s", re.IGNORECASE)


@lru_cache(maxsize=16)
def _tag_tables(
    known: tuple[str, ...], person: tuple[str, ...], any_case: tuple[str, ...]
) -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """Tags by lower-cased name, and the lower-cased person and any-case tags.

    Built once per profile, not once per message.
    """
    return (
        {k.lower(): k for k in known},
        frozenset(k.lower() for k in person),
        frozenset(k.lower() for k in any_case),
    )


@rule(
    "trailer-format",
    severity="warning",
    group="trailers",
    summary="Tags are spelled as the kernel spells them, with valid addresses and no duplicates.",
    rationale=(
        "Tools (b4, git interpret-trailers, the stable scripts) read tags by their exact "
        f"names and addresses ({SUBMITTING}, Using Reported-by:, Tested-by:, Reviewed-by:, "
        "Suggested-by: and Fixes:)."
    ),
    bad="Signed-of-by: Ada Tester <ada@example.org>",
    good="Signed-off-by: Ada Tester <ada@example.org>",
)
def trailer_format(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    known = ctx.profile.trailers.known
    by_lower, person_tags, case_free = _tag_tables(
        known, ctx.profile.trailers.person, ctx.profile.trailers.any_case
    )
    seen: dict[str, int] = {}
    for trailer in message.trailers:
        canonical = by_lower.get(trailer.name)
        if canonical is None:
            if trailer.name == "change-id":
                continue  # change-id reports it.
            import difflib  # Only for an unknown tag: most messages have none.

            close = difflib.get_close_matches(trailer.name, list(by_lower), n=1, cutoff=0.8)
            if close:
                yield Hit(
                    trailer.line,
                    1,
                    f"unknown tag '{trailer.key}:'; did you mean '{by_lower[close[0]]}:'?",
                    fix=_rename_key(trailer, by_lower[close[0]]),
                )
                continue
        elif canonical != trailer.key and trailer.name not in case_free:
            yield Hit(
                trailer.line,
                1,
                f"write the tag as '{canonical}:', not '{trailer.key}:'",
                fix=_rename_key(trailer, canonical),
            )
        if not trailer.raw[len(trailer.key) :].startswith(": ") and trailer.value:
            between = trailer.raw[len(trailer.key) : trailer.value_column - 1]
            yield Hit(
                trailer.line,
                len(trailer.key) + 1,
                f"put one space after '{trailer.key}:'",
                fix=Fix.replace(
                    trailer.line,
                    len(trailer.key) + 1,
                    between,
                    ": ",
                    safe=True,
                    description="write ': '",
                ),
            )
        if trailer.name in person_tags:
            match = _PERSON.match(trailer.value)
            # A bare address is how bots sign reports (syzbot+...@...).
            bare = _ADDRESS.match(trailer.person)
            if not bare and (match is None or not _ADDRESS.match(match.group("address"))):
                yield Hit(
                    trailer.line,
                    trailer.value_column,
                    f"{trailer.key}: should read 'Full Name <address@example.org>'",
                )
        elif trailer.name == "cc" and trailer.value and "stable" not in trailer.value.lower():
            address = trailer.address
            if address is None or not _ADDRESS.match(address):
                yield Hit(
                    trailer.line,
                    trailer.value_column,
                    "Cc: should name an e-mail address ('Full Name <address>')",
                )
        key = trailer.name + ":" + trailer.value.lower()
        if key in seen:
            yield Hit(
                trailer.line, 1, f"duplicate tag (same as line {seen[key]}): {trailer.raw.strip()}"
            )
        else:
            seen[key] = trailer.line
    # Tags stranded in the changelog, away from the trailer block (only
    # when there is one).
    for line in message.body_lines if message.trailers else ():
        # A tag needs its colon: one test rules most changelog lines out.
        match = _STRANDED_TAG.match(line.text) if ":" in line.text else None
        if match:
            yield Hit(
                line.number,
                1,
                f"'{match.group(1)}:' outside the trailer block at the end; move it "
                "there (no blank lines between tags)",
            )


@rule(
    "change-id",
    severity="error",
    group="trailers",
    summary="No Gerrit Change-Id: in messages sent upstream.",
    rationale=(
        "Change-Id: is Gerrit bookkeeping with no meaning upstream; the kernel's "
        "checkpatch.pl rejects it (\"Remove Gerrit Change-Id's before submitting "
        'upstream").'
    ),
    bad="Change-Id: I0123456789abcdef0123456789abcdef01234567",
    good="(no Change-Id: line)",
)
def change_id(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    for line in (*message.body_lines, *message.trailer_lines):
        if ":" in line.text and _CHANGE_ID.match(line.text):
            yield Hit(line.number, 1, "remove the Gerrit Change-Id: before sending upstream")
