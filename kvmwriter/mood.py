"""Imperative-mood detection for summaries and changelog sentences.

A word is judged in three steps, most certain first:

1. the profile's allowlist of verbs kernel changelogs open with ("Drop",
   "Plumb", "Snapshot", "WARN") and its list of words that never are
   ("This", "The", "Minor");
2. the shape of the word: only an ``-s``, ``-ed`` or ``-ing`` form can be a
   non-imperative verb;
3. lemminflect's English lexicon: such a form is flagged only when it is an
   inflection of a verb whose base form differs ("Fixes" -> fix,
   "Added" -> add, "Bringing" -> bring).  Words the lexicon does not know are
   given the benefit of the doubt: a false alarm costs more than a miss.

The lexicon is loaded on first use only, so a clean summary never pays for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .profile import Profile

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


@dataclass(frozen=True)
class MoodVerdict:
    word: str
    #: "past", "third-person", "gerund" or "non-verb"
    form: str
    base: str | None

    def describe(self) -> str:
        if self.form == "non-verb":
            return f'"{self.word}" does not start an imperative sentence'
        what = {"past": "past tense", "third-person": "third person",
                "gerund": "-ing form"}[self.form]
        return f'"{self.word}" is {what}; use the imperative "{self.base.capitalize()}"'


@lru_cache(maxsize=1)
def _lexicon():
    try:
        import lemminflect
    except ImportError:  # Degrade to the profile's lists; never crash a check.
        return None
    return lemminflect


@lru_cache(maxsize=4096)
def verb_lemmas(word: str) -> tuple[str, ...]:
    """Base forms lemminflect knows for ``word`` used as a verb."""
    lex = _lexicon()
    if lex is None:
        return ()
    return tuple(lex.getAllLemmas(word, upos="VERB").get("VERB", ()))


@lru_cache(maxsize=4096)
def is_verb(word: str) -> bool:
    lex = _lexicon()
    if lex is None:
        return False
    return bool(lex.getAllLemmas(word, upos="VERB"))


class MoodChecker:
    def __init__(self, profile: Profile) -> None:
        mood = profile.section("mood")
        self.verbs = frozenset(w.lower() for w in mood.get("verbs", ()))
        self.adverbs = frozenset(w.lower() for w in mood.get("adverbs", ()))
        self.non_verbs = frozenset(w.lower() for w in mood.get("non_verbs", ()))

    def first_verb_word(self, words: list[str]) -> str | None:
        """Skip leading adverbs ("Always", "Explicitly") to the verb."""
        for word in words[:3]:
            if word.lower() not in self.adverbs:
                return word
        return None

    def judge(self, text: str) -> MoodVerdict | None:
        """Return why ``text`` does not open in the imperative, or None."""
        words = _WORD.findall(text)
        if not words:
            return None
        word = self.first_verb_word(words)
        if word is None:
            return None
        return self.judge_word(word)

    def judge_word(self, word: str) -> MoodVerdict | None:
        lower = word.lower().replace("’", "'")
        if lower in self.verbs:
            return None
        if lower in self.non_verbs:
            return MoodVerdict(word, "non-verb", None)
        form = _form(lower)
        if form is None:
            return None
        for base in verb_lemmas(lower):
            if base != lower:
                return MoodVerdict(word, form, base)
        return None


def _form(word: str) -> str | None:
    if word.endswith("ing") and len(word) > 4:
        return "gerund"
    if word.endswith("ed") and len(word) > 3:
        return "past"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        return "third-person"
    return None
