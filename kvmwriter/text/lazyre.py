"""Regular expressions compiled on first use, not at import.

``re.compile`` runs Python code: the hundred-odd patterns of the rules cost
a commit-msg hook's ``check`` about 20 ms at import, though a clean message
never needs many of them (the fixers, the security patterns behind their
word filter, the editor-file patterns).  :func:`lazy` returns an object
that acts as the compiled pattern and compiles it the first time any of
its attributes is read.  It then keeps the pattern's methods as its own
attributes, so later calls cost the same as on the pattern itself.
"""

from __future__ import annotations

import re

from kvmwriter.records import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class _LazyPattern:
    compiled: re.Pattern[str]

    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        # Only reached for attributes not yet set: the first use.
        if name.startswith("__"):
            raise AttributeError(name)
        if "compiled" in self.__dict__:
            return getattr(self.compiled, name)  # .pattern, .flags, .groups ...
        compiled = re.compile(*self._source)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        self.compiled = compiled
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self._source[0]!r}, {self._source[1]!r})"


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A pattern that compiles ``pattern`` with ``flags`` when first used."""
    # Acts as the pattern (no typing.cast: importing typing costs a check 3 ms).
    return _LazyPattern(pattern, flags)  # type: ignore[return-value]


def is_compiled(pattern: Any) -> bool:
    """Whether a :func:`lazy` pattern has been used (and so compiled) yet."""
    return not isinstance(pattern, _LazyPattern) or "compiled" in vars(pattern)


__all__ = ["is_compiled", "lazy"]
