"""A drafting session: the staged change, the draft and the linter together.

The TUI presents a :class:`DraftSession`; everything it decides (what the
message is, which rules fire, how to commit) lives here, free of Textual, so
tests and benchmarks drive it directly too.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kvmwriter.compose.commit import Draft, Origin, compose_with_origins, diff_function_names
from kvmwriter.compose.loader import SessionLoader
from kvmwriter.errors import UserError
from kvmwriter.lint.findings import Finding

if TYPE_CHECKING:
    from kvmwriter.compose.checklist import CheckItem


class SessionError(UserError):
    """A one-line reason a session cannot start (not a repo, nothing staged)."""


@dataclass
class SessionReading:
    """What a session reads after its first screen is up (see :class:`SessionLoader`)."""

    diff: str = ""
    signoff: str = ""
    linter: Any = None
    #: The repository and staged files, when :func:`start_session` only probed.
    repo: Any = None
    files: list[str] | None = None
    topic_suggestions: list[Any] = field(default_factory=list)
    #: The first problem met; the session goes on without what it could not read.
    error: UserError | None = None


@dataclass(frozen=True)
class RepoPlace:
    """Where a session's repository is, known before GitPython is imported."""

    root: Path
    git_dir: Path
    #: The checked-out branch; ``None`` when HEAD is detached.
    branch: str | None

    @property
    def where(self) -> str:
        return f"{self.root.name} ({self.branch or 'detached HEAD'})"


