"""How a drafting run ended; the commands print it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    """``action`` is committed, written, quit, aborted or failed (``detail`` says why)."""

    action: str
    detail: str = ""
