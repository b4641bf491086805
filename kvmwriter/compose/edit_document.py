"""The file ``kvmwriter edit`` has open, with what the editor knows about it.

The editor paints the file at once and fills in the rest from a worker
(:meth:`EditDocument.load`): the linter and profile, the repository, the
change being described, topic suggestions.  Until then :attr:`ready` is
False and the lint waits.  No Textual here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kvmwriter.git.process import GitError
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
        #: Checklist keys done and free notes (F5); kept out of the message.
        self.tested: list[str] = []
        self.testing_notes = ""
        #: The commit being reworded (HEAD for --amend or a rebase reword), if known.
        self.edited_commit: str | None = None
        #: The F5 summary as read from that commit's note (unchanged: not rewritten).
        self._noted_summary = ""
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

        ctx = self.linter.context(
            repo=self.repo, files=tuple(self.files) or None, diff=self.diff or None
        )
        report, _ = check_editor_file(
            self.linter, text, str(self.path), path=self.path, comment=self.comment, ctx=ctx
        )
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
        if self.repo is not None:
            self._attach_pending()
            self._read_edited_commit()
        self.ready = True

    def _read_edited_commit(self) -> None:
        """Find the commit being reworded; start F5 from its testing note."""
        from kvmwriter.compose.edited_commit import edited_commit, testing_from_note
        from kvmwriter.compose.testing_notes import read_testing_note

        opened = read_editor_file(self.original, self.path, comment=self.comment)
        if opened.kind == "cover":
            return
        self.edited_commit = edited_commit(self.repo, opened.message)
        if self.edited_commit is None:
            return
        note = read_testing_note(self.repo.root, self.edited_commit)
        if note:
            heading = self.profile.testing.heading
            self.tested, self.testing_notes = testing_from_note(note, self.checklist, heading)
            self._noted_summary = self.testing_summary()

    def _attach_pending(self) -> None:
        """Attach summaries written in earlier editor runs to their commits."""
        from kvmwriter.compose.testing_notes import NotesError, attach_pending

        try:
            attach_pending(self.repo.root, self.repo.git_dir)
        except (NotesError, OSError):
            pass

    # -- the testing checklist (F5) ----------------------------------------------

    @property
    def checklist(self) -> list:
        from kvmwriter.compose.checklist import checklist

        return checklist(self.profile, self.files, self.diff)

    def testing_summary(self) -> str:
        from kvmwriter.compose.checklist import testing_summary

        heading = self.profile.testing.heading
        return testing_summary(self.checklist, self.tested, self.testing_notes, heading)

    # -- helpers the keys call -------------------------------------------------

    def known_prefixes(self) -> list[tuple[str, str]]:
        """``(prefix, evidence)`` rows: the suggestions first, then the profile's."""
        rows: list[tuple[str, str]] = []
        for suggestion in self.topic_suggestions:
            if suggestion.prefix not in (row[0] for row in rows):
                rows.append((suggestion.prefix, "; ".join(suggestion.evidence[:2])))
        main = self.profile.subject.prefix
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
            candidates = suggest_fixes(self.repo, staged=staged, rev=None if staged else "HEAD")
        except (GitError, OSError):  # a suggestion must never stop the author
            return []
        return [(c.trailer, c.reason) for c in candidates]

    def search_commits(self, query: str) -> list[tuple[str, str]]:
        """``(Fixes: line, "")`` rows for commits whose subject matches."""
        if self.repo is None or len(query.strip()) < 3:
            return []
        try:
            found = self.repo.search_subjects(query.strip(), limit=20)
        except (GitError, OSError):  # a search must never stop the author
            return []
        return [(f'Fixes: {sha[:12]} ("{subject}")', "") for sha, subject in found]

    def save(self, text: str) -> None:
        from kvmwriter.compose.draft_store import write_atomic

        write_atomic(self.path, text)
        self.text = text
        self._keep_testing_summary()

    def _keep_testing_summary(self) -> None:
        """Hand the F5 summary to the commit git makes next (a git note)."""
        if self.repo is None or not self.ready or self.parsed.kind == "cover":
            return
        summary = self.testing_summary()
        if not summary:
            return
        if self.edited_commit is not None:
            if summary != self._noted_summary:
                self._note_edited_commit(summary)
            return
        from kvmwriter.compose.testing_notes import save_pending
        from kvmwriter.text.message import parse_message

        message = parse_message(self.parsed.message)
        if message.subject is None:
            return
        try:
            save_pending(self.repo.git_dir, message.subject.text.strip(), summary)
        except OSError:
            pass  # the message itself is written; the summary is a bonus

    def _note_edited_commit(self, summary: str) -> None:
        """Write the summary as the reworded commit's note now.

        git copies it to the commit that replaces it (``notes.rewriteRef``,
        which the first note adds), so no guess by subject is needed.
        """
        from kvmwriter.compose.testing_notes import NotesError, store_testing_note

        if self.repo is None or self.edited_commit is None:
            return
        try:
            store_testing_note(self.repo.root, self.edited_commit, summary)
        except NotesError:
            pass  # the message itself is written; the summary is a bonus
