"""Run git: the one place kvmwriter starts a git process.

Every git command runs here, with one environment (C locale, no prompt,
no pager), one error type (:class:`GitError`, one line) and NUL-separated
output splitting for every caller in the git layer.  Commands run to
completion (:meth:`GitRunner.run`) and streamed ones
(:meth:`GitRunner.stream`) are plain subprocesses; GitPython serves git's
object model (refs, commits, objects) in ``repo.py`` and is imported on
first use (:func:`gitpython`), never at import of this module:
``kvmwriter check`` in a commit-msg hook and ``kvmwriter review`` of a
range read git's output and must not pay for GitPython unless a rule
needs a git object.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import ModuleType

from kvmwriter.errors import UserError
from kvmwriter.records import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from pathlib import Path
    from typing import IO, Any

#: Read git's output in pieces of this size when streaming.
CHUNK = 64 * 1024

#: What kvmwriter adds to the environment of every git command.  GitPython
#: adds LC_ALL=C and LANGUAGE=C itself; both are repeated here so that the
#: contract does not hang on a library default.
GIT_ENV = {
    "LC_ALL": "C",
    "LANGUAGE": "C",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_PAGER": "cat",
    "PAGER": "cat",
}


class GitError(UserError):
    """A one-line, user-facing problem with git, a repository or a revision."""


class GitResult(NamedTuple):
    """A finished git command: exit status and its decoded output."""

    returncode: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def gitpython() -> ModuleType:
    """The ``git`` package (GitPython), imported on the first call.

    Without a git executable GitPython refuses to import unless told to
    stay quiet; kvmwriter then reports the missing git itself, in one line,
    when a command first runs.
    """
    os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")
    import git

    return git


def git_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment every git process runs with."""
    env = dict(os.environ)
    env.update(GIT_ENV)
    if extra:
        env.update(extra)
    return env


def first_error_line(text: str) -> str:
    """git's first message line without its ``fatal:``/``error:`` prefix."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            for prefix in ("fatal: ", "error: "):
                if line.startswith(prefix):
                    return line[len(prefix) :]
            return line
    return "git failed"


#: What any pipe holds: one page (POSIX's PIPE_BUF, the least Linux gives
#: a pipe when a user's pipes are over their limit).
_PIPE_HOLDS = 4096


@contextmanager
def _stdin(data: bytes | None) -> Iterator[IO[bytes] | int | None]:
    """A file or pipe holding ``data`` for git's stdin (None: stdin is /dev/null).

    A pipe only when it holds ``data`` whole: writing a longer input while
    git fills its stdout pipe would stall both, as the stream is read only
    after git starts.
    """
    if data is None:
        yield None
        return
    if len(data) <= _PIPE_HOLDS:
        # Small enough for a pipe to hold whole: no temporary file (and no
        # tempfile import, 4 ms, for a review of a few commits).
        read, write = os.pipe()
        try:
            os.write(write, data)
        finally:
            os.close(write)
        try:
            yield read
        finally:
            os.close(read)
        return
    import tempfile  # Only a streamed command with a long input needs it.

    with tempfile.TemporaryFile(prefix="kvmwriter-git-") as handle:
        handle.write(data)
        handle.seek(0)
        yield handle


class GitRunner:
    """git commands in one directory, with one environment."""

    def __init__(self, cwd: Path | str, env: Mapping[str, str] | None = None) -> None:
        # A str, not a Path: the commit-msg hook runs git without pathlib.
        self.cwd = os.fspath(cwd)
        # Only what differs from the inherited environment: GitPython starts
        # from os.environ at each call, as a plain subprocess would.
        self.extra = {**GIT_ENV, **(env or {})}

    def run(
        self,
        *args: str,
        input: str | bytes | None = None,
        env: Mapping[str, str] | None = None,
    ) -> GitResult:
        """Run ``git args`` to completion; never raise for a non-zero exit.

        ``input`` goes to stdin (stdin is /dev/null otherwise, so no editor
        or credential helper can wait for the terminal).  Raise
        :class:`GitError` only when git cannot be started at all.
        """
        data = input.encode("utf-8") if isinstance(input, str) else input
        return _run_process(self.cwd, args, {**self.extra, **(env or {})}, data)

    def stream(self, *args: str, input: bytes | None = None) -> Iterator[bytes]:
        """Yield git's stdout in chunks; stop git when the caller stops.

        Raise :class:`GitError` with git's first error line when git fails
        (a kill on an early stop is not a failure).
        """
        yield from self.start(*args, input=input).chunks()

    def start(self, *args: str, input: bytes | None = None) -> GitStream:
        """Start ``git args`` now; read its stdout later with :meth:`GitStream.chunks`.

        git then works on another core while this process does something
        else (builds the linter) before it needs the output.
        """
        # A plain pipe, as for commands run to completion: a stream reads
        # no git object, so it need not pay for importing GitPython.
        with _stdin(input) as istream:
            return GitStream(_popen(self.cwd, args, self.extra, istream))

    def cat_file(self) -> CatFile:
        """Start a long-lived ``git cat-file --batch`` (see :class:`CatFile`)."""
        import subprocess

        return CatFile(_popen(self.cwd, ("cat-file", "--batch"), self.extra, subprocess.PIPE))

    def lines(self, *args: str, input: bytes | None = None) -> Iterator[str]:
        """Yield git's stdout line by line (newline kept), decoded as UTF-8."""
        pending = b""
        for chunk in self.stream(*args, input=input):
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                yield line.decode("utf-8", "replace") + "\n"
        if pending:
            yield pending.decode("utf-8", "replace")


