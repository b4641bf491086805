"""Everything kvmwriter asks of a git repository: git itself and GitPython.

:meth:`Repository.discover` asks ``git rev-parse`` for the work tree git
would use, and falls back to GitPython's ``git.Repo`` (``.git`` files,
parent directories, bare repositories, ``GIT_DIR``) where git names none.
Refs and objects (HEAD's branch, a commit's parents, message and author)
are read through GitPython's object model; the commits messages name (a
Fixes: tag's short id) through one long-lived ``git cat-file --batch`` on
plain pipes, so verifying them imports no GitPython.  What it does
not model (``log -z`` with formats, ``blame --porcelain``, diffs,
``rev-parse`` of any revision a user types, config as git resolves it,
``commit`` with hooks) runs as git commands, in :mod:`kvmwriter.git.process`.
Output that holds text a repository controls (messages, names, paths) is
split on NUL, which no such text can contain.

GitPython is imported when the object model is first needed, never at
import of this module nor to find a work tree or run a command, so
``kvmwriter check`` in a commit-msg hook reads the staged files within its
start-up budget.  Every failure surfaces as :class:`RepoError` with a
one-line message; no GitPython exception escapes.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator, Sequence

from kvmwriter.git.process import (
    GitError,
    GitRunner,
    first_error_line,
    gitpython,
    nul_fields,
    run_plain,
    split_nul,
)
from kvmwriter.records import TYPE_CHECKING, NamedTuple, Record

if TYPE_CHECKING:
    from collections import deque
    from collections.abc import Generator, Iterable
    from pathlib import Path
    from typing import TypeVar

    import git

    from kvmwriter.git.process import CatFile, GitStream

    _T = TypeVar("_T")

#: The empty tree: the parent of a root commit or of an unborn branch.
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

#: Keep at most this much of one commit's diff in memory (a generated
#: header can be hundreds of MiB; rules read added comments, not all of it).
MAX_DIFF_BYTES = 2 * 1024 * 1024

#: The one error type of the git layer (kept under its historical name).
RepoError = GitError


# Named tuples and plain records rather than dataclasses: the commit-msg
# hook imports this module and must not pay for importing dataclasses.
class ResolvedCommit(NamedTuple):
    sha: str
    subject: str


class LogEntry(Record):
    """One commit as :meth:`Repository.iter_log` streams it."""

    __slots__ = ("sha", "parents", "author", "message", "files", "diff")

    sha: str
    parents: tuple[str, ...]
    author: str
    message: str
    files: tuple[str, ...]
    diff: str | None

    def __init__(
        self,
        sha: str,
        parents: tuple[str, ...],
        author: str,
        message: str,
        files: tuple[str, ...],
        diff: str | None = None,
    ) -> None:
        self.sha = sha
        self.parents = parents
        self.author = author
        self.message = message
        self.files = files
        self.diff = diff

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1


def _repository_env(git_dir: str) -> dict[str, str]:
    """``GIT_DIR``/``GIT_WORK_TREE`` made absolute, when the user set them.

    Later commands run from the work tree's root, where a relative path
    from the user's shell would name another directory.
    """
    extra: dict[str, str] = {}
    if os.environ.get("GIT_DIR"):
        extra["GIT_DIR"] = git_dir
    work_tree = os.environ.get("GIT_WORK_TREE")
    if work_tree:
        extra["GIT_WORK_TREE"] = os.path.realpath(work_tree)
    return extra


def _beyond_ceiling(start: Path, found: Path) -> bool:
    """True when git would not have searched up to ``found`` from ``start``.

    git never moves up into a directory of ``GIT_CEILING_DIRECTORIES``;
    GitPython's parent search knows no ceiling.
    """
    for entry in os.environ.get("GIT_CEILING_DIRECTORIES", "").split(os.pathsep):
        if not entry or not os.path.isabs(entry):
            continue
        from pathlib import Path

        ceiling = Path(entry).resolve()
        if ceiling in start.parents and (found == ceiling or found in ceiling.parents):
            return True
    return False


class Repository:
    """A git working tree (or bare repository) kvmwriter reads and commits to."""

    def __init__(
        self,
        root: str | os.PathLike[str],
        git_dir: str | os.PathLike[str],
        common_dir: str | os.PathLike[str],
        *,
        bare: bool = False,
        handle: git.Repo | None = None,
    ) -> None:
        # Kept as strings: the commit-msg hook's check opens the repository
        # without importing pathlib; root, git_dir and common_dir are Paths.
        self._root = os.fspath(root)
        self._git_dir = os.fspath(git_dir)
        self._common_dir = os.fspath(common_dir)
        self.bare = bare
        self._extra_env = _repository_env(self._git_dir)
        self._runner = GitRunner(self._root, self._extra_env)
        self._handle = handle
        # The long-lived cat-file children (ours, GitPython's) serve one
        # request at a time.
        self._lock = threading.RLock()
        self._objects: CatFile | None = None
        self._subjects: dict[str, ResolvedCommit | None] = {}

    @property
    def root(self) -> Path:
        """The work tree's top folder (the git directory of a bare repository)."""
        from pathlib import Path

        return Path(self._root)

    @property
    def git_dir(self) -> Path:
        from pathlib import Path

        return Path(self._git_dir)

    @property
    def common_dir(self) -> Path:
        """The git directory a linked work tree shares with its main one."""
        from pathlib import Path

        return Path(self._common_dir)

    # -- discovery -----------------------------------------------------

    @classmethod
    def discover(cls, path: str | Path | None = None) -> Repository:
        """Find the repository at or above ``path`` (default: the current directory).

        One behaviour for every command: the repository git itself would
        use there, ``GIT_DIR``, ``GIT_WORK_TREE``, ``GIT_CEILING_DIRECTORIES``
        and bare repositories included.
        """
        shown = "." if path is None else str(path)
        # os.path, not pathlib, up to git's answer: see __init__.
        start = os.path.expanduser(os.fspath(path)) if path is not None else os.getcwd()
        if not os.path.exists(start):
            raise RepoError(f"not a git repository: {shown} (no such path)")
        if not os.path.isdir(start):
            start = os.path.dirname(start)
        start = os.path.realpath(start)
        found = cls._discover_work_tree(start)
        if found is not None:
            return found
        import configparser  # Only GitPython's discovery raises its errors.
        from pathlib import Path

        target = Path(start)

        git = gitpython()
        git_dir_env = os.environ.get("GIT_DIR")
        try:
            if git_dir_env:
                # git reads GIT_DIR relative to where it runs and searches no
                # further; GitPython ignores GIT_DIR once given a path.
                handle = git.Repo(target / git_dir_env)
            else:
                handle = git.Repo(target, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise RepoError(f"not a git repository: {shown}") from None
        except (OSError, ValueError, configparser.Error) as error:
            # An unreadable .git or config: say what went wrong.
            reason = first_error_line(str(error))
            raise RepoError(f"not a git repository: {shown} ({reason})") from None
        git_dir = Path(handle.git_dir).resolve()
        common_dir = Path(handle.common_dir).resolve()
        work_tree = handle.working_tree_dir
        if handle.bare or work_tree is None:
            root = git_dir
        elif git_dir_env and not os.environ.get("GIT_WORK_TREE") and not _core_worktree(handle):
            # GIT_DIR without a work tree: git takes the current directory.
            root = target
        else:
            root = Path(work_tree).resolve()
        if not git_dir_env:
            top = git_dir if git_dir == target or git_dir in target.parents else root
            if _beyond_ceiling(target, top):
                handle.close()
                raise RepoError(f"not a git repository: {shown}")
        found = cls(root, git_dir, common_dir, bare=bool(handle.bare), handle=handle)
        # GitPython opens what git refuses (a broken config, a repository
        # owned by someone else, an unknown format): let git have its say.
        result = found._runner.run("rev-parse", "--git-dir")
        if not result.ok:
            found.close()
            reason = first_error_line(result.stderr)
            if "not a git repository" in reason:
                raise RepoError(f"not a git repository: {shown}")
            raise RepoError(f"not a git repository: {shown} ({reason})")
        return found

    @classmethod
    def _discover_work_tree(cls, target: str) -> Repository | None:
        """The work tree git finds from ``target``, as ``git rev-parse`` names it.

        git's own answer, without importing GitPython (the commit-msg hook
        must not pay for it); GitPython's model opens on first use.  None
        when git finds no work tree there (a bare repository, inside a git
        directory, no repository, a broken one): :meth:`discover` then looks
        with GitPython and words the error.
        """
        try:
            result = run_plain(
                target,
                "rev-parse",
                "--path-format=absolute",
                "--is-inside-work-tree",
                "--git-dir",
                "--git-common-dir",
                "--show-toplevel",
            )
        except GitError:
            return None
        lines = result.stdout.splitlines()
        if not result.ok or len(lines) != 4 or lines[0] != "true":
            return None
        git_dir, common_dir, root = (os.path.realpath(line) for line in lines[1:])
        return cls(root, git_dir, common_dir)

    def __repr__(self) -> str:
        return f"Repository({self._root!r})"

    @property
    def env(self) -> dict[str, str]:
        """The environment this repository's git commands run with (a copy)."""
        return {**os.environ, **self._runner.extra}

    @property
    def extra_env(self) -> dict[str, str]:
        """What :attr:`env` adds to the inherited environment (a copy)."""
        return dict(self._runner.extra)

    def _repo(self) -> git.Repo:
        """GitPython's repository, opened on first use."""
        if self._handle is None:
            import configparser

            git = gitpython()
            try:
                self._handle = git.Repo(self.git_dir)
            except (git.GitError, OSError, ValueError, configparser.Error) as error:
                reason = first_error_line(str(error))
                raise RepoError(f"cannot open {self.git_dir}: {reason}") from None
        return self._handle

    def _model(self, read: Callable[[git.Repo], _T], what: str) -> _T:
        """``read(repo)`` on GitPython's object model; failures as RepoError."""
        git = gitpython()
        with self._lock:
            handle = self._repo()
            try:
                return read(handle)
            except (
                git.GitError,
                git.ODBError,  # gitdb's BadName, BadObject: not GitErrors.
                ValueError,
                LookupError,
                OSError,
                TypeError,
            ) as error:
                if isinstance(error, (BrokenPipeError, ConnectionError)):
                    handle.git.clear_cache()  # A cat-file child died: start afresh.
                raise RepoError(f"{what}: {first_error_line(str(error))}") from None

    def close(self) -> None:
        self._close_objects()
        handle, self._handle = self._handle, None
        if handle is not None:
            handle.close()

    def __del__(self) -> None:  # Reap the cat-file helpers.
        objects = getattr(self, "_objects", None)
        if objects is not None:
            objects.close()
        handle = getattr(self, "_handle", None)
        if handle is not None:
            try:
                handle.close()
            except OSError:
                pass

    # -- running git ---------------------------------------------------

    def git(self, *args: str, input: str | None = None, check: bool = True) -> str:
        """Run ``git args`` in the repository; return stdout (UTF-8, replaced)."""
        result = self._runner.run(*args, input=input)
        if check and not result.ok:
            raise RepoError(first_error_line(result.stderr))
        return result.stdout

    def try_git(self, *args: str) -> str | None:
        """Run git; None instead of RepoError when it fails."""
        try:
            return self.git(*args)
        except RepoError:
            return None

    def succeeds(self, *args: str) -> bool:
        """True when ``git args`` exits 0 (a yes/no question to git)."""
        return self._runner.run(*args).ok

    # -- state ---------------------------------------------------------

    @property
    def is_shallow(self) -> bool:
        return (self.common_dir / "shallow").is_file()

    def shallow_roots(self) -> set[str]:
        """The commits at the shallow cut (their parents are missing)."""
        try:
            text = (self.common_dir / "shallow").read_text()
        except OSError:
            return set()
        return {line.strip() for line in text.splitlines() if line.strip()}

    @property
    def uses_reftable(self) -> bool:
        """True when refs live in a reftable, which GitPython cannot read."""
        return (self.common_dir / "reftable").is_dir()

    def branch(self) -> str | None:
        """The checked-out branch's short name; ``None`` when HEAD is detached."""
        if self.uses_reftable:
            out = self.try_git("symbolic-ref", "--short", "-q", "HEAD")
            return out.strip() or None if out is not None else None

        def read(handle: git.Repo) -> str | None:
            head = handle.head
            return None if head.is_detached else head.reference.name

        try:
            return self._model(read, "cannot read HEAD")
        except RepoError:
            return None

    def upstream(self) -> str | None:
        """The upstream of the checked-out branch as git abbreviates it.

        Asked of ``git rev-parse``: GitPython's ``tracking_branch()`` names
        ``refs/remotes/<remote>/<branch>`` whatever the fetch refspec says,
        gets a local upstream (remote ".") wrong and never checks the ref
        exists.
        """
        out = self.try_git("rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
        return out.strip() or None if out is not None else None

    def has_head(self) -> bool:
        """True when HEAD names a commit (false on an unborn branch)."""
        # Asked of git, not GitPython's model: the hook reads the staged
        # files without importing GitPython, and reftables need git anyway.
        return self.verify_commit("HEAD") is not None

    def hooks_dir(self) -> Path:
        """Where git runs hooks from, honouring ``core.hooksPath``."""
        from pathlib import Path

        configured = self.try_git("config", "--get", "core.hooksPath")
        if configured and configured.strip():
            path = Path(os.path.expanduser(configured.strip()))
            return path if path.is_absolute() else self.root / path
        return self.common_dir / "hooks"

    def upstream_range(self, example: str) -> str:
        """``<upstream>..HEAD``: the series a command reads when given no range.

        Raise :class:`RepoError` naming the reason (no upstream, detached
        HEAD) and ``example``, a command line that gives a range.
        """
        upstream = self.upstream()
        if upstream:
            return f"{upstream}..HEAD"
        branch = self.branch()
        where = f"branch '{branch}' has no upstream" if branch else "HEAD is detached"
        raise RepoError(f"{where}; give a range, e.g. '{example}'")

    def verify_commit(self, rev: str) -> str | None:
        """The full id of the commit ``rev`` names; None when it names none.

        Asked of ``git rev-parse``: a user types any revision git knows
        (``@{u}``, ``:/text``, ``v6.1~3^2``), more than GitPython's
        ``rev_parse()`` understands.
        """
        if not rev or rev.startswith("-"):
            return None
        out = self.try_git("rev-parse", "--verify", "-q", "--end-of-options", f"{rev}^{{commit}}")
        return out.strip() or None if out is not None else None

    def config_get(self, key: str) -> str | None:
        """The value of ``key`` in git's config; None when unset.

        Asked of ``git config``: GitPython's config reader misses what git
        reads from the environment (``git -c`` passed on to a hook or an
        editor, ``GIT_CONFIG_GLOBAL``, ``GIT_CONFIG_NOSYSTEM``) and per-worktree
        config.
        """
        out = self.try_git("config", "--get", key)
        return out.rstrip("\n") if out is not None else None

    def config_set(self, key: str, value: str) -> None:
        self.git("config", key, value)

    def remotes(self) -> str:
        """``git remote -v`` as git prints it ("" when git fails)."""
        return self.try_git("remote", "-v") or ""

    # -- a series for a cover letter -----------------------------------

    def subjects(self, range_: str) -> list[str]:
        """Subjects of the non-merge commits of ``range_``, oldest first."""
        out = self.git("log", "-z", "--reverse", "--no-merges", "--format=%s", range_, "--")
        return split_nul(out)

    def shortlog(self, range_: str) -> str:
        """``git shortlog`` of ``range_`` wrapped as format-patch's cover does."""
        return self.git("shortlog", "-w72,2,4", "--no-merges", range_, "--").rstrip("\n")

    def diffstat(self, start: str, end: str) -> str:
        """The diffstat and summary of ``end`` against its merge base with ``start``."""
        return self.git("diff", "--stat", "--summary", f"{start}...{end}", "--").rstrip("\n")

    def changed_files(self, start: str, end: str) -> list[str]:
        """Paths ``end`` changes against its merge base with ``start``."""
        out = self.git(
            "-c", "core.quotePath=false", "diff", "-z", "--name-only", f"{start}...{end}", "--"
        )
        return split_nul(out)

    def merge_base(self, first: str, second: str) -> str | None:
        out = self.try_git("merge-base", first, second)
        return out.strip() or None if out is not None else None

    # -- the staged change ---------------------------------------------

    def staged_files(self) -> list[str]:
        """The paths the index changes against HEAD.

        On an unborn branch 'diff --cached' compares with the empty tree by
        itself (of either hash), so HEAD needs no question of its own.
        """
        out = self.git(
            "-c",
            "core.quotePath=false",
            "diff",
            "--cached",
            "--name-only",
            "-z",
            "--no-renames",
        )
        return split_nul(out)

    def staged_diff(self) -> str:
        """The unified diff of the index against HEAD (the empty tree when unborn)."""
        return self.git("diff", "--cached", "--no-color", "--no-ext-diff", "-M")

    # -- commits -------------------------------------------------------

    def _commit_sha(self, rev: str) -> str:
        out = self.try_git("rev-parse", "--verify", "-q", "--end-of-options", f"{rev}^{{commit}}")
        if not out:
            raise RepoError(f"unknown revision: {rev}")
        return out.strip()

    def parents(self, rev: str) -> list[str]:
        """The parents of commit ``rev`` (none for a root commit).

        A commit at a shallow clone's cut has none either, as git's own
        history walk says: its parents are not in the repository.  Read
        from the commit object, so a ``git replace`` of the commit is not
        followed (git's history walk would follow it).
        """
        sha = self._commit_sha(rev)
        if sha in self.shallow_roots():
            return []
        return self._model(
            lambda handle: [parent.hexsha for parent in handle.commit(sha).parents],
            f"cannot read commit {sha[:12]}",
        )

    def _diff_base(self, sha: str) -> str:
        """A commit's first parent, or the empty tree for a root commit."""
        parents = self.parents(sha)
        return parents[0] if parents else EMPTY_TREE

    def commit_files(self, rev: str) -> list[str]:
        """Paths a commit touches (against its first parent for a merge)."""
        sha = self._commit_sha(rev)
        out = self.git(
            "-c",
            "core.quotePath=false",
            "diff-tree",
            "-r",
            "--name-only",
            "-z",
            "--no-renames",
            self._diff_base(sha),
            sha,
        )
        return split_nul(out)

    def commit_diff(self, rev: str) -> str:
        sha = self._commit_sha(rev)
        return self.git(
            "diff-tree", "-p", "-M", "--no-color", "--no-ext-diff", self._diff_base(sha), sha
        )

    def commit_message(self, rev: str) -> str:
        """The raw message, exactly as stored (no cleanup, no re-wrapping)."""
        sha = self._commit_sha(rev)
        message = self._model(
            lambda handle: handle.commit(sha).message, f"cannot read commit {sha[:12]}"
        )
        return message if isinstance(message, str) else message.decode("utf-8", "replace")

    def commit_author(self, rev: str) -> str:
        """``Name <email>`` as the commit records its author."""
        sha = self._commit_sha(rev)
        author = self._model(
            lambda handle: handle.commit(sha).author, f"cannot read commit {sha[:12]}"
        )
        return f"{author.name or ''} <{author.email or ''}>".strip()

    def user_signoff(self) -> str | None:
        name = (self.try_git("config", "--get", "user.name") or "").strip()
        email = (self.try_git("config", "--get", "user.email") or "").strip()
        if not name or not email:
            return None
        return f"Signed-off-by: {name} <{email}>"

    # -- history -------------------------------------------------------

    def log_subjects(
        self, paths: Sequence[str], limit: int = 200, before: str | None = None
    ) -> list[tuple[str, str]]:
        """``(sha, subject)`` of recent commits touching ``paths``, newest first.

        ``before`` names a commit: only its ancestors count (never the commit
        itself), so a prediction for a commit sees only the history before it.
        """
        start = self._history_start(before)
        if not start:
            return []  # A root commit or an unborn branch has no history.
        out = self.git(
            "log", "-z", "--no-merges", f"-n{int(limit)}", "--format=%H%x00%s", *start, "--", *paths
        )
        return _pairs(out)

    def recent_subjects_by(
        self, email: str, limit: int = 10, before: str | None = None
    ) -> list[str]:
        """Subjects among the last ``limit`` commits that ``email`` authored.

        The commits just below HEAD on a topic branch are the author's own
        series: the closest context a new patch has.
        """
        start = self._history_start(before)
        if not start:
            return []
        out = self.git("log", "-z", "--no-merges", f"-n{int(limit)}", "--format=%ae%x00%s", *start)
        wanted = email.strip().lower()
        return [subject for address, subject in _pairs(out) if address.lower() == wanted]

    def _history_start(self, before: str | None) -> list[str]:
        """Where a history walk starts: HEAD, or the parents of ``before``.

        Empty when there is no history (an unborn branch, a root commit).
        """
        if before is not None:
            return self.parents(before)
        return ["HEAD"] if self.has_head() else []

    def author_ident(self) -> str | None:
        """``Name <email>`` git would record as the author of a commit now."""
        ident = self.try_git("var", "GIT_AUTHOR_IDENT")
        if ident is None:
            return None
        return re.sub(r"\s+\d+\s+[+-]\d{4}$", "", ident.strip()) or None

    def ref_containing(
        self, commit: str, patterns: Sequence[str], exclude: Sequence[str] = ()
    ) -> str | None:
        """A ref among ``patterns`` (minus ``exclude``) whose history holds ``commit``."""
        if not patterns:
            return None
        args = ["name-rev", "--name-only", "--no-undefined"]
        args += [f"--refs={p}" for p in patterns] + [f"--exclude={p}" for p in exclude]
        name = (self.try_git(*args, commit) or "").strip()
        return re.split(r"[~^]", name, maxsplit=1)[0] or None

    def user_email(self) -> str | None:
        return (self.try_git("config", "--get", "user.email") or "").strip() or None

    def log_touching(
        self,
        paths: Sequence[str],
        limit: int = 200,
        before: str | None = None,
        *,
        all_files: bool = False,
    ) -> list[tuple[str, str, tuple[str, ...]]]:
        """Like :meth:`log_subjects`, with each commit's touched files among ``paths``.

        ``all_files`` lists every file each commit touched instead
        (``--full-diff``): how closely a past change matches the files.
        """
        start = self._history_start(before)
        if not start:
            return []
        full = ["--full-diff"] if all_files else []
        out = self.git(
            "log",
            "-z",
            "--no-merges",
            f"-n{int(limit)}",
            "--name-only",
            *full,
            f"--format={_RECORD_START}%H%x00%s",
            *start,
            "--",
            *paths,
        )
        wanted = set(paths)
        dirs = tuple(p.rstrip("/") + "/" for p in paths)
        result = []
        for (sha, subject), names in _records(iter([out.encode("utf-8")]), 2):
            files = tuple(n for n in names if all_files or n in wanted or n.startswith(dirs))
            result.append((sha, subject, files))
        return result

    def _cat_file(self, request: str) -> tuple[str, str | None]:
        """``(status, content)`` of ``request`` from one long-lived
        ``git cat-file --batch``: status is a sha, "missing" or "ambiguous".

        One child serves a whole review, however many Fixes: tags it checks.
        """
        with self._lock:
            if self._objects is not None and not self._objects.alive:
                self._close_objects()  # It exited on an object it could not read.
            if self._objects is None:
                self._objects = self._runner.cat_file()
            try:
                sha, data = self._objects.read(request)
            except OSError:
                # git exits on an object it cannot read: it is missing to
                # every caller, and the next request starts git afresh.
                self._close_objects()
                return "missing", None
        return sha, None if data is None else data.decode("utf-8", "replace")

    def _close_objects(self) -> None:
        objects, self._objects = self._objects, None
        if objects is not None:
            objects.close()

    def resolve_commit(self, ref: str) -> ResolvedCommit | None:
        """Resolve a (short) commit id; ``None`` when no commit has it.

        Raises :class:`RepoError` when a short id names several commits.
        """
        ref = ref.strip()
        if not ref or any(ch.isspace() for ch in ref) or ref.startswith("-"):
            return None
        if ref in self._subjects:
            return self._subjects[ref]
        status, content = self._cat_file(f"{ref}^{{commit}}")
        if content is None and self._is_ambiguous_commit(ref):
            raise RepoError(f"short commit id {ref} is ambiguous; quote at least 12 characters")
        if content is None:
            self._subjects[ref] = None
            return None
        _, _, message = content.partition("\n\n")
        subject = " ".join(message.split("\n\n", 1)[0].split())
        resolved = ResolvedCommit(status, subject)
        self._subjects[ref] = resolved
        return resolved

    def _is_ambiguous_commit(self, ref: str) -> bool:
        """True when the short hex id ``ref`` names two or more commits.

        ``cat-file`` reports "missing" for an ambiguous ``ID^{commit}``, so
        list the candidates and count the commits among them.
        """
        if not all(c in "0123456789abcdefABCDEF" for c in ref) or len(ref) < 4:
            return False
        if self._cat_file(ref)[0] != "ambiguous":
            return False
        out = self.try_git("rev-parse", f"--disambiguate={ref.lower()}") or ""
        candidates = out.split()
        if not candidates:
            return False
        check = self.git(
            "cat-file", "--batch-check=%(objecttype)", input="\n".join(candidates) + "\n"
        )
        return check.split().count("commit") > 1

    def search_subjects(self, query: str, limit: int = 20) -> list[tuple[str, str]]:
        """Commits whose subject contains ``query`` (any case), newest first."""
        if not self.has_head():
            return []
        needle = query.lower()
        found: list[tuple[str, str]] = []
        fields = nul_fields(self._runner.stream("log", "-z", "--format=%H%x00%s", "HEAD"))
        for raw_sha in fields:
            sha = raw_sha.decode("ascii", "replace")
            subject = next(fields, b"").decode("utf-8", "replace")
            if needle in subject.lower():
                found.append((sha, subject))
                if len(found) >= limit:
                    break
        return found

    def rev_list(self, range_: str) -> list[str]:
        """Commits of ``range_`` (``A..B``, ``A...B``, ``REV``), oldest first."""
        self._check_range(range_)
        out = self.git("rev-list", "--reverse", *range_.split())
        return out.split()

    def _check_range(self, range_: str) -> None:
        self._range_git(range_, "--max-count=0")

    def _range_words(self, range_: str) -> list[str]:
        words = range_.split()
        if not words or any(word.startswith("-") for word in words):
            raise RepoError(f"bad range: {range_!r}")
        return words

    def _range_git(self, range_: str, *options: str) -> str:
        """``git rev-list options range_ --``; a bad range is a one-line error."""
        words = self._range_words(range_)
        try:
            return self.git("rev-list", *options, *words, "--")
        except RepoError as error:
            raise RepoError(f"bad range: {range_} ({error})") from None

    def count_range(self, range_: str, *, at_most: int | None = None) -> int:
        """How many commits ``range_`` holds; with ``at_most``, stop counting
        there (git then walks no further than that many commits)."""
        # One walk checks and counts: on a long range each costs a full one.
        limit = [f"--max-count={at_most}"] if at_most is not None else []
        return int(self._range_git(range_, "--count", *limit).strip() or 0)

    def iter_log(
        self, range_: str, *, diffs: bool = False, batch: int = 2000, checked: bool = False
    ) -> Iterator[LogEntry]:
        """Stream the commits of ``range_`` oldest first.

        Each entry carries its message, author and touched files; its diff
        (against the first parent) only when ``diffs`` is true.  One
        ``git rev-list`` lists the range; one ``git log --no-walk`` per
        ``batch`` commits formats them, so neither this process nor git
        holds more than a batch of commits, however long the range.
        ``checked`` as for :meth:`iter_ids`.
        """
        yield from self.log_of(self.iter_ids(range_, checked=checked), diffs=diffs, batch=batch)

    def log_of(
        self, ids: Iterable[str], *, diffs: bool = False, batch: int = 2000
    ) -> Iterator[LogEntry]:
        """Stream the commits ``ids`` (full ids) in that order, as
        :meth:`iter_log` streams a range: one ``git log`` per ``batch``."""
        pending: list[str] = []
        for sha in ids:
            pending.append(sha)
            if len(pending) >= batch:
                yield from self.log_entries(pending, diffs=diffs)
                pending = []
        if pending:
            yield from self.log_entries(pending, diffs=diffs)

    def iter_ids(self, range_: str, *, checked: bool = False) -> Iterator[str]:
        """The full ids of ``range_``'s commits, oldest first, streamed.

        ``checked``: :meth:`count_range` has read the range already, so it
        needs no second walk to be checked.
        """
        if not checked:
            self._check_range(range_)
        for line in self._runner.lines("rev-list", "--reverse", *range_.split(), "--"):
            yield line.strip()

    def list_range(self, range_: str) -> RangeIds:
        """Start listing ``range_``'s commits, oldest first; read them from
        the returned :class:`RangeIds` (and close it).

        git walks the range while the caller does other work.  A bad range
        raises :class:`RepoError` ("bad range: ...") when the ids are read.
        """
        words = self._range_words(range_)
        return RangeIds(range_, self._runner.start("rev-list", "--reverse", *words, "--"))

    def log_entries(self, shas: Sequence[str], *, diffs: bool = False) -> Iterator[LogEntry]:
        """The commits ``shas`` (full ids), in that order, as :meth:`iter_log`
        streams them: one ``git log --no-walk`` for all of them."""
        # NUL-separated fields: no message, name or path can forge a commit.
        args = [
            "log",
            "-z",
            "--no-walk=unsorted",
            "--stdin",
            "--no-color",
            "--no-ext-diff",
            f"--format={_RECORD_START}%H %P%x00%an <%ae>%x00%B",
            # Diff a merge against its first parent, as commit_files() does.
            "--diff-merges=first-parent",
            "--no-renames",
        ]
        args += ["-p"] if diffs else ["--name-only"]
        chunks = self._runner.stream(*args, input="".join(s + "\n" for s in shas).encode())
        for (head, author, message), tail in _records(chunks, 3, cap=MAX_DIFF_BYTES + 1):
            ids = head.split()
            entry = LogEntry(ids[0], tuple(ids[1:]), author, message, ())
            if diffs:
                entry.diff = _capped_diff("".join(tail))
                entry.files = tuple(diff_files(entry.diff))
            else:
                entry.files = tuple(tail)
            yield entry

    # -- blame ---------------------------------------------------------

    def blame_lines(
        self, path: str, rev: str | None, ranges: Sequence[tuple[int, int]]
    ) -> list[tuple[str, int]]:
        """``(sha, line)`` for each line in ``ranges`` of ``path`` at ``rev``.

        ``rev`` None blames HEAD.  Lines beyond a shallow cut come back as the
        boundary commit, as git reports them.
        """
        if not ranges:
            return []
        args = ["blame", "--porcelain"]
        for first, last in ranges:
            args += ["-L", f"{first},{last}"]
        args += [rev or "HEAD", "--", path]
        out = self.git(*args)
        result = []
        for line in out.splitlines():
            parts = line.split()
            if (
                len(parts) >= 3
                and len(parts[0]) == 40
                and all(c in "0123456789abcdef^" for c in parts[0])
            ):
                result.append((parts[0].lstrip("^"), int(parts[2])))
        return result

    # -- writing -------------------------------------------------------

    def commit(self, message: str, amend: bool = False) -> str:
        """Commit the index with ``message`` through ``git commit -F -``.

        Hooks, signing and the user's config all apply; a rejection raises
        :class:`RepoError` carrying git's own words.
        """
        args = ["commit", "-F", "-"]
        if amend:
            args.append("--amend")
        result = self._runner.run(*args, input=message)
        if not result.ok:
            text = (result.stderr or result.stdout).strip()
            lines = [line for line in text.splitlines() if line.strip()]
            raise RepoError("git commit failed: " + (" ".join(lines[-3:]) or "unknown error"))
        return self.git("rev-parse", "HEAD").strip()


class RangeIds:
    """The full ids of a range, oldest first, as a running ``git rev-list``
    prints them (see :meth:`Repository.list_range`).

    An iterator; :meth:`peek` reads ahead, so the caller can count the
    first few commits (how many workers to start?) without walking the
    range twice.
    """

    def __init__(self, range_: str, stream: GitStream) -> None:
        self.range = range_
        self._stream = stream
        self._lines = self._read()
        self._started = False
        from collections import deque

        self._ahead: deque[str] = deque()

    def _read(self) -> Generator[str, None, None]:
        self._started = True
        pending = b""
        try:
            for chunk in self._stream.chunks():
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    yield line.decode("ascii", "replace").strip()
        except GitError as error:
            raise RepoError(f"bad range: {self.range} ({error})") from None
        if pending.strip():
            yield pending.decode("ascii", "replace").strip()

    def peek(self, count: int) -> int:
        """Read ahead until ``count`` ids are held or the range ends; return
        how many are held (all the range holds, when fewer than ``count``)."""
        while len(self._ahead) < count:
            sha = next(self._lines, None)
            if sha is None:
                break
            self._ahead.append(sha)
        return len(self._ahead)

    def waiting(self) -> bool:
        """True while git is still walking the range: no id read yet, and
        none to read without waiting (``--reverse`` prints nothing before
        its walk ends).  Time to do other work."""
        if self._ahead or self._started:
            return False
        return not self._stream.ready()

    def __iter__(self) -> RangeIds:
        return self

    def __next__(self) -> str:
        if self._ahead:
            return self._ahead.popleft()
        return next(self._lines)

    def fds(self) -> tuple[int, ...]:
        """What a forked child closes so as not to hold git's pipes."""
        return self._stream.fds()

    def close(self) -> None:
        """Stop git if the range was not read to its end."""
        self._lines.close()
        self._stream.close()


def _core_worktree(handle: git.Repo) -> bool:
    """True when the repository's config names its work tree (``core.worktree``)."""
    import configparser

    try:
        return bool(handle.config_reader("repository").has_option("core", "worktree"))
    except (OSError, configparser.Error):
        return False


#: Two NULs open each record of ``git log -z`` output: a record's tail
#: (paths or a diff) never holds an empty field, so an empty field ends it.
_RECORD_START = "%x00%x00"


def _records(
    chunks: Iterator[bytes], count: int, cap: int | None = None
) -> Iterator[tuple[list[str], list[str]]]:
    """``(fields, tail)`` per record of ``git log -z`` output formatted with
    :data:`_RECORD_START` and ``count`` NUL-separated fields.

    ``tail`` holds what git adds after the format: the ``--name-only``
    paths, or the ``-p`` diff as one field.
    """
    fields: list[str] = []
    tail: list[str] = []
    in_tail = False
    for raw in nul_fields(chunks, cap):
        if in_tail:
            if raw:
                text = raw.decode("utf-8", "replace")
                # git puts a newline between the format and what follows.
                tail.append(text[1:] if not tail and text.startswith("\n") else text)
                continue
            yield fields, [name for name in tail if name]
            fields, tail, in_tail = [], [], False
            continue
        if not fields and not raw:
            continue  # The record's opening NULs.
        fields.append(raw.decode("utf-8", "replace"))
        in_tail = len(fields) == count
    if fields:
        yield fields + [""] * (count - len(fields)), [name for name in tail if name]


def _pairs(out: str) -> list[tuple[str, str]]:
    """Consecutive fields of ``-z`` output with a ``X%x00Y`` format, as pairs."""
    fields = out.split("\0")
    if fields and fields[-1] == "":
        fields.pop()
    return [(fields[i], fields[i + 1]) for i in range(0, len(fields) - 1, 2) if fields[i]]


def _capped_diff(diff: str) -> str:
    """Whole lines of ``diff`` up to :data:`MAX_DIFF_BYTES`, ending in a newline."""
    if not diff.strip("\n"):
        return ""
    if len(diff) > MAX_DIFF_BYTES:
        lines, size = [], 0
        for line in diff.splitlines(keepends=True):
            if size >= MAX_DIFF_BYTES:
                break
            lines.append(line)
            size += len(line)
        diff = "".join(lines)
    return diff.strip("\n") + "\n"


def diff_files(diff: str) -> list[str]:
    """Paths a unified diff touches, in order, from its ``diff --git`` lines."""
    files: list[str] = []
    seen: set[str] = set()
    old: str | None = None
    for line in diff.splitlines():
        if line.startswith("diff --git "):
            old = None
            rest = line[len("diff --git ") :]
            name = _split_git_paths(rest)
            if name and name not in seen:
                seen.add(name)
                files.append(name)
        elif line.startswith("--- ") and old is None:
            old = line[4:]
        elif line.startswith("+++ ") and not files:
            path = line[4:].split("\t")[0]
            path = path.removeprefix("b/")
            if path != "/dev/null" and path not in seen:
                seen.add(path)
                files.append(path)
    return files


def _split_git_paths(rest: str) -> str | None:
    """The b/ path of ``a/X b/X`` (names with spaces included)."""
    if rest.startswith('"'):
        parts = rest.split('" "')
        return parts[-1].strip('"')[2:] if parts else None
    half = (len(rest) - 1) // 2
    if rest[:half].startswith("a/") and rest[half + 1 :].startswith("b/"):
        return rest[half + 3 :]
    index = rest.find(" b/")
    return rest[index + 3 :] if index >= 0 else None