@dataclass
class DraftSession:
    linter: Any = None
    draft: Draft = field(default_factory=Draft)
    repo: Any = None
    files: list[str] = field(default_factory=list)
    diff: str = ""
    amend: bool = False
    #: In ``kvmwriter edit``: the file the message is written back to.
    edit_path: Path | None = None
    #: Lines of the edited file kept after the message (git's comments).
    edit_tail: str = ""
    #: The message is a cover letter (b4 prep --edit-cover).
    cover: bool = False
    topic_suggestions: list[Any] = field(default_factory=list)
    #: Changelog paragraphs an existing message already had: left unwrapped.
    keep: frozenset[str] = frozenset()
    #: The profile, known before the linter is built (see :func:`start_session`).
    early_profile: Any = None
    #: Reads the diff, the sign-off, the linter and the topic suggestions
    #: until :meth:`ready` applies them; ``None`` once they are in.
    loader: SessionLoader[SessionReading] | None = field(default=None, repr=False, compare=False)
    #: Why part of the session could not be read (it goes on without it).
    load_error: UserError | None = None
    #: The repository as probed before the first frame (``repo`` comes later).
    place: RepoPlace | None = None

    @property
    def loading(self) -> bool:
        """The diff, the linter and the topic suggestions are still being read."""
        return self.loader is not None

    def ready(self) -> None:
        """Apply what the loader read, reading it here if no worker has yet.

        Call from the thread that owns the draft (the app's): a suggestion
        fills only what the author left empty, never what was typed.
        """
        loader, self.loader = self.loader, None
        if loader is None:
            return
        reading = loader.run()
        if reading.repo is not None:
            self.repo = reading.repo
        if reading.files is not None:
            self.files = reading.files
        self.diff = reading.diff
        self.load_error = reading.error
        if reading.linter is not None:
            self.linter = reading.linter
        self.topic_suggestions = reading.topic_suggestions
        if reading.signoff and not self.draft.signoff:
            self.draft.signoff = reading.signoff
        if self.topic_suggestions and not self.draft.prefix.strip():
            self.draft.prefix = self.topic_suggestions[0].prefix

    @property
    def unusable(self) -> bool:
        """What could not be read leaves nothing to draft against.

        No rules to lint with, or no repository where the probe found one.
        """
        return self.linter is None or (self.repo is None and self.place is not None)

    @property
    def profile(self):
        if self.linter is None and self.early_profile is None:
            self.ready()
        return self.linter.profile if self.linter is not None else self.early_profile

    @property
    def function_names(self) -> list[str]:
        self.ready()
        if not hasattr(self, "_functions"):
            self._functions = diff_function_names(self.diff)
        return self._functions

    @property
    def checklist(self) -> list[CheckItem]:
        # The staged change does not move during a session: read the diff once.
        self.ready()
        if not hasattr(self, "_checklist"):
            from kvmwriter.compose.checklist import checklist

            self._checklist = checklist(self.profile, self.files, self.diff)
        return self._checklist

    def testing_summary(self) -> str:
        from kvmwriter.compose.checklist import testing_summary

        heading = self.profile.testing.heading
        return testing_summary(self.checklist, self.draft.tested, self.draft.testing_notes, heading)

    def message_with_origins(self) -> tuple[str, list[Origin]]:
        # A commit made here keeps its testing summary in a git note
        # (compose/testing_notes.py); git's editor file has no commit to
        # attach one to yet, so there it stays below ---.
        summary = self.testing_summary() if self.edit_path is not None else ""
        return compose_with_origins(self.draft, summary, self.keep)

    def message(self) -> str:
        return self.message_with_origins()[0]

    def lint(self, text: str) -> list[Finding]:
        """Findings for ``text`` as ``kvmwriter check`` would report them."""
        from kvmwriter.lint.engine import check_text

        # The lint worker may get here before the app applied the reading:
        # wait for it, and leave applying it to the app's thread.
        loader = self.loader
        reading = loader.run() if loader is not None else None
        if reading is not None:
            linter, diff = reading.linter, reading.diff
            repo = reading.repo or self.repo
            files = self.files if reading.files is None else reading.files
        else:
            linter, diff, repo, files = self.linter, self.diff, self.repo, self.files
        if linter is None:  # The rules could not load (load_error says why).
            return []
        ctx = linter.context(repo=repo, files=tuple(files) or None, diff=diff or None)
        report, _ = check_text(linter, text, "draft", cover=self.cover, ctx=ctx)
        skipped = set(self.profile.drafting.skip_rules)
        if not self.draft.summary.strip():
            # "KVM: x86:" alone ends with ':'; the empty summary is the news.
            skipped.add("subject-trailing-punctuation")
        return [f for f in report.findings if f.rule not in skipped]

    def suggest_fixes(self) -> list[Any]:
        """Blame-based Fixes: candidates (empty when the git API lacks them)."""
        from kvmwriter.git.blame import suggest_fixes
        from kvmwriter.git.repo import RepoError

        self.ready()
        if self.repo is None:
            return []
        try:
            return suggest_fixes(
                self.repo, staged=not self.amend, rev="HEAD" if self.amend else None
            )
        except RepoError:  # A suggestion never stops the author.
            return []

    def search_commits(self, query: str) -> list[tuple[str, str]]:
        from kvmwriter.git.repo import RepoError

        if self.repo is None or len(query.strip()) < 3:
            return []
        try:
            return self.repo.search_subjects(query.strip(), limit=20)
        except RepoError:
            return []

    def canonical_fixes(self, value: str) -> str | None:
        """The ``<12 chars> ("<subject>")`` form of a typed commit id, if any.

        ``None`` when ``value`` does not start with a commit id the
        repository knows, or is already in the canonical form.
        """
        match = re.match(r"\s*(?:fixes:\s*)?([0-9a-fA-F]{7,40})\b", value, re.IGNORECASE)
        if self.repo is None or match is None:
            return None
        from kvmwriter.git.repo import RepoError

        try:
            resolved = self.repo.resolve_commit(match.group(1))
        except RepoError:
            return None
        if resolved is None:
            return None
        canonical = f'{resolved.sha[:12]} ("{resolved.subject}")'
        return None if value.strip() == canonical else canonical

    def commit(self) -> str:
        """Commit the message through git (hooks and signing run); the sha.

        The testing summary goes to the new commit's git note, out of the
        message, where later trailers cannot strand it below ``---``.
        """
        sha = self.repo.commit(self.message(), amend=self.amend)
        if self.draft.testing_place == "notes":
            from kvmwriter.compose.testing_notes import NotesError, store_testing_note

            try:
                store_testing_note(self.repo.root, sha, self.testing_summary())
            except NotesError:
                pass  # the commit stands; the summary is still in the draft view
        return sha

    def write_edit_file(self) -> None:
        """Write the message back to the file git handed to the editor."""
        from kvmwriter.compose.draft_store import write_atomic

        if self.edit_path is None:
            raise SessionError("this session edits no file")
        text = self.message()
        if self.edit_tail:
            text = text + "\n" + self.edit_tail
        write_atomic(self.edit_path, text)


