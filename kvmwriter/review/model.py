"""What the review screen shows: a series' entries and their findings.

Pure data and git access, no Textual, so that the screen only presents it
and the loading can run in a worker thread.  Linting goes through
:class:`kvmwriter.review.series.SeriesReview`, the same path as ``kvmwriter
review``, so that the TUI and the command agree finding for finding.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Union

from kvmwriter.lint.engine import Linter
from kvmwriter.lint.findings import Finding, Severity
from kvmwriter.review.series import SeriesItem, SeriesReview
from kvmwriter.text.message import parse_message

if TYPE_CHECKING:
    from kvmwriter.git.repo import Repository

#: A repository, or a path inside one (discovered on use).
RepoOrPath = Union["Repository", str, Path, None]

#: Endings that mark an input as a patch file even before it exists.
PATCH_SUFFIXES = (".patch", ".mbox", ".mbx", ".eml", ".cover", ".diff")


@dataclass
class ReviewEntry:
    """One row of the review: a commit, a patch email, or the whole series."""

    source: str
    #: The text finding line numbers refer to (message, or email up to its diff).
    text: str
    findings: list[Finding]
    sha: str | None = None
    files: tuple[str, ...] = ()
    diff: str | None = None
    author: str | None = None
    is_merge: bool = False
    is_cover: bool = False
    is_series: bool = False
    #: Lines of the email's diff left out of ``text``.
    hidden_diff_lines: int = 0
    subject_text: str = ""

    @property
    def short(self) -> str:
        return self.sha[:12] if self.sha else self.source

    @property
    def subject(self) -> str:
        if self.is_series:
            return "the series as a whole"
        return self.subject_text.strip() or "(no subject)"

    @property
    def rewordable(self) -> bool:
        return self.sha is not None and not self.is_series

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)


@dataclass
class ReviewedSeries:
    """The entries of one range or set of patch files, in series order; a
    last entry carries the series-wide findings when there are any."""

    title: str
    entries: list[ReviewEntry]
    #: Commits or patches (the series row excluded).
    count: int = 0
    merges: int = 0
    #: What an entry is: "commit" or "patch".
    unit: str = "commit"

    @property
    def units(self) -> str:
        return "patches" if self.unit == "patch" else self.unit + "s"

    @property
    def errors(self) -> int:
        return sum(entry.errors for entry in self.entries)

    @property
    def warnings(self) -> int:
        return sum(entry.warnings for entry in self.entries)

    def index_of(self, sha: str) -> int | None:
        for index, entry in enumerate(self.entries):
            if entry.sha == sha:
                return index
        return None


@dataclass
class ReviewSource:
    """What to review: a git range, or patch files (read-only)."""

    repo: Repository | None = None
    range: str | None = None
    patch_files: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        if self.patch_files:
            count = len(self.patch_files)
            return self.patch_files[0] if count == 1 else f"{count} patch files"
        return self.range or ""

    @property
    def can_reword(self) -> bool:
        return self.repo is not None and not self.patch_files


def is_patch_input(value: str) -> bool:
    return os.path.isfile(value) or value.endswith(PATCH_SUFFIXES)


def resolve_source(repo: RepoOrPath, range_or_revs: str | Sequence[str] | None) -> ReviewSource:
    """Turn what the command line gave into a checked :class:`ReviewSource`.

    ``range_or_revs`` is a range string, its words, patch file paths, or
    None for the branch's ``@{upstream}..HEAD``.  Raise RepoError or
    SeriesError with one line when it cannot be reviewed.
    """
    from kvmwriter.git.repo import RepoError, Repository
    from kvmwriter.review.series import SeriesError

    words = [range_or_revs] if isinstance(range_or_revs, str) else list(range_or_revs or ())
    words = [word.strip() for word in words if word and word.strip()]
    if words and all(is_patch_input(word) for word in words):
        if "-" in words:
            raise SeriesError("review reads patch files, not stdin; save the mbox first")
        if repo is not None and not isinstance(repo, Repository):
            try:
                repo = Repository.discover(repo)
            except RepoError:
                repo = None  # Patch files review without a repository.
        return ReviewSource(repo=repo, patch_files=tuple(words))
    if not isinstance(repo, Repository):
        repo = Repository.discover(repo)
    range_ = " ".join(words) or repo.upstream_range("kvmwriter review --tui origin/master..HEAD")
    if repo.count_range(range_) == 0:
        raise RepoError(f"no commits in {range_}")
    return ReviewSource(repo=repo, range=range_)


def load_review(source: ReviewSource, linter: Linter) -> ReviewedSeries:
    """Lint every commit or patch, then the series (RepoError/SeriesError
    with one line when the range or a file cannot be read)."""
    from kvmwriter.review.series import SeriesError, iter_range, load_patch_files

    review = SeriesReview(linter, source.repo, from_files=bool(source.patch_files))
    if source.patch_files:
        items = iter(load_patch_files(source.patch_files))
    elif source.repo is not None and source.range is not None:
        items = iter_range(source.repo, source.range, diffs=review.needs_diffs)
    else:
        raise SeriesError("nothing to review: no patch files and no git range")
    entries = []
    for item in items:
        report = review.check_item(item)
        entries.append(_entry(item, report.findings if report is not None else []))
    count = len(entries)
    series = review.finish()
    if series.findings:
        entries.append(ReviewEntry("series", "", list(series.findings), is_series=True))
    unit = "patch" if source.patch_files else "commit"
    return ReviewedSeries(source.title, entries, count, review.merges, unit)


def _entry(item: SeriesItem, findings: list[Finding]) -> ReviewEntry:
    text, hidden = item.text, 0
    if item.diff_first_line:
        lines = item.text.split("\n")
        text = "\n".join(lines[: item.diff_first_line - 1])
        hidden = len(lines) - item.diff_first_line + 1
    # Drop a commit's diff once linted: a long range would otherwise hold
    # every diff in memory; the editor fetches the one it needs again.
    diff = None if item.sha else item.diff
    return ReviewEntry(
        item.source,
        text,
        findings,
        sha=item.sha,
        files=item.files,
        diff=diff,
        author=item.author,
        is_merge=item.is_merge,
        is_cover=item.is_cover,
        hidden_diff_lines=hidden,
        subject_text=item.subject,
    )


class EntryLinter:
    """Lint an edited message the way the review linted the original."""

    def __init__(self, linter: Linter, repo: Repository | None = None) -> None:
        self.review = SeriesReview(linter, repo)
        self.repo = repo
        self._diffs: dict[str, str | None] = {}

    def diff_of(self, entry: ReviewEntry) -> str | None:
        """The entry's diff, read from git once for a commit (when a rule reads diffs)."""
        if entry.diff is not None or not entry.sha or self.repo is None:
            return entry.diff
        if not self.review.needs_diffs:
            return None
        if entry.sha not in self._diffs:
            from kvmwriter.git.repo import RepoError

            try:
                self._diffs[entry.sha] = self.repo.commit_diff(entry.sha)
            except RepoError:
                self._diffs[entry.sha] = None
        return self._diffs[entry.sha]

    def lint(self, entry: ReviewEntry, text: str) -> list[Finding]:
        item = SeriesItem(
            source=entry.source,
            text=text,
            message=parse_message(text),
            files=entry.files,
            diff=self.diff_of(entry),
            author=entry.author,
            sha=entry.sha,
            is_merge=entry.is_merge,
        )
        report = self.review.check_item(item)
        return report.findings if report is not None else []


def default_linter(repo: Repository | None) -> Linter:
    """The linter the repository's ``.kvmwriter.toml`` (or the user's) asks for."""
    from kvmwriter.lint.config import find_config, load_config

    start = Path(repo.root) if repo is not None else Path.cwd()
    return Linter.from_config(load_config(find_config(start)))


#: A commit id in a range word: 7 to 40 hex digits standing alone.
_SHA_WORD = re.compile(r"(?<![0-9A-Za-z_/-])([0-9a-fA-F]{7,40})(?![0-9A-Za-z_/-])")


def follow_rewrite(repo: Repository, range_: str, rewritten: dict[str, str]) -> str:
    """``range_`` with every commit id that a reword replaced swapped for its
    new id, so that a range given by ids still shows the reworded series.
    Branch names and HEAD move by themselves and stay as they are."""
    if not rewritten:
        return range_

    def swap(match: re.Match) -> str:
        word = match.group(1)
        full = repo.verify_commit(word)
        return rewritten.get(full, word) if full else word

    return _SHA_WORD.sub(swap, range_)
