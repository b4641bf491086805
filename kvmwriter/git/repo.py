"""Everything kvmwriter asks of a git repository.

GitPython finds the repository (worktrees, ``.git`` files, parent
directories); the queries themselves run real ``git`` commands so that
large ranges stream instead of loading every commit object into Python.
GitPython is imported inside :meth:`Repository.discover` only, keeping
``kvmwriter check`` fast when no repository is needed.

Every failure surfaces as :class:`RepoError` with a one-line message.
"""

from __future__ import annotations

import os
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

#: The empty tree: the parent of a root commit or of an unborn branch.
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

#: Keep at most this much of one commit's diff in memory (a generated
#: header can be hundreds of MiB; rules read added comments, not all of it).
MAX_DIFF_BYTES = 2 * 1024 * 1024


class RepoError(Exception):
    """A one-line, user-facing problem with the repository or a revision."""


@dataclass(frozen=True)
class ResolvedCommit:
    sha: str
    subject: str


@dataclass
class LogEntry:
    """One commit as :meth:`Repository.iter_log` streams it."""

    sha: str
    parents: tuple[str, ...]
    author: str
    message: str
    files: tuple[str, ...]
    diff: str | None = None

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1


def _git_env() -> dict[str, str]:
    env = dict(os.environ)
    # Stable, parseable messages; never wait for a password or a pager.
    env.update({"LC_ALL": "C", "LANGUAGE": "C", "GIT_TERMINAL_PROMPT": "0",
                "GIT_PAGER": "cat", "PAGER": "cat"})
    return env


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line:
            for prefix in ("fatal: ", "error: "):
                if line.startswith(prefix):
                    return line[len(prefix):]
            return line
    return "git failed"


