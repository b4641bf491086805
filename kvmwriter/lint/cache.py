"""A per-user cache of tables derived from installed data (lexicons, dictionaries).

Parsing a library's data file on every run is too slow for a commit-msg
hook; the derived table, written once with :mod:`marshal`, loads in a few
milliseconds.  A missing, stale or corrupt cache is rebuilt, and a cache
that cannot be written only costs the rebuild next time.

Keys name what a table derives from by version or content, never by file
times (a reinstall would write another copy), and writing a table removes
the older copies under the same name, so one file per table remains.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from collections.abc import Callable

from kvmwriter.records import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

# Paths here are strings (os.path): importing pathlib costs a commit-msg
# hook 3 ms; cache_dir() alone hands out a Path, for callers outside check.


def cache_folder() -> str:
    """The per-user cache folder (``$XDG_CACHE_HOME/kvmwriter``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "kvmwriter")


def cache_dir() -> Path:
    """:func:`cache_folder` as a Path."""
    from pathlib import Path

    return Path(cache_folder())


def package_dir(module: str) -> str | None:
    """Folder of an installed top-level package, found without importing it."""
    loaded = sys.modules.get(module)
    if loaded is not None:
        spec = getattr(loaded, "__spec__", None)
    else:
        try:
            spec = _find_spec(module)
        except (ImportError, ValueError):
            return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return str(next(iter(spec.submodule_search_locations)))


def _find_spec(module: str) -> Any:
    """importlib.util.find_spec() for a top-level name not imported yet,
    without importing importlib.util (and contextlib with it): the first
    spec an import finder gives."""
    for finder in sys.meta_path:
        find_spec = getattr(finder, "find_spec", None)
        spec = find_spec(module, None) if find_spec is not None else None
        if spec is not None:
            return spec
    return None


def distribution_version(module: str, distribution: str) -> str:
    """Installed version of ``distribution``, the one providing ``module``.

    Read from the ``<name>-<version>.dist-info`` folder beside the package:
    importing importlib.metadata to ask costs more than a whole check.
    ``"none"`` when the package is missing; the data file's size otherwise.
    """
    folder = package_dir(module)
    if folder is None:
        return "none"
    prefix = distribution.replace("-", "_").lower() + "-"
    try:
        with os.scandir(os.path.dirname(folder)) as entries:
            for entry in entries:
                name = entry.name.lower()
                if name.startswith(prefix) and name.endswith(".dist-info"):
                    return entry.name[len(prefix) : -len(".dist-info")]
    except OSError:
        pass
    return "unversioned"


def content_key(path: str | os.PathLike[str] | None) -> str:
    """A short checksum of a small file's bytes (``"none"`` when unreadable)."""
    if path is None:
        return "none"
    try:
        return f"{zlib.crc32(_read_bytes(path)):08x}"
    except OSError:
        return "none"


def _read_bytes(path: str | os.PathLike[str]) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


#: Most cached copies kept of one family of tables (see ``family``).
FAMILY_LIMIT = 16


def cached_table(
    name: str, key: str, build: Callable[[], Any], *, family: str | None = None
) -> Any:
    """Return ``build()``, cached under ``name`` until ``key`` changes.

    ``key`` names what the table derives from (a package version, a
    checksum); the result must be marshal-able (dicts, lists, str, bytes).
    Names that grow with the user's files (a profile per repository) share
    a ``family`` prefix: writing one keeps only the :data:`FAMILY_LIMIT`
    newest copies of the family, so the cache stays bounded.
    """
    folder = cache_folder()
    path = os.path.join(folder, f"{name}-{key}.marshal")
    try:
        return marshal.loads(_read_bytes(path))
    except (OSError, ValueError, EOFError, TypeError):
        pass
    table = build()
    if table:
        try:
            data = marshal.dumps(table)
        except ValueError:  # A value marshal cannot store (a TOML date): rebuild each time.
            return table
        _write_atomically(folder, path, data)
        _remove_stale(folder, name, keep=path)
        if family:
            _trim_family(folder, family, keep=path)
    return table


