"""Reword a commit's message in place, through git itself.

HEAD is amended with ``git commit --amend --only``, so staged or unstaged
work stays out of the commit.  An older commit is reworded by an
interactive rebase driven without a terminal: ``GIT_SEQUENCE_EDITOR`` turns
the commit's ``pick`` into ``reword`` and ``GIT_EDITOR`` writes the new
message.  Git runs its hooks and signing as usual; any failure aborts the
rebase so that the branch is left exactly as it was.

No Textual, no printing: callers present :class:`RewordError` (one line)
and :class:`RewordResult`.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Union

from kvmwriter.git.process import GitError, GitResult, GitRunner

if TYPE_CHECKING:
    from kvmwriter.git.repo import Repository

#: What the public functions accept: a repository, or a path inside one.
RepoLike = Union["Repository", str, "os.PathLike[str]"]

#: Files whose presence in the git directory means an operation is under way.
_IN_PROGRESS = {
    "rebase-merge": "a rebase",
    "rebase-apply": "a rebase or am",
    "MERGE_HEAD": "a merge",
    "CHERRY_PICK_HEAD": "a cherry-pick",
    "REVERT_HEAD": "a revert",
    "BISECT_LOG": "a bisect",
}

#: Turn ``pick <sha>`` into ``reword <sha>`` in a rebase todo list.  Kept free
#: of kvmwriter imports so that it runs whatever the child's sys.path holds.
_SEQUENCE_EDITOR = r"""
import sys
todo, full = sys.argv[2], sys.argv[1]
with open(todo, encoding="utf-8") as handle:
    lines = handle.read().splitlines(keepends=True)
found = 0
for index, line in enumerate(lines):
    words = line.split()
    if (len(words) >= 2 and words[0] in ("pick", "p") and len(words[1]) >= 4
            and full.startswith(words[1])):
        lines[index] = "reword" + line[len(line) - len(line.lstrip()) + len(words[0]):]
        found += 1
if found != 1:
    sys.stderr.write("kvmwriter: commit not found once in the rebase todo list\n")
    sys.exit(1)
with open(todo, "w", encoding="utf-8") as handle:
    handle.writelines(lines)
"""

#: Write the prepared message over the file git asks to edit.
_MESSAGE_EDITOR = r"""
import shutil, sys
shutil.copyfile(sys.argv[1], sys.argv[2])
"""


#: Mark every listed commit's ``pick`` as ``reword`` (``argv[1]``: a file of full shas).
_SEQUENCE_EDITOR_MANY = r"""
import sys
with open(sys.argv[1], encoding="utf-8") as handle:
    wanted = handle.read().split()
todo = sys.argv[2]
with open(todo, encoding="utf-8") as handle:
    lines = handle.read().splitlines(keepends=True)
found = []
for index, line in enumerate(lines):
    words = line.split()
    if len(words) >= 2 and words[0] in ("pick", "p") and len(words[1]) >= 4:
        match = [sha for sha in wanted if sha.startswith(words[1])]
        if len(match) == 1:
            lines[index] = "reword" + line[len(line) - len(line.lstrip()) + len(words[0]):]
            found.append(match[0])
if sorted(found) != sorted(wanted):
    sys.stderr.write("kvmwriter: commits not found once each in the rebase todo list\n")
    sys.exit(1)
with open(todo, "w", encoding="utf-8") as handle:
    handle.writelines(lines)
"""

#: Write the message prepared for the commit being reworded: the last line
#: of the rebase's ``done`` file names it by full sha.
_MESSAGES_EDITOR = r"""
import os, shutil, sys
folder, done, target = sys.argv[1], sys.argv[2], sys.argv[3]
with open(done, encoding="utf-8") as handle:
    steps = [line.split() for line in handle if line.strip() and not line.startswith("#")]
path = os.path.join(folder, steps[-1][1]) if steps and len(steps[-1]) > 1 else ""
if not os.path.isfile(path):
    sys.stderr.write("kvmwriter: no message prepared for this commit\n")
    sys.exit(1)
