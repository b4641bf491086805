"""A per-user cache of tables derived from installed data (lexicons, dictionaries).

Parsing a library's data file on every run is too slow for a commit-msg
hook; the derived table, written once with :mod:`marshal`, loads in a few
milliseconds.  A missing, stale or corrupt cache is rebuilt, and a cache
that cannot be written only costs the rebuild next time.
"""

from __future__ import annotations

import marshal
import os
import tempfile
from pathlib import Path
from typing import Any, Callable


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kvmwriter"


def package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:  # Not installed: the key still differs from a real version.
        return "none"


def cached_table(name: str, key: str, build: Callable[[], Any]) -> Any:
    """Return ``build()``, cached under ``name`` until ``key`` changes.

    ``key`` names what the table derives from (a package version, a file's
    size and mtime); the result must be marshal-able (dicts, lists, str).
    """
    path = cache_dir() / f"{name}-{key}.marshal"
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    table = build()
    if table:
        _write_atomically(path, marshal.dumps(table))
    return table


def _write_atomically(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        pass
