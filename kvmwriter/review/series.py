"""Load a series to review: a git range, patch files, or mboxes (b4 am output).

A series is a stream of :class:`SeriesItem` (one per commit or patch
email, cover letter included) plus :class:`SeriesFacts`, the small summary
the series rules read.  Facts grow item by item, so a 50k-commit range
reviews in bounded memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from kvmwriter.errors import UserError
from kvmwriter.lint.profile import Profile, SeriesProfile
from kvmwriter.records import TYPE_CHECKING, ValueRecord
from kvmwriter.text.message import Message, parse_message
from kvmwriter.text.patchmail import PatchEmail, PatchTag, looks_like_patch_email, parse_patch_email

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from kvmwriter.git.repo import Repository

#: Largest patch file or mbox read (a big series with generated files).
MAX_PATCH_FILE = 64 * 1024 * 1024

#: Examples kept per fact: enough to name them in a finding.
EXAMPLES = 5

_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
#: Thread references kept per series: enough to find one outside it.
MAX_THREAD_REFS = 1000

# "\S+" already takes an address: "\S+@?\S*" would try every split of it.
_MBOX_SPLIT = re.compile(r"^From (?:[0-9a-f]{40} Mon Sep 17 00:00:00 2001|\S+ .*\d{4})$")


class SeriesError(UserError):
    """A one-line problem loading a series (unreadable file, no messages)."""


class SeriesItem(ValueRecord):
    """One commit or patch email of a series."""

    # A plain record, not a dataclass: importing dataclasses costs every
    # review 8 ms (inspect comes with it).
    __slots__ = (
        "source",
        "text",
        "message",
        "files",
        "diff",
        "author",
        "sha",
        "tag",
        "base_commit",
        "is_cover",
        "is_merge",
        "diff_first_line",
        "has_subject",
        "message_id",
        "thread_refs",
    )

    source: str
    #: The text line numbers refer to (the commit message, or the email).
    text: str
    message: Message
    files: tuple[str, ...]
    diff: str | None
    author: str | None
    sha: str | None
    tag: PatchTag | None
    base_commit: str | None
    is_cover: bool
    is_merge: bool
    #: Line of the email where the diff starts (patch emails only).
    diff_first_line: int | None
    #: False for an email without a Subject: header (cut off in transit).
    has_subject: bool
    #: The email's Message-ID, and the ones its In-Reply-To:/References: name.
    message_id: str | None
    thread_refs: tuple[str, ...]

    def __init__(
        self,
        source: str,
        text: str,
        message: Message,
        files: tuple[str, ...] = (),
        diff: str | None = None,
        author: str | None = None,
        sha: str | None = None,
        tag: PatchTag | None = None,
        base_commit: str | None = None,
        is_cover: bool = False,
        is_merge: bool = False,
        diff_first_line: int | None = None,
        has_subject: bool = True,
        message_id: str | None = None,
        thread_refs: tuple[str, ...] = (),
    ) -> None:
        self.source = source
        self.text = text
        self.message = message
        self.files = files
        self.diff = diff
        self.author = author
        self.sha = sha
        self.tag = tag
        self.base_commit = base_commit
        self.is_cover = is_cover
        self.is_merge = is_merge
        self.diff_first_line = diff_first_line
        self.has_subject = has_subject
        self.message_id = message_id
        self.thread_refs = thread_refs

    __hash__ = None  # type: ignore[assignment]  # Mutable, as the dataclass was.

    @property
    def subject(self) -> str:
        return self.message.subject.text if self.message.subject else ""


def split_mbox(text: str) -> list[str]:
    """Split an mbox into its messages (a single email comes back whole)."""
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if _MBOX_SPLIT.match(line.rstrip("\r\n"))]
    if not starts:
        return [text]
    chunks = []
    if "".join(lines[: starts[0]]).strip():
        chunks.append("".join(lines[: starts[0]]))
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        chunk = "".join(
            line[1:] if line.startswith(">From ") else line for line in lines[start:end]
        )
        chunks.append(chunk)
    return chunks


def _diff_first_line(text: str) -> int | None:
    index = text.find("\ndiff --git ")
    if index < 0:
        return None
    return text.count("\n", 0, index + 1) + 1


def item_from_email(text: str, source: str) -> SeriesItem:
    email: PatchEmail = parse_patch_email(text)
    tag = email.tag
    is_cover = tag.is_cover or (
        not email.diff.strip()
        and tag.total is not None
        and tag.number in (0, None)
        and tag.total > 1
    )
    email.message.is_cover = is_cover or email.message.is_cover
    return SeriesItem(
        source=source,
        text=text,
        message=email.message,
        files=tuple(email.files),
        diff=email.diff or None,
        author=email.author,
        tag=tag,
        base_commit=email.base_commit,
        is_cover=email.message.is_cover,
        diff_first_line=_diff_first_line(text) if email.diff else None,
        has_subject="subject" in email.headers,
        message_id=next(iter(_message_ids(email.headers.get("message-id", ""))), None),
        thread_refs=tuple(
            dict.fromkeys(
                _message_ids(email.headers.get("in-reply-to", ""))
                + _message_ids(email.headers.get("references", ""))
            )
        ),
    )


def _message_ids(value: str) -> list[str]:
    """The ``<id>`` values of a Message-ID:, In-Reply-To: or References: header."""
    return _MESSAGE_ID.findall(value)


def read_patch_file(path: str | Path) -> str:
    """A patch file's or mbox's text; SeriesError with one line if unreadable."""
    from kvmwriter.text.files import InputError, read_regular_file, strip_bom

    try:
        data = read_regular_file(path, MAX_PATCH_FILE)
    except InputError as error:
        raise SeriesError(str(error)) from None
    try:
        return strip_bom(data.decode("utf-8"))
    except UnicodeDecodeError:
        # Mail may carry 8-bit text in another charset: keep going, but
        # never silently mangle ASCII.
        return data.decode("latin-1")


def load_patch_files(paths: Iterable[str | Path]) -> list[SeriesItem]:
    """Items from patch files and mboxes, in series order (cover first).

    The N-th message of an mbox has the source ``FILE#N``; its findings'
    line numbers count from that message's ``From`` line.
    """
    items: list[SeriesItem] = []
    for path in paths:
        text = read_patch_file(path)
        chunks = split_mbox(text)
        several = len(chunks) > 1
        for index, chunk in enumerate(chunks, 1):
            source = f"{path}#{index}" if several else str(path)
            item = item_from_email(chunk, source) if looks_like_patch_email(chunk) else None
            if item is None or not item.has_subject:
                if several or item is not None:
                    raise SeriesError(
                        f"{path}: message {index} is truncated or malformed (no Subject: header)"
                    )
                raise SeriesError(f"{path}: not a patch email or mbox")
            items.append(item)
    if not items:
        raise SeriesError("no patches to review")
    numbered = all(item.tag is not None and item.tag.number is not None for item in items)
    if numbered:
        # Stable: files keep their order.
        items.sort(key=lambda item: item.tag.number if item.tag and item.tag.number else 0)
    else:
        items.sort(key=lambda item: not item.is_cover)
    return items


def iter_range(
    repo: Repository, range_: str, *, diffs: bool, checked: bool = False
) -> Iterator[SeriesItem]:
    """Items for the commits of ``range_``, oldest first, streamed
    (``checked``: :meth:`Repository.count_range` has read the range)."""
    for entry in repo.iter_log(range_, diffs=diffs, checked=checked):
        yield item_from_log(entry)


def iter_commits(repo: Repository, ids: Iterable[str], *, diffs: bool) -> Iterator[SeriesItem]:
    """Items for the commits ``ids`` (full ids, e.g. a :class:`RangeIds`), in that order."""
    for entry in repo.log_of(ids, diffs=diffs):
        yield item_from_log(entry)


def item_from_log(entry) -> SeriesItem:
    """The item for one :class:`kvmwriter.git.repo.LogEntry`."""
    return SeriesItem(
        source=entry.sha,
        text=entry.message,
        message=parse_message(entry.message),
        files=entry.files,
        diff=entry.diff,
        author=entry.author,
        sha=entry.sha,
        is_merge=entry.is_merge,
    )


class SeriesFacts(ValueRecord):
    """What the series rules read, accumulated one item at a time."""

    __slots__ = (
        "patches",
        "from_files",
        "rfc",
        "cover",
        "kvm_changes",
        "kvm_examples",
        "kernel_patches",
        "kernel_examples",
        "unit_test_patches",
        "unit_test_examples",
        "selftests",
        "base_commits",
        "first_source",
        "common_kvm_patches",
        "other_arch_patches",
        "version",
        "message_ids",
        "thread_refs",
    )

    patches: int
    from_files: bool
    rfc: bool
    cover: str | None
    kvm_changes: int
    kvm_examples: list[str]
    kernel_patches: int
    kernel_examples: list[str]
    unit_test_patches: int
    unit_test_examples: list[str]
    selftests: int
    base_commits: list[str]
    first_source: str | None
    #: Patches touching common KVM code / other architectures' KVM code:
    #: a multi-arch series (maintainer-kvm-x86.rst, Base Tree/Branch).
    common_kvm_patches: int
    other_arch_patches: int
    #: The highest version a patch email's tag names ("[PATCH v3 ...]").
    version: int
    #: Message-IDs of the series' emails, and (source, id) of every message
    #: their In-Reply-To:/References: name (maintainer-kvm-x86.rst, Links).
    message_ids: list[str]
    thread_refs: list[tuple[str, str]]

    def __init__(self, from_files: bool = False) -> None:
        self.patches = 0
        self.from_files = from_files
        self.rfc = False
        self.cover = None
        self.kvm_changes = 0
        self.kvm_examples = []
        self.kernel_patches = 0
        self.kernel_examples = []
        self.unit_test_patches = 0
        self.unit_test_examples = []
        self.selftests = 0
        self.base_commits = []
        self.first_source = None
        self.common_kvm_patches = 0
        self.other_arch_patches = 0
        self.version = 1
        self.message_ids = []
        self.thread_refs = []

    __hash__ = None  # type: ignore[assignment]  # It accumulates.

    def add(self, item: SeriesItem, profile: Profile) -> None:
        section = profile.series
        if item.tag is not None and item.tag.rfc:
            self.rfc = True
        if item.tag is not None:
            self.version = max(self.version, item.tag.version)
        self._add_thread(item.source, item.message_id, item.thread_refs)
        if item.base_commit and item.base_commit not in self.base_commits:
            self.base_commits.append(item.base_commit)
        if item.is_cover:
            self.cover = item.source
            self.rfc = self.rfc or _says_rfc(item)
            return
        self.patches += 1
        self.first_source = self.first_source or item.source
        label = f"{item.source[:12] if item.sha else item.source} ({item.subject})"
        unit_tests = _is_unit_tests(item, section)
        if unit_tests:
            self.unit_test_patches += 1
            _keep(self.unit_test_examples, label)
            return
        files = item.files
        selftests = section.selftests_paths
        if any(f.startswith(selftests) for f in files):
            self.selftests += 1
        if any(f.startswith(section.common_kvm_paths) for f in files):
            self.common_kvm_patches += 1
        if any(f.startswith(section.other_arch_paths) for f in files):
            self.other_arch_patches += 1
        kernel = [f for f in files if not f.startswith(selftests)]
        if kernel or (not files and not _subject_is_selftests(item)):
            self.kernel_patches += 1
            _keep(self.kernel_examples, label)
        code = section.kvm_code_paths
        if any(f.startswith(code) for f in kernel) and _is_feature_or_fix(item, section):
            self.kvm_changes += 1
            _keep(self.kvm_examples, label)

    def merge(self, later: SeriesFacts) -> None:
        """Add the facts of the items that follow (a parallel review's batch)."""
        self.patches += later.patches
        self.rfc = self.rfc or later.rfc
        self.cover = later.cover or self.cover
        self.kvm_changes += later.kvm_changes
        self.kernel_patches += later.kernel_patches
        self.unit_test_patches += later.unit_test_patches
        self.selftests += later.selftests
        for mine, theirs in (
            (self.kvm_examples, later.kvm_examples),
            (self.kernel_examples, later.kernel_examples),
            (self.unit_test_examples, later.unit_test_examples),
        ):
            for label in theirs:
                _keep(mine, label)
        for base in later.base_commits:
            if base not in self.base_commits:
                self.base_commits.append(base)
        self.first_source = self.first_source or later.first_source
        self.version = max(self.version, later.version)
        self.message_ids.extend(later.message_ids)
        for source, ref in later.thread_refs:
            self._add_thread(source, None, (ref,))

    def _add_thread(self, source: str, message_id: str | None, refs: tuple[str, ...]) -> None:
        if message_id:
            self.message_ids.append(message_id)
        for ref in refs:
            if len(self.thread_refs) < MAX_THREAD_REFS:
                self.thread_refs.append((source, ref))

    def threaded_outside(self) -> list[tuple[str, str]]:
        """(source, id) of each In-Reply-To:/References: to a message not in the series."""
        inside = set(self.message_ids)
        return [(source, ref) for source, ref in self.thread_refs if ref not in inside]


def _keep(examples: list[str], label: str) -> None:
    if len(examples) < EXAMPLES:
        examples.append(label)


def _says_rfc(item: SeriesItem) -> bool:
    return bool(item.message.subject and "rfc" in item.message.subject.patch_tag.lower())


def _subject_is_selftests(item: SeriesItem) -> bool:
    return bool(
        item.message.subject
        and any(t.name.lower() == "selftests" for t in item.message.subject.topics)
    )


def _is_unit_tests(item: SeriesItem, section: SeriesProfile) -> bool:
    tag_words = tuple(w.lower() for w in section.unit_tests_tags)
    subject = item.message.subject
    if subject and any(w in subject.patch_tag.lower() for w in tag_words):
        return True
    if item.tag is not None and any(w in item.tag.text.lower() for w in tag_words):
        return True
    roots = section.unit_tests_paths
    return bool(item.files) and bool(roots) and all(f.startswith(roots) for f in item.files)


def _is_feature_or_fix(item: SeriesItem, section: SeriesProfile) -> bool:
    if item.message.trailers_named("fixes"):
        return True
    subject = item.message.subject
    if subject is None or not subject.summary:
        return False
    first = subject.summary.split()[0].lower().strip(",:")
    verbs = set(section.feature_verbs) | set(section.fix_verbs)
    return first in verbs


class SeriesReview:
    """Lint a series item by item, then the series as a whole.

    ``check_item()`` returns one :class:`kvmwriter.lint.engine.Report` per commit
    or patch (merges are not linted: they carry no patch of their own);
    ``finish()`` returns the series report (source "series").  Nothing is
    kept per item beyond :class:`SeriesFacts`, so memory stays bounded.
    """

    def __init__(self, linter, repo: Repository | None = None, *, from_files: bool = False):
        from kvmwriter.lint.topics import TopicMap

        self.linter = linter
        self.repo = repo
        self.facts = SeriesFacts(from_files=from_files)
        self.topic_map = TopicMap(linter.profile)
        self.merges = 0

    @property
    def needs_diffs(self) -> bool:
        """True when a selected rule reads diffs (so ``git log -p`` is worth it)."""
        return any(rule.group == "diff" for rule in self.linter.rules)

    def check_item(self, item: SeriesItem):
        from kvmwriter.lint.engine import Report

        if item.is_merge:
            self.merges += 1
            return None
        extras: dict[str, Any] = {"topic_map": self.topic_map}
        if item.author:
            extras["author"] = item.author
        if item.diff_first_line:
            extras["diff_first_line"] = item.diff_first_line
        ctx = self.linter.context(
            repo=self.repo,
            files=item.files or None,
            diff=item.diff,
            cover=item.is_cover,
            extras=extras,
        )
        findings = self.linter.check(item.message, ctx)
        self.facts.add(item, self.linter.profile)
        return Report(
            source=item.source, subject=item.subject, findings=findings, profile=ctx.profile.name
        )

    def finish(self):
        from kvmwriter.lint.engine import Report

        ctx = self.linter.context(repo=self.repo)
        return Report(
            source="series", subject="", findings=self.linter.check_series(self.facts, ctx)
        )
