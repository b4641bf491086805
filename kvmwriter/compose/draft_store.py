"""Drafts on disk: never lose what the author typed.

A draft lives under the repository's git dir, keyed by branch:
``<git dir>/kvmwriter/drafts/<branch>.json``.  Writes are atomic (a temp
file in the same directory, fsync, ``os.replace``), so a crash or a kill
leaves either the old draft or the new one, never half of one.

:class:`Autosaver` coalesces saves: the first change after a save schedules
the next write ``delay`` seconds later and later changes ride along, so
steady typing still reaches the disk at least every ``delay`` seconds.
"""

from __future__ import annotations

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


def draft_path(git_dir: Path | str, branch: str | None) -> Path:
    """Where the draft of ``branch`` (``None``: detached HEAD) is stored."""
    name = quote(branch or "HEAD", safe="") or "HEAD"
    return Path(git_dir) / "kvmwriter" / "drafts" / f"{name}.json"


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

    def __init__(self, git_dir: Path | str, branch: str | None) -> None:
        self.path = draft_path(git_dir, branch)
        self.branch = branch

    def save(self, data: dict[str, Any]) -> None:
        record = {"version": DRAFT_VERSION, "saved_at": time.time(),
                  "branch": self.branch, "draft": data}
        write_atomic(self.path, json.dumps(record, indent=1, ensure_ascii=False) + "\n")

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
        """Move the stored draft to ``<branch><suffix>``; its new path."""
        target = self.path.with_suffix(suffix)
        try:
            os.replace(self.path, target)
        except OSError:
            return None
        return target


class Autosaver:
    """Save ``snapshot()`` at most ``delay`` seconds after a change."""

    def __init__(self, store: DraftStore, snapshot: Callable[[], dict[str, Any]],
                 delay: float = 0.5, on_error: Callable[[Exception], None] | None = None):
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
