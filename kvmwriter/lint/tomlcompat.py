"""TOML reading for every supported Python (tomllib is 3.11+).

The parser is imported on first use: a run whose profile parse is cached
(see :func:`loads_cached`) and that has no config file never needs it.
"""

from __future__ import annotations

import sys
import zlib

from kvmwriter.records import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any


def _tomllib():
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]
    return tomllib


def __getattr__(name: str) -> Any:
    # Keep ``tomlcompat.TOMLDecodeError`` working without importing the parser
    # until an ``except`` clause actually evaluates it.
    if name == "TOMLDecodeError":
        return _tomllib().TOMLDecodeError
    raise AttributeError(name)


def loads(text: str) -> dict:
    return _tomllib().loads(text)


def loads_cached(text: str, name: str, family: str | None = None) -> dict:
    """``loads(text)``, cached per user under ``name`` by the text's checksum.

    Parsing the profile on every commit-msg hook run costs more than loading
    its parsed form; a TOML error is raised as ``loads`` raises it.  Each
    call returns a table of its own (unmarshalled or parsed afresh), which
    the caller may change.  ``family`` bounds the copies of names sharing
    it (see :func:`kvmwriter.lint.cache.cached_table`).
    """
    from kvmwriter.lint.cache import cached_table

    key = f"{zlib.crc32(text.encode('utf-8')):08x}-{len(text):x}"
    return cached_table(name, key, lambda: loads(text), family=family)
