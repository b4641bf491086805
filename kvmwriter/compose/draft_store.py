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

Two sessions on one branch never write the same file: a session holds an
exclusive ``flock`` on ``<draft>.lock`` for its whole life (see
:meth:`DraftStore.claim`); a second session that cannot take it saves to
its own ``<draft>@<pid>-<time>.json`` instead, and every stored draft of
the key not held by a live session is offered back on the next start
(:meth:`DraftStore.stored_drafts`).

:class:`Autosaver` coalesces saves: the first change after a save schedules
the next write ``delay`` seconds later and later changes ride along, so
steady typing still reaches the disk at least every ``delay`` seconds.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
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


#: A session's own draft beside the branch's: ``<draft name>@<pid>-<time>.json``.
#: "@" never appears in a percent-encoded branch, so no key can spell it.
_SESSION_SUFFIX = re.compile(r"@[0-9]+-[0-9]+\.json")


@dataclass(frozen=True)
class StoredDraft:
    """A draft found on disk for a key: where, what, and when it was saved."""

    path: Path
    data: dict[str, Any]
    saved_at: float


def _read_record(path: Path) -> tuple[dict[str, Any], float]:
    """The draft in ``path`` and when it was saved; ValueError if it is no draft."""
    record = json.loads(path.read_text(encoding="utf-8"))
    draft = record["draft"]
    if not isinstance(draft, dict):
        raise TypeError("draft is not an object")
    return draft, float(record.get("saved_at", 0))


