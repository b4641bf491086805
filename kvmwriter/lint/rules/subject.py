"""Subject (shortlog) rules: the ``KVM: <topic>: <Summary>`` line."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache

from kvmwriter.lint.findings import Fix, Hit, Severity
from kvmwriter.lint.mood import MoodChecker
from kvmwriter.lint.rules import CheckContext, rule
from kvmwriter.text.lazyre import lazy
from kvmwriter.text.message import Message, Subject, Topic

HANDBOOK = "maintainer-kvm-x86.rst, Shortlog"


def _subject(message: Message) -> Subject | None:
    subject = message.subject
    if subject is None or not subject.text.strip():
        return None
    return subject


def _is_revert(subject: Subject) -> bool:
    return subject.text.startswith(('Revert "', 'Reapply "', "Revert '"))


def _kvm_prefix(ctx: CheckContext) -> str:
    return ctx.profile.subject.prefix


@rule(
    "subject-prefix",
    severity="error",
    group="subject",
    summary="The subject starts with a well-formed `KVM: <topic>: ` prefix.",
    rationale=(
        f'"The preferred prefix format is ``KVM: <topic>:``" ({HANDBOOK}). '
        "Each component ends with a colon and a space, and a summary follows."
    ),
    bad="KVM:x86: Fix a null pointer dereference in function_xyz()",
    good="KVM: x86: Fix a null pointer dereference in function_xyz()",
)
def subject_prefix(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    subject = _subject(message)
    if subject is None:
        if not message.is_cover:
            yield Hit(1, 1, "empty subject; write 'KVM: <topic>: <Summary>'")
        return
    if _is_revert(subject):
        return
    kvm = _kvm_prefix(ctx)
    components = subject.components
    if not kvm:
        # Any subsystem's prefix will do ("mm/filemap: ", "crypto: ccp - ").
        if not components:
            yield Hit(
                subject.line,
                subject.column,
                "no 'subsys: ' prefix; start the subject with the subsystem "
                "('git log --oneline <file>' shows which)",
            )
            return
    elif selftests_rewrite(subject, kvm) is not None:
        return  # Reported by subject-selftests-prefix.
    elif (rewrite := doubled_rewrite(subject)) is not None and _unknown_topic_hit(
        subject, ctx
    ) is None:
        yield rewrite
        return
    elif not components or components[0].name.lower() != kvm.lower():
        if components and components[0].name.lower() == ctx.profile.topics.guest_only.lower():
            return  # Reported by subject-topic-x86-kvm.
        yield Hit(
            subject.line,
            subject.column,
            f"no '{kvm}: <topic>: ' prefix; start the subject with {_prefix_example(ctx)}",
        )
        return
    elif len(components) < 2 and not _generic_kvm_change(ctx):
        # Generic KVM changes are posted as "KVM: <Summary>": common KVM code
        # and multi-architecture changes; be sure the change is x86-only
        # before calling a missing topic an error.
        x86 = ctx.profile.topics.x86_paths
        x86_only = bool(ctx.files) and all(path.startswith(x86) for path in ctx.files or ())
        yield Hit(
            subject.line,
            subject.column,
            f"'{kvm}:' without a topic; x86 changes use '{kvm}: <topic>: ' (x86, "
            f"x86/mmu, VMX, ...); only generic KVM changes use '{kvm}: ' alone"
            + _suggested_by_files(ctx),
            severity=None if x86_only else Severity.WARNING,
        )
        return
    for component in components:
        end = component.column - subject.column + len(component.name)
        text = subject.text
        colon = text.find(":", end)
        after = text[colon + 1 : colon + 2] if colon >= 0 else ""
        between = text[end:colon] if colon >= 0 else ""
        if between.strip() == "" and between:
            column = component.column + len(component.name)
            yield Hit(
                subject.line,
                column,
                f"space before ':' after '{component.name}'",
                fix=Fix.replace(
                    subject.line,
                    column,
                    between,
                    "",
                    safe=True,
                    description="drop the space before ':'",
                ),
            )
        if after and after != " ":
            column = subject.column + colon + 1
            # A tab after the colon is a space gone wrong; anything else is
            # the start of the next component or the summary.
            wrong = after if after.isspace() else ""
            yield Hit(
                subject.line,
                column,
                f"missing space after '{component.name}:'",
                fix=Fix.replace(
                    subject.line,
                    column,
                    wrong,
                    " ",
                    safe=True,
                    description=f"put a space after '{component.name}:'",
                ),
            )
    if not subject.summary.strip():
        yield Hit(
            subject.line,
            subject.summary_column,
            "empty summary after the prefix; say what the patch does",
        )


def _suggested_prefix(ctx: CheckContext) -> str | None:
    """The topic prefix the changed files suggest (``KVM: nVMX:``), if any."""
    if not ctx.files:
        return None
    from kvmwriter.lint.topics import suggest_topics

    ranked = suggest_topics(list(ctx.files), ctx.profile)
    # A generic change's bare "KVM:" is no example of "KVM: <topic>: ".
    return ranked[0].prefix if ranked and ranked[0].topic else None


def _prefix_example(ctx: CheckContext) -> str:
    """How the subject-prefix finding says which prefix to write."""
    suggested = _suggested_prefix(ctx)
    if suggested:
        return f"'{suggested} ' (the changed files suggest it)"
    return f"e.g. '{_kvm_prefix(ctx)}: x86: '"


def _suggested_by_files(ctx: CheckContext) -> str:
    suggested = _suggested_prefix(ctx)
    return f"; the changed files suggest '{suggested} '" if suggested else ""


#: "crypto: ccp - Add ...": the part before " - " belongs to the prefix.
_DASH_PART = lazy(r"[\w.+/-]+ - (?=\S)")


def _summary(subject: Subject, ctx: CheckContext) -> tuple[str, int]:
    """The summary and its column, past a ``part - `` where the profile allows one."""
    summary, column = subject.summary, subject.summary_column
    match = _DASH_PART.match(summary) if ctx.profile.subject.dash_part else None
    if match:
        return summary[match.end() :], column + match.end()
    return summary, column


def _generic_kvm_change(ctx: CheckContext) -> bool:
    """The change touches common KVM code or other architectures' KVM code."""
    series = ctx.profile.series
    generic = series.common_kvm_paths + series.other_arch_paths
    return bool(ctx.files) and any(path.startswith(generic) for path in ctx.files or ())


