"""Per-commit testing notes, kept in git notes instead of the commit message.

A testing summary below ``---`` inside the commit message is lost as soon
as ``git commit --amend -s`` or ``b4 trailers -u`` appends a trailer after
it: ``git am`` drops everything from ``---`` on, trailers included.  git
notes are the git-native home for such text: ``git format-patch
--notes=kvmwriter-testing`` places a note below ``---`` in the email.

The notes live under their own ref, :data:`NOTES_REF`, not git's default
``refs/notes/commits``: writing there never replaces a note the author keeps
for something else, and ``git log`` stays quiet unless asked.  git copies
notes across ``--amend`` and ``rebase`` only for refs named in
``notes.rewriteRef``, so the first note written adds the ref there (in the
repository's own config).  ``kvmwriter cover`` reads them back
(:func:`series_testing`) for the cover letter's testing section.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kvmwriter.git.process import GitError, run_git

NOTES_REF = "refs/notes/kvmwriter-testing"


class NotesError(Exception):
    """git refused to read or write a note; ``str()`` is one line."""


def _git(root: Path | str, *args: str, input: str | None = None) -> str:
    try:
        result = run_git(args, root, input=input)
    except GitError as error:
        raise NotesError(str(error)) from None
    if not result.ok:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        raise NotesError(f"git {args[0]} failed: {lines[-1] if lines else 'unknown error'}")
    return result.stdout


def store_testing_note(root: Path | str, rev: str, summary: str) -> None:
    """Attach ``summary`` to ``rev`` (replacing an older one); empty removes it."""
    summary = summary.strip("\n")
    if summary:
        _git(root, "notes", f"--ref={NOTES_REF}", "add", "-f", "-F", "-", rev, input=summary + "\n")
        follow_rewrites(root)
    else:
        try:
            _git(root, "notes", f"--ref={NOTES_REF}", "remove", "--ignore-missing", rev)
        except NotesError:
            pass


def follow_rewrites(root: Path | str) -> None:
    """Make ``--amend`` and ``rebase`` carry the notes to the new commits."""
    try:
        refs = _git(root, "config", "--get-all", "notes.rewriteRef").split()
    except NotesError:
        refs = []  # unset: git config exits 1
    if NOTES_REF not in refs:
        _git(root, "config", "--add", "notes.rewriteRef", NOTES_REF)


def read_testing_note(root: Path | str, rev: str) -> str:
    """The note on ``rev``, or ``""``."""
    try:
        return _git(root, "notes", f"--ref={NOTES_REF}", "show", rev).strip("\n")
    except NotesError:
        return ""


@dataclass(frozen=True)
class PatchTesting:
    """One commit of a series and its testing note (``""`` without one)."""

    number: int
    subject: str
    note: str


def series_testing(root: Path | str, spec: str) -> list[PatchTesting]:
    """Every non-merge commit of ``spec`` (``a..b``), oldest first, with its note."""
    out = _git(
        root,
        "log",
        "--reverse",
        "--no-merges",
        "--no-notes",
        f"--notes={NOTES_REF}",
        "--format=%x1e%s%x00%N",
        spec,
    )
    patches: list[PatchTesting] = []
    for number, record in enumerate((r for r in out.split("\x1e") if r.strip()), 1):
        subject, _, note = record.partition("\x00")
        patches.append(PatchTesting(number, subject.strip(), note.strip("\n")))
    return patches


def done_keys(items: Sequence, notes: Sequence[str]) -> set[str]:
    """Checklist keys every note reports done (by the summary's wording)."""
    if not notes:
        return set()
    done: set[str] = set()
    for item in items:
        line = f"- {item.done}"
        if all(line in note.splitlines() for note in notes):
            done.add(item.key)
    return done


def cover_testing_notes(
    patches: Sequence[PatchTesting], items: Sequence, heading: str = "Testing:"
) -> tuple[set[str], str]:
    """``(checklist keys done, free text)`` for the cover from the patches' notes.

    Items every noted patch reports become ticked boxes; what is left of
    each note (its other lines) is listed under the patch it belongs to,
    or once when every patch says the same.
    """
    noted = [p for p in patches if p.note.strip()]
    if not noted:
        return set(), ""
    done = done_keys(items, [p.note for p in noted])
    ticked = {f"- {item.done}" for item in items if item.key in done}

    def rest(note: str) -> str:
        lines = [
            line
            for line in note.splitlines()
            if line.strip() and line.strip() != heading and line not in ticked
        ]
        return "\n".join(lines)

    rests = [(p, rest(p.note)) for p in noted]
    if len({text for _, text in rests}) == 1 and len(noted) == len(patches):
        return done, rests[0][1]
    total = len(patches)
    blocks = [f"[{p.number}/{total}] {p.subject}:\n{text}" for p, text in rests if text]
    return done, "\n".join(blocks)


# -- Summaries written in git's editor, before their commit exists -----------

#: Under the git dir: summaries waiting for the commit git makes after the editor.
PENDING = Path("kvmwriter") / "testing-pending.json"
#: Pending summaries older than this are dropped (the commit never came).
PENDING_DAYS = 14


def save_pending(git_dir: Path | str, subject: str, summary: str) -> None:
    """Keep ``summary`` for the commit git will make with ``subject``.

    ``kvmwriter edit`` runs before git creates the commit, so the note is
    attached later by :func:`attach_pending` (``kvmwriter cover`` and the
    next ``kvmwriter edit`` call it).
    """
    import json
    import time

    from kvmwriter.compose.draft_store import write_atomic

    path = Path(git_dir) / PENDING
    entries = _pending(path)
    entries = [e for e in entries if e.get("subject") != subject]
    if summary.strip():
        entries.append(
            {"subject": subject, "summary": summary.strip("\n"), "time": int(time.time())}
        )
    write_atomic(path, json.dumps(entries, indent=1) + "\n")


def _pending(path: Path) -> list[dict]:
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [e for e in data if isinstance(e, dict)] if isinstance(data, list) else []


def attach_pending(root: Path | str, git_dir: Path | str) -> int:
    """Attach pending summaries to the commits git made since; how many."""
    import json
    import time

    from kvmwriter.compose.draft_store import write_atomic

    path = Path(git_dir) / PENDING
    entries = _pending(path)
    if not entries:
        return 0
    try:
        log = _git(root, "log", "-n", "200", "--format=%H%x00%s%x00%ct", "HEAD")
    except NotesError:
        return 0
    commits = [line.split("\x00") for line in log.splitlines() if line.count("\x00") == 2]
    attached = 0
    left = []
    for entry in entries:
        when = int(entry.get("time", 0))
        match = next(
            (
                sha
                for sha, subject, stamp in commits
                if subject == entry.get("subject") and int(stamp) >= when - 60
            ),
            None,
        )
        if match is not None:
            store_testing_note(root, match, str(entry.get("summary", "")))
            attached += 1
        elif time.time() - when < PENDING_DAYS * 86400:
            left.append(entry)
    if left != entries:
        write_atomic(path, json.dumps(left, indent=1) + "\n")
    return attached