class Repository:
    """A git working tree (or bare repository) kvmwriter reads and commits to."""

    def __init__(self, root: Path, git_dir: Path, common_dir: Path) -> None:
        self.root = root
        self.git_dir = git_dir
        self.common_dir = common_dir
        self._env = _git_env()
        self._batch: subprocess.Popen | None = None
        self._batch_lock = threading.Lock()
        self._subjects: dict[str, ResolvedCommit | None] = {}

    # -- discovery -----------------------------------------------------

    @classmethod
    def discover(cls, path: str | Path = ".") -> "Repository":
        """Find the repository containing ``path`` (searching parents)."""
        import git  # GitPython, lazily: only commands that need a repository pay.

        target = Path(path).expanduser()
        if not target.exists():
            raise RepoError(f"not a git repository: {path} (no such path)")
        try:
            repo = git.Repo(target, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise RepoError(f"not a git repository: {path}") from None
        except Exception as error:  # Unreadable .git, bad permissions.
            raise RepoError(f"not a git repository: {path} ({error})") from None
        git_dir = Path(repo.git_dir).resolve()
        common = Path(getattr(repo, "common_dir", repo.git_dir) or repo.git_dir).resolve()
        root = Path(repo.working_tree_dir).resolve() if repo.working_tree_dir else git_dir
        repo.close()
        return cls(root, git_dir, common)

    @classmethod
    def locate(cls, path: str | Path = ".") -> "Repository":
        """Find the repository containing ``path`` with one ``git rev-parse``.

        The same answer as :meth:`discover` for a working tree, without
        importing GitPython: ``kvmwriter check`` in a commit-msg hook has a
        start-up budget of 150 ms, and the import alone costs a quarter of it.
        """
        target = Path(path).expanduser()
        if not target.is_dir():
            raise RepoError(f"not a git repository: {path} (no such directory)")
        try:
            proc = subprocess.run(
                ["git", "rev-parse", "--show-toplevel", "--absolute-git-dir",
                 "--git-common-dir"],
                cwd=target, env=_git_env(), capture_output=True,
            )
        except OSError as error:
            raise RepoError(f"cannot run git: {error}") from None
        lines = proc.stdout.decode("utf-8", "replace").splitlines()
        if proc.returncode != 0 or len(lines) != 3:
            raise RepoError(f"not a git repository: {path}")
        root, git_dir, common = (Path(line) for line in lines)
        common = common if common.is_absolute() else target / common
        return cls(root.resolve(), git_dir.resolve(), common.resolve())

    def __repr__(self) -> str:
        return f"Repository({str(self.root)!r})"

    def close(self) -> None:
        if self._batch is not None:
            try:
                self._batch.stdin.close()
                self._batch.wait(timeout=5)
            except Exception:
                self._batch.kill()
            self._batch = None

    def __del__(self) -> None:  # Reap the cat-file helper.
        try:
            self.close()
        except Exception:
            pass

    # -- running git ---------------------------------------------------

    def git(self, *args: str, input: str | None = None, check: bool = True) -> str:
        """Run ``git args`` in the repository; return stdout (UTF-8, replaced)."""
        try:
            proc = subprocess.run(
                ["git", *args], cwd=self.root, env=self._env, capture_output=True,
                input=input.encode("utf-8") if input is not None else None,
            )
        except OSError as error:
            raise RepoError(f"cannot run git: {error}") from None
        if check and proc.returncode != 0:
            raise RepoError(_first_line(proc.stderr.decode("utf-8", "replace")))
        return proc.stdout.decode("utf-8", "replace")

    def try_git(self, *args: str) -> str | None:
        """Run git; None instead of RepoError when it fails."""
        try:
            return self.git(*args)
        except RepoError:
            return None

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

    def branch(self) -> str | None:
        """The checked-out branch's short name; ``None`` when HEAD is detached."""
        out = self.try_git("symbolic-ref", "--short", "-q", "HEAD")
        return out.strip() or None if out is not None else None

    def upstream(self) -> str | None:
        out = self.try_git("rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
        return out.strip() or None if out is not None else None

    def has_head(self) -> bool:
        return self.try_git("rev-parse", "--verify", "-q", "HEAD^{commit}") is not None

    def hooks_dir(self) -> Path:
        """Where git runs hooks from, honouring ``core.hooksPath``."""
        configured = self.try_git("config", "--get", "core.hooksPath")
        if configured and configured.strip():
            path = Path(os.path.expanduser(configured.strip()))
            return path if path.is_absolute() else self.root / path
        return self.common_dir / "hooks"

    # -- the staged change ---------------------------------------------

    def _staged_base(self) -> list[str]:
        return [] if self.has_head() else [EMPTY_TREE]

    def staged_files(self) -> list[str]:
        out = self.git("-c", "core.quotePath=false", "diff", "--cached", "--name-only",
                       "-z", "--no-renames", *self._staged_base())
        return [name for name in out.split("\0") if name]

    def staged_diff(self) -> str:
        """The unified diff of the index against HEAD (the empty tree when unborn)."""
        return self.git("diff", "--cached", "--no-color", "--no-ext-diff", "-M",
                        *self._staged_base())

    # -- commits -------------------------------------------------------

    def _commit_sha(self, rev: str) -> str:
        out = self.try_git("rev-parse", "--verify", "-q", "--end-of-options", f"{rev}^{{commit}}")
        if not out:
            raise RepoError(f"unknown revision: {rev}")
        return out.strip()

    def _diff_base(self, sha: str) -> str:
        """A commit's first parent, or the empty tree for a root commit."""
        out = self.git("rev-list", "--parents", "-n", "1", sha).split()
        return out[1] if len(out) > 1 else EMPTY_TREE

    def commit_files(self, rev: str) -> list[str]:
        """Paths a commit touches (against its first parent for a merge)."""
        sha = self._commit_sha(rev)
        out = self.git("-c", "core.quotePath=false", "diff-tree", "-r", "--name-only",
                       "-z", "--no-renames", self._diff_base(sha), sha)
        return [name for name in out.split("\0") if name]

    def commit_diff(self, rev: str) -> str:
        sha = self._commit_sha(rev)
        return self.git("diff-tree", "-p", "-M", "--no-color", "--no-ext-diff",
                        self._diff_base(sha), sha)

    def commit_message(self, rev: str) -> str:
        """The raw message, exactly as stored (no cleanup, no re-wrapping)."""
        sha = self._commit_sha(rev)
        raw = self.git("cat-file", "commit", sha)
        _, _, message = raw.partition("\n\n")
        return message

    def commit_author(self, rev: str) -> str:
        sha = self._commit_sha(rev)
        return self.git("log", "-1", "--format=%an <%ae>", sha).strip()

    def user_signoff(self) -> str | None:
        name = (self.try_git("config", "--get", "user.name") or "").strip()
        email = (self.try_git("config", "--get", "user.email") or "").strip()
        if not name or not email:
            return None
        return f"Signed-off-by: {name} <{email}>"

    # -- history -------------------------------------------------------

    def log_subjects(self, paths: Sequence[str], limit: int = 200,
                     before: str | None = None) -> list[tuple[str, str]]:
        """``(sha, subject)`` of recent commits touching ``paths``, newest first.

        ``before`` names a commit: only its ancestors count (never the commit
        itself), so a prediction for a commit sees only the history before it.
        """
        start = self._history_start(before)
        if not start:
            return []  # A root commit or an unborn branch has no history.
        args = ["log", "--no-merges", f"-n{int(limit)}", "--format=%H%x00%s", *start, "--"]
        out = self.git(*args, *paths)
        result = []
        for line in out.splitlines():
            sha, _, subject = line.partition("\0")
            if sha:
                result.append((sha, subject))
        return result

    def recent_subjects_by(self, email: str, limit: int = 10,
                           before: str | None = None) -> list[str]:
        """Subjects among the last ``limit`` commits that ``email`` authored.

        The commits just below HEAD on a topic branch are the author's own
        series: the closest context a new patch has.
        """
        start = self._history_start(before)
        if not start:
            return []
        out = self.git("log", "--no-merges", f"-n{int(limit)}", "--format=%ae%x00%s", *start)
        wanted = email.strip().lower()
        subjects = []
        for line in out.splitlines():
            address, _, subject = line.partition("\0")
            if address.lower() == wanted:
                subjects.append(subject)
        return subjects

    def _history_start(self, before: str | None) -> list[str]:
        """Where a history walk starts: HEAD, or the parents of ``before``.

        Empty when there is no history (an unborn branch, a root commit).
        """
        if before is not None:
            return self.git("rev-list", "--parents", "-n", "1",
                            self._commit_sha(before)).split()[1:]
        return ["HEAD"] if self.has_head() else []

    def user_email(self) -> str | None:
        return (self.try_git("config", "--get", "user.email") or "").strip() or None

    def log_touching(self, paths: Sequence[str], limit: int = 200,
                     before: str | None = None, *,
                     all_files: bool = False) -> list[tuple[str, str, tuple[str, ...]]]:
        """Like :meth:`log_subjects`, with each commit's touched files among ``paths``.

        ``all_files`` lists every file each commit touched instead
        (``--full-diff``): how closely a past change matches the files.
        """
        start = self._history_start(before)
        if not start:
            return []
        full = ["--full-diff"] if all_files else []
        out = self.git("-c", "core.quotePath=false", "log", "--no-merges", f"-n{int(limit)}",
                       "--name-only", *full, "--format=%x1e%H%x00%s", *start, "--", *paths)
        wanted = set(paths)
        dirs = tuple(p.rstrip("/") + "/" for p in paths)
        result = []
        for chunk in out.split("\x1e")[1:]:
            head, _, names = chunk.partition("\n")
            sha, _, subject = head.partition("\0")
            files = tuple(n for n in names.splitlines()
                          if n and (all_files or n in wanted or n.startswith(dirs)))
            result.append((sha, subject, files))
        return result

    def _cat_file(self, request: str) -> tuple[str, str | None]:
        """Ask a long-lived ``git cat-file --batch`` about ``request``.

        Returns ``(status, content)``: status is a sha, "missing" or
        "ambiguous".  One process serves a whole review.
        """
        with self._batch_lock:
            if self._batch is None or self._batch.poll() is not None:
                self._batch = subprocess.Popen(
                    ["git", "cat-file", "--batch"], cwd=self.root, env=self._env,
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                )
            proc = self._batch
            try:
                proc.stdin.write(request.encode("utf-8", "replace") + b"\n")
                proc.stdin.flush()
                header = proc.stdout.readline().decode("utf-8", "replace").rstrip("\n")
                parts = header.split()
                if len(parts) == 3 and parts[1] != "ambiguous":
                    size = int(parts[2])
                    body = proc.stdout.read(size + 1)[:size]
                    return parts[0], body.decode("utf-8", "replace")
            except (OSError, ValueError):
                self._batch = None
                raise RepoError("git cat-file stopped unexpectedly") from None
            return ("ambiguous" if header.endswith(" ambiguous") else "missing"), None

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
        check = self.git("cat-file", "--batch-check=%(objecttype)",
                         input="\n".join(candidates) + "\n")
        return check.split().count("commit") > 1

    def search_subjects(self, query: str, limit: int = 20) -> list[tuple[str, str]]:
        """Commits whose subject contains ``query`` (any case), newest first."""
        if not self.has_head():
            return []
        needle = query.lower()
        found: list[tuple[str, str]] = []
        for line in self._stream(["log", "--format=%H%x00%s", "HEAD"]):
            sha, _, subject = line.rstrip("\n").partition("\0")
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
        words = range_.split()
        if not words or any(word.startswith("-") for word in words):
            raise RepoError(f"bad range: {range_!r}")
        try:
            self.git("rev-list", "--max-count=0", *words, "--")
        except RepoError as error:
            raise RepoError(f"bad range: {range_} ({error})") from None

    def count_range(self, range_: str) -> int:
        self._check_range(range_)
        return int(self.git("rev-list", "--count", *range_.split()).strip() or 0)

    def _stream(self, args: list[str], input: bytes | None = None) -> Iterator[str]:
        """Yield git's stdout line by line; stop git when the caller stops."""
        try:
            proc = subprocess.Popen(["git", *args], cwd=self.root, env=self._env,
                                    stdin=subprocess.PIPE if input is not None else None,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError as error:
            raise RepoError(f"cannot run git: {error}") from None
        if input is not None:
            # git reads every --stdin revision before it writes a byte.
            proc.stdin.write(input)
            proc.stdin.close()
        try:
            for raw in proc.stdout:
                yield raw.decode("utf-8", "replace")
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.stdout.close()
            err = proc.stderr.read().decode("utf-8", "replace")
            proc.stderr.close()
            code = proc.wait()
        if code not in (0, -9) and err.strip():
            raise RepoError(_first_line(err))

    def iter_log(self, range_: str, *, diffs: bool = False,
                 batch: int = 2000) -> Iterator[LogEntry]:
        """Stream the commits of ``range_`` oldest first.

        Each entry carries its message, author and touched files; its diff
        (against the first parent) only when ``diffs`` is true.  One
        ``git rev-list`` lists the range; one ``git log --no-walk`` per
        ``batch`` commits formats them, so neither this process nor git
        holds more than a batch of commits, however long the range.
        """
        self._check_range(range_)
        pending: list[str] = []
        for line in self._stream(["rev-list", "--reverse", *range_.split(), "--"]):
            pending.append(line.strip())
            if len(pending) >= batch:
                yield from self._log_batch(pending, diffs)
                pending = []
        if pending:
            yield from self._log_batch(pending, diffs)

    def _log_batch(self, shas: list[str], diffs: bool) -> Iterator[LogEntry]:
        start, sep = "\x1e\x1dKVMW-COMMIT\x1d", "\x1dKVMW-END\x1d"
        fmt = f"{start}%H %P%x1f%an <%ae>%x1f%B{sep}"
        args = ["-c", "core.quotePath=false", "log", "--no-walk=unsorted", "--stdin",
                "--no-color", "--no-ext-diff", f"--format={fmt}"]
        # Diff a merge against its first parent, as commit_files() does.
        args += ["--diff-merges=first-parent", "--no-renames"]
        args += ["-p"] if diffs else ["--name-only"]
        entry: LogEntry | None = None
        buf: list[str] = []
        size = 0
        in_message = False
        for line in self._stream(args, input="".join(s + "\n" for s in shas).encode()):
            if line.startswith(start):
                if entry is not None:
                    yield self._finish(entry, buf, diffs)
                head, _, rest = line[len(start):].partition("\x1f")
                ids = head.split()
                author, _, message = rest.partition("\x1f")
                entry = LogEntry(ids[0], tuple(ids[1:]), author, "", ())
                buf, size = [message], 0
                in_message = True
                if sep in message:
                    entry.message = message.split(sep, 1)[0]
                    buf, in_message = [], False
                continue
            if entry is None:
                continue
            if in_message:
                if sep in line:
                    buf.append(line.split(sep, 1)[0])
                    entry.message = "".join(buf)
                    buf, in_message = [], False
                else:
                    buf.append(line)
                continue
            if size < MAX_DIFF_BYTES:
                buf.append(line)
                size += len(line)
        if entry is not None:
            yield self._finish(entry, buf, diffs)

    @staticmethod
    def _finish(entry: LogEntry, buf: list[str], diffs: bool) -> LogEntry:
        if diffs:
            entry.diff = "".join(buf).strip("\n") + "\n" if buf else ""
            entry.files = tuple(diff_files(entry.diff))
        else:
            entry.files = tuple(line.rstrip("\n") for line in buf if line.strip())
        return entry

    # -- blame ---------------------------------------------------------

    def blame_lines(self, path: str, rev: str | None,
                    ranges: Sequence[tuple[int, int]]) -> list[tuple[str, int]]:
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
            if len(parts) >= 3 and len(parts[0]) == 40 and all(
                    c in "0123456789abcdef^" for c in parts[0]):
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
        try:
            proc = subprocess.run(["git", *args], cwd=self.root, env=self._env,
                                  input=message.encode("utf-8"), capture_output=True)
        except OSError as error:
            raise RepoError(f"cannot run git: {error}") from None
        if proc.returncode != 0:
            text = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip()
            lines = [line for line in text.splitlines() if line.strip()]
            raise RepoError("git commit failed: " + (" ".join(lines[-3:]) or "unknown error"))
        return self.git("rev-parse", "HEAD").strip()


def diff_files(diff: str) -> list[str]:
    """Paths a unified diff touches, in order, from its ``diff --git`` lines."""
    files: list[str] = []
    seen: set[str] = set()
    old: str | None = None
    for line in diff.splitlines():
        if line.startswith("diff --git "):
            old = None
            rest = line[len("diff --git "):]
            name = _split_git_paths(rest)
            if name and name not in seen:
                seen.add(name)
                files.append(name)
        elif line.startswith("--- ") and old is None:
            old = line[4:]
        elif line.startswith("+++ ") and not files:
            path = line[4:].split("\t")[0]
            if path.startswith("b/"):
                path = path[2:]
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
    if rest[:half].startswith("a/") and rest[half + 1:].startswith("b/"):
        return rest[half + 3:]
    index = rest.find(" b/")
    return rest[index + 3:] if index >= 0 else None