def open_session(path: str | Path = ".", *, amend: bool = False, config=None) -> DraftSession:
    """Start a session on the repository at ``path`` and read all of it now.

    Raises :class:`SessionError` with a one-line hint when there is no
    repository or nothing to commit, and what :meth:`DraftSession.ready`
    could not read.
    """
    session = start_session(path, amend=amend, config=config)
    session.ready()
    if session.load_error is not None:
        raise session.load_error
    return session


def start_session(path: str | Path = ".", *, amend: bool = False, config=None) -> DraftSession:
    """Open what must fail before any screen; leave the rest to the loader.

    A new commit needs only a probe with plain git (a work tree, something
    staged, the branch for the draft store); an amend finds the repository
    and reads HEAD's message, which the author edits from the first key.
    The profile is read too.  The repository, the staged files and diff,
    the sign-off, the rules and the topic suggestions take longer:
    ``session.loader`` reads them and :meth:`DraftSession.ready` applies
    them.  Raises :class:`SessionError` (not a repository, nothing staged)
    or the config's and profile's errors.
    """
    from kvmwriter.lint.config import Config, profile_for

    # git answers the probe while the profile is read.
    probe = start_probe(path) if not amend else None
    config = config or Config()
    linter = None
    try:
        if config.select or config.ignore or config.severity:
            # A rule name the config misspells must fail before any screen;
            # only a config that names rules pays for loading them here.
            from kvmwriter.lint.engine import Linter

            linter = Linter.from_config(config)
        profile = linter.profile if linter is not None else profile_for(config)
    except UserError:
        if probe is not None:  # reap git; the config's error is the one to report
            with contextlib.suppress(SessionError):
                probe()
        raise
    if probe is not None:
        session = DraftSession(place=probe(), early_profile=profile)
        session.loader = SessionLoader(
            lambda: read_session(None, [], amend=False, config=config, linter=linter, path=path)
        )
        return session
    # An amend edits HEAD's message from the first key: read it now.
    from kvmwriter.compose.commit import draft_from_message, paragraphs_of
    from kvmwriter.git.repo import RepoError

    repo = _discover(path)
    try:
        if not repo.has_head():
            raise SessionError("nothing to amend: the branch has no commits yet")
        files = sorted(set(repo.staged_files()) | set(repo.commit_files("HEAD")))
        draft = draft_from_message(repo.commit_message("HEAD"), repo.user_signoff() or "")
    except RepoError as error:
        raise SessionError(str(error)) from None
    session = DraftSession(
        repo=repo,
        files=files,
        amend=True,
        draft=draft,
        keep=paragraphs_of(draft),
        early_profile=profile,
    )
    session.loader = SessionLoader(
        lambda: read_session(repo, files, amend=True, config=config, linter=linter)
    )
    return session


def _discover(path: str | Path):
    from kvmwriter.git.repo import RepoError, Repository

    try:
        return Repository.discover(path)
    except RepoError as error:
        raise SessionError(f"{error}{NOT_A_TREE_HINT}") from None


NOT_A_TREE_HINT = " (run kvmwriter inside a kernel tree, or try 'kvmwriter demo')"


def probe_staged(path: str | Path) -> RepoPlace:
    """Check, with plain git, that ``path`` is in a work tree with a staged change.

    The same one-line errors as :func:`open_session`, for the cost of
    three git commands and no GitPython import.
    """
    return start_probe(path)()


def start_probe(path: str | Path) -> Callable[[], RepoPlace]:
    """Start :func:`probe_staged`'s git commands; the returned call waits for them.

    The three commands run together, and on another core while the caller
    reads the profile; the call raises what :func:`probe_staged` raises.
    """
    from kvmwriter.git.process import GitError, first_error_line, start_plain

    shown = str(path)
    target = Path(path)
    try:
        if not target.is_dir():
            raise SessionError(
                f"not a git repository: {shown} (no such directory){NOT_A_TREE_HINT}"
            )
        found = start_plain(target, "rev-parse", "--show-toplevel", "--absolute-git-dir")
        staged = start_plain(target, "diff", "--cached", "--quiet", "--no-ext-diff")
        head = start_plain(target, "symbolic-ref", "-q", "--short", "HEAD")
    except (GitError, SessionError) as error:
        failure = error if isinstance(error, SessionError) else SessionError(str(error))

        def fail() -> RepoPlace:
            raise failure

        return fail

    def finish() -> RepoPlace:
        where = found.result()
        if not where.ok:
            reason = first_error_line(where.stderr)
            detail = "" if "not a git repository" in reason else f" ({reason})"
            raise SessionError(f"not a git repository: {shown}{detail}{NOT_A_TREE_HINT}")
        root, git_dir = where.stdout.splitlines()[:2]
        status = staged.result()
        if status.returncode == 0:
            raise SessionError(
                "nothing staged to commit (stage a change with 'git add', or try 'kvmwriter demo')"
            )
        if status.returncode != 1:
            raise SessionError(first_error_line(status.stderr))
        branch = head.result().stdout.strip() or None
        return RepoPlace(Path(root).resolve(), Path(git_dir).resolve(), branch)

    return finish