#: Prefix forms the maintainers rewrite (lowercased leading components ->
#: what replaces them; ``KVM`` stands for the profile's prefix).  Longest first.
_PREFIX_ALIASES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("kvm", "x86", "selftests"), ("KVM", "selftests")),
    (("kvm", "x86", "selftest"), ("KVM", "selftests")),
    (("selftests", "kvm", "x86"), ("KVM", "selftests")),
    (("selftests", "kvm"), ("KVM", "selftests")),
    (("selftest", "kvm"), ("KVM", "selftests")),
    (("kvm", "selftest"), ("KVM", "selftests")),
    (("kvm/selftests",), ("KVM", "selftests")),
    (("kvm/selftest",), ("KVM", "selftests")),
    (("selftests/kvm",), ("KVM", "selftests")),
)


def selftests_rewrite(subject: Subject, kvm: str = "KVM") -> Hit | None:
    """A hit with a safe fix for a selftests prefix the maintainers always
    rewrite (``selftests: KVM:``, ``KVM: x86: selftests:`` ... ->
    ``KVM: selftests:``), or None."""
    if not kvm or not subject.components:
        return None
    names = tuple(c.name.lower() for c in subject.components)
    for alias, canonical in _PREFIX_ALIASES:
        if names[: len(alias)] == alias:
            wanted = [kvm if name == "KVM" else name for name in canonical]
            written = _prefix_span(subject, len(alias))
            replacement = ": ".join(wanted) + ":"
            return Hit(
                subject.line,
                subject.components[0].column,
                f"write the selftests prefix as '{replacement}', not '{written}'",
                fix=Fix.replace(
                    subject.line,
                    subject.components[0].column,
                    written,
                    replacement,
                    safe=True,
                    description=f"write '{replacement}'",
                ),
            )
    return None


