"""Body (changelog) rules: what-first, imperative mood, no pronouns, references."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from kvmwriter.lint.findings import Fix, Hit, Severity
from kvmwriter.lint.mood import MoodChecker, is_base_verb, verb_lemmas
from kvmwriter.lint.rules import CheckContext, rule
from kvmwriter.lint.rules.manuals import manual_patterns
from kvmwriter.text.lazyre import lazy
from kvmwriter.text.message import Line, Message, is_tag_line

HANDBOOK = "maintainer-kvm-x86.rst"

# Spans of a prose line that are not prose: `code`, "quoted text", URLs,
# mail addresses and calls (foo()).  Stop each quoted span at the next
# opening mark and keep the address parts free of "<" and "@", so a line of
# unclosed marks costs linear time.
_QUOTED = lazy(
    r"`[^`]*`|\"[^\"]*\"|“[^“”]*”|'[^'\s][^']*'(?=[\s.,;:)]|$)|https?://\S+|"
    r"<[^<>@\s]+@[^<>@\s]+>|\b\w+\(\)"
)
# What every _QUOTED span holds: a quote mark, "http", "<" or "()".
_QUOTED_MARKS = ("`", '"', "“", "'", "http", "<", "()")
# Identifiers with punctuation (foo->bar, a::b), read as whole tokens: start
# only where a token starts, so a long token is scanned once, not once per
# character.
_MEMBER_TOKEN = lazy(r"(?<!\S)(?=\S*?(?:->|::))\S+")
_SENTENCE_END = lazy(r"(?<=[.!?])\s+(?=[A-Z\"'(])")
_URL = lazy(r"https?://\S+")
_MAINTAINER_NOTE = lazy(r"\s*\[[^\[\]]*\]\s*$")
# "save/restore" reads as one word, so "save/restore is" reads as a noun.
_WORD = lazy(r"[A-Za-z][\w'’/-]*")
# Words that turn the imperative negative: "Don't skip", "Never inject".
_NEGATIONS = ("don't", "don’t", "never")
# Commas read when looking for the main clause after a subordinate one.
_MAX_CLAUSES = 8
# Leading connectives and clauses skipped to find the verb ("And so, drop ...").
_MAX_DEPTH = 2
# Openers that join the main clause without a comma ("So drop the check").
_CONNECTIVES = frozenset(
    ("so", "thus", "therefore", "hence", "instead", "rather", "and", "now", "then", "lastly")
    + ("finally", "additionally", "similarly", "also", "accordingly", "consequently")
)
# Verbs that follow a subject: the word before them is a noun.
_AUXILIARIES = frozenset(
    ("is", "are", "was", "were", "has", "have", "had", "can", "could", "will", "would")
    + ("may", "might", "must", "should", "does", "did", "isn't", "aren't", "doesn't")
)
# Words that open an object ("declutter the VMSA"), and words seen before
# them that are not verbs ("Otherwise the guest ...").
_DETERMINERS = frozenset(("the", "a", "an", "its", "all", "any", "each", "every", "both"))
_NOT_VERBS = frozenset(("otherwise", "here", "there", "however", "meanwhile", "later", "again"))
# Words after which a base verb belongs to the subordinate clause ("when
# using X to access the MSR", "if L1 can map the page"), not the main one.
_NOT_BEFORE_MAIN_VERB = _AUXILIARIES | frozenset(
    ("to", "t", "not", "and", "or", "that", "which", "who", "that's", "don't", "cannot")
)
# Imperatives that address the reader rather than say what the patch does
# ("Note, ...", "Consider two vCPUs ...", "Reproduce with ...").
_ASIDE_VERBS = frozenset(
    ("note", "consider", "see", "imagine", "assume", "suppose", "reproduce", "recall", "refer")
    + ("compare", "run", "observe")
)
# "If both the 'what's changing' and 'what's the bug' are super short then
# the order doesn't matter" (Changelog): two sentences in all are short.
_SHORT_CHANGELOG = 2
# "Changelogs that bury the 'what's actually changing' in a one-liner after
# 3+ paragraphs of background": warn from two paragraphs of background on.
_BURIED_PARAGRAPHS = 2


def _fixers():
    # Imported on the first finding that carries a fix: a clean message in a
    # commit-msg hook never needs the fixers nor autofix.
    from kvmwriter.lint import fixers

    return fixers


@lru_cache(maxsize=2048)
def masked(text: str) -> str:
    """``text`` with non-prose spans blanked out, columns unchanged.

    Cached: body-pronoun, body-mood and body-what-first each mask the same
    lines of a message.
    """
    # Mask quoted spans first: a token left over after one ("x"->y) then
    # starts at the blank.  Each pattern needs one of its marks in the line,
    # and most lines hold none: skip the substitution then.
    if any(map(text.__contains__, _QUOTED_MARKS)):
        text = _QUOTED.sub(_blank, text)
    if "->" in text or "::" in text:
        text = _MEMBER_TOKEN.sub(_blank, text)
    return text


def _blank(match: re.Match) -> str:
    return " " * len(match.group(0))


def prose_lines(message: Message, hint: re.Pattern | None = None) -> Iterator[Line]:
    """The lines of the prose blocks; with ``hint``, of those where it matches."""
    for block in message.prose_blocks:
        if hint is None or hint.search(block.text):
            yield from block.lines


@rule(
    "body-missing",
    severity="warning",
    group="body",
    summary="The message has a changelog, not just a subject and trailers.",
    rationale=(
        '"Describe your problem.  Whether your patch is a one-line bug fix or 5000 lines '
        "of a new feature, there must be an underlying problem that motivated you to do "
        'this work." (submitting-patches.rst, Describe your changes)'
    ),
    bad="KVM: x86: Drop a stale comment\n\nSigned-off-by: Ada Tester <ada@example.org>",
    good=(
        "KVM: x86: Drop a stale comment\n\nDrop a comment about kvm_set_cr0() clearing the "
        "cache; the cache was removed long ago.\n\nSigned-off-by: Ada Tester <ada@example.org>"
    ),
)
def body_missing(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    if message.subject is None or message.paragraphs:
        return
    line = message.subject.line
    if ctx.cover:
        yield Hit(line, 1, "empty cover letter; summarize what the series changes, then why")
    else:
        yield Hit(line, 1, "no changelog; say what changes and why below the subject")


def _reads_as_verb(words: list[str], index: int) -> bool:
    """True for a word no dictionary knows that takes an object: "declutter the VMSA"."""
    word = words[index].lower()
    if word.endswith("ly") or word in _NOT_VERBS or index + 1 >= len(words):
        return False
    return words[index + 1].lower() in _DETERMINERS


def _prose_words(text: str) -> list[str]:
    """The words of ``text`` outside code and quotes; none when it opens with those.

    A sentence that opens with `foo()` or "a quote" has that as its subject,
    so it cannot be an imperative.
    """
    prose = masked(text)
    if prose[:1].isspace():
        return []
    return _WORD.findall(prose)


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text.replace("\n", " ")) if s.strip()]


@lru_cache(maxsize=16)
def _lowered(words: tuple[str, ...]) -> tuple[str, ...]:
    # A profile's word lists stay the same for every message it reads.
    return tuple(word.lower() for word in words)


class _Opening:
    """The changelog's opening, read sentence by sentence."""

    def __init__(self, message: Message, ctx: CheckContext) -> None:
        self.profile = ctx.profile
        self.mood: MoodChecker = ctx.extras.get("mood") or MoodChecker(ctx.profile)
        ctx.extras["mood"] = self.mood
        body = ctx.profile.body
        self.openers = _lowered(body.background_openers)
        self.conditionals = _lowered(body.conditional_openers)

    def is_statement_of_change(self, sentence: str, depth: int = 0) -> bool:
        """True when ``sentence`` says what the patch does, imperatively."""
        sentence = sentence.strip()
        if sentence.startswith(_BODY_MOOD_STARTS) and _BODY_MOOD.match(sentence):
            return True  # "This patch adds ...": a what, in the wrong mood (body-mood).
        words = _prose_words(sentence)
        if not words:
            return False
        if words[0].lower() in self.conditionals:
            return depth < _MAX_DEPTH and self._main_clause_is_imperative(sentence, depth)
        if self.opener(sentence):
            return False
        return self._is_imperative(words)

    def _main_clause_is_imperative(self, sentence: str, depth: int) -> bool:
        # "When X, Y and Z, inject #GP", "In preparation for SNP, declutter",
        # "If so, then drop it": the main clause follows one of the commas.
        clauses = sentence.split(",", _MAX_CLAUSES)[1:_MAX_CLAUSES]
        if any(self.is_statement_of_change(clause, depth + 1) for clause in clauses):
            return True
        first, _, rest = sentence.partition(" ")
        # "So drop the check": a connective needs no comma, but "If value is
        # zero ..." and "In short ..." open a clause that is not the main one.
        if first.lower() in _CONNECTIVES:
            return self.is_statement_of_change(rest, depth + 1)
        return self._has_unmarked_main_clause(_prose_words(sentence.split(",", 1)[0]))

    def _has_unmarked_main_clause(self, words: list[str]) -> bool:
        """True for "when using GHCB v2+ require the scratch area ...": a
        participle clause, then an imperative with its object and no comma.

        Only a participle ("using", "running") opens such a clause for sure:
        after "When vCPUs share the page" the verb has a subject.
        """
        if len(words) < 4 or not words[1].lower().endswith("ing"):
            return False
        for index in range(2, len(words) - 1):
            word = words[index]
            if (
                words[index + 1].lower() in _DETERMINERS
                and words[index - 1].lower() not in _NOT_BEFORE_MAIN_VERB
                and word.islower()
                and self._is_verb(word)
            ):
                return True
        return False

    def _is_imperative(self, words: list[str]) -> bool:
        if not words:
            return False
        lowered = [word.lower() for word in words[:2]]
        if lowered == ["do", "not"] or lowered[0] in _NEGATIONS:
            # "Don't skip ...", "Do not reload ...", "Never inject ...".
            rest = words[2:] if lowered == ["do", "not"] else words[1:]
            return bool(rest) and self._is_verb(rest[0])
        word = self.mood.first_verb_word(words) or words[0]
        if word.lower() in self.mood.non_verbs or word.lower() in _ASIDE_VERBS:
            return False
        if self.mood.judge_word(word) is not None:
            return False
        index = words.index(word)
        if index + 1 < len(words) and words[index + 1].lower() in _AUXILIARIES:
            return False  # "Save/restore is broken", "Flush can fail": a noun.
        return self._is_verb(word) or _reads_as_verb(words, index)

    def _is_verb(self, word: str) -> bool:
        # "Set/clear the intercept": a pair of verbs.
        return all(self._is_single_verb(part) for part in word.lower().split("/"))

    def _is_single_verb(self, lower: str) -> bool:
        if "-" in lower:
            # "Zero-initialize", "Open-code", "Re-enable": the verb ends the word.
            lower = lower.rsplit("-", 1)[1]
        return lower in self.mood.verbs or is_base_verb(lower)

    def opener(self, sentence: str) -> str | None:
        lowered = sentence.lower().lstrip("\"'( ")
        if not lowered.startswith(self.openers):
            return None  # One test for all openers: most sentences start with none.
        for opener in self.openers:
            if lowered.startswith(opener) and (
                len(lowered) == len(opener) or not lowered[len(opener)].isalnum()
            ):
                return opener
        return None


