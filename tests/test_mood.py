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


def test_verb_cache_is_built_once_and_reused(tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    first = run_cli("check", "--select", "subject-mood", input=BAD, env=env)
    assert first.returncode == 1 and "subject-mood" in first.stdout
    caches = list((tmp_path / "kvmwriter").glob("verbs-*.marshal"))
    assert len(caches) == 1
    assert marshal.loads(caches[0].read_bytes())["forms"]["fixes"] == ["fix"]
    second = run_cli("check", "--select", "subject-mood", input=BAD, env=env)
    assert second.stdout == first.stdout


def test_corrupt_verb_cache_is_rebuilt(tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    run_cli("check", input=BAD, env=env)
    cache = next((tmp_path / "kvmwriter").glob("verbs-*.marshal"))
    cache.write_bytes(b"\x00not marshal")
    result = run_cli("check", "--select", "subject-mood", input=BAD, env=env)
    assert "subject-mood" in result.stdout
    assert marshal.loads(cache.read_bytes())["forms"]
