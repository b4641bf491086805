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

A summary (:meth:`MoodChecker.judge_summary`) is read further: leading
adverbs are skipped ("More precisely identify ..."), a hyphenated verb is
judged by its last part ("Zero-initialize", "Re-enable"), a word the
lexicon knows only as a noun or adjective is no verb ("Abstractions for
SEV ..."), and a name followed by an auxiliary is a statement
("APIC_ID must be updated ...").

The lexicon is loaded on first use only, so a clean summary never pays for
it, and from a table cached per user in shards (see ``_lexicon``).
"""

from __future__ import annotations

from functools import lru_cache

from kvmwriter.lint.cache import (
    ShardedTable,
    cached_table,
    distribution_version,
    split_into_shards,
)
from kvmwriter.lint.profile import Profile
from kvmwriter.records import NamedTuple
from kvmwriter.text.lazyre import lazy

_WORD = lazy(r"[A-Za-z][A-Za-z'’-]*")


class MoodVerdict(NamedTuple):
    word: str
    #: "past", "third-person", "gerund" or "non-verb"
    form: str
    base: str | None

    def describe(self) -> str:
        if self.form == "statement":
            return (
                f'"{self.word}" makes the summary a statement; say what the patch does, '
                'starting with a verb ("Update ...", "Fix ...")'
            )
        if self.form == "non-verb":
            if self.base:
                return (
                    f'"{self.word}" does not start an imperative sentence; '
                    f'start with a verb: "{self.base.capitalize()} ..."'
                )
            return f'"{self.word}" does not start an imperative sentence'
        what = {"past": "past tense", "third-person": "third person", "gerund": "-ing form"}[
            self.form
        ]
        return (
            f'"{self.word}" is {what}; use the imperative "{(self.base or self.word).capitalize()}"'
        )


#: Bump when the cached table's layout changes.
CACHE_FORMAT = 3

#: A word's lexicon entry: its lemmas as a verb form (empty unless it is an
#: -s, -ed or -ing form of a verb), whether it is a base verb, and "adverb"
#: or "noun" (nouns and adjectives) when the lexicon never uses it as a verb.
Entry = tuple[tuple[str, ...], bool, str]


def _build_lexicon() -> dict[str, Entry]:
    """Read lemminflect's lexicon once and keep only what mood checks need."""
    try:
        from lemminflect import Lemmatizer
    except ImportError:  # Degrade to the profile's lists; never crash a check.
        return {}
    lemmas = Lemmatizer()._getLemmaDict()
    forms: dict[str, tuple[str, ...]] = {}
    bases: set[str] = set()
    kinds: dict[str, str] = {}
    for word, entry in lemmas.items():
        verbs = entry.get("VERB")
        if verbs:
            bases.update(verbs)
            if _form(word) is not None:
                forms[word] = tuple(verbs)
        if "VERB" not in entry:
            kinds[word] = "adverb" if "ADV" in entry else "noun"
    return {
        word: (forms.get(word, ()), word in bases, kinds.get(word, ""))
        for word in forms.keys() | bases | kinds.keys()
    }


def verb_cache_key() -> str:
    """lemminflect's version and the table's layout: what the table derives from."""
    return f"{distribution_version('lemminflect', 'lemminflect')}-{CACHE_FORMAT}"


@lru_cache(maxsize=1)
def _lexicon() -> ShardedTable:
    """The lexicon's entries by word, from a per-user cache of lemminflect's data.

    Parsing lemminflect's full lexicon takes a quarter of a second, too slow
    for a commit-msg hook; its cached shards load in about a millisecond, and
    a summary decodes only the few its words fall in.
    """
    shards = cached_table("lexicon", verb_cache_key(), lambda: split_into_shards(_build_lexicon()))
    return ShardedTable(shards if isinstance(shards, list) else [])


def _entry(word: str) -> Entry:
    found: Entry | None = _lexicon().get(word)
    return found or ((), False, "")


def non_verb_kind(word: str) -> str | None:
    """ "adverb" or "noun" (nouns and adjectives) for a word the lexicon
    never uses as a verb; None for verbs and unknown words."""
    return _entry(word)[2] or None


def verb_lemmas(word: str) -> tuple[str, ...]:
    """Base forms of ``word`` used as a verb ("fixes" -> ("fix",))."""
    lemmas, base, _ = _entry(word)
    return lemmas or ((word,) if base else ())


def is_base_verb(word: str) -> bool:
    return _entry(word)[1]


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

    def judge_summary(self, text: str) -> MoodVerdict | None:
        """Return why the summary ``text`` does not open in the imperative, or None.

        Stricter than :meth:`judge`: noun phrases and statements are
        reported too, and kernel words the lexicon misses pass.
        """
        tokens = _TOKEN.findall(text)
        index = 0
        # "Always", "Explicitly", "More precisely", "Dynamically": skip up
        # to three adverbs to the verb.
        while index < min(len(tokens) - 1, 3) and self._is_adverb(tokens[index]):
            index += 1
        if index >= len(tokens):
            return None
        token = tokens[index]
        following = tokens[index + 1].lower() if index + 1 < len(tokens) else ""
        word = token.strip("'\"“”‘’[]{}.!?")
        if word.startswith("(") and not word.endswith(")"):
            word = word[1:]
        if not word.strip("()"):
            return None
        if following in _AUXILIARIES and word.lower() not in self.verbs:
            # "APIC_ID must be ...", "Guest is ...": no verb takes a modal as object.
            return MoodVerdict(word, "statement", None)
        if _is_name(word) and word.lower() not in self.verbs:
            return None  # "WARN", "kvm_foo() ..." : unknowable; no alarm.
        word = word.strip("()")
        lower = word.lower().replace("’", "'")
        if lower in _PROBLEM_ADJECTIVES:
            return MoodVerdict(word, "non-verb", _PROBLEM_ADJECTIVES[lower])
        if "-" in lower and lower not in self.verbs:
            # "Zero-initialize", "Re-enable", "Open-code": the last part acts.
            last = lower.rsplit("-", 1)[1]
            if last in self.verbs or is_base_verb(last):
                return None
        verdict = self.judge_word(word)
        if verdict is not None:
            return verdict
        if (
            lower not in self.verbs
            and not is_base_verb(lower)
            and non_verb_kind(lower) == "noun"
            and not verb_lemmas(lower)
            and not self._compound_verb(tokens[index + 1 : index + 3])
        ):
            return MoodVerdict(word, "non-verb", None)
        return None

    def _compound_verb(self, following: list[str]) -> bool:
        """ "Sanity check the gfn", "Spot fix all callers": a noun and a verb
        acting as one verb, told from "Pending debug exceptions" by the
        determiner that opens the object."""
        if len(following) < 2:
            return False
        verb, article = (token.lower() for token in following)
        return (verb in self.verbs or is_base_verb(verb)) and article in _DETERMINERS

    def _is_adverb(self, token: str) -> bool:
        lower = token.lower().strip("'\"“”‘’()")
        if lower in self.verbs or lower in self.non_verbs:
            return False  # "Small cleanup ...": an opener the profile rejects.
        return lower in self.adverbs or lower == "more" or non_verb_kind(lower) == "adverb"

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


#: Adjectives that open a summary describing a problem, and the verb
#: phrase that says what the patch does about it ("Missing check of X" ->
#: "Add the missing check of X", never "Miss").
_PROBLEM_ADJECTIVES = {
    "missing": "add the missing",
    "wrong": "fix the wrong",
    "incorrect": "fix the incorrect",
    "unused": "drop the unused",
    "unnecessary": "drop the unnecessary",
    "redundant": "drop the redundant",
    "stale": "drop the stale",
    "superfluous": "drop the superfluous",
}
_DETERMINERS = frozenset(
    {"the", "a", "an", "all", "any", "each", "every", "its", "their", "that", "this", "these"}
)
#: Words that make "<name> <word> ..." a statement: "APIC_ID must be ...".
_AUXILIARIES = frozenset(
    [
        "must",
        "should",
        "is",
        "are",
        "was",
        "were",
        "can",
        "cannot",
        "can't",
        "will",
        "won't",
        "may",
        "might",
        "has",
        "have",
        "had",
        "does",
        "doesn't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "needs",
        "shall",
        "could",
        "would",
    ]
)
# A name, not a word: snake_case, a call, a member, CamelCase or ALL CAPS
# with digits ("APIC_ID", "kvm_mmu_zap_all()", "vcpu->arch", "x2APIC").
# Two simple scans, not one pattern: a mark between two free runs of name
# characters backtracks quadratically on a long token.
_NAME_CHARS = lazy(r"[\w()>.-]+")
_NAME_MARK = lazy(r"_|\(\)|->|\.\w|[a-z][A-Z]|\d[A-Za-z]|[A-Z]{2}")
_TOKEN = lazy(r"[^\s,;:]+")


def _is_name(word: str) -> bool:
    return bool(_NAME_CHARS.fullmatch(word)) and _NAME_MARK.search(word) is not None


def _form(word: str) -> str | None:
    if word.endswith("ing") and len(word) > 4:
        return "gerund"
    if word.endswith("ed") and len(word) > 3:
        return "past"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        return "third-person"
    return None
