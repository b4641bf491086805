"""Drafts on disk: never lose what the author typed.

A draft lives under the repository's git dir, keyed by branch and kind:
``<git dir>/kvmwriter/drafts/<branch>[.<kind>].json``, the branch
percent-encoded with its dots too, so no branch name can spell another
draft's key (``foo.cover`` the branch is not the cover of ``foo``), and a
long name ends in a hash so it fits any file system's 255-byte limit.
When the git dir is not writable, drafts go to the user's state directory
(``$XDG_STATE_HOME/kvmwriter/drafts/<hash of the git dir>/``).  Writes are atomic (a temp
file in the same directory, fsync, ``os.replace``), so a crash or a kill
leaves either the old draft or the new one, never half of one.

:class:`Autosaver` coalesces saves: the first change after a save schedules
the next write ``delay`` seconds later and later changes ride along, so
steady typing still reaches the disk at least every ``delay`` seconds.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

DRAFT_VERSION = 1


#: Bytes of a draft file name kept before a hash replaces the rest (file
#: systems allow 255; room is left for ".declined-N.json" and temp names).
MAX_NAME_BYTES = 150
#: Seconds after which a left-over temp file is a dead writer's, not a
#: running one's.
STALE_TEMP_SECONDS = 60


def draft_name(branch: str | None, kind: str = "") -> str:
    """The file name of the ``kind`` draft of ``branch`` (``None``: detached HEAD).

    Percent-encode the branch, dots included, so only the kind suffix has a
    dot: every (branch, kind) pair gets its own name.
    """
    encoded = quote(branch or "HEAD", safe="").replace(".", "%2E") or "HEAD"
    if len(encoded) > MAX_NAME_BYTES:
        digest = hashlib.sha256((branch or "").encode("utf-8")).hexdigest()[:16]
        # "+" never appears in the encoded branch ("%2B"): the hash stays apart.
        encoded = f"{encoded[: MAX_NAME_BYTES - 17]}+{digest}"
    return f"{encoded}.{kind}.json" if kind else f"{encoded}.json"


def draft_path(git_dir: Path | str, branch: str | None, kind: str = "") -> Path:
    """Where the ``kind`` draft of ``branch`` is stored in ``git_dir``."""
    return Path(git_dir) / "kvmwriter" / "drafts" / draft_name(branch, kind)


def state_dir() -> Path:
    """The user's state directory for kvmwriter ($XDG_STATE_HOME/kvmwriter)."""
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "state"
    )
    return Path(base) / "kvmwriter"


def fallback_path(git_dir: Path | str, branch: str | None, kind: str = "") -> Path:
    """Where the draft goes when ``git_dir`` is not writable."""
    repo = hashlib.sha256(str(Path(git_dir).resolve()).encode("utf-8")).hexdigest()[:16]
    return state_dir() / "drafts" / repo / draft_name(branch, kind)


def clean_stale_temps(directory: Path, max_age: float = STALE_TEMP_SECONDS) -> int:
    """Remove temp files a killed writer left in ``directory``; how many."""
    removed = 0
    now = time.time()
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return 0
    for entry in entries:
        if not (entry.name.startswith(".") and entry.name.endswith(".tmp")):
            continue
        try:
            if (
                entry.is_file(follow_symlinks=False)
                and now - entry.stat(follow_symlinks=False).st_mtime > max_age
            ):
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class DraftStore:
    """The stored draft of one repository and branch."""

    def __init__(self, git_dir: Path | str, branch: str | None, kind: str = "") -> None:
        self.path = draft_path(git_dir, branch, kind)
        self.fallback = fallback_path(git_dir, branch, kind)
        self.branch = branch
        self.kind = kind
        for directory in {self.path.parent, self.fallback.parent}:
            clean_stale_temps(directory)
        if not self.path.exists() and self.fallback.exists():
            self.path = self.fallback  # Saved there when the git dir was read-only.

    def save(self, data: dict[str, Any]) -> None:
        """Store ``data``; in the state directory when the git dir refuses it."""
        record = {
            "version": DRAFT_VERSION,
            "saved_at": time.time(),
            "branch": self.branch,
            "draft": data,
        }
        text = json.dumps(record, indent=1, ensure_ascii=False) + "\n"
        try:
            write_atomic(self.path, text)
        except OSError:
            if self.path == self.fallback:
                raise
            write_atomic(self.fallback, text)
            self.path = self.fallback

    def load(self) -> tuple[dict[str, Any], float] | None:
        """The stored draft and when it was saved, or ``None``.

        A file that cannot be read as a draft is moved aside (``.bad``)
        rather than deleted, so nothing typed is ever thrown away.
        """
        try:
            text = self.path.read_text(encoding="utf-8")
        except (FileNotFoundError, IsADirectoryError):
            return None
        except (OSError, UnicodeDecodeError):
            self.set_aside()
            return None
        try:
            record = json.loads(text)
            draft = record["draft"]
            saved_at = float(record.get("saved_at", 0))
            if not isinstance(draft, dict):
                raise TypeError("draft is not an object")
        except (ValueError, KeyError, TypeError):
            self.set_aside()
            return None
        return draft, saved_at

    def discard(self) -> None:
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass

    def set_aside(self, suffix: str = ".bad") -> Path | None:
        """Move the stored draft to ``<branch><suffix>``; its new path.

        Never replace an earlier one set aside: number the next instead.
        """
        target = self.path.with_suffix(suffix)
        stem, _, extension = suffix.rpartition(".")
        number = 2
        while target.exists():
            target = self.path.with_suffix(
                f"{stem}-{number}.{extension}" if stem else f"{suffix}-{number}"
            )
            number += 1
        try:
            os.replace(self.path, target)
        except OSError:
            return None
        return target


class Autosaver:
    """Save ``snapshot()`` at most ``delay`` seconds after a change."""

    def __init__(
        self,
        store: DraftStore,
        snapshot: Callable[[], dict[str, Any]],
        delay: float = 0.5,
        on_error: Callable[[Exception], None] | None = None,
    ):
        self.store = store
        self.snapshot = snapshot
        self.delay = delay
        self.on_error = on_error
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self.saves = 0

    def touch(self) -> None:
        """Record that the draft changed; schedule a save if none is pending."""
        with self._lock:
            if self._timer is not None:
                return
            self._timer = threading.Timer(self.delay, self._fire)
            self._timer.daemon = True
            self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            self._timer = None
        self.save_now()

    def save_now(self) -> None:
        try:
            data = self.snapshot()
            self.store.save(data)
            self.saves += 1
        except OSError as error:  # A full disk must not kill the editor.
            if self.on_error is not None:
                self.on_error(error)

    def flush(self) -> None:
        """Write a pending save now (on quit)."""
        with self._lock:
            timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
            self.save_now()

    def cancel(self) -> None:
        with self._lock:
            timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
