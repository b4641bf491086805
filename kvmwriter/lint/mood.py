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

The lexicon is loaded on first use only, so a clean summary never pays for
it, and from a verb-only table cached per user (see ``_verb_table``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kvmwriter.lint.cache import cached_table, distribution_version
from kvmwriter.lint.profile import Profile

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
        what = {"past": "past tense", "third-person": "third person", "gerund": "-ing form"}[
            self.form
        ]
        return f'"{self.word}" is {what}; use the imperative "{self.base.capitalize()}"'


#: Bump when the cached table's layout changes.
CACHE_FORMAT = 2


def _build_verb_table() -> dict:
    """Read lemminflect's lexicon once and keep only what mood checks need."""
    try:
        from lemminflect import Lemmatizer
    except ImportError:  # Degrade to the profile's lists; never crash a check.
        return {}
    lemmas = Lemmatizer()._getLemmaDict()
    forms: dict[str, list[str]] = {}
    bases: set[str] = set()
    for word, entry in lemmas.items():
        verbs = entry.get("VERB")
        if not verbs:
            continue
        bases.update(verbs)
        if _form(word) is not None:
            forms[word] = list(verbs)
    return {"forms": forms, "bases": sorted(bases)}


def verb_cache_key() -> str:
    """lemminflect's version and the table's layout: what the table derives from."""
    return f"{distribution_version('lemminflect', 'lemminflect')}-{CACHE_FORMAT}"


@lru_cache(maxsize=1)
def _verb_table() -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """Verb forms and base verbs, from a per-user cache of lemminflect's data.

    Parsing lemminflect's full lexicon takes a quarter of a second, too slow
    for a commit-msg hook; the verb-only table it yields loads in a few ms.
    """
    table = cached_table("verbs", verb_cache_key(), _build_verb_table) or {}
    forms = {word: tuple(lemmas) for word, lemmas in table.get("forms", {}).items()}
    return forms, frozenset(table.get("bases", ()))


def verb_lemmas(word: str) -> tuple[str, ...]:
    """Base forms of ``word`` used as a verb ("fixes" -> ("fix",))."""
    forms, bases = _verb_table()
    if word in forms:
        return forms[word]
    return (word,) if word in bases else ()


def is_base_verb(word: str) -> bool:
    return word in _verb_table()[1]


class MoodChecker:
    def __init__(self, profile: Profile) -> None:
        mood = profile.mood
        self.verbs = frozenset(w.lower() for w in mood.verbs)
        self.adverbs = frozenset(w.lower() for w in mood.adverbs)
        self.non_verbs = frozenset(w.lower() for w in mood.non_verbs)

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
