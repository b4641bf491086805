"""Patterns for SDM/APM references, shared by the changelog and comment rules."""

from __future__ import annotations

import re
from functools import lru_cache

from kvmwriter.lint.profile import Profile
from kvmwriter.records import NamedTuple
from kvmwriter.text.lazyre import lazy

#: A section, table or figure number: "24.8.3", "24-13", "3-2", "15.20a".
_NUMBER = r"\d+(?:[.\-–]\d+)*[a-z]?"
#: Locators that name a book, not a place in it: "Vol. 3C" is how the
#: manuals themselves are titled, and a volume is never renumbered in a way
#: that strands a reader, so only what follows it is a numbered reference.
_VOLUME_WORDS = frozenset({"vol", "vol.", "volume", "volumes"})
_VOLUME = r"vol(?:ume)?\.?\s*\w+[.,]?\s+"


class NumberedReference:
    """Find a numbered place in a manual: ``section 26.2.1.3``, ``Table 24-13``,
    ``Figure 3-2``, or a dotted number after the manual's name or volume
    (``APM 15.20``, ``SDM Vol. 3C, 24.8.1``).

    ``search`` returns a real :class:`re.Match` whose span is the reference
    itself: the locator and its number, or the bare number, never the
    volume before it.
    """

    def __init__(self, located: re.Pattern, bare: re.Pattern) -> None:
        self._located = located
        self._bare = bare
        self._number = lazy(_NUMBER)

    def search(self, text: str) -> re.Match | None:
        located = self._located.search(text)
        bare = self._bare.search(text)
        if bare is not None and (located is None or bare.start("number") < located.start()):
            return self._number.match(text, bare.start("number"))
        return located


class ManualPatterns(NamedTuple):
    #: A numbered reference: "section 27.3.4", "Table 15-7", "APM 15.20".
    located: NumberedReference
    #: A manual's name: "SDM", "APM", "Intel's manual".
    manual: re.Pattern
    #: A manual's name (and volume) right before a section number: "SDM 25.4.2".
    bare: re.Pattern
    #: The names lower-cased, to rule out ASCII text cheaply.
    lowered_names: tuple[str, ...] = ()

    def mentions_manual(self, text: str) -> bool:
        """Whether ``manual`` matches in ``text``.

        ASCII text lower-cases exactly as IGNORECASE compares, so a text
        holding no lower-cased name needs no regular expression scan.
        """
        if text.isascii():
            lowered = text.lower()
            if not any(map(lowered.__contains__, self.lowered_names)):
                return False
        return self.manual.search(text) is not None


def manual_patterns(profile: Profile) -> ManualPatterns:
    return _compile(profile.manuals.names, profile.manuals.locators)


@lru_cache(maxsize=8)
def _compile(names: tuple[str, ...], locators: tuple[str, ...]) -> ManualPatterns:
    name_re = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    places = [word for word in locators if word.lower() not in _VOLUME_WORDS]
    loc_re = "|".join(re.escape(word) for word in sorted(places, key=len, reverse=True))
    located = lazy(rf"(?<![\w.])(?:{loc_re})\s*{_NUMBER}(?![\w])", re.IGNORECASE)
    bare = lazy(
        rf"(?:(?<!\w)(?:{name_re})\s+(?:{_VOLUME})?|(?<![\w.]){_VOLUME})"
        r"(?P<number>\d+(?:\.\d+)+)(?![\w])",
        re.IGNORECASE,
    )
    return ManualPatterns(
        located=NumberedReference(located, bare),
        manual=lazy(rf"(?<!\w)(?:{name_re})(?!\w)", re.IGNORECASE),
        bare=bare,
        lowered_names=tuple(name.lower() for name in names),
    )