shutil.copyfile(path, target)
"""


class RewordError(GitError):
    """A one-line, user-facing reason why a commit was not reworded."""


@dataclass(frozen=True)
class RewordResult:
    #: The commit as it was before.
    old_sha: str
    #: The reworded commit (equal to ``old_sha`` when nothing changed).
    new_sha: str
    #: HEAD before and after; later commits are rewritten when they differ.
    old_head: str
    new_head: str
    #: "amend", "rebase" or "unchanged".
    method: str
    #: Every rewritten commit's old sha mapped to its new sha.
    rewritten: dict[str, str] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.method != "unchanged"


def check_reword(repo: RepoLike, rev: str) -> str:
    """Return the full sha of ``rev`` if it can be reworded now, else raise
    :class:`RewordError` saying why (before the user spends time editing)."""
    git = _git_for(repo)
    sha, head = _resolve(git, rev)
    if sha != head:
        _check_rebase(git, sha, head)
    return sha


def reword_commit(repo: RepoLike, rev: str, message: str) -> RewordResult:
    """Replace the message of commit ``rev`` with ``message``.

    ``repo`` is a path inside the work tree or an object with a ``root``
    attribute (:class:`kvmwriter.git.repo.Repository`).  Raise
    :class:`RewordError` when the commit cannot be reworded safely or git
    fails; after a failed rebase the branch, HEAD and tree are as before.
    """
    git = _git_for(repo)
    if not message.strip():
        raise RewordError("refusing to reword: the new message is empty")
    sha, head = _resolve(git, rev)
    if _clean(git.run("show", "-s", "--format=%B", sha).stdout) == _clean(message):
        return RewordResult(sha, sha, head, head, "unchanged")
    if sha == head:
        return _amend(git, sha, message)
    _check_rebase(git, sha, head)
    return _rebase(git, sha, head, message)


def reword_commits(repo: RepoLike, messages: dict[str, str]) -> RewordResult:
    """Replace the messages of several commits of the current branch at once.

    ``messages`` maps commit ids (any form git resolves) to their new
    messages.  One interactive rebase rewords them all, so the branch moves
    once or not at all: on any failure (a hook rejecting a message, a
    conflict) the rebase is aborted and HEAD, the branch and the tree are as
    before.  Commits older than the oldest reworded one keep their ids.
    The work tree must be clean.  The result's ``rewritten`` maps every
    rewritten commit's old id to its new one.
    """
    git = _git_for(repo)
    if any(not message.strip() for message in messages.values()):
        raise RewordError("refusing to reword: a new message is empty")
    head = git.rev("HEAD", what="HEAD (no commits yet?)")
    resolved: dict[str, str] = {}
    for rev, message in messages.items():
        sha, _ = _resolve(git, rev)
        if _clean(git.run("show", "-s", "--format=%B", sha).stdout) != _clean(message):
            resolved[sha] = message
    if not resolved:
        return RewordResult(head, head, head, head, "unchanged")
    dirty = git.run("status", "--porcelain", "--untracked-files=no").stdout
    if dirty.strip():
        raise RewordError(
            "the work tree has uncommitted changes; commit or stash them before rewording"
        )
    if list(resolved) == [head]:
        return _amend(git, head, resolved[head])
    for sha in resolved:
        if git.run("merge-base", "--is-ancestor", sha, head, check=False).returncode != 0:
            raise RewordError(f"commit {sha[:12]} is not an ancestor of HEAD")
    # The oldest is the one with the most commits above it (no walk of all history).
    oldest = max(
        resolved,
        key=lambda sha: int(git.run("rev-list", "--count", f"{sha}..{head}").stdout.strip() or 0),
    )
    _check_rebase(git, oldest, head)
    return _rebase_many(git, oldest, head, resolved)


def _rebase_many(git: _Git, oldest: str, head: str, messages: dict[str, str]) -> RewordResult:
    parents = git.run("rev-list", "--parents", "-n", "1", oldest).stdout.split()[1:]
    later = len(git.run("rev-list", f"{oldest}..{head}").stdout.split())
    done = git.root / git.run("rev-parse", "--git-path", "rebase-merge/done").stdout.strip()
    with tempfile.TemporaryDirectory(prefix="kvmwriter-reword-") as tmp:
        folder = Path(tmp) / "messages"
        folder.mkdir()
        for sha, message in messages.items():
            (folder / sha).write_text(message, encoding="utf-8")
        wanted = Path(tmp) / "COMMITS"
        wanted.write_text("\n".join(messages) + "\n", encoding="utf-8")
        python = shlex.quote(sys.executable)
        env = {
            "GIT_SEQUENCE_EDITOR": f"{python} -c {shlex.quote(_SEQUENCE_EDITOR_MANY)} "
            f"{shlex.quote(str(wanted))}",
            "GIT_EDITOR": f"{python} -c {shlex.quote(_MESSAGES_EDITOR)} "
            f"{shlex.quote(str(folder))} {shlex.quote(str(done))}",
        }
        base = ["--root"] if not parents else [f"{oldest}^"]
        result = _rebase_interactive(git, base, env)
        if result.returncode != 0 or _operation_in_progress(git):
            reason = _last_line(result)
            _abort(git, head)
            raise RewordError(
                f"reword of {len(messages)} commit"
                f"{'s' if len(messages) != 1 else ''} failed and was rolled "
                f"back: {reason}"
            )
    new_head = git.rev("HEAD", what="HEAD")
    new_oldest = git.rev(f"HEAD~{later}", what="the reworded commit")
    old_chain = [oldest, *git.run("rev-list", "--reverse", f"{oldest}..{head}").stdout.split()]
    new_chain = [
        new_oldest,
        *git.run("rev-list", "--reverse", f"{new_oldest}..{new_head}").stdout.split(),
    ]
    rewritten = dict(zip(old_chain, new_chain)) if len(old_chain) == len(new_chain) else {}
    return RewordResult(oldest, new_oldest, head, new_head, "rebase", rewritten)


def _git_for(repo: RepoLike) -> _Git:
    if isinstance(repo, (str, os.PathLike)):
        return _Git(Path(repo))
    return _Git(repo.root, repo.extra_env)


def _resolve(git: _Git, rev: str) -> tuple[str, str]:
    """``(sha, head)``, refusing while another operation is under way."""
    operation = _operation_in_progress(git)
    if operation:
        raise RewordError(f"cannot reword while {operation} is in progress; finish it first")
    head = git.rev("HEAD", what="HEAD (no commits yet?)")
    sha = git.rev(f"{rev}^{{commit}}", what=f"commit {rev!r}")
    # A shallow clone hides the boundary commit's parents: rewriting it would
    # make a new root commit.
    shallow = git.root / git.run("rev-parse", "--git-path", "shallow").stdout.strip()
    if shallow.is_file() and sha in shallow.read_text(errors="replace").split():
        raise RewordError(
            f"commit {sha[:12]} is at the shallow clone's boundary; "
            "fetch more history first (git fetch --deepen=1)"
        )
    return sha, head


def _amend(git: _Git, sha: str, message: str) -> RewordResult:
    # --only keeps staged changes out; --allow-empty lets empty commits be
    # reworded; whitespace cleanup keeps '#' lines such as '#define'.
    with tempfile.TemporaryDirectory(prefix="kvmwriter-reword-") as tmp:
        path = Path(tmp) / "MESSAGE"
        path.write_text(message, encoding="utf-8")
        result = git.run(
            "commit",
            "--amend",
            "--only",
            "--allow-empty",
            "--cleanup=whitespace",
            "-F",
            str(path),
            check=False,
        )
    if result.returncode != 0:
        raise RewordError(f"git commit --amend failed: {_last_line(result)}")
    new_head = git.rev("HEAD", what="HEAD")
    return RewordResult(sha, new_head, sha, new_head, "amend", {sha: new_head})


def _check_rebase(git: _Git, sha: str, head: str) -> None:
    """Refuse what an interactive rebase cannot reword safely."""
    if git.run("symbolic-ref", "-q", "HEAD", check=False).returncode != 0:
        raise RewordError("HEAD is detached: check out a branch before rewording an older commit")
    if git.run("merge-base", "--is-ancestor", sha, head, check=False).returncode != 0:
        raise RewordError(f"commit {sha[:12]} is not an ancestor of HEAD")
    parents = git.run("rev-list", "--parents", "-n", "1", sha).stdout.split()[1:]
    if len(parents) > 1:
        raise RewordError(
            f"commit {sha[:12]} is a merge: only HEAD can be reworded when it is a merge"
        )
    merges = git.run("rev-list", "--merges", f"{sha}..{head}").stdout.split()
    if merges:
        raise RewordError(
            f"merge commit {merges[0][:12]} lies between "
            f"{sha[:12]} and HEAD; rewording would flatten it"
        )
    dirty = git.run("status", "--porcelain", "--untracked-files=no").stdout
    if dirty.strip():
        raise RewordError(
            "the work tree has uncommitted changes; commit or stash "
            "them before rewording an older commit"
        )


def _rebase(git: _Git, sha: str, head: str, message: str) -> RewordResult:
    parents = git.run("rev-list", "--parents", "-n", "1", sha).stdout.split()[1:]
    later = len(git.run("rev-list", f"{sha}..{head}").stdout.split())

    with tempfile.TemporaryDirectory(prefix="kvmwriter-reword-") as tmp:
        path = Path(tmp) / "MESSAGE"
        path.write_text(message, encoding="utf-8")
        python = shlex.quote(sys.executable)
        env = {
            "GIT_SEQUENCE_EDITOR": f"{python} -c {shlex.quote(_SEQUENCE_EDITOR)} {sha}",
            "GIT_EDITOR": f"{python} -c {shlex.quote(_MESSAGE_EDITOR)} {shlex.quote(str(path))}",
        }
        base = ["--root"] if not parents else [f"{sha}^"]
        result = _rebase_interactive(git, base, env)
        if result.returncode != 0 or _operation_in_progress(git):
            reason = _last_line(result)
            _abort(git, head)
            raise RewordError(f"reword of {sha[:12]} failed and was rolled back: {reason}")

    new_head = git.rev("HEAD", what="HEAD")
    new_sha = git.rev(f"HEAD~{later}", what="the reworded commit")
    # Both chains are linear (no merges in between), so pair them by position.
    old_chain = [sha, *git.run("rev-list", "--reverse", f"{sha}..{head}").stdout.split()]
    new_chain = [
        new_sha,
        *git.run("rev-list", "--reverse", f"{new_sha}..{new_head}").stdout.split(),
    ]
    rewritten = dict(zip(old_chain, new_chain)) if len(old_chain) == len(new_chain) else {}
    return RewordResult(sha, new_sha, head, new_head, "rebase", rewritten)


def _abort(git: _Git, head: str) -> None:
    """Abort a stopped rebase and make sure HEAD is back where it was."""
    if _operation_in_progress(git):
        git.run("rebase", "--abort", check=False)
    current = git.run("rev-parse", "--verify", "-q", "HEAD", check=False).stdout.strip()
    if current != head:
        raise RewordError(
            f"rebase --abort left HEAD at {current[:12] or 'nothing'}, not "
            f"{head[:12]}; run 'git reflog' to recover"
        )


def _operation_in_progress(git: _Git) -> str | None:
    args = [arg for name in _IN_PROGRESS for arg in ("--git-path", name)]
    paths = git.run("rev-parse", *args).stdout.splitlines()
    for path, what in zip(paths, _IN_PROGRESS.values()):
        if (git.root / path).exists():
            return what
    return None


def _clean(text: str) -> str:
    """Compare messages the way git stores them (whitespace cleanup)."""
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def _last_line(result: GitResult) -> str:
    """The most telling line of git's output: an error, else a hook's words."""
    for stream in (result.stderr, result.stdout):
        lines = [line.strip() for line in re.split(r"[\r\n]", stream) if line.strip()]
        errors = [line for line in lines if line.startswith(("error:", "fatal:"))]
        if errors:
            return errors[0]
        # Skip progress, advice and the rebase's instructions to the user.
        plain = [line for line in lines if not line.startswith(_NOISE)]
        if plain:
            return plain[0]
    return f"git exited with status {result.returncode}"


_NOISE = (
    "hint:",
    "Rebasing (",
    "You can amend",
    "git commit --amend",
    "Once you are",
    "git rebase --continue",
    "Successfully rebased",
    "Stopped at",
)


class _Git:
    """Run git in one work tree, capturing text output."""

    def __init__(self, root: Path, env: dict[str, str] | None = None) -> None:
        self._env = dict(env or {})
        self._runner = GitRunner(root, self._env)
        top = self.run("rev-parse", "--show-toplevel", check=False)
        if top.returncode != 0:
            raise RewordError(f"not a git repository: {root}")
        self.root = Path(top.stdout.strip())
        self._runner = GitRunner(self.root, self._env)

    def run(self, *args: str, check: bool = True, env: dict[str, str] | None = None) -> GitResult:
        try:
            result = self._runner.run(*args, env=env)
        except GitError as error:
            raise RewordError(str(error)) from None
        if check and result.returncode != 0:
            raise RewordError(f"git {args[0]} failed: {_last_line(result)}")
        return result

    def rev(self, rev: str, *, what: str) -> str:
        result = self.run("rev-parse", "--verify", "-q", rev, check=False)
        if result.returncode != 0:
            raise RewordError(f"unknown {what}")
        return result.stdout.strip()


def _rebase_interactive(git, base: list[str], env: dict[str, str]):
    """Run ``git rebase -i`` with the editors in ``env``; the finished process."""
    # Keep '#' lines (whitespace cleanup) and the commit order (no
    # autosquash); let no user rebase.* setting reshape the history.
    return git.run(
        "-c",
        "commit.cleanup=whitespace",
        "-c",
        "rebase.autoSquash=false",
        "-c",
        "rebase.autoStash=false",
        "-c",
        "rebase.abbreviateCommands=false",
        "-c",
        "rebase.instructionFormat=%s",
        "rebase",
        "-i",
        "--no-autosquash",
        *base,
        check=False,
        env=env,
    )