class GitStream:
    """A running git command whose stdout is read in chunks (see :meth:`GitRunner.start`)."""

    def __init__(self, process: Any) -> None:
        self._process = process
        self._error: str | None = None
        self._closed = False

    def fds(self) -> tuple[int, ...]:
        """The descriptors this process reads git through (for a forked
        child to close: it must not keep git's pipes open)."""
        return tuple(
            pipe.fileno()
            for pipe in (self._process.stdout, self._process.stderr)
            if pipe is not None and not pipe.closed
        )

    def ready(self) -> bool:
        """Whether reading git's stdout would not wait: git has printed
        something or exited.  Only before the first read: what a read
        leaves buffered is not seen here."""
        import select  # Built in: no cost to speak of.

        stdout = self._process.stdout
        if self._closed or stdout is None or stdout.closed:
            return True
        return bool(select.select([stdout], [], [], 0)[0])

    def chunks(self) -> Iterator[bytes]:
        """Yield git's stdout in chunks; stop git when the caller stops.

        Raise :class:`GitError` with git's first error line when git fails
        (a kill on an early stop is not a failure).
        """
        proc = self._process
        assert proc.stdout is not None
        try:
            while True:
                chunk = proc.stdout.read1(CHUNK)
                if not chunk:
                    break
                yield chunk
        finally:
            self.close()
        if self._error is not None:
            raise GitError(self._error)

    def close(self) -> None:
        """Stop git if it still runs and reap it (idempotent)."""
        if self._closed:
            return
        self._closed = True
        proc = self._process
        if proc.poll() is None:
            proc.kill()
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()
        err = proc.stderr.read().decode("utf-8", "replace")
        proc.stderr.close()
        code = proc.wait()
        if code not in (0, -9) and err.strip():
            self._error = first_error_line(err)


class CatFile:
    """A long-lived ``git cat-file --batch``: one object per request, over plain
    pipes, so that reading an object (the commit a Fixes: tag names) costs
    neither a git start-up each time nor importing GitPython."""

    def __init__(self, process: Any) -> None:
        import subprocess  # Imported already: it started git.

        self._process = process
        # Kept for close(), which may run as the interpreter shuts down
        # (a Repository's __del__), when nothing can be imported any more.
        self._expired = subprocess.TimeoutExpired

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    def read(self, name: str) -> tuple[str, bytes | None]:
        """``(full id, content)`` of the object ``name`` (no whitespace), or
        ``("missing" or "ambiguous", None)``.

        Raise :class:`OSError` when git has stopped: before the request
        (start another), or on it (git exits on an object it cannot read).
        """
        proc = self._process
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(name.encode("utf-8") + b"\n")
        proc.stdin.flush()
        header = proc.stdout.readline()
        fields = header.split()
        if not header.endswith(b"\n") or not fields:
            raise BrokenPipeError("git cat-file stopped")
        if len(fields) != 3 or not fields[2].isdigit():
            return fields[-1].decode("ascii", "replace"), None  # "NAME missing"
        size = int(fields[2])
        data = proc.stdout.read(size + 1)  # The content and git's newline.
        if len(data) != size + 1:
            raise BrokenPipeError("git cat-file stopped")
        return fields[0].decode("ascii", "replace"), data[:size]

    def close(self) -> None:
        """End git (it exits when its input does) and reap it."""
        proc = self._process
        for pipe in (proc.stdin, proc.stdout, proc.stderr):
            if pipe is not None:
                try:
                    pipe.close()
                except OSError:
                    pass
        try:
            proc.wait(timeout=5)
        except self._expired:  # Never wait on a stuck git.
            proc.kill()
            proc.wait()


