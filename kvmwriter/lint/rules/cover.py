"""Cover-letter rules: testing stated, RFC feedback asked for, earlier versions linked.

They read only the author's prose of a cover (see
:func:`kvmwriter.text.cover_letter.blurb_lines`) and run only on covers: a message whose
subject carries ``0/N`` or that ``check --cover`` was told is one.  The
phrases they look for live in the profile's ``[cover]`` section.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from kvmwriter.lint.findings import Hit
from kvmwriter.lint.rules import CheckContext, rule
from kvmwriter.text.lazyre import lazy
from kvmwriter.text.message import Line, Message

TESTING = "maintainer-kvm-x86.rst, Testing"


def is_cover(ctx: CheckContext, message: Message) -> bool:
    """True when ``message`` is a series' cover letter.

    Rules that assume a single patch (sign-off, Fixes:, what-first order of
    a changelog) call this to stay silent on covers.
    """
    return bool(ctx.cover or message.is_cover)


def _tag(message: Message):
    from kvmwriter.text.patchmail import PatchTag, parse_tag

    if message.subject is None or not message.subject.patch_tag:
        return PatchTag()
    return parse_tag(message.subject.patch_tag)


@lru_cache(maxsize=32)
def _compile(patterns: tuple[str, ...]) -> re.Pattern | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE | re.MULTILINE)


def _patterns(ctx: CheckContext, key: str) -> re.Pattern | None:
    return _compile(getattr(ctx.profile.cover, key))


def _prose(message: Message) -> tuple[list, str]:
    from kvmwriter.text.cover_letter import blurb_lines

    lines = blurb_lines(message)
    return lines, "\n".join(line.text for line in lines)


def _anchor(message: Message) -> tuple[int, int]:
    if message.subject is not None:
        return message.subject.line, message.subject.column
    return 1, 1


# A "Testing:" heading states testing only when something follows it: an
# unfilled checklist (its "[ ]" items are dropped) leaves the heading alone.
_TESTING_HEADING = lazy(
    r"^\s*(?:testing|tests?|tested)(?: done| performed)?\s*:\s*(?P<rest>.*)$", re.IGNORECASE
)


def _states_testing(lines: list, pattern: re.Pattern) -> bool:
    prose: list[str] = []
    for index, line in enumerate(lines):
        heading = _TESTING_HEADING.match(line.text)
        if heading is None:
            prose.append(line.text)
            continue
        if heading.group("rest").strip():
            return True
        following = lines[index + 1] if index + 1 < len(lines) else None
        if following is not None and following.number == line.number + 1 and following.text.strip():
            return True
    return bool(pattern.search("\n".join(prose)))


@rule(
    "cover-testing-missing",
    severity="warning",
    group="cover",
    summary="The cover letter states what testing was done.",
    rationale=(
        '"Testing is mandatory" and "If you can\'t fully test a change, e.g. due to lack '
        "of hardware, clearly state what level of testing you were able to do, e.g. in "
        f'the cover letter." ({TESTING})'
    ),
    bad=(
        "[PATCH v2 0/3] KVM: x86/pmu: Fix PEBS emulation\n\n"
        "Fix three bugs in how KVM emulates PEBS on Intel CPUs."
    ),
    good=(
        "[PATCH v2 0/3] KVM: x86/pmu: Fix PEBS emulation\n\n"
        "Fix three bugs in how KVM emulates PEBS on Intel CPUs.\n\n"
        "Tested on Sapphire Rapids with KVM selftests and KVM-unit-tests; no AMD\n"
        "testing, the code is Intel-only."
    ),
)
def cover_testing_missing(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    if not is_cover(ctx, message):
        return
    pattern = _patterns(ctx, "testing_patterns")
    if pattern is None:
        return
    lines, _ = _prose(message)
    if _states_testing(lines, pattern):
        return
    from kvmwriter.text.cover_letter import UNCHECKED_ITEM, body_lines

    unticked = [line.number for line in body_lines(message) if UNCHECKED_ITEM.match(line.text)]
    if unticked:
        # The skeleton's checklist, nothing ticked: one problem, said here
        # (cover-placeholder leaves these lines to this rule).
        yield Hit(
            unticked[0],
            1,
            f"the testing checklist is not filled in ({_lines_span(unticked)}); "
            "tick ('[x]') what was done and delete the rest, or state the testing",
        )
        return
    line, column = _anchor(message)
    yield Hit(
        line,
        column,
        "the cover letter does not say what testing was done; state it "
        "(e.g. 'Tested on Intel and AMD with KVM selftests', 'Only compile tested')",
    )


@rule(
    "cover-rfc-feedback",
    severity="warning",
    group="cover",
    summary="An RFC's cover letter says what feedback is wanted.",
    rationale=(
        '"such submissions should be tagged RFC, and the cover letter should clearly '
        "state what type of feedback is requested/expected.  Do not abuse the RFC "
        'process" (maintainer-kvm-x86.rst, New Features)'
    ),
    bad=(
        "[RFC PATCH 0/5] KVM: x86: Add support for FRED\n\n"
        "Add FRED virtualization.  Tested with KVM selftests."
    ),
    good=(
        "[RFC PATCH 0/5] KVM: x86: Add support for FRED\n\n"
        "Add FRED virtualization.  Tested with KVM selftests.\n\n"
        "Feedback wanted on the uAPI in patch 3: is a new KVM_CAP the right way\n"
        "to expose the event data?"
    ),
)
def cover_rfc_feedback(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    if not is_cover(ctx, message) or not _tag(message).rfc:
        return
    pattern = _patterns(ctx, "feedback_patterns")
    if pattern is None:
        return
    _, prose = _prose(message)
    if pattern.search(prose):
        return
    line, column = _anchor(message)
    yield Hit(
        line,
        column,
        "an RFC cover letter should say what feedback is wanted "
        "(e.g. 'Feedback wanted on the uAPI in patch 3')",
    )


@rule(
    "cover-version-links",
    severity="info",
    group="cover",
    summary="A v2 or later cover letter links to the previous version.",
    rationale=(
        '"For referencing previous version(s), generally speaking do not include a '
        "Link: in the changelog as there is no need to record the history in git, "
        'i.e. put the link in the cover letter or in the section git ignores." '
        "(maintainer-kvm-x86.rst, Links)"
    ),
    bad=(
        "[PATCH v3 0/2] KVM: VMX: Drop the vmx_x86_ops hooks\n\n"
        "Drop the hooks ...  Tested with KVM selftests.\n\n"
        "Changes in v3:\n- Rebase onto kvm-x86/next"
    ),
    good=(
        "[PATCH v3 0/2] KVM: VMX: Drop the vmx_x86_ops hooks\n\n"
        "Drop the hooks ...  Tested with KVM selftests.\n\n"
        "v2: https://lore.kernel.org/all/20250101000000.1234-1-ada@example.org\n\n"
        "Changes in v3:\n- Rebase onto kvm-x86/next"
    ),
)
def cover_version_links(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    if not is_cover(ctx, message):
        return
    version = _tag(message).version
    if version <= 1:
        return
    pattern = _patterns(ctx, "version_link_patterns")
    if pattern is None:
        return
    _, prose = _prose(message)
    if pattern.search(prose):
        return
    line, column = _anchor(message)
    yield Hit(
        line,
        column,
        f"v{version} without a link to v{version - 1}; add e.g. "
        f"'v{version - 1}: https://lore.kernel.org/all/<message-id>'",
    )


@rule(
    "cover-placeholder",
    severity="warning",
    group="cover",
    summary="The cover letter has no template text left to fill.",
    rationale=(
        "git format-patch --cover-letter writes '*** SUBJECT HERE ***' and '*** BLURB "
        "HERE ***', b4 prep writes 'EDITME' lines and kvmwriter's skeleton writes "
        "'<...>' prompts and '[ ]' checklist items: posted as is, they tell reviewers "
        'nothing.  "the cover letter should clearly state what type of feedback is '
        'requested/expected" (maintainer-kvm-x86.rst, New Features) and the testing '
        "level (Testing) need words, not a template."
    ),
    bad=(
        "[PATCH 0/2] *** SUBJECT HERE ***\n\n*** BLURB HERE ***\n\n"
        "Testing:\n- [x] Ran KVM selftests\n- [ ] Tested on AMD"
    ),
    good=(
        "[PATCH 0/2] KVM: x86: Fix CPUID caching\n\nFix two bugs in CPUID caching.\n\n"
        "Testing:\n- Ran KVM selftests\n- No AMD hardware at hand"
    ),
)
def cover_placeholder(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    if not is_cover(ctx, message):
        return
    from kvmwriter.text.cover_letter import UNCHECKED_ITEM, body_lines

    pattern = _patterns(ctx, "placeholder_patterns")
    if pattern is None:
        return
    lines = list(body_lines(message))
    if message.subject is not None:
        number = message.subject.line
        lines.insert(0, Line(number, message.line(number)))
    unticked: list[int] = []
    for line in lines:
        match = pattern.search(line.text)
        if match is None:
            continue
        if UNCHECKED_ITEM.match(line.text):
            unticked.append(line.number)
            continue
        found = match.group(0).strip()
        yield Hit(
            line.number,
            match.start() + 1,
            f"template text '{found}' left in the cover letter; replace it",
        )
    testing = _patterns(ctx, "testing_patterns")
    if unticked and (testing is None or _states_testing(_prose(message)[0], testing)):
        # Items left over beside ticked ones (an untouched checklist is
        # cover-testing-missing's): one finding, however many items.
        count = (
            f"{len(unticked)} unticked checklist items"
            if len(unticked) > 1
            else "an unticked checklist item"
        )
        yield Hit(
            unticked[0],
            1,
            f"{count} left ({_lines_span(unticked)}); delete what was not done, or tick it ('[x]')",
        )


def _lines_span(numbers: list[int]) -> str:
    return f"line {numbers[0]}" if len(numbers) == 1 else f"lines {numbers[0]}-{numbers[-1]}"
