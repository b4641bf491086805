"""Give ``kvmwriter check`` git knowledge only when a rule can use it.

Discovering the repository costs a few git processes, and verifying a
commit an import of GitPython, so ``check`` asks here per message: the
repository is opened when the message has a Fixes: tag or names a commit
in its prose (or ``--repo`` names one), and the staged files and author
are read, with plain git commands, when the message is git's own commit
message file (the commit-msg hook).  Outside a repository everything stays
``None`` and the git rules stay silent.
"""

from __future__ import annotations

import os
import re

from kvmwriter.records import TYPE_CHECKING

if TYPE_CHECKING:
    from kvmwriter.git.repo import Repository
    from kvmwriter.lint.engine import Linter
    from kvmwriter.lint.rules import CheckContext

_FIXES = re.compile(r"^fixes:", re.IGNORECASE | re.MULTILINE)
_GIT_MESSAGE_FILES = {"COMMIT_EDITMSG", "MERGE_MSG", "SQUASH_MSG"}
_FIXES_RULES = ("fixes-commit-unknown", "fixes-title-mismatch")
# "commit 1a2b3c4d5e6f": a reference commit-reference verifies.
_COMMIT_REFERENCE = re.compile(r"\bcommit\s+[0-9a-f]{5,40}\b", re.IGNORECASE)
_FILE_RULES = ("subject-topic-mismatch", "subject-topic-x86-kvm")


class GitContext:
    """Open the repository at most once, and only on demand."""

    def __init__(self, repo_path: str | None = None) -> None:
        self.repo_path = repo_path
        self._repo: Repository | None = None
        self._tried = False

    def open_explicit(self) -> None:
        """Open ``--repo`` now, so a bad path is a one-line error up front."""
        if self.repo_path is not None:
            from kvmwriter.git.repo import Repository

            self._repo = Repository.discover(self.repo_path)  # RepoError propagates.
            self._tried = True

    def repo(self) -> Repository | None:
        if not self._tried:
            self._tried = True
            from kvmwriter.git.repo import RepoError, Repository

            try:
                self._repo = Repository.discover(self.repo_path)
            except RepoError:
                self._repo = None
        return self._repo

    def context_for(self, linter: Linter, text: str, path: str) -> CheckContext | None:
        """A CheckContext with what git can add for this message, or None."""
        names = {rule.name for rule in linter.rules}
        wants_fixes = bool(names.intersection(_FIXES_RULES)) and bool(_FIXES.search(text))
        wants_fixes = wants_fixes or (
            "commit-reference" in names and bool(_COMMIT_REFERENCE.search(text))
        )
        hook_file = path != "-" and os.path.basename(os.path.normpath(path)) in _GIT_MESSAGE_FILES
        if not wants_fixes and not hook_file and self.repo_path is None:
            return None
        repo = self.repo()
        if repo is None:
            return None
        ctx = linter.context(repo=repo)
        if hook_file:
            from kvmwriter.git.repo import RepoError

            try:
                # The staged files choose the profile unless one is forced.
                if names.intersection(_FILE_RULES) or not linter.config.profile_forced:
                    ctx.files = tuple(repo.staged_files()) or None
                author = repo.author_ident()
                if author:
                    ctx.extras["author"] = author
            except RepoError:
                pass
        return ctx

    def close(self) -> None:
        if self._repo is not None:
            self._repo.close()
