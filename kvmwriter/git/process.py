"""Run git: the one place kvmwriter starts a git process.

One environment (C locale, no prompt, no pager), one error type
(:class:`GitError`, one line) and NUL-separated output splitting for every
caller in the git layer.  Only the standard library is imported, so
``kvmwriter check`` in a commit-msg hook pays no GitPython import.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from kvmwriter.errors import UserError

#: Read git's output in pieces of this size when streaming.
CHUNK = 64 * 1024


class GitError(UserError):
    """A one-line, user-facing problem with git, a repository or a revision."""


@dataclass(frozen=True)
class GitResult:
    """A finished git command: exit status and its decoded output."""

    returncode: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def git_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment every git process runs with."""
    env = dict(os.environ)
    # Stable, parseable messages; never wait for a password or a pager.
    env.update(
        {
            "LC_ALL": "C",
            "LANGUAGE": "C",
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_PAGER": "cat",
            "PAGER": "cat",
        }
    )
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


def run_git(
    args: Sequence[str],
    cwd: Path | str,
    *,
    env: Mapping[str, str] | None = None,
    input: str | bytes | None = None,
) -> GitResult:
    """Run ``git args`` in ``cwd`` to completion; never raise for a non-zero exit.

    ``input`` goes to stdin (stdin is closed otherwise, so no editor or
    credential helper can wait for the terminal).  Raise :class:`GitError`
    only when git cannot be started at all.
    """
    data = input.encode("utf-8") if isinstance(input, str) else input
    try:
        proc = subprocess.run(
            ["git", *args],
            cwd=cwd,
            env=dict(env) if env else git_env(),
            input=data,
            capture_output=True,
            stdin=None if data is not None else subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    except OSError as error:
        raise GitError(f"cannot run git: {error}") from None
    return GitResult(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )


def stream_git(
    args: Sequence[str],
    cwd: Path | str,
    *,
    env: Mapping[str, str] | None = None,
    input: bytes | None = None,
) -> Iterator[bytes]:
    """Yield git's stdout in chunks; stop git when the caller stops.

    Raise :class:`GitError` with git's first error line when git fails
    (a kill on an early stop is not a failure).
    """
    try:
        proc = subprocess.Popen(
            ["git", *args],
            cwd=cwd,
            env=dict(env) if env else git_env(),
            stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    except OSError as error:
        raise GitError(f"cannot run git: {error}") from None
    assert proc.stdout is not None and proc.stderr is not None
    if input is not None and proc.stdin is not None:
        # git reads every --stdin revision before it writes a byte.
        proc.stdin.write(input)
        proc.stdin.close()
    try:
        while True:
            chunk = proc.stdout.read1(CHUNK)  # type: ignore[attr-defined]
            if not chunk:
                break
            yield chunk
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
        err = proc.stderr.read().decode("utf-8", "replace")
        proc.stderr.close()
        code = proc.wait()
    if code not in (0, -9) and err.strip():
        raise GitError(first_error_line(err))


def stream_lines(
    args: Sequence[str],
    cwd: Path | str,
    *,
    env: Mapping[str, str] | None = None,
    input: bytes | None = None,
) -> Iterator[str]:
    """Yield git's stdout line by line (newline kept), decoded as UTF-8."""
    pending = b""
    for chunk in stream_git(args, cwd, env=env, input=input):
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            yield line.decode("utf-8", "replace") + "\n"
    if pending:
        yield pending.decode("utf-8", "replace")


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
    "GitError",
    "GitResult",
    "first_error_line",
    "git_env",
    "nul_fields",
    "run_git",
    "split_nul",
    "stream_git",
    "stream_lines",
]


class CatFileBatch:
    """One long-lived ``git cat-file --batch`` answering object requests.

    One process serves a whole review, however many Fixes: tags it checks.
    """

    def __init__(self, cwd: Path | str, env: Mapping[str, str] | None = None) -> None:
        self._cwd = cwd
        self._env = dict(env) if env else git_env()
        self._proc: subprocess.Popen[bytes] | None = None

    def request(self, request: str) -> tuple[str, str | None]:
        """``(status, content)``: status is a sha, "missing" or "ambiguous"."""
        if self._proc is None or self._proc.poll() is not None:
            try:
                self._proc = subprocess.Popen(
                    ["git", "cat-file", "--batch"],
                    cwd=self._cwd,
                    env=self._env,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                )
            except OSError as error:
                raise GitError(f"cannot run git: {error}") from None
        proc = self._proc
        assert proc.stdin is not None and proc.stdout is not None
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
            self._proc = None
            raise GitError("git cat-file stopped unexpectedly") from None
        return ("ambiguous" if header.endswith(" ambiguous") else "missing"), None

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.close()
            proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
