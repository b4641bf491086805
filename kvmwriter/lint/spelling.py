"""Offline spelling: a dictionary of common misspellings, like checkpatch's.

checkpatch.pl flags misspelled words from the kernel's spelling list and
codespell's dictionary.  The ``codespell`` package ships that dictionary
(``codespell_lib/data/dictionary.txt``, ``wrong->right`` lines); a short
kernel-specific list in ``assets/spelling/kernel.txt`` adds words codespell
does not know.  Both merge into one table, cached per user in shards so a
message decodes only the shards its words fall in (see :class:`SpellingTable`).

Only prose is read (see :mod:`kvmwriter.text.prose`): the subject's summary and
the body's prose and list blocks, never identifiers, register or MSR names,
acronyms, SHAs, URLs, quoted text, code, logs or trailers.  A word is
checked only when it is lower case or capitalised, so ``RDSMR`` or ``VMCB``
never count.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from kvmwriter.lint.cache import (
    SHARDS,
    ShardedTable,
    cached_table,
    content_key,
    distribution_version,
    package_dir,
    split_into_shards,
)
from kvmwriter.records import NamedTuple, ValueRecord
from kvmwriter.text.message import Message
from kvmwriter.text.prose import Unit, mask_spans, overlaps, prose_units

# Words as a misspelling dictionary keys them: letters with inner apostrophes.
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")


class Misspelling(NamedTuple):
    line: int
    column: int
    word: str
    #: Corrections in the dictionary's order, in the word's case.
    suggestions: tuple[str, ...]


#: Misspellings listed one by one per message; one more finding counts the
#: rest.  A pasted run of typos (a 100k-character line held 25,000) must not
#: flood the report, the findings panel or a review.
MAX_LISTED = 20


class MoreMisspellings(ValueRecord):
    """Where the misspellings past :data:`MAX_LISTED` start, and how many there are."""

    # Not a named tuple: a ``count`` field would hide tuple.count.
    __slots__ = ("line", "column", "count")

    line: int
    column: int
    count: int

    def __init__(self, line: int, column: int, count: int) -> None:
        self.line = line
        self.column = column
        self.count = count


# Paths are strings (os.path): importing pathlib costs a commit-msg hook 3 ms.


def codespell_dictionary_path() -> str | None:
    """Path of codespell's main dictionary, found without importing codespell."""
    folder = package_dir("codespell_lib")
    if folder is None:
        return None
    path = os.path.join(folder, "data", "dictionary.txt")
    return path if os.path.isfile(path) else None


def kernel_dictionary_path() -> str | None:
    from kvmwriter.lint.profile import ProfileError, assets_folder

    try:
        path = os.path.join(assets_folder(), "spelling", "kernel.txt")
    except ProfileError:
        return None
    return path if os.path.isfile(path) else None


def _read_dictionary(path: str, table: dict[str, str]) -> None:
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    try:
        # One bulk split: the file has one "wrong->right" a line, and
        # building the dict this way keeps the load near 15 ms.
        entries = dict(line.split("->", 1) for line in lines)
    except ValueError:
        entries = {}
        for line in lines:
            key, arrow, data = line.partition("->")
            if arrow:
                entries[key] = data
    table.update(entries)
    # Lookups use the lower-cased word; a few keys are capitalised names.
    for key in [key for key in entries if not key.islower()]:
        table.setdefault(key.lower().replace("’", "'").strip(), entries[key])


class SpellingTable(ShardedTable):
    """Misspelling -> raw correction text, decoded one shard at a time."""

    def __init__(self, shards: list[bytes]) -> None:
        super().__init__(shards)
        #: Words as written that have no entry: most words of every message
        #: are common ones, and a set test beats lower-casing and looking up.
        self.clean_words: set[str] = set()


#: Either form of the table: both answer ``get``.
Table = dict[str, str] | SpellingTable


@lru_cache(maxsize=1)
def spelling_table() -> SpellingTable:
    """The merged misspelling table, empty when codespell is missing.

    Spelling then stays silent rather than failing the run.  Parsing
    65,000 lines on every commit-msg hook run costs about 30 ms, so the
    table is cached per user (see :func:`spelling_cache_key`).
    """
    paths = [p for p in (codespell_dictionary_path(), kernel_dictionary_path()) if p]
    shards = cached_table(
        "spelling", spelling_cache_key(), lambda: split_into_shards(_merge_dictionaries(paths))
    )
    if not isinstance(shards, list) or len(shards) != SHARDS:
        shards = split_into_shards(_merge_dictionaries(paths))
    return SpellingTable(shards)


@lru_cache(maxsize=1)
def load_dictionary() -> dict[str, str]:
    """The whole table as a dict (``"right"`` or ``"one, other,"`` values)."""
    return spelling_table().to_dict()


#: Bump when the cached table's layout changes.
CACHE_FORMAT = 2


def spelling_cache_key() -> str:
    """codespell's version and the kernel list's checksum: what the table derives from."""
    return (
        f"{distribution_version('codespell_lib', 'codespell')}-"
        f"{content_key(kernel_dictionary_path())}-{CACHE_FORMAT}"
    )


def _merge_dictionaries(paths: list[str]) -> dict[str, str]:
    table: dict[str, str] = {}
    for path in paths:
        try:
            _read_dictionary(path, table)
        except (OSError, UnicodeDecodeError):
            continue
    return table


