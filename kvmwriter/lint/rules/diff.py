"""Rules over the comments a change adds (``+`` lines of C files in the diff).

They read ``ctx.diff`` and stay silent without it.  A hit's line is
``ctx.extras["diff_first_line"] + offset`` when the diff sits in the same
file as the message (a patch email), else the subject's line; the message
names the file and the line in the new file either way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from kvmwriter.lint.findings import Hit
from kvmwriter.lint.rules import CheckContext, rule
from kvmwriter.lint.rules.manuals import manual_patterns
from kvmwriter.records import Record
from kvmwriter.text.lazyre import lazy
from kvmwriter.text.message import Message

HANDBOOK = "maintainer-kvm-x86.rst"

_HUNK = lazy(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")
_C_FILES = (".c", ".h")


class Comment(Record):
    """One C comment as the new file has it, with the lines the change adds."""

    __slots__ = ("path", "lines", "doc", "next_code")

    path: str
    #: (new-file line, diff offset, text, added) for each line of the comment.
    lines: list[tuple[int, int, str, bool]]
    doc: bool
    #: The first added code line after the comment, when the diff shows it.
    next_code: str | None

    def __init__(
        self,
        path: str,
        lines: list[tuple[int, int, str, bool]] | None = None,
        doc: bool = False,
        next_code: str | None = None,
    ) -> None:
        self.path = path
        self.lines = [] if lines is None else lines
        self.doc = doc
        self.next_code = next_code

    @property
    def added(self) -> bool:
        return any(added for *_, added in self.lines)

    @property
    def text(self) -> str:
        return " ".join(text for _, _, text, _ in self.lines)


def added_comments(diff: str) -> list[Comment]:
    """C comments in the new side of ``diff`` that contain added lines."""
    comments: list[Comment] = []
    path: str | None = None
    new_line = 0
    current: Comment | None = None
    waiting: Comment | None = None  # A finished doc comment awaiting its code line.
    for offset, line in enumerate(diff.splitlines()):
        if line.startswith("diff --git "):
            path, current, waiting = None, None, None
            continue
        if line.startswith("+++ "):
            name = line[4:].split("\t")[0].strip()
            name = name.removeprefix("b/")
            path = name if name.endswith(_C_FILES) else None
            continue
        match = _HUNK.match(line)
        if match:
            new_line = int(match.group(1))
            current, waiting = None, None
            continue
        if path is None or not line or line[0] not in "+ ":
            continue  # Removed lines, "\ No newline", other files.
        added = line[0] == "+"
        text = line[1:]
        number = new_line
        new_line += 1
        if waiting is not None and text.strip():
            if not text.strip().startswith(("/*", "//", "*")):
                waiting.next_code = text.strip() if added else None
            waiting = None
        if current is not None:
            end = text.find("*/")
            body = text if end < 0 else text[:end]
            current.lines.append((number, offset, _strip_star(body), added))
            if end >= 0:
                if current.added:
                    comments.append(current)
                    if current.doc:
                        waiting = current
                current = None
            continue
        for kind, _start, body, closed in _comments_in(text):
            comment = Comment(path, [(number, offset, body, added)], doc=kind == "/**")
            if closed:
                if added:
                    comments.append(comment)
                    if comment.doc:
                        waiting = comment
            else:
                current = comment
    if current is not None and current.added:
        comments.append(current)
    return comments


def _strip_star(text: str) -> str:
    text = text.strip()
    return text[1:].strip() if text.startswith("*") else text


def _comments_in(text: str):
    """``(opener, column, body, closed)`` for comments starting on a code line."""
    index = 0
    in_string = False
    while index < len(text):
        ch = text[index]
        if ch == '"' and (index == 0 or text[index - 1] != "\\"):
            in_string = not in_string
        elif not in_string and text.startswith("//", index):
            yield "//", index, text[index + 2 :].strip(), True
            return
        elif not in_string and text.startswith("/*", index):
            opener = (
                "/**"
                if text.startswith("/**", index) and not text.startswith("/**/", index)
                else "/*"
            )
            rest = text[index + len(opener) :]
            end = rest.find("*/")
            if end < 0:
                yield opener, index, _strip_star(rest), False
                return
            yield opener, index, rest[:end].strip(), True
            index += len(opener) + end + 2
            continue
        index += 1


def _where(ctx: CheckContext, message: Message, offset: int) -> int:
    first = ctx.extras.get("diff_first_line")
    if first:
        return first + offset
    return message.subject.line if message.subject else 1


def _comments(ctx: CheckContext) -> list[Comment]:
    if not ctx.diff:
        return []
    cached = ctx.extras.get("_added_comments")
    if cached is None or cached[0] is not ctx.diff:
        cached = (ctx.diff, added_comments(ctx.diff))
        ctx.extras["_added_comments"] = cached
    return cached[1]


@lru_cache(maxsize=8)
def _pronoun_pattern(pronouns: tuple[str, ...]):
    # "I" only as a capital word ("I/O" is no pronoun); "US"/"OUR" in caps
    # are acronyms or register names, so the others match lowercase/title.
    words = [re.escape(p) for p in pronouns if p != "I"]
    forms = "|".join(words + [w.capitalize() for w in words])
    i_form = r"|I(?![/\w'-])" if "I" in pronouns else ""
    return re.compile(rf"(?<![\w/'-])(?:{forms}){i_form}(?![\w/'-])")


@rule(
    "comment-pronoun",
    severity="warning",
    group="diff",
    summary="Comments the change adds avoid pronouns (we, us, our, I, you).",
    rationale=f'"Write comments using imperative mood and avoid pronouns." ({HANDBOOK}, Comments)',
    bad="+\t/* We need to flush the TLB here, or our stale entries survive. */",
    good="+\t/* Flush the TLB, otherwise stale entries survive. */",
)
def comment_pronoun(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    pattern = _pronoun_pattern(ctx.profile.body.pronouns)
    for comment in _comments(ctx):
        for number, offset, text, added in comment.lines:
            if not added:
                continue
            match = next((m for m in pattern.finditer(text) if not _is_unit(text, m)), None)
            if match:
                yield Hit(
                    _where(ctx, message, offset),
                    1,
                    f"{comment.path}:{number}: added comment uses the pronoun "
                    f"'{match.group(0)}'; rephrase in imperative mood",
                )
                break


def _is_unit(text: str, match: re.Match) -> bool:
    """ "10 us" is microseconds, not a pronoun."""
    # Read only the two characters before: searching the whole prefix for
    # each "us" costs quadratic time.
    before = text[max(0, match.start() - 2) : match.start()]
    return match.group(0) == "us" and bool(re.search(r"\d\s?$", before))


@rule(
    "comment-manual-reference",
    severity="warning",
    group="diff",
    summary="Comments the change adds do not cite SDM/APM sections, tables or figures by number.",
    rationale=(
        '"Do not reference specific sections, tables, figures, etc. by number, especially '
        'not in comments." and "Generally speaking, do not explicitly reference or '
        'copy-paste from the SDM or APM in comments." '
        f"({HANDBOOK}, SDM and APM References)"
    ),
    bad="+\t/* Per SDM section 27.3.4, the link pointer must be all ones. */",
    good="+\t/* The VMCS link pointer must be all ones. */",
)
def comment_manual_reference(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    patterns = manual_patterns(ctx.profile)
    located, manual, bare = patterns.located, patterns.manual, patterns.bare
    for comment in _comments(ctx):
        if not manual.search(comment.text):
            continue
        for number, offset, text, added in comment.lines:
            if not added:
                continue
            match = located.search(text) or bare.search(text)
            if match:
                yield Hit(
                    _where(ctx, message, offset),
                    1,
                    f"{comment.path}:{number}: added comment cites the manual by number "
                    f'("{match.group(0)}"); numbers change between revisions, and KVM '
                    "follows the architecture without saying so",
                )
                break


_FUNCTION = lazy(
    r"^(?!(?:struct|union|enum|typedef|#|return|if|for|while)\b)[\w\s\*]+?\b(\w+)\s*\([^;]*$"
)


@rule(
    "comment-kernel-doc",
    severity="info",
    group="diff",
    summary="No kernel-doc (/** ... */) on KVM-internal functions.",
    rationale=(
        '"Except for a handful of special snowflakes, do not use kernel-doc comments for '
        'functions.  The vast majority of "public" KVM functions aren\'t truly public as '
        'they are intended only for KVM-internal consumption" '
        f"({HANDBOOK}, Coding Style)"
    ),
    bad="+/**\n+ * kvm_foo - Do foo\n+ * @vcpu: the vCPU\n+ */\n"
    "+static void kvm_foo(struct kvm_vcpu *vcpu)",
    good="+/* Do foo, as bar needs it done before the next VM-Enter. */\n"
    "+static void kvm_foo(struct kvm_vcpu *vcpu)",
)
def comment_kernel_doc(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    paths = ctx.profile.diff.kernel_doc_paths
    for comment in _comments(ctx):
        if not comment.doc or not comment.path.startswith(paths) or not comment.lines[0][3]:
            continue
        code = comment.next_code
        match = _FUNCTION.match(code) if code else None
        if match is None:
            continue
        number, offset = comment.lines[0][0], comment.lines[0][1]
        yield Hit(
            _where(ctx, message, offset),
            1,
            f"{comment.path}:{number}: kernel-doc comment on {match.group(1)}(); KVM "
            "functions are KVM-internal, use a plain /* */ comment",
        )
