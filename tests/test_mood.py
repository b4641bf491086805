"""Imperative-mood detection and its per-user verb cache."""

from __future__ import annotations

import marshal

from kvmwriter.lint.mood import MoodChecker
from kvmwriter.lint.profile import load_profile
from tests.conftest import run_cli

BAD = "KVM: x86: Fixes the reload\n\nFix it.\n\nSigned-off-by: A B <a@b.org>\n"


def test_mood_checker_reports_form_and_base():
    verdict = MoodChecker(load_profile()).judge("Added support for PEBS")
    assert (verdict.form, verdict.base) == ("past", "add")
    assert 'use the imperative "Add"' in verdict.describe()


def test_mood_checker_skips_leading_adverbs():
    checker = MoodChecker(load_profile())
    assert checker.judge("Explicitly clear the bit") is None
    assert checker.judge("Explicitly clears the bit").word == "clears"


def lexicon_entry(cache, word: str):
    """A word's entry in the cached lexicon's shards."""
    from kvmwriter.lint.cache import shard_of

    return marshal.loads(marshal.loads(cache.read_bytes())[shard_of(word)]).get(word)


def test_verb_cache_is_built_once_and_reused(tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    first = run_cli("check", "--select", "subject-mood", input=BAD, env=env)
    assert first.returncode == 1 and "subject-mood" in first.stdout
    caches = list((tmp_path / "kvmwriter").glob("lexicon-*.marshal"))
    assert len(caches) == 1
    assert lexicon_entry(caches[0], "fixes") == (("fix",), False, "")
    second = run_cli("check", "--select", "subject-mood", input=BAD, env=env)
    assert second.stdout == first.stdout


def test_corrupt_verb_cache_is_rebuilt(tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    run_cli("check", input=BAD, env=env)
    cache = next((tmp_path / "kvmwriter").glob("lexicon-*.marshal"))
    cache.write_bytes(b"\x00not marshal")
    result = run_cli("check", "--select", "subject-mood", input=BAD, env=env)
    assert "subject-mood" in result.stdout
    assert lexicon_entry(cache, "fixes") == (("fix",), False, "")


def test_lexicon_answers_as_lemminflect_does():
    from kvmwriter.lint.mood import is_base_verb, non_verb_kind, verb_lemmas

    assert verb_lemmas("fixes") == ("fix",) and verb_lemmas("fix") == ("fix",)
    assert verb_lemmas("abstractions") == () and verb_lemmas("qwzx") == ()
    assert is_base_verb("fix") and not is_base_verb("fixes")
    assert non_verb_kind("abstractions") == "noun" and non_verb_kind("explicitly") == "adverb"
    assert non_verb_kind("fix") is None and non_verb_kind("qwzx") is None


def test_a_summary_decodes_only_the_lexicon_shards_it_needs():
    from kvmwriter.lint.cache import SHARDS
    from kvmwriter.lint.mood import _lexicon

    _lexicon.cache_clear()
    verdict = MoodChecker(load_profile()).judge_summary("Fixes the reload of the PDPTRs")
    assert verdict is not None and verdict.base == "fix"
    assert 0 < _lexicon().decoded <= 4 < SHARDS