def _remove_stale(folder: str, name: str, keep: str) -> None:
    """Delete the copies of ``name`` built from older data (``name-*.marshal``)."""
    prefix, suffix = f"{name}-", ".marshal"
    try:
        others = [
            os.path.join(folder, entry)
            for entry in os.listdir(folder)
            if entry.startswith(prefix)
            and entry.endswith(suffix)
            and len(entry) >= len(prefix) + len(suffix)
        ]
    except OSError:
        return
    for other in others:
        if other == keep:
            continue
        try:
            os.unlink(other)
        except OSError:
            pass


def _trim_family(folder: str, family: str, keep: str) -> None:
    """Delete all but the :data:`FAMILY_LIMIT` newest copies of ``family``.

    A repository's profile is cached under its path, and a repository
    that is gone never asks for its copy again: without a bound, every
    checkout a user ever had would leave one behind.
    """
    prefix, suffix = f"{family}-", ".marshal"
    try:
        copies = [
            os.path.join(folder, entry)
            for entry in os.listdir(folder)
            if entry.startswith(prefix) and entry.endswith(suffix)
        ]
        dated = sorted(
            ((os.stat(copy).st_mtime, copy) for copy in copies if copy != keep), reverse=True
        )
    except OSError:
        return
    for _, old in dated[FAMILY_LIMIT - 1 :]:
        try:
            os.unlink(old)
        except OSError:
            pass


def _write_atomically(folder: str, path: str, data: bytes) -> None:
    try:
        os.makedirs(folder, exist_ok=True)
        # A name unique to this process, without importing tempfile.
        tmp = os.path.join(folder, f".{os.path.basename(path)}-{os.getpid()}")
        with open(tmp, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        pass


#: Shards of a sharded table: the few words one message asks about fall
#: in a few of them.
SHARDS = 1024


def shard_of(key: str) -> int:
    return zlib.crc32(key.encode("utf-8")) % SHARDS


def split_into_shards(table: dict[str, Any]) -> list[bytes]:
    """``table`` as :data:`SHARDS` marshalled dicts (none when it is empty)."""
    if not table:
        return []
    parts: list[dict[str, Any]] = [{} for _ in range(SHARDS)]
    for key, value in table.items():
        parts[shard_of(key)][key] = value
    return [marshal.dumps(part) for part in parts]


class ShardedTable:
    """A word table cached as shards (:func:`split_into_shards`), decoded on demand.

    Decoding a table of tens of thousands of words costs a commit-msg hook
    more than the check that reads it; the words of one message fall in a
    few shards.
    """

    def __init__(self, shards: list[bytes]) -> None:
        self._raw = shards if len(shards) == SHARDS else []
        self._decoded: list[dict[str, Any] | None] = [None] * len(self._raw)
        self._answers: dict[str, Any] = {}

    def get(self, key: str, default: Any = None) -> Any:
        # Remember each answer: a review or an app asks about the same common
        # words again and again, and one dict lookup beats finding the shard.
        try:
            found = self._answers[key]
        except KeyError:
            if not self._raw:
                return default
            index = shard_of(key)
            part = self._decoded[index]
            if part is None:
                part = self._decoded[index] = marshal.loads(self._raw[index])
            found = self._answers[key] = part.get(key)
        return default if found is None else found

    def __bool__(self) -> bool:
        return bool(self._raw)

    def decode(self, first: int = 0, stop: int = SHARDS) -> None:
        """Decode the shards ``first`` to ``stop`` (excluded) now, not on
        their first lookup: worker processes forked later share them."""
        decoded, raw = self._decoded, self._raw
        for index in range(first, min(stop, len(raw))):
            if decoded[index] is None:
                decoded[index] = marshal.loads(raw[index])

    @property
    def decoded(self) -> int:
        """How many shards lookups have decoded so far."""
        return sum(part is not None for part in self._decoded)

    def to_dict(self) -> dict[str, Any]:
        table: dict[str, Any] = {}
        for raw in self._raw:
            table.update(marshal.loads(raw))
        return table