def corrections(raw: str) -> tuple[str, ...]:
    """Split codespell's correction text; a trailing ``, reason`` is not one."""
    raw = raw.strip()
    if "," in raw:
        # codespell's format: "a, b," lists words; "a, reason" explains why
        # "a" is not applied automatically.  Either way the last comma ends
        # the list.
        raw = raw.rsplit(",", 1)[0]
    return tuple(word.strip() for word in raw.split(",") if word.strip())


def match_case(word: str, correction: str) -> str:
    """Give ``correction`` the case of ``word`` (``Teh`` -> ``The``)."""
    if word[:1].isupper() and correction[:1].islower():
        return correction[:1].upper() + correction[1:]
    return correction


def _checkable(word: str) -> bool:
    # Lower case or capitalised only: acronyms, register names and mixed
    # case identifiers are not words to spell-check.
    return word.islower() or (word[0].isupper() and word[1:].islower())


def _lookup(word: str, table: Table) -> str | None:
    """The table's entry for ``word`` or its possessive's stem, if checkable."""
    if not _checkable(word.replace("'", "").replace("’", "")):
        return None
    key = word.lower().replace("’", "'")
    raw = table.get(key)
    if raw is None and key.endswith("'s"):
        raw = table.get(key[:-2])
    return raw


#: Past this many remembered clean words, start over: a pasted run of
#: made-up words must not grow the set without bound.
MAX_CLEAN_WORDS = 200_000


def _has_candidate(words: list[str], table: Table) -> bool:
    """Whether any of ``words`` has an entry (itself or its possessive's stem)."""
    clean = table.clean_words if isinstance(table, SpellingTable) else set()
    if clean.issuperset(words):
        return False  # Every word seen before: no set of them to build.
    unknown = set(words).difference(clean)
    if not unknown:
        return False
    if len(clean) > MAX_CLEAN_WORDS:
        clean.clear()
    for word in unknown:
        if _lookup(word, table) is not None:
            return True
        clean.add(word)
    return False


def check_unit(
    unit: Unit, table: Table, ignore: frozenset[str] = frozenset()
) -> Iterator[Misspelling]:
    """Misspellings in one prose unit, at their line and column."""
    spans: list[tuple[int, int]] | None = None
    text = unit.text
    # Look each distinct word up once; most units hold no candidate at all,
    # and then the positions are never needed.
    if not _has_candidate(_WORD.findall(text), table):
        return
    for match in _WORD.finditer(text):
        word = match.group()
        if not _checkable(word.replace("'", "").replace("’", "")):
            continue
        key = word.lower().replace("’", "'")
        raw = table.get(key)
        if raw is None and key.endswith("'s"):
            # "teh's": look the word up without its possessive.
            key = key[:-2]
            raw = table.get(key)
            word = word[: len(key)]
        if raw is None or key in ignore:
            continue
        if spans is None:
            # Mask lazily: most units have no candidate at all.
            spans = mask_spans(text, acronyms=True)
        start = match.start()
        end = match.end()
        if text[end : end + 1] in ("'", "’") or text[start - 1 : start] in ("'", "’"):
            # An elision ("nothin'") or a word glued to a quote is not a typo.
            continue
        if overlaps(spans, start, start + len(word)):
            continue
        line, column = unit.locate(start)
        yield Misspelling(line, column, word, tuple(match_case(word, c) for c in corrections(raw)))


def find_misspellings(
    message: Message, ignore: Iterable[str] = (), table: Table | None = None
) -> Iterator[Misspelling]:
    """Misspelled words in ``message``'s subject summary and body prose."""
    table = spelling_table() if table is None else table
    if not table:
        return
    skip = frozenset(word.lower() for word in ignore)
    # One look at the whole message's prose first: most messages have no
    # candidate, and then no unit needs building nor a look of its own.
    # Words never cross a line, so joining the texts finds the same words.
    subject = message.subject
    texts = [block.text for block in message.prose_blocks]
    if subject is not None:
        texts.append(subject.summary)
    if not _has_candidate(_WORD.findall("\n".join(texts)), table):
        return
    for unit in prose_units(message):
        yield from check_unit(unit, table, skip)


def listed_misspellings(
    message: Message,
    ignore: Iterable[str] = (),
    table: Table | None = None,
    limit: int = MAX_LISTED,
) -> Iterator[Misspelling | MoreMisspellings]:
    """The first ``limit`` misspellings, then one :class:`MoreMisspellings` for the rest."""
    rest: MoreMisspellings | None = None
    for index, found in enumerate(find_misspellings(message, ignore, table)):
        if index < limit:
            yield found
        elif rest is None:
            rest = MoreMisspellings(found.line, found.column, 1)
        else:
            rest = MoreMisspellings(rest.line, rest.column, rest.count + 1)
    if rest is not None:
        yield rest


def describe(found: Misspelling | MoreMisspellings) -> str:
    """The finding's message: ``'teh' is misspelled; use 'the'``."""
    if isinstance(found, MoreMisspellings):
        more = "misspelling" if found.count == 1 else "misspellings"
        return f"{found.count} more {more} from here on, not listed one by one"
    if not found.suggestions:
        return f"'{found.word}' is a common misspelling"
    if len(found.suggestions) == 1:
        return f"'{found.word}' is misspelled; use '{found.suggestions[0]}'"
    options = ", ".join(f"'{s}'" for s in found.suggestions)
    return f"'{found.word}' is misspelled; use one of {options}"


__all__ = [
    "MAX_LISTED",
    "Misspelling",
    "MoreMisspellings",
    "check_unit",
    "codespell_dictionary_path",
    "corrections",
    "describe",
    "find_misspellings",
    "listed_misspellings",
    "load_dictionary",
    "match_case",
    "spelling_table",
]