def run_git(
    args: Sequence[str],
    cwd: Path | str,
    *,
    env: Mapping[str, str] | None = None,
    input: str | bytes | None = None,
) -> GitResult:
    """Run ``git args`` in ``cwd`` once (see :meth:`GitRunner.run`)."""
    return GitRunner(cwd, env).run(*args, input=input)


def nul_fields(chunks: Iterator[bytes], cap: int | None = None) -> Iterator[bytes]:
    """Split a byte stream on NUL: the record separator git output cannot forge.

    Commit messages, author names and (with ``-z``) paths cannot hold NUL,
    so no text in a repository can start or end a field.  A field longer
    than ``cap`` bytes is cut at ``cap`` (the rest is read and dropped), so
    one huge diff cannot exhaust memory.
    """
    parts: list[bytes] = []
    size = 0
    for chunk in chunks:
        start = 0
        while True:
            end = chunk.find(b"\0", start)
            piece = chunk[start:] if end < 0 else chunk[start:end]
            if cap is None or size < cap:
                keep = piece if cap is None else piece[: cap - size]
                parts.append(keep)
                size += len(keep)
            if end < 0:
                break
            yield b"".join(parts)
            parts, size = [], 0
            start = end + 1
    if parts and any(parts):
        yield b"".join(parts)


def split_nul(text: str) -> list[str]:
    """The non-empty NUL-separated fields of ``text`` (``-z`` output)."""
    return [field for field in text.split("\0") if field]


__all__ = [
    "CatFile",
    "GIT_ENV",
    "GitError",
    "GitResult",
    "GitStream",
    "GitRunner",
    "first_error_line",
    "git_env",
    "gitpython",
    "nul_fields",
    "run_git",
    "run_plain",
    "split_nul",
    "start_plain",
]


def run_plain(cwd: Path | str, *args: str) -> GitResult:
    """Run ``git args`` in ``cwd`` once, with no repository's environment.

    Only for the few checks an app makes before its first frame (is this
    a repository, is anything staged).  Same environment as every other
    git command; stdin is /dev/null.  Raise :class:`GitError` only when
    git cannot start.
    """
    return _run_process(os.fspath(cwd), args, GIT_ENV, None)


def start_plain(cwd: Path | str, *args: str) -> PendingGit:
    """Start ``git args`` in ``cwd`` as :func:`run_plain` runs it, without waiting.

    A probe starts its independent commands together and does other work
    (reading the profile) while git runs on another core.
    """
    return _start_process(os.fspath(cwd), args, GIT_ENV, None)


def _run_process(
    cwd: str, args: Sequence[str], extra: Mapping[str, str], data: bytes | None
) -> GitResult:
    """Run git to completion as a plain subprocess (GitPython costs more to import)."""
    return _start_process(cwd, args, extra, data).result()


def _popen(cwd: str, args: Sequence[str], extra: Mapping[str, str], stdin: Any) -> Any:
    """Start git with piped stdout and stderr; ``stdin`` a file, else /dev/null."""
    import subprocess

    if not os.path.isdir(cwd):
        # A missing directory must not run git somewhere else.
        raise GitError(f"cannot run git in {cwd}: no such directory")
    # The executable GitPython would pick, so both ways run the same git.
    executable = os.environ.get("GIT_PYTHON_GIT_EXECUTABLE") or "git"
    try:
        return subprocess.Popen(
            [executable, *args],
            cwd=cwd,
            env=git_env(extra),
            stdin=subprocess.DEVNULL if stdin is None else stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    except OSError as error:
        raise GitError(f"cannot run git: {error}") from None


class PendingGit:
    """A plain git command started by :func:`start_plain`; :meth:`result` waits for it.

    Output is decoded as UTF-8 with replacement; stderr loses one trailing
    newline, as GitPython leaves it.
    """

    def __init__(self, process: Any, data: bytes | None = None) -> None:
        self._process = process
        self._data = data
        self._result: GitResult | None = None

    def result(self) -> GitResult:
        if self._result is None:
            stdout, stderr = self._process.communicate(self._data)
            self._result = GitResult(
                self._process.returncode,
                stdout.decode("utf-8", "replace"),
                stderr.decode("utf-8", "replace").removesuffix("\n"),
            )
        return self._result


def _start_process(
    cwd: str, args: Sequence[str], extra: Mapping[str, str], data: bytes | None
) -> PendingGit:
    """Start git as a plain subprocess; ``data`` goes to stdin, else stdin is /dev/null."""
    import subprocess

    process = _popen(cwd, args, extra, None if data is None else subprocess.PIPE)
    return PendingGit(process, data)
