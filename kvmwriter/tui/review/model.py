"""What the review screen shows: a series' commits and their findings.

Pure data and git access, no Textual, so that the screen only presents it
and the loading can run in a worker thread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from ...engine import Linter, check_text
from ...findings import Finding, Severity


@dataclass
class CommitReview:
    """One commit of the series with the findings on its message."""

    sha: str
    message: str
    findings: list[Finding]
    files: tuple[str, ...] = ()
    diff: str | None = None
    is_merge: bool = False

    @property
    def short(self) -> str:
        return self.sha[:12]

    @property
    def subject(self) -> str:
        for line in self.message.splitlines():
            if line.strip():
                return line.strip()
        return "(no subject)"

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)


@dataclass
class SeriesReview:
    """The commits of one range, oldest first, plus findings on the whole series."""

    range: str
    commits: list[CommitReview]
    series_findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(c.errors for c in self.commits) + sum(
            1 for f in self.series_findings if f.severity == Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(c.warnings for c in self.commits) + sum(
            1 for f in self.series_findings if f.severity == Severity.WARNING)

    def index_of(self, sha: str) -> int | None:
        for index, commit in enumerate(self.commits):
            if commit.sha == sha:
                return index
        return None


def range_text(range_or_revs: str | Sequence[str] | None) -> str:
    """One range string from what the command line gave (words joined by spaces)."""
    if range_or_revs is None:
        return ""
    if isinstance(range_or_revs, str):
        return range_or_revs.strip()
    return " ".join(word.strip() for word in range_or_revs if word.strip())


def default_range(repo: Any) -> str:
    """The branch's own commits: ``@{upstream}..HEAD``, else just HEAD."""
    return "@{upstream}..HEAD" if repo.upstream() else "HEAD^!" if _has_parent(repo) else "HEAD"


def _has_parent(repo: Any) -> bool:
    try:
        repo.git("rev-parse", "--verify", "-q", "HEAD^")
    except Exception:
        return False
    return True


def lint_message(linter: Linter, text: str, *, repo: Any = None,
                 files: Sequence[str] | None = None, diff: str | None = None,
                 source: str = "message") -> list[Finding]:
    """Findings on one message with what is known about its change."""
    ctx = linter.context(repo=repo, files=tuple(files) if files is not None else None,
                         diff=diff)
    report, _ = check_text(linter, text, source, ctx=ctx)
    return report.findings


def load_review(repo: Any, range_: str, linter: Linter) -> SeriesReview:
    """Lint every commit of ``range_`` (raise RepoError for a bad range)."""
    commits: list[CommitReview] = []
    for entry in repo.iter_log(range_, diffs=True):
        findings = lint_message(linter, entry.message, repo=repo, files=entry.files,
                                diff=entry.diff, source=entry.sha[:12])
        commits.append(CommitReview(entry.sha, entry.message, findings, entry.files,
                                    entry.diff, entry.is_merge))
    return SeriesReview(range_, commits)


def prepare(repo: Any, range_or_revs: str | Sequence[str] | None) -> tuple[Any, str]:
    """The repository and a checked range (RepoError when either is bad)."""
    from ...repo import Repository

    if not hasattr(repo, "iter_log"):
        repo = Repository.discover(repo or ".")
    range_ = range_text(range_or_revs) or default_range(repo)
    repo.count_range(range_)
    return repo, range_


def default_linter(repo: Any) -> Linter:
    """The linter the repository's ``.kvmwriter.toml`` (or the user's) asks for."""
    from ...config import find_config, load_config

    return Linter.from_config(load_config(find_config(repo.root)))


#: A commit id in a range word, with what follows it (``..``, ``~2``, ``^!``).
_SHA_WORD = re.compile(r"(?<![0-9A-Za-z_/-])([0-9a-fA-F]{7,40})(?![0-9A-Za-z_/-])")


def follow_rewrite(repo: Any, range_: str, rewritten: dict[str, str]) -> str:
    """``range_`` with every commit id that a reword replaced swapped for its
    new id, so that a range given by ids still shows the reworded series.
    Branch names and HEAD move by themselves and stay as they are."""
    if not rewritten:
        return range_

    def swap(match: re.Match) -> str:
        word = match.group(1)
        try:
            full = repo.git("rev-parse", "--verify", "-q", f"{word}^{{commit}}").strip()
        except Exception:
            return word
        return rewritten.get(full, word)

    return _SHA_WORD.sub(swap, range_)
