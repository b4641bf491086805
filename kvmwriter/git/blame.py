"""Suggest Fixes: candidates by blaming the lines a change removes or modifies.

The commit that last wrote a removed or rewritten line is the usual suspect
for "the commit that introduced the bug".  Lines beside a pure insertion
count too, with less weight.  No printing: ``kvmwriter fixes`` and the TUI
present the candidates.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kvmwriter.git.repo import Repository

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")

#: Weight of a removed or modified line, and of a line beside an insertion.
REMOVED_WEIGHT = 1.0
CONTEXT_WEIGHT = 0.25


@dataclass
class FixesCandidate:
    sha: str
    subject: str
    score: float
    reason: str

    @property
    def trailer(self) -> str:
        return f'Fixes: {self.sha[:12]} ("{self.subject}")'

    def to_json(self) -> dict:
        return {
            "sha": self.sha,
            "subject": self.subject,
            "score": round(self.score, 4),
            "reason": self.reason,
            "trailer": self.trailer,
        }


@dataclass
class _Lines:
    removed: set[int]
    beside: set[int]


def old_lines(diff: str) -> dict[str, _Lines]:
    """Per old path: the old-side lines removed, and lines beside insertions."""
    result: dict[str, _Lines] = {}
    path: str | None = None
    old = 0
    pending_insert = False
    binary = False
    for line in diff.splitlines():
        if line.startswith("diff --git "):
            path, pending_insert, binary = None, False, False
            continue
        if line.startswith("--- "):
            name = line[4:].split("\t")[0].strip()
            path = None if name == "/dev/null" else (name.removeprefix("a/"))
            continue
        if line.startswith(("+++ ", "Binary files")):
            binary = line.startswith("Binary files")
            continue
        match = _HUNK.match(line)
        if match:
            old = int(match.group(1))
            pending_insert = False
            continue
        if path is None or binary or not line:
            if not line and path is not None:
                old += 1  # A blank context line whose space was stripped.
            continue
        lines = result.setdefault(path, _Lines(set(), set()))
        tag = line[0]
        if tag == "-":
            lines.removed.add(old)
            old += 1
            pending_insert = False
        elif tag == "+":
            if not pending_insert:
                # A pure insertion: the lines around it frame the old logic.
                lines.beside.update(n for n in (old - 1, old) if n > 0)
                pending_insert = True
        elif tag == " ":
            old += 1
            pending_insert = False
    return result


def _ranges(numbers: set[int]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for number in sorted(numbers):
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], number)
        else:
            ranges.append((number, number))
    return ranges


def suggest_fixes(
    repo: Repository, rev: str | None = None, staged: bool = False, limit: int = 5
) -> list[FixesCandidate]:
    """Fixes: candidates for a commit (``rev``) or the staged change, best first.

    With neither ``rev`` nor ``staged``, the staged change is read.  A root
    commit, a change that only adds files or an empty change gives no
    candidates.  Commits at a shallow clone's cut are skipped: their
    blame only says where the history stops.
    """
    from kvmwriter.git.repo import RepoError

    if rev is not None and not staged:
        target = repo.resolve_commit(rev)
        if target is None:
            raise RepoError(f"unknown revision: {rev}")
        diff = repo.commit_diff(target.sha)
        parents = repo.parents(target.sha)
        if not parents:
            return []
        base = parents[0]
    else:
        if not repo.has_head():
            return []
        diff = repo.staged_diff()
        base = "HEAD"
    changes = old_lines(diff)
    if not changes:
        return []
    weights: dict[str, float] = defaultdict(float)
    removed_count: Counter = Counter()
    where: dict[str, Counter] = defaultdict(Counter)
    cut = repo.shallow_roots()
    for path, lines in changes.items():
        wanted = lines.removed | lines.beside
        if not wanted:
            continue
        try:
            blamed = repo.blame_lines(path, base, _ranges(wanted))
        except RepoError:
            # Ranges beyond the end of a file git disagrees about: blame
            # line by line, dropping the ones git rejects.
            blamed = []
            for first, last in _ranges(wanted):
                try:
                    blamed += repo.blame_lines(path, base, [(first, last)])
                except RepoError:
                    continue
        for sha, number in blamed:
            if sha in cut:
                continue
            weight = REMOVED_WEIGHT if number in lines.removed else CONTEXT_WEIGHT
            weights[sha] += weight
            if number in lines.removed:
                removed_count[sha] += 1
            where[sha][path] += 1
    total = sum(weights.values())
    candidates = []
    # Heaviest first; ties keep the order blame found them in.
    ranked = sorted(weights.items(), key=lambda item: item[1], reverse=True)
    for sha, weight in ranked[:limit]:
        resolved = repo.resolve_commit(sha)
        subject = resolved.subject if resolved else ""
        files = ", ".join(path for path, _ in where[sha].most_common(3))
        if removed_count[sha]:
            reason = f"last wrote {removed_count[sha]} removed or modified line(s) in {files}"
        else:
            reason = f"last wrote the lines around an insertion in {files}"
        candidates.append(FixesCandidate(sha, subject, weight / total, reason))
    return candidates
