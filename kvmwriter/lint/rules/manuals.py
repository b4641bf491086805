"""Patterns for SDM/APM references, shared by the changelog and comment rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kvmwriter.lint.profile import Profile


@dataclass(frozen=True)
class ManualPatterns:
    #: A locator and a number: "section 27.3.4", "Table 15-7", "Vol. 2".
    located: re.Pattern
    #: A manual's name: "SDM", "APM", "Intel's manual".
    manual: re.Pattern
    #: A manual's name right before a section number: "SDM 25.4.2".
    bare: re.Pattern


def manual_patterns(profile: Profile) -> ManualPatterns:
    return _compile(profile.manuals.names, profile.manuals.locators)


@lru_cache(maxsize=8)
def _compile(names: tuple[str, ...], locators: tuple[str, ...]) -> ManualPatterns:
    name_re = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    loc_re = "|".join(re.escape(word) for word in sorted(locators, key=len, reverse=True))
    number = r"\d+(?:[.\-–]\d+)*[a-z]?"
    return ManualPatterns(
        located=re.compile(rf"(?<![\w.])(?:{loc_re})\s*{number}(?![\w])", re.IGNORECASE),
        manual=re.compile(rf"(?<!\w)(?:{name_re})(?!\w)", re.IGNORECASE),
        bare=re.compile(
            rf"(?<!\w)(?:{name_re})\s+(?:vol\.?\s*\w+[,\s]+)?\d+(?:\.\d+)+", re.IGNORECASE
        ),
    )
