"""Read the rest of a session after an app's first frame, once.

Apart from :mod:`kvmwriter.compose.session` so that the cover app, which
reads its series this way too, does not import the drafting session (and
its checklist) before its first frame.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

_Reading = TypeVar("_Reading")


class SessionLoader(Generic[_Reading]):
    """Read the rest of a session once, in whichever thread asks first.

    An app starts :meth:`run` in a worker thread after its first frame;
    a step that needs the diff before the worker is done calls it too and
    waits for the same reading instead of starting a second one.  The
    drafting session reads a :class:`kvmwriter.compose.session.SessionReading`,
    the cover session a :class:`kvmwriter.compose.cover.CoverReading`.
    """

    def __init__(self, read: Callable[[], _Reading]) -> None:
        self._read = read
        self._lock = threading.Lock()
        self._reading: _Reading | None = None

    def run(self) -> _Reading:
        with self._lock:
            if self._reading is None:
                self._reading = self._read()
            return self._reading


__all__ = ["SessionLoader"]