def read_session(
    repo, files: list[str], *, amend: bool, config=None, linter=None, path: str | Path = "."
) -> SessionReading:
    """The slow part of a session: the diff, the sign-off, the rules, the topics.

    Without ``repo`` (only probed so far), discover it at ``path`` and
    read its staged files first.
    """
    from kvmwriter.git.repo import RepoError
    from kvmwriter.lint.engine import Linter

    reading = SessionReading(linter=linter)
    if repo is None:
        try:
            repo = reading.repo = _discover(path)
        except SessionError as error:  # gone since the probe: nothing to draft against
            reading.error = error
            return reading
        try:
            files = reading.files = repo.staged_files()
        except RepoError as error:
            reading.error = SessionError(f"cannot read the staged change: {error}")
            files = reading.files = []
    try:
        reading.diff = repo.staged_diff()
        if amend:
            reading.diff = repo.commit_diff("HEAD") + reading.diff
        else:
            reading.signoff = repo.user_signoff() or ""
    except RepoError as error:
        reading.error = reading.error or SessionError(f"cannot read the staged change: {error}")
    try:
        reading.linter = reading.linter or Linter.from_config(config)
    except UserError as error:  # an unknown rule in the config, a broken profile
        reading.error = reading.error or error
        return reading
    reading.topic_suggestions = suggest_topics(files, reading.linter.profile, repo)
    return reading


def suggest_topics(files: list[str], profile, repo=None) -> list[Any]:
    from kvmwriter.git.repo import RepoError
    from kvmwriter.lint.topics import suggest_topics as suggest

    try:
        return suggest(files, profile, repo)
    except RepoError:  # A suggestion never stops the author.
        return []


def edit_session(path: Path, *, config=None, text: str | None = None) -> DraftSession:
    """A session on a message file git or b4 handed to the editor.

    ``text`` replaces the file's content (the free-text editor hands over
    what was typed so far).  Raises :class:`kvmwriter.text.files.InputError`
    for an unreadable file.
    """
    from kvmwriter.compose.commit import (
        B4_TRACKING,
        draft_from_message,
        paragraphs_of,
        split_editor_file,
    )
    from kvmwriter.compose.cover import is_b4_cover_path
    from kvmwriter.lint.engine import Linter
    from kvmwriter.text.files import read_input

    if text is None:
        _, text = read_input(str(path))
    repo, files, diff = _repo_context(path)
    from kvmwriter.text.gitfile import detect_comment

    configured = None
    if repo is not None:
        configured = (repo.config_get("core.commentChar") or "").strip()
    # git's help lines name the string it picked ("auto" picks per message).
    message, tail = split_editor_file(text, detect_comment(text, configured))
    linter = Linter.from_config(config)
    signoff = repo.user_signoff() if repo is not None else None
    session = DraftSession(
        linter=linter,
        repo=repo,
        files=files,
        diff=diff,
        edit_path=Path(path),
        edit_tail=tail,
        cover=B4_TRACKING in text or is_b4_cover_path(path),
    )
    # Offer the sign-off 'git commit -s' would add (Tags can remove it);
    # a cover letter carries none.
    session.draft = draft_from_message(message, None if session.cover else signoff)
    session.keep = paragraphs_of(session.draft)
    session.topic_suggestions = suggest_topics(files, linter.profile, repo)
    return session


def _repo_context(path: Path):
    """The repository around ``path`` and the change being described."""
    from kvmwriter.git.repo import RepoError, Repository

    try:
        repo = Repository.discover(Path(path).resolve().parent)
        files = repo.staged_files()
        diff = repo.staged_diff()
        if not files and repo.has_head():
            # A reword or an amend with nothing staged: describe HEAD.
            files = repo.commit_files("HEAD")
            diff = repo.commit_diff("HEAD")
    except RepoError:
        return None, [], ""
    return repo, files, diff