def _take_lock(path: Path) -> int | None:
    """An open descriptor holding ``flock(LOCK_EX)`` on ``path``; None when held elsewhere.

    OSError when the lock file cannot be created there.  A holder removes
    its lock file when it is done (:meth:`DraftStore.release`), so a lock
    taken on a file just unlinked is dropped and taken again on the new one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(8):
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        except OSError:
            os.close(fd)
            raise
        if _same_file(fd, path):
            return fd
        os.close(fd)
    return None


def _same_file(fd: int, path: Path) -> bool:
    """Whether ``path`` still names the file open as ``fd``."""
    try:
        named = os.stat(path)
    except OSError:
        return False
    opened = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (opened.st_dev, opened.st_ino)


def _held_elsewhere(lock: Path) -> bool:
    """Whether a live session holds ``lock`` (a dead one's lock died with it)."""
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # Closing drops a lock just taken.
    return False


class DraftStore:
    """The stored draft of one repository and branch."""

    def __init__(
        self,
        git_dir: Path | str | None,
        branch: str | None,
        kind: str = "",
        *,
        directory: Path | None = None,
    ) -> None:
        if directory is not None:
            # A draft with no repository of its own (see file_draft_store).
            self.path = self.fallback = Path(directory) / draft_name(branch, kind)
        else:
            if git_dir is None:
                raise ValueError("a DraftStore needs a git directory or a directory")
            self.path = draft_path(git_dir, branch, kind)
            self.fallback = fallback_path(git_dir, branch, kind)
        self.primary = self.path
        #: Where the branch's own draft lives: this session may save elsewhere.
        self.shared_path = self.path
        self.branch = branch
        self.kind = kind
        self._lock_fd: int | None = None
        self._lock_file: Path | None = None
        #: False when another live session holds the branch's draft.
        self.owns_shared = True
        for directory in {self.path.parent, self.fallback.parent}:
            clean_stale_temps(directory)
        if not self.path.exists() and self.fallback.exists():
            self.path = self.fallback  # Saved there when the git dir was read-only.
            self.shared_path = self.path

    # -- one session per file ------------------------------------------------

    def claim(self) -> bool:
        """Lock the branch's draft for this session; False if another holds it.

        The loser saves to a draft of its own (``<draft>@<pid>-<time>.json``)
        so neither session replaces the other's text.  The lock lives as
        long as the process or until :meth:`release`.
        """
        if self._lock_fd is not None:
            return self.owns_shared
        name = self.shared_path.name
        try:
            fd = self._lock(name)
        except OSError:
            return True  # Nowhere to lock: save as before rather than refuse.
        if fd is not None:
            self._lock_fd = fd
            return True
        self.owns_shared = False
        stem = name[: -len(".json")]
        self.path = self.shared_path.with_name(f"{stem}@{os.getpid()}-{time.time_ns()}.json")
        try:
            self._lock_fd = self._lock(self.path.name)
        except OSError:
            pass
        return False

    def _lock_dirs(self) -> tuple[Path, ...]:
        # The git dir when it takes a lock file, else the state directory:
        # every session of a key ends up at the same place.
        return tuple(dict.fromkeys((self.primary.parent, self.fallback.parent)))

    def _lock(self, name: str) -> int | None:
        """Hold ``<name>.lock``; None when a live session holds it."""
        for directory in self._lock_dirs():
            lock = directory / f"{name}.lock"
            try:
                fd = _take_lock(lock)
            except OSError:
                continue
            if fd is not None:
                self._lock_file = lock
            return fd
        raise OSError(f"cannot create {name}.lock")

    def _held_elsewhere(self, name: str) -> bool:
        return any(_held_elsewhere(directory / f"{name}.lock") for directory in self._lock_dirs())

    def release(self) -> None:
        """End this session's hold on its draft (the process's exit does too).

        Remove the lock file while still holding it, so none pile up: a
        session that opened it just before sees it gone and locks anew
        (see :func:`_take_lock`).
        """
        fd, self._lock_fd = self._lock_fd, None
        held, self._lock_file = self._lock_file, None
        if fd is None:
            return
        if held is not None and _same_file(fd, held):
            try:
                held.unlink()
            except OSError:
                pass
        os.close(fd)

    def _drop_session_lock(self, path: Path) -> None:
        """Remove the lock file of a finished session's draft (no one holds it)."""
        if path.name == self.shared_path.name:
            return  # The branch's lock is removed by its holder only.
        for directory in self._lock_dirs():
            try:
                (directory / f"{path.name}.lock").unlink()
            except OSError:
                pass

    def stored_drafts(self) -> list[StoredDraft]:
        """Every readable draft of this key no live session holds, newest first.

        The branch's own draft and the drafts of sessions that ran beside
        it, in the git dir and the state directory; this session's own file
        included.  An unreadable file is set aside (``.bad``), never deleted.
        """
        names = {self.shared_path.name, self.path.name}
        stem = self.shared_path.name[: -len(".json")]
        paths: dict[Path, None] = {}
        for directory in dict.fromkeys((self.shared_path.parent, self.fallback.parent)):
            try:
                entries = sorted(os.listdir(directory))
            except OSError:
                continue
            for name in entries:
                session = name.startswith(stem) and _SESSION_SUFFIX.fullmatch(name[len(stem) :])
                if name in names or session:
                    paths[directory / name] = None
        found = []
        for path in paths:
            if path != self.path and self._held_elsewhere(path.name):
                continue  # Another session is typing into it right now.
            try:
                data, saved_at = _read_record(path)
            except FileNotFoundError:
                continue
            except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
                self.set_aside(path=path)
                continue
            found.append(StoredDraft(path, data, saved_at))
        found.sort(key=lambda stored: stored.saved_at, reverse=True)
        return found

    # -- the draft -------------------------------------------------------------

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
            fallback = self.fallback.with_name(self.path.name)
            if self.path == fallback:
                raise
            write_atomic(fallback, text)
            self.path = fallback

    def holds(self, data: dict[str, Any]) -> bool:
        """Whether the stored draft is exactly ``data`` (what "kept" means)."""
        try:
            return _read_record(self.path)[0] == data
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
            return False

    def load(self) -> tuple[dict[str, Any], float] | None:
        """The stored draft and when it was saved, or ``None``.

        A file that cannot be read as a draft is moved aside (``.bad``)
        rather than deleted, so nothing typed is ever thrown away.
        """
        try:
            return _read_record(self.path)
        except (FileNotFoundError, IsADirectoryError):
            return None
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
            self.set_aside()
            return None

    def discard(self, path: Path | None = None) -> None:
        """Delete the stored draft (or the one at ``path``, a dead session's)."""
        path = path or self.path
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        if path != self.path:
            self._drop_session_lock(path)

    def set_aside(self, suffix: str = ".bad", path: Path | None = None) -> Path | None:
        """Move the stored draft (or the one at ``path``) to ``<name><suffix>``; its new path.

        Never replace an earlier one set aside: number the next instead.
        """
        path = path or self.path
        target = path.with_suffix(suffix)
        stem, _, extension = suffix.rpartition(".")
        number = 2
        while target.exists():
            target = path.with_suffix(
                f"{stem}-{number}.{extension}" if stem else f"{suffix}-{number}"
            )
            number += 1
        try:
            os.replace(path, target)
        except OSError:
            return None
        if path != self.path:
            self._drop_session_lock(path)
        return target


def file_draft_store(path: Path | str) -> DraftStore:
    """The draft of the text ``kvmwriter edit`` has open in ``path``.

    Keyed on the file's real path, in the user's state directory
    (``$XDG_STATE_HOME/kvmwriter/drafts/files/``): the file may live in a
    git dir, a work tree or b4's temp dir, and git reuses one
    COMMIT_EDITMSG for every commit of a repository.
    """
    key = str(Path(path).resolve())
    return DraftStore(None, key, "edit", directory=state_dir() / "drafts" / "files")


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