def doubled_rewrite(subject: Subject) -> Hit | None:
    """A hit with a safe fix for a component written twice in a row
    (``KVM: KVM: x86:``, ``KVM: x86: x86:``), or None."""
    names = [c.name.lower() for c in subject.components]
    for index in range(1, len(names)):
        if names[index] == names[index - 1]:
            first = subject.components[index - 1]
            doubled = subject.components[index]
            start = first.column - subject.components[0].column
            span = _prefix_span(subject, index + 1)[start:]
            kept = _prefix_span(subject, index)[start:]
            return Hit(
                subject.line,
                doubled.column,
                f"'{doubled.name}:' is written twice in the prefix",
                severity=Severity.WARNING,
                fix=Fix.replace(
                    subject.line,
                    first.column,
                    span,
                    kept,
                    safe=True,
                    description=f"drop the second '{doubled.name}:'",
                ),
            )
    return None


@rule(
    "subject-selftests-prefix",
    severity="warning",
    group="subject",
    summary="KVM selftests use the `KVM: selftests: ` prefix, not `selftests: KVM:` "
    "or `KVM: x86: selftests:`.",
    rationale=(
        f'"The preferred prefix format is ``KVM: <topic>:``" ({HANDBOOK}), and '
        "selftests is a topic of its own: the maintainers rewrite `KVM: x86: selftests:`, "
        "`selftests: KVM:`, `kvm/selftests:` and `KVM: selftest:` to `KVM: selftests:` "
        "when applying (a sub-topic may follow: `KVM: selftests: TDX:`)."
    ),
    bad="KVM: x86: selftests: Add a test for the CR4.PCIDE toggle",
    good="KVM: selftests: Add a test for the CR4.PCIDE toggle",
)
def subject_selftests_prefix(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    subject = _subject(message)
    if subject is None or _is_revert(subject):
        return
    hit = selftests_rewrite(subject, _kvm_prefix(ctx))
    if hit is not None:
        yield hit


def _prefix_span(subject: Subject, count: int) -> str:
    """The subject's text from its first component through the colon after
    component ``count`` (1-based)."""
    last = subject.components[count - 1]
    begin = subject.components[0].column - subject.column
    end = last.column - subject.column + len(last.name)
    colon = subject.text.find(":", end)
    return subject.text[begin : colon + 1]


@rule(
    "subject-topic-case",
    severity="error",
    group="subject",
    summary="Prefix and topic names are spelled with the handbook's case.",
    rationale=(
        f'"All names are case sensitive!  ``KVM: x86:`` is good, ``kvm: vmx:`` is not." '
        f"({HANDBOOK})"
    ),
    bad="kvm: vmx: Fix a null pointer dereference in function_xyz()",
    good="KVM: VMX: Fix a null pointer dereference in function_xyz()",
)
def subject_topic_case(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    subject = _subject(message)
    if subject is None or not subject.components:
        return
    kvm = _kvm_prefix(ctx)
    first = subject.components[0]
    if first.name.lower() == kvm.lower() and first.name != kvm:
        yield Hit(
            subject.line,
            first.column,
            f"'{first.name}' must be spelled '{kvm}'",
            fix=_rename_component(subject, first, kvm),
        )
    canonical = {topic.lower(): topic for topic in ctx.profile.known_topics}
    for topic in subject.topics:
        wanted = canonical.get(topic.name.lower())
        if wanted and wanted != topic.name:
            yield Hit(
                subject.line,
                topic.column,
                f"topic '{topic.name}' must be spelled '{wanted}'",
                fix=_rename_component(subject, topic, wanted),
            )


def _rename_component(subject: Subject, component: Topic, name: str, *, safe: bool = True) -> Fix:
    return Fix.replace(
        subject.line,
        component.column,
        component.name,
        name,
        safe=safe,
        description=f"spell '{component.name}' as '{name}'",
    )


@rule(
    "subject-topic-x86-kvm",
    severity="error",
    group="subject",
    summary="`x86/kvm` is only for Linux-as-a-guest changes in arch/x86/kernel/kvm.c.",
    rationale=(
        '"**DO NOT use x86/kvm!**  ``x86/kvm`` is used exclusively for '
        'Linux-as-a-KVM-guest changes, i.e. for arch/x86/kernel/kvm.c." '
        f"({HANDBOOK})"
    ),
    bad="KVM: x86/kvm: Drop a stale comment in kvm_set_cr0()",
    good="KVM: x86: Drop a stale comment in kvm_set_cr0()",
)
def subject_topic_x86_kvm(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    subject = _subject(message)
    if subject is None:
        return
    guest = ctx.profile.topics.guest_only
    hits = [c for c in subject.components if c.name.lower() == guest.lower()]
    if not hits:
        return
    guest_paths = ctx.profile.topics.guest_only_paths
    if (
        ctx.files
        and all(path in guest_paths for path in ctx.files)
        and subject.components[0].name.lower() == guest.lower()
    ):
        return  # "x86/kvm: ..." on a guest-only change is right.
    where = hits[0]
    yield Hit(
        subject.line,
        where.column,
        f"'{where.name}' is for Linux-as-a-guest changes ({', '.join(guest_paths)}) "
        "only; KVM changes use 'KVM: x86:' or a finer topic",
        fix=_x86_kvm_fix(subject, where, ctx),
    )


def _x86_kvm_fix(subject: Subject, where: Topic, ctx: CheckContext) -> Fix:
    """``x86/kvm:`` -> ``KVM: x86:`` (``KVM: x86/kvm:`` -> ``KVM: x86:``).

    Certain only when every touched file is KVM's own; without the files,
    or with the guest's among them, the author has to confirm.
    """
    kvm = _kvm_prefix(ctx)
    leading = subject.components[0] is where
    name = f"{kvm}: x86" if leading else "x86"
    if leading and len(subject.components) > 1 and subject.components[1].name.lower() == "x86":
        name = kvm  # "x86/kvm: x86: ..." keeps its own x86.
    kvm_paths = ctx.profile.topics.kvm_paths
    safe = bool(ctx.files) and all(path.startswith(kvm_paths) for path in ctx.files or ())
    return _rename_component(subject, where, name, safe=safe)


@rule(
    "subject-topic-unknown",
    severity="warning",
    group="subject",
    summary="The topic is one of the profile's topics (new topics need an on-list discussion).",
    rationale=(
        '"New topics do occasionally pop up, but please start an on-list discussion '
        "if you want to propose introducing a new topic, i.e. don't go rogue.\" "
        f"({HANDBOOK})  Known: the handbook's x86, x86/mmu, x86/pmu, x86/xen, selftests, "
        "SVM, nSVM, VMX, nVMX, plus SEV, TDX, guest_memfd and pfncache, which kvm-x86 "
        "history uses heavily."
    ),
    bad="KVM: LAPIC: Drop an unused local in kvm_apic_send_ipi()",
    good="KVM: x86: Drop an unused local in kvm_apic_send_ipi()",
)
def subject_topic_unknown(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    subject = _subject(message)
    if subject is None or not subject.components:
        return
    if selftests_rewrite(subject, _kvm_prefix(ctx)) is not None:
        return  # "KVM: selftest:" is subject-selftests-prefix's.
    hit = _unknown_topic_hit(subject, ctx)
    if hit is None:
        return
    rewrite = doubled_rewrite(subject)
    if rewrite is not None:
        # "KVM: KVM: x86:" reads as an unknown topic 'KVM'; say what is wrong.
        yield Hit(hit.line, hit.column, rewrite.message, fix=rewrite.fix)
        return
    yield hit


def _unknown_topic_hit(subject: Subject, ctx: CheckContext) -> Hit | None:
    """subject-topic-unknown's finding without a fix, or None."""
    if subject.components[0].name.lower() != _kvm_prefix(ctx).lower():
        return None
    topics = subject.topics
    if not topics:
        return None
    first = topics[0]
    name = first.name
    guest = ctx.profile.topics.guest_only
    if name.lower() == guest.lower() or _looks_like_file(name, ctx):
        return None  # Reported by their own rules.
    known = ctx.profile.known_topics
    lowered = {t.lower() for t in known}
    if name.lower() in lowered:
        return None  # Exact, or a case problem reported by subject-topic-case.
    extensible = ctx.profile.topics.extensible
    if any(name.lower().startswith(base.lower() + "/") for base in extensible):
        return None
    hint = _closest_topic(name, known, ctx.profile.topics.aliases)
    return Hit(
        subject.line,
        first.column,
        f"topic '{name}' is not one of the known topics"
        + (f"; did you mean '{hint}'?" if hint else "")
        + " (new topics need an on-list discussion)",
    )


def _closest_topic(name: str, known: tuple[str, ...], aliases: Mapping[str, str]) -> str | None:
    lowered = name.lower()
    if lowered in aliases and aliases[lowered] in known:
        return aliases[lowered]
    import difflib

    close = difflib.get_close_matches(lowered, [k.lower() for k in known], n=1, cutoff=0.75)
    if close:
        return next(k for k in known if k.lower() == close[0])
    return None


@lru_cache(maxsize=16)
def _sub_topic_prefixes(extensible: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(base.lower() + "/" for base in extensible)


def _looks_like_file(name: str, ctx: CheckContext) -> bool:
    files = ctx.profile.filenames
    # str.startswith and str.endswith take a tuple: one call, not a scan.
    extensions = tuple(files.extensions)
    if name.lower().startswith(_sub_topic_prefixes(ctx.profile.topics.extensible)) and not (
        name.endswith(extensions)
    ):
        return False  # "x86/pmu/vmx" is a sub-topic, not a path.
    if name.endswith(extensions):
        return True
    if name.startswith(tuple(files.roots)):
        return True
    return name.count("/") >= ctx.profile.filenames.path_depth


@rule(
    "subject-topic-filename",
    severity="error",
    group="subject",
    summary="No file name or path as the prefix or topic.",
    rationale=(
        '"Do not use file names or complete file paths as the subject/shortlog prefix." '
        f"({HANDBOOK})"
    ),
    bad="KVM: arch/x86/kvm/x86.c: Drop a stale comment",
    good="KVM: x86: Drop a stale comment in kvm_set_cr0()",
)
def subject_topic_filename(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    subject = _subject(message)
    if subject is None:
        return
    for component in subject.components:
        if _looks_like_file(component.name, ctx):
            yield Hit(
                subject.line,
                component.column,
                f"'{component.name}' is a file name or path; use a topic such as "
                "'KVM: x86:' (git log of the file shows which)",
            )
            return


@rule(
    "subject-capitalization",
    severity="warning",
    group="subject",
    summary="The summary after the prefix starts with a capital letter.",
    rationale=(f'"Capitalize the first word of the condensed patch description" ({HANDBOOK})'),
    bad="KVM: x86: fix a null pointer dereference in function_xyz()",
    good="KVM: x86: Fix a null pointer dereference in function_xyz()",
)
def subject_capitalization(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    subject = _subject(message)
    if subject is None or not subject.components or _is_revert(subject):
        return
    summary, column = _summary(subject, ctx)
    if not summary or not summary[0].isalpha() or not summary[0].islower():
        return
    first_word = summary.split()[0]
    # An identifier ("kvm_mmu_zap_all() ...", "vcpu->arch ...") keeps its case.
    if re.search(r"[_()>.\-/]|\d", first_word) or any(c.isupper() for c in first_word[1:]):
        return
    yield Hit(
        subject.line,
        column,
        f"capitalize the first word: '{first_word.capitalize()}'",
        fix=Fix.replace(
            subject.line,
            column,
            summary[0],
            summary[0].upper(),
            safe=True,
            description=f"capitalize '{first_word}'",
        ),
    )


@rule(
    "subject-trailing-punctuation",
    severity="warning",
    group="subject",
    summary="The subject does not end with punctuation (a closing `()` is fine).",
    rationale=f'"Capitalize the first word ... but omit ending punctionation." ({HANDBOOK})',
    bad="KVM: x86: Fix a null pointer dereference in function_xyz.",
    good="KVM: x86: Fix a null pointer dereference in function_xyz()",
)
def subject_trailing_punctuation(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    subject = _subject(message)
    if subject is None or (subject.components and not subject.summary.strip()):
        # A prefix with no summary yet is one problem, which subject-prefix
        # reports ("empty summary"); its ':' is no ending punctuation.
        return
    text = subject.text.rstrip()
    if not text:
        return
    last = text[-1]
    if last in ".,;:!?" and not text.endswith("..."):
        kept = len(text[:-1].rstrip())
        yield Hit(
            subject.line,
            subject.column + len(text) - 1,
            f"subject ends with '{last}'; drop it",
            fix=Fix.replace(
                subject.line,
                subject.column + kept,
                text[kept:],
                "",
                safe=True,
                description=f"drop the ending '{last}'",
            ),
        )
    if subject.text != subject.text.rstrip():
        yield Hit(
            subject.line,
            subject.column + len(text),
            "trailing whitespace in the subject",
            fix=Fix.replace(
                subject.line,
                subject.column + len(text),
                subject.text[len(text) :],
                "",
                safe=True,
                description="drop the trailing whitespace",
            ),
        )


@rule(
    "subject-length",
    severity="warning",
    group="subject",
    summary="The subject fits in 75 columns: 76-80 is fine with a good reason, over 80 is an error.",
    rationale=(
        '"use 75 characters as a firm-but-not-hard limit, and use 80 characters as a '
        f'hard limit" ({HANDBOOK}).  A subject of 76 to 80 columns is reported as '
        "advice (info), one over 80 as an error; a subject wrapped onto a second line "
        "is a warning."
    ),
    bad="KVM: x86/mmu: Rework the way the TDP MMU zaps roots when the VM is being destroyed",
    good="KVM: x86/mmu: Zap invalidated TDP MMU roots at 4KiB granularity",
)
def subject_length(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    subject = _subject(message)
    if subject is None:
        return
    limit = ctx.profile.subject.max_length
    hard = ctx.profile.subject.hard_max_length
    length = len(subject.text.rstrip())
    if length > hard:
        yield Hit(
            subject.line,
            subject.column + limit,
            f"subject is {length} columns, over the hard limit of {hard}",
            severity=Severity.ERROR,
        )
    elif length > limit:
        # "firm-but-not-hard": the author may have a good reason, so advise.
        yield Hit(
            subject.line,
            subject.column + limit,
            f"subject is {length} columns; {limit} is the firm limit, fine up to {hard} "
            "with a good reason",
            severity=Severity.INFO,
        )
    # A wrapped subject: the first paragraph ran over more than one line.
    if message.paragraphs and message.paragraphs[0].first_line == subject.line + 1:
        yield Hit(
            subject.line + 1, 1, "the subject continues on a second line; put a blank line after it"
        )


@rule(
    "subject-mood",
    severity="error",
    group="subject",
    summary="The summary starts with an imperative verb (Add, Drop, Fix), not Fixed/Fixes/Fixing, "
    "a noun phrase or a statement.",
    rationale=(
        "\"Describe your changes in imperative mood, e.g. 'make xyzzy do frotz' instead of "
        "'[This patch] makes xyzzy do frotz' or '[I] changed xyzzy to do frotz'\" "
        "(submitting-patches.rst, Describe your changes).  A verb may follow adverbs "
        "(`Explicitly`, `Always`) or a negation (`Don't`).  A summary that opens with a noun "
        "phrase (`Abstractions for SEV ...`, `Missing check of ...`) or states a fact "
        "(`APIC_ID must be updated ...`) is reported at warning: it says what is, not what "
        "the patch does."
    ),
    bad="KVM: x86: Fixed a null pointer dereference in function_xyz()",
    good="KVM: x86: Fix a null pointer dereference in function_xyz()",
)
def subject_mood(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    subject = _subject(message)
    if subject is None or _is_revert(subject) or not subject.summary.strip():
        return
    summary, start = _summary(subject, ctx)
    checker = ctx.extras.get("mood") or MoodChecker(ctx.profile)
    ctx.extras["mood"] = checker
    verdict = checker.judge_summary(summary)
    if verdict is None:
        return
    column = start + summary.find(verdict.word)
    fix = None
    if verdict.base:
        base = verdict.base.capitalize() if verdict.word[0].isupper() else verdict.base
        # "Fixed" -> "Fix" is likely but not certain ("Fixes for ..." needs
        # more than one word changed): offer it, never apply it unasked.
        fix = Fix.replace(
            subject.line,
            column,
            verdict.word,
            base,
            safe=False,
            description=f"use the imperative '{base}'",
        )
    # A noun phrase or a statement is read from the lexicon and the word
    # after it, less certainly than "Fixed": advise, do not fail.
    guessed = verdict.form == "statement" or (
        verdict.form == "non-verb" and verdict.word.lower() not in checker.non_verbs
    )
    yield Hit(
        subject.line,
        column,
        verdict.describe(),
        severity=Severity.WARNING if guessed else None,
        fix=fix,
    )


@rule(
    "subject-encoding",
    severity="error",
    group="subject",
    summary="The subject is one line of plain text: no line break or control character, "
    "raw or MIME-encoded.",
    rationale=(
        '"No MIME, no links, no compression, no attachments.  Just plain text" '
        '(submitting-patches.rst), and "the ``summary phrase`` of your email becomes a '
        "globally-unique identifier for that patch.  It propagates all the way into the "
        '``git`` changelog" (submitting-patches.rst, Subject Line).  An RFC 2047 encoded '
        "word (`=?UTF-8?B?...?=`) can hide a line break or an escape sequence that no "
        "reader of the raw header sees: the subject then reads differently in every tool "
        "that decodes it, and the escape sequence drives the terminal of whoever prints "
        "it (`git log`, a mail reader)."
    ),
    bad="Subject: [PATCH] =?UTF-8?Q?KVM:_x86:_Fix_the_PDPTR_check=0A=1B[2J?=",
    good="Subject: [PATCH] KVM: x86: Fix the PDPTR check",
)
def subject_encoding(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    from kvmwriter.text.terminal import first_control, visible

    subject = message.subject
    if subject is None:
        return
    text = subject.text
    found = [index for index in (text.find("\n"), first_control(text)) if index >= 0]
    if not found:
        return
    at = min(found)
    what = "a line break" if text[at] == "\n" else f"the control character {visible(text[at])}"
    raw = message.line(subject.line)
    encoded = "=?" in raw and "?=" in raw
    if encoded:
        # Decoded text has no column in the raw header: point at the subject.
        yield Hit(
            subject.line,
            subject.column,
            f"the encoded subject decodes to {what}; write it as one line of plain text",
        )
    else:
        yield Hit(
            subject.line,
            subject.column + at,
            f"the subject holds {what}; write it as one line of plain text",
        )
