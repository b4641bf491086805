"""The file ``kvmwriter edit`` has open, with what the editor knows about it.

The editor paints the file at once and fills in the rest from a worker
(:meth:`EditDocument.load`): the linter and profile, the repository, the
change being described, topic suggestions.  Until then :attr:`ready` is
False and the lint waits.  No Textual here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kvmwriter.lint.findings import Finding
from kvmwriter.text.gitfile import EditorFile, read_editor_file


class EditDocument:
    """One message file: its text as loaded and git's view of the current text."""

    def __init__(self, path: Path, text: str, *, config: Any = None) -> None:
        self.path = Path(path)
        self.original = text
        #: The text in the editor now; the app keeps it current.
        self.text = text
        self.config = config
        self.linter: Any = None
        self.repo: Any = None
        self.files: list[str] = []
        self.diff = ""
        #: core.commentChar when set (the file's own help lines win).
        self.comment: str | None = None
        self.signoff: str | None = None
        self.topic_suggestions: list[Any] = []
        self.ready = False

    # -- what the lint panel and the grammar runner read ---------------------

    @property
    def edit_path(self) -> Path:
        return self.path

    @property
    def profile(self):
        return self.linter.profile

    @property
    def parsed(self) -> EditorFile:
        return read_editor_file(self.text, self.path, comment=self.comment)

    @property
    def cover(self) -> bool:
        return self.parsed.kind == "cover"

    def message_with_origins(self) -> tuple[str, list]:
        return self.text, []

    def lint(self, text: str) -> list[Finding]:
        """Findings for the message in ``text``, at the file's line numbers."""
        from kvmwriter.lint.gitfile import check_editor_file

        ctx = self.linter.context(repo=self.repo, files=tuple(self.files) or None,
                                  diff=self.diff or None)
        report, _ = check_editor_file(self.linter, text, str(self.path), path=self.path,
                                      comment=self.comment, ctx=ctx)
        return report.findings

    # -- loading (a worker calls this) ---------------------------------------

    def load(self) -> None:
        """Build the linter and read git; never raises for git trouble."""
        from kvmwriter.compose.session import _repo_context, suggest_topics
        from kvmwriter.lint.engine import Linter

        self.linter = Linter.from_config(self.config)
        self.repo, self.files, self.diff = _repo_context(self.path)
        if self.repo is not None:
            configured = self.repo.try_git("config", "--get", "core.commentChar")
            self.comment = (configured or "").strip() or None
            self.signoff = self.repo.user_signoff()
        self.topic_suggestions = suggest_topics(self.files, self.linter.profile, self.repo)
        self.ready = True

    # -- helpers the keys call -------------------------------------------------

    def known_prefixes(self) -> list[tuple[str, str]]:
        """``(prefix, evidence)`` rows: the suggestions first, then the profile's."""
        rows: list[tuple[str, str]] = []
        for suggestion in self.topic_suggestions:
            if suggestion.prefix not in (row[0] for row in rows):
                rows.append((suggestion.prefix, "; ".join(suggestion.evidence[:2])))
        main = self.profile.get("subject", "prefix", "KVM")
        for topic in self.profile.known_topics:
            prefix = f"{main}: {topic}:"
            if prefix not in (row[0] for row in rows):
                rows.append((prefix, ""))
        return rows

    def suggest_fixes(self) -> list[tuple[str, str]]:
        """``(Fixes: line, reason)`` rows from blame of the lines changed."""
        if self.repo is None:
            return []
        try:
            from kvmwriter.git.blame import suggest_fixes

            staged = bool(self.repo.staged_files())
            candidates = suggest_fixes(self.repo, staged=staged,
                                       rev=None if staged else "HEAD")
        except Exception:  # a suggestion must never stop the author
            return []
        return [(c.trailer, c.reason) for c in candidates]

    def search_commits(self, query: str) -> list[tuple[str, str]]:
        """``(Fixes: line, "")`` rows for commits whose subject matches."""
        if self.repo is None or len(query.strip()) < 3:
            return []
        try:
            found = self.repo.search_subjects(query.strip(), limit=20)
        except Exception:
            return []
        return [(f'Fixes: {sha[:12]} ("{subject}")', "") for sha, subject in found]

    def save(self, text: str) -> None:
        from kvmwriter.compose.draft_store import write_atomic

        write_atomic(self.path, text)
        self.text = text