def _prose_paragraphs(message: Message) -> list[list[str]]:
    """The sentences of each paragraph that holds prose, in order."""
    paragraphs = []
    for paragraph in message.paragraphs:
        text = "\n".join(block.text for block in paragraph.blocks if block.is_prose)
        if _MAINTAINER_NOTE.match(text):
            continue  # "[sean: reword changelog]" is no part of the changelog's order.
        sentences = _sentences(text)
        if sentences:
            paragraphs.append(sentences)
    return paragraphs


@rule(
    "body-what-first",
    severity="warning",
    group="body",
    summary="The changelog opens with what changes, then gives the context.",
    rationale=(
        '"lead with a short blurb on the actual changes, and then follow up with the '
        "context and background.  Note!  This order directly conflicts with the tip "
        "tree's preferred approach!\" (" + HANDBOOK + ", Changelog)"
    ),
    bad=(
        "Currently, KVM reloads the PDPTRs on every CR0 write, even when the write\n"
        "doesn't toggle CR0.PG.  The reload reads guest memory, which is slow when\n"
        "the PDPTRs live in MMIO.\n\n"
        "With EPT, the reload is pointless, as the CPU loads the PDPTRs from the\n"
        "VMCS on VM-Entry.  Nested workloads write CR0 on every nested VM-Exit.\n\n"
        "Skip the reload when CR0.PG is unchanged."
    ),
    good=(
        "Skip reloading the PDPTRs on CR0 writes that don't toggle CR0.PG.\n\n"
        "Currently, KVM reloads the PDPTRs on every CR0 write, even when the write\n"
        "doesn't toggle CR0.PG.  With EPT, the reload is pointless, as the CPU\n"
        "loads the PDPTRs from the VMCS on VM-Entry."
    ),
)
def body_what_first(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    if ctx.cover:
        return
    paragraphs = _prose_paragraphs(message)
    if sum(len(sentences) for sentences in paragraphs) <= _SHORT_CHANGELOG:
        return  # "If both ... are super short then the order doesn't matter."
    opening = _Opening(message, ctx)
    first = paragraphs[0][0]
    if opening.is_statement_of_change(first):
        return
    background_paragraphs, words_before = _background_before_change(opening, paragraphs)
    buried = background_paragraphs >= _BURIED_PARAGRAPHS and (
        words_before > ctx.profile.body.background_words
    )
    first_block = next(iter(message.prose_blocks))
    if buried:
        advice = f"{background_paragraphs} paragraphs of background come before what changes"
    else:
        advice = "a short context comes before what changes"
    yield Hit(
        first_block.lines[0].number,
        1,
        f'the changelog opens with background ("{first[:40].rstrip()}..."); {advice}: '
        "state what the patch changes first, then the context",
        severity=None if buried else Severity.INFO,
    )


def _background_before_change(opening: _Opening, paragraphs: list[list[str]]) -> tuple[int, int]:
    """Paragraphs and words of background before the first statement of change.

    With no statement of change at all, every paragraph counts as background.
    """
    words = 0
    for index, sentences in enumerate(paragraphs):
        for sentence in sentences:
            if opening.is_statement_of_change(sentence):
                return index, words
            words += len(sentence.split())
    return len(paragraphs), words


_BODY_MOOD = lazy(
    r"\b(?P<phrase>(?:This|The) (?:patch(?:set| series)?|commit|change|series)(?: also)? "
    r"(?:\w+ly )?(?P<verb>[a-z]+s)\b|"
    r"(?:In|With) this (?:patch|commit|change)(?=,)"
    r"|(?:I|We) (?:\w+ly )?(?:have )?(?:changed|added|fixed|removed|moved|made|introduced"
    r"|updated|reworked|modified|implemented|renamed|dropped|converted|decided|chose|"
    r"propose|will|now|can|also|do|don't|did|need|want|should|must|add|fix|remove|change"
    r"|use|make|introduce|update))\b"
)


# How a _BODY_MOOD match at the start of a sentence starts: other sentences
# are answered without compiling the pattern.
_BODY_MOOD_STARTS = (
    *(
        f"{this} {what}"
        for this in ("This", "The")
        for what in ("patch", "commit", "change", "series")
    ),
    *(f"{prep} this {what}" for prep in ("In", "With") for what in ("patch", "commit", "change")),
    "I ",
    "We ",
)


# Words every match of _BODY_MOOD holds as written: masking only blanks
# spans of two or more characters, so the single spaces it matches, and the
# words around them, are the line's own.
_BODY_MOOD_HINT = lazy(r"(?:This|The|this) (?:patch|commit|change|series)|I |We ")


@rule(
    "body-mood",
    severity="warning",
    group="body",
    summary="The changelog describes the change imperatively, not as 'This patch adds'.",
    rationale=(
        '"Most importantly, write changelogs using imperative mood and avoid pronouns." '
        f"({HANDBOOK}, Changelog)  \"Describe your changes in imperative mood, e.g. 'make "
        "xyzzy do frotz' instead of '[This patch] makes xyzzy do frotz'\" "
        "(submitting-patches.rst)."
    ),
    bad="This patch adds a check for a NULL root in kvm_mmu_free_roots().",
    good="Add a check for a NULL root in kvm_mmu_free_roots().",
)
def body_mood(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    for line in prose_lines(message, _BODY_MOOD_HINT):
        text = masked(line.text)
        for match in _BODY_MOOD.finditer(text):
            phrase = match.group(0).strip(" ,")
            yield Hit(
                line.number,
                match.start() + 1,
                f'"{phrase}" is not imperative; say what the patch does as a command '
                '("Add ...", "Fix ...")',
                fix=_fixers().imperative_rewrite(line, match.start() + 1),
            )
            break


@rule(
    "body-pronoun",
    severity="warning",
    group="body",
    summary="No first- or second-person pronouns (I, we, you, our ...) in the changelog prose.",
    rationale=(
        '"Most importantly, write changelogs using imperative mood and avoid pronouns." '
        f"({HANDBOOK}, Changelog)"
    ),
    bad="We need to flush the TLB here, otherwise our guest can see stale entries.",
    good="Flush the TLB, otherwise the guest can observe stale entries.",
)
def body_pronoun(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    patterns = _pronoun_pattern(ctx.profile.body.pronouns)
    if patterns is None:
        return
    pattern, candidates = patterns
    blocks = list(message.prose_blocks)
    if message.subject is not None and candidates.search(message.subject.summary):
        yield from _pronoun_hits(pattern, [_subject_line(message)], "subject")
    for block in blocks:
        # Most blocks hold no pronoun at all: one plain word scan of the
        # block skips the masking and the context checks of every line.
        if candidates.search(block.text):
            yield from _pronoun_hits(pattern, block.lines, "changelog")


def _subject_line(message: Message) -> Line:
    subject = message.subject
    assert subject is not None
    # Blank the prefix so only the summary is read, keeping columns.
    padded = " " * (subject.summary_column - 1) + subject.summary
    return Line(subject.line, padded)


def _pronoun_hits(pattern: re.Pattern, lines, where: str) -> Iterator[Hit]:
    for line in lines:
        text = masked(line.text)
        for match in pattern.finditer(text):
            word = match.group(0)
            yield Hit(
                line.number,
                match.start() + 1,
                f'pronoun "{word}" in the {where}; rephrase without pronouns '
                '(say "KVM", "the guest", or use the imperative)',
                fix=_fixers().pronoun_rewrite(line, match.start() + 1),
            )
            break


@lru_cache(maxsize=8)
def _pronoun_pattern(pronouns: tuple[str, ...]) -> tuple[re.Pattern, re.Pattern] | None:
    """The pronoun pattern, and a plain word pattern matching wherever it can."""
    if not pronouns:
        return None
    words = sorted(
        {form for word in pronouns for form in (word, word[0].upper() + word[1:])},
        key=len,
        reverse=True,
    )
    edge = r"\b" if all(re.fullmatch(r"\w+", word) for word in words) else ""
    # Test a position's first character before trying each form: one test
    # instead of one per form (about twice as fast over the corpus).
    starts = re.escape("".join(sorted({word[0] for word in words})))
    candidates = re.compile(
        f"(?=[{starts}])" + edge + "(?:" + "|".join(map(re.escape, words)) + ")" + edge
    )
    alternatives = []
    for word in pronouns:
        if word == "I":
            # "I/O", "I-cache", "I2C" are not pronouns.
            alternatives.append(r"(?<![\w/-])I(?=['’]|\s+[a-z])")
        else:
            title = word[0].upper() + word[1:]
            # "100 us" is microseconds, not a pronoun.
            alternatives.append(
                rf"(?<![\w/-])(?<!\d\s)(?:{re.escape(word)}|{re.escape(title)})"
                r"(?=['’]|[\s.,;:!?)]|$)"
            )
    # Skip positions that cannot start a pronoun before trying each
    # alternative: a long line of spaces or symbols then costs one test each.
    initials = "".join(sorted({c for word in pronouns for c in (word[0].lower(), word[0].upper())}))
    # Compiled on first use: only text the plain word pattern matches needs it.
    return lazy(f"(?=[{re.escape(initials)}])(?:" + "|".join(alternatives) + ")"), candidates


# A snake_case identifier, matched atomically ((?=(...))\N: Python 3.10 has no
# atomic groups): the longest one is the only one that can be followed by a
# non-identifier character, and retrying shorter ones costs quadratic time.
_SNAKE = r"[a-z_][a-z0-9_]*_[a-z0-9_]+"
# Words that introduce a function: "the function foo", "foo helper", "call
# foo", "use foo to", "in foo", "foo's caller".  The verbs start sentences
# too ("Call foo from ..."), so either case counts.
_FUNCTION_CONTEXT = lazy(
    r"\b(?:function|helper|callback|hook|wrapper|routine|[Cc]alls?|[Cc]alled|[Cc]alling"
    r"|[Ii]nvok(?:es?|ed|ing)|[Uu]ses?|in|[Cc]allers?\s+of)"
    rf"\s+(?=(?P<before>{_SNAKE}))(?P=before)\b(?!\(|->|\.\w|\[|\*|\{{|\s*\(|['’]s\s+(?!callers?\b))"
    rf"|(?<![.>])\b(?=(?P<after>{_SNAKE}))(?P=after)"
    r"(?:\s+(?:function|helper|callback|wrapper|routine)\b|['’]s\s+callers?\b)"
)
_SNAKE_NAME = lazy(_SNAKE)
_IDENTIFIER_CALL = lazy(r"\b([A-Za-z_][A-Za-z0-9_]*)\(\)")
_IDENTIFIER = lazy(r"(?<![\w>.:/-])([a-z_][a-z0-9]*_[a-z0-9_]+)\b(?![(\w]|->|\.\w|::|/)")
_NEXT_WORD = lazy(r"\s*(\S+)")
_SNAKE_WORD = lazy(r"[a-z_][a-z0-9_]*")
_PREVIOUS_WORD = lazy(r"(\S+)\s+$")
# Words after an identifier that make it data, not a function.
_DATA_WORDS = (
    "field",
    "member",
    "variable",
    "param",
    "parameter",
    "flag",
    "bit",
    "struct",
    "structure",
    "array",
    "macro",
    "enum",
    "module",
    "test",
    "file",
    "option",
    "knob",
    "list",
    "lock",
    "counter",
    "mask",
    "value",
    "pointer",
    "ops",
    "table",
    "type",
    "tracepoint",
    "event",
    "request",
    "cache",
    "state",
)
# Words before an identifier that make it a type or data: "struct kvm_vcpu".
_TYPE_WORDS = ("struct", "union", "enum", "typedef", "per-cpu", "percpu")
# Last parts of names of function tables: "kvm_x86_ops", "kvm_gmem_aops".
_TABLE_SUFFIXES = frozenset({"ops", "aops", "fops", "vtable"})
# Last parts of names that are not functions: selftests, types, op tables.
_NOT_FUNCTION_SUFFIXES = frozenset({"test", "tests", "t", "ops", "struct", "data", "info"})
# Parts of names the lexicon also calls verbs but kernel names use as nouns
# ("kvm_arch_vcpu", "kvm_mmu_page").
_NOUN_PARTS = frozenset(
    {"arch", "page", "state", "host", "guest", "mode", "entry", "context", "table", "cache"}
)
#: At most this many names are looked up in the repository per message,
#: all in one git grep.
MAX_REPO_LOOKUPS = 12
MAX_NAME_LENGTH = 80


@rule(
    "body-function-reference",
    severity="warning",
    group="body",
    summary="Functions are written as `function_name()`, with parentheses.",
    rationale=(
        '"When a function is mentioned in a comment, changelog, or shortlog (or anywhere '
        "for that matter), use the format ``function_name()``.  The parentheses provide "
        f'context and disambiguate the reference." ({HANDBOOK}, Function References)  '
        "A name counts as a function when the message or the diff calls it, the repository "
        'defines or calls it, or the words around it say so ("call foo", "use foo to", '
        '"in foo", "foo\'s caller", "the helper foo"); struct names, fields, module params, '
        "MSRs and CONFIG_ options are left alone."
    ),
    bad="Call kvm_inject_gp to inject #GP when the guest writes a reserved bit.",
    good="Call kvm_inject_gp() to inject #GP when the guest writes a reserved bit.",
)
def body_function_reference(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    lines = list(prose_lines(message))
    if message.subject is not None:
        lines.insert(0, _subject_line(message))
    # Both patterns below need a snake_case name, so a line without one
    # has nothing to report nor to look up ("_" rules most lines out first).
    masked_lines = [
        (line, text)
        for line, text in ((line, _mask_quotes(line.text)) for line in lines if "_" in line.text)
        if _SNAKE_NAME.search(text)
    ]
    if not masked_lines:
        return
    texts = [block.text for block in message.prose_blocks]
    if message.subject is not None:
        texts.append(message.subject.text)
    called = {name for text in texts if "()" in text for name in _IDENTIFIER_CALL.findall(text)}
    called |= _diff_functions(ctx.diff) if ctx.diff else set()
    if ctx.repo is not None:
        called |= _repo_functions(ctx, masked_lines, called)
    subject_line = message.subject.line if message.subject is not None else None
    hard_limit = ctx.profile.subject.hard_max_length
    for line, text in masked_lines:
        reported = set()
        # Two more columns must not push the subject over its hard limit:
        # then the author chooses (drop a word, or keep the name bare).
        room = line.number != subject_line or len(line.text) + 2 <= hard_limit
        for match in _FUNCTION_CONTEXT.finditer(text):
            name = match.group("before") or match.group("after")
            start = match.start("before") if match.group("before") else match.start("after")
            end = start + len(name)
            if _followed_by_data_word(text, end) or _preceded_by_type_word(text, start):
                continue
            if name.rsplit("_", 1)[-1] in _TABLE_SUFFIXES:
                continue  # "the kvm_x86_ops callback" names the table, not a function.
            if match.group("after") is None and not _reads_as_function(match.group(0), name):
                continue
            reported.add(start)
            # The surrounding words suggest a function; only the diff, the
            # repository or the message itself proves it.
            yield Hit(
                line.number,
                start + 1,
                f"write the function as {name}()",
                fix=_parens_fix(line.number, end + 1, name, safe=room and name in called),
            )
        if not called:
            continue
        for match in _IDENTIFIER.finditer(text):
            name = match.group(1)
            if name not in called or match.start() in reported:
                continue
            if _followed_by_data_word(text, match.end()):
                continue
            # A name alone on its line is a symbol list (a trace), not prose:
            # point at it, but never edit it unasked.
            alone = line.text.strip() == name
            yield Hit(
                line.number,
                match.start() + 1,
                f"write the function as {name}() (it is a function: the message, the "
                "diff or the repository calls it so)",
                fix=_parens_fix(line.number, match.end() + 1, name, safe=room and not alone),
            )


def _reads_as_function(context: str, name: str) -> bool:
    """Whether the word before ``name`` makes it a function by itself.

    "in foo" and "use foo" also precede structs, variables and tests ("in
    kvm_arch_vcpu", "use enable_ept", "in dirty_log_test"): there, only a
    name shaped like a kernel function counts, three or more parts of which
    one is a verb ("kvm_lapic_reg_read", "svm_clear_vintr") and the last
    no state ("nested_run_pending").
    """
    word = context.split(None, 1)[0].lower()
    if word not in ("in", "use", "uses"):
        return True
    parts = name.split("_")
    if len(parts) < 3 or not all(parts) or parts[-1] in _NOT_FUNCTION_SUFFIXES:
        return False
    if parts[-1].endswith(("ing", "ed")):
        return False  # A state: "nested_run_pending", "vmcb_save_area_cached".
    return any(verb_lemmas(part) and part not in _NOUN_PARTS for part in parts)


def _repo_functions(
    ctx: CheckContext, masked_lines: list[tuple[Line, str]], known: set[str]
) -> set[str]:
    """Names in the prose that the repository's code calls or defines.

    One ``git grep`` for at most :data:`MAX_REPO_LOOKUPS` names, over the
    profile's own paths (KVM's, a few MB) or else the directories of the
    touched files, so a commit-msg hook stays fast.  A change whose diff is
    known (a patch, a commit under review) is judged by its diff alone: a
    grep per commit would make reviewing a range crawl.
    """
    if ctx.diff is not None:
        return set()
    names: list[str] = []
    for _, text in masked_lines:
        for match in _IDENTIFIER.finditer(text):
            name = match.group(1)
            # A name longer than any kernel identifier is no function, and
            # a huge pattern costs git's regex engine more than it is worth.
            if name not in known and name not in names and len(name) <= MAX_NAME_LENGTH:
                names.append(name)
    pathspecs = _code_pathspecs(ctx)
    if not names or not pathspecs:
        return set()
    names = names[:MAX_REPO_LOOKUPS]
    pattern = "(^|[^A-Za-z0-9_])(" + "|".join(names) + ")[[:space:]]*\\("
    if ctx.repo is None:
        return set()
    output = ctx.repo.try_git("grep", "-h", "-o", "-I", "-E", "-e", pattern, "--", *pathspecs)
    if not output:
        return set()  # No match (git grep exits 1), or no work tree.
    return set(_SNAKE_WORD.findall(output)).intersection(names)


def _code_pathspecs(ctx: CheckContext) -> list[str]:
    """Where to look for functions: the profile's paths, else the touched files' directories."""
    paths = ctx.profile.selection.paths
    if paths:
        # "include/linux/kvm" names a file prefix: kvm_host.h, kvm_types.h.
        return [path if path.endswith("/") else f":(glob){path}*" for path in paths]
    directories = {path.rsplit("/", 1)[0] + "/" for path in ctx.files or () if "/" in path}
    return sorted(directories)


def _parens_fix(line: int, column: int, name: str, *, safe: bool) -> Fix:
    return Fix.replace(line, column, "", "()", safe=safe, description=f"write {name}()")


_QUOTES_AND_URLS = lazy(r"`[^`]*`|\"[^\"]*\"|https?://\S+")


def _mask_quotes(text: str) -> str:
    return _QUOTES_AND_URLS.sub(_blank, text)


def _followed_by_data_word(text: str, end: int) -> bool:
    following = _NEXT_WORD.match(text, end)
    return following is not None and following.group(1).strip(".,;:").lower() in _DATA_WORDS


def _preceded_by_type_word(text: str, start: int) -> bool:
    # Only the few characters before the name: a bounded look, not a scan.
    before = _PREVIOUS_WORD.search(text[max(0, start - 16) : start])
    return before is not None and before.group(1).lower() in _TYPE_WORDS


_DIFF_FUNCTION = lazy(rf"^[+\- @].*?\b(?=({_SNAKE}))\1\s*\(", re.MULTILINE)


def _diff_functions(diff: str) -> set[str]:
    """Functions the diff defines or calls (C call syntax, snake_case)."""
    keywords = {"if", "for", "while", "switch", "return", "sizeof", "defined"}
    return {name for name in _DIFF_FUNCTION.findall(diff) if name not in keywords}


@rule(
    "body-manual-reference",
    severity="warning",
    group="body",
    summary="SDM/APM sections, tables and figures are named, not numbered.",
    rationale=(
        '"Do not reference specific sections, tables, figures, etc. by number, especially '
        "not in comments.  Instead, if necessary (see below), copy-paste the relevant "
        "snippet and reference sections/tables/figures by name.  The layouts of the SDM "
        "and APM are constantly changing, and so the numbers/labels aren't stable.\" "
        f"({HANDBOOK}, SDM and APM References)"
    ),
    bad="Per SDM section 27.3.4, the VMCS link pointer must be all ones.",
    good='Per the SDM\'s "Checks on Guest Non-Register State", the VMCS link pointer must be all ones.',
)
def body_manual_reference(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    patterns = manual_patterns(ctx.profile)
    located = patterns.located
    for paragraph in message.paragraphs:
        prose = [b for b in paragraph.blocks if b.is_prose or b.kind == "indented"]
        if not any(patterns.mentions_manual(b.text) for b in prose):
            continue
        for block in prose:
            for line in block.lines:
                text = _URL.sub(lambda m: " " * len(m.group(0)), line.text)
                match = located.search(text)
                if match:
                    yield Hit(
                        line.number,
                        match.start() + 1,
                        f'"{match.group(0)}" refers to the manual by number; '
                        "name the section, table or figure instead (numbers change "
                        "between revisions)",
                    )


# What compilers, sparse, checkpatch, coccinelle and linkers print: a
# "file:line:" location, or the tool's own name or verdict first.
_TOOL_OUTPUT = lazy(
    r"^\s*(?:(?P<file>[^\s:]+):\d+[:,]|In file included from |"
    r"(?:ld(?:\.lld)?|make(?:\[\d+\])?|cc1|gcc|clang|objtool|modpost|sparse|smatch)"
    r"(?::| warnings?:)|(?:ERROR|CHECK|WARNING|error|warning|note|sparse|smatch): )"
)


def is_tool_output(text: str) -> bool:
    """True for a line a tool printed (``./tools/.../foo.c:169:32: WARNING: ...``)."""
    match = _TOOL_OUTPUT.match(text)
    if match is None:
        return False
    path = match.group("file")
    # "Note:12," is prose; a location names a file.
    return path is None or "." in path or "/" in path


def _offered_only(fix: Fix | None) -> Fix | None:
    """``fix`` offered on request, never applied by ``--fix``: a line the
    handbook allows needs no rewrap behind the author's back."""
    return None if fix is None else Fix(fix.edits, safe=False, description=fix.description)


@rule(
    "body-line-length",
    severity="warning",
    group="body",
    summary=(
        "Changelog prose wraps at 75 columns, 80 with a good reason (URLs, logs, tool "
        "output, quotes and trailers are exempt)."
    ),
    rationale=(
        '"The body of the explanation, line wrapped at 75 columns" (submitting-patches.rst, '
        "The canonical patch format)."
    ),
    bad="Skip reloading the PDPTRs on CR0 writes that do not toggle CR0.PG, as the reload is pointless.",
    good="Skip reloading the PDPTRs on CR0 writes that do not toggle CR0.PG, as\nthe reload is pointless.",
)
def body_line_length(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    limit = ctx.profile.body.max_line_length
    hard_limit = max(limit, ctx.profile.body.hard_line_length)
    for block in message.prose_blocks:
        for line in block.lines:
            if len(line.text) <= limit:
                continue
            if _URL.search(line.text) or is_tag_line(line.text):
                continue  # Tags are exempt from wrapping (submitting-patches).
            # One unbreakable token (a path, an identifier) cannot be wrapped.
            if len(line.text.split()) <= 1:
                continue
            if is_tool_output(line.text):
                continue  # Pasted output is quoted as the tool printed it.
            length = len(line.text)
            if length <= hard_limit:
                yield Hit(
                    line.number,
                    limit + 1,
                    f"line is {length} columns; {limit} is the norm, up to {hard_limit} "
                    "is fine with a good reason",
                    severity=Severity.INFO,
                    fix=_offered_only(_fixers().rewrap(block, line.number, limit)),
                )
                continue
            yield Hit(
                line.number,
                limit + 1,
                f"line is {length} columns; wrap changelog prose at {limit}",
                fix=_fixers().rewrap(block, line.number, limit),
            )


_VERSION_NOTE = lazy(
    r"^\s*(?:[-*]\s*)?(?:v\d+(?:\s*(?:->|→|to)\s*v\d+)?\s*[:\-]|"
    r"changes?\s+(?:since|from|in|vs\.?|for)\s+v\d+|changelog\s*(?:v\d+)?\s*:|"
    r"since\s+v\d+\s*:|(?:link\s+to\s+)?(?:previous\s+version|v\d+)(?:\s*:)?\s*https?://|"
    r"changes\s+in\s+v\d+)",
    re.IGNORECASE,
)


# "#v2", or a version number followed by "previous"/"earlier".  Read from
# the first version number only (atomically): a later one adds nothing, and
# retrying each costs quadratic time.
_EARLIER_VERSION_LINK = lazy(
    r"#\s*v\d+\b|^(?=(.*?\bv\d+\b))\1.*(?:previous|earlier)", re.IGNORECASE
)


@rule(
    "body-version-notes",
    severity="warning",
    group="body",
    summary="Version history and links to earlier versions go below the `---` line.",
    rationale=(
        '"For referencing previous version(s), generally speaking do not include a Link: '
        "in the changelog as there is no need to record the history in git, i.e. put the "
        f'link in the cover letter or in the section git ignores." ({HANDBOOK}, Links)'
    ),
    bad="Add ...\n\nv2: Drop the WARN (Sean)\n\nSigned-off-by: Ada Tester <ada@example.org>",
    good="Add ...\n\nSigned-off-by: Ada Tester <ada@example.org>\n---\nv2: Drop the WARN (Sean)",
)
def body_version_notes(message: Message, ctx: CheckContext) -> Iterator[Hit]:
    if ctx.cover:
        return  # A cover letter is where the version history belongs.
    for paragraph in message.paragraphs:
        for line in paragraph.lines:
            if _VERSION_NOTE.match(line.text):
                yield Hit(
                    line.number,
                    1,
                    "version history above the '---' line ends up in git; move it "
                    "below '---' or into the cover letter",
                    fix=_fixers().move_version_notes(
                        message, line.number, lambda text: bool(_VERSION_NOTE.match(text))
                    ),
                )
                return
    for trailer in message.trailers:
        if trailer.name == "link" and _EARLIER_VERSION_LINK.search(trailer.value):
            yield Hit(
                trailer.line,
                trailer.value_column,
                "a Link: to an earlier version belongs in the cover letter or below '---'",
            )
