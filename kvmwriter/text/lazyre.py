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
import weakref  # Imported by the interpreter's start-up already.

from kvmwriter.records import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


#: Every lazy pattern alive, so that :func:`compile_pending` can find them
#: (weakly: a rule that builds patterns per profile must not keep them all).
_MADE: weakref.WeakSet[_LazyPattern] = weakref.WeakSet()


class _LazyPattern:
    compiled: re.Pattern[str]

    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)
        _MADE.add(self)

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


def compile_pending(limit: int | None = None) -> int:
    """Compile up to ``limit`` (default: all) lazy patterns not used yet;
    return how many are still left.

    For a process about to fork workers that would each compile them.
    """
    left = [pattern for pattern in list(_MADE) if "compiled" not in vars(pattern)]
    taken = left if limit is None else left[:limit]
    for pattern in taken:
        try:
            pattern.pattern  # noqa: B018 (reading any attribute compiles it)
        except re.error:
            _MADE.discard(pattern)  # Its first real use reports it.
    return len(left) - len(taken)


__all__ = ["compile_pending", "is_compiled", "lazy"]
