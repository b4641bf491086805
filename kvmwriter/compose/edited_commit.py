"""The commit ``kvmwriter edit`` rewords, when git's file says which.

``git commit --amend`` and a ``git rebase -i`` reword open the editor on
HEAD's own message (git may add a sign-off or ``--trailer`` lines below
it); a new commit's file holds a template or nothing.  Knowing the commit
lets the testing checklist (F5) start from that commit's note and write
the new one to it, where git's ``notes.rewriteRef`` carries it to the
reworded commit, instead of guessing the commit by its subject later.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# A trailer git adds before opening the editor ("Signed-off-by: ...").
_TRAILER = re.compile(r"[A-Za-z0-9-]+: \S")


def _lines(message: str) -> list[str]:
    lines = [line.rstrip() for line in message.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def is_message_of(opened: str, committed: str) -> bool:
    """Whether the file opened with ``committed`` (plus trailers git may add)."""
    opened_lines, committed_lines = _lines(opened), _lines(committed)
    if not committed_lines or opened_lines[: len(committed_lines)] != committed_lines:
        return False
    added = opened_lines[len(committed_lines) :]
    return all(not line or _TRAILER.match(line) for line in added)


def edited_commit(repo, opened_message: str) -> str | None:
    """HEAD's sha when the file opened with HEAD's message, else None."""
    if repo is None or not repo.has_head():
        return None
    found = repo.try_git("log", "-1", "--format=%H%x00%B", "HEAD")
    if not found or "\x00" not in found:
        return None
    sha, _, message = found.partition("\x00")
    return sha.strip() if is_message_of(opened_message, message) else None


def testing_from_note(note: str, items: Sequence, heading: str) -> tuple[list[str], str]:
    """``(checklist keys done, free notes)`` read back from a testing note."""
    done_lines = {f"- {item.done}": item.key for item in items}
    done: list[str] = []
    notes: list[str] = []
    for line in note.splitlines():
        if not line.strip() or line.strip() == heading or line.startswith("- Not done: "):
            continue
        if line in done_lines:
            done.append(done_lines[line])
        else:
            notes.append(line)
    return done, "\n".join(notes)
