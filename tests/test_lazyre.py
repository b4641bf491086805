"""Patterns compiled on first use act as the compiled pattern."""

from __future__ import annotations

import re

from kvmwriter.text.lazyre import compile_pending, is_compiled, lazy


def test_lazy_pattern_compiles_on_first_use_and_answers_like_re():
    pattern = lazy(r"(?P<word>gu[e]st)s?", re.IGNORECASE)
    assert not is_compiled(pattern)
    text = "A GUEST and two guests"
    assert pattern.search(text).group("word") == "GUEST"
    assert is_compiled(pattern)
    compiled = re.compile(r"(?P<word>gu[e]st)s?", re.IGNORECASE)
    assert pattern.findall(text) == compiled.findall(text)
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert pattern.sub("x", text) == compiled.sub("x", text)
    assert pattern.split(text) == compiled.split(text)
    assert pattern.match(text) is None and pattern.fullmatch("guests") is not None
    assert pattern.pattern == compiled.pattern and pattern.flags == compiled.flags
    assert pattern.groupindex == compiled.groupindex


def test_an_invalid_pattern_fails_when_first_used():
    pattern = lazy("(")
    try:
        pattern.search("x")
    except re.error:
        pass
    else:
        raise AssertionError("an invalid pattern compiled")


def test_compile_pending_compiles_the_patterns_not_used_yet():
    first, second = lazy(r"vmx?"), lazy(r"svm")
    used = lazy(r"tdx")
    used.search("tdx")
    left = compile_pending(0)  # Counts, compiles none.
    assert left >= 2 and not is_compiled(first) and not is_compiled(second)
    assert compile_pending(1) == left - 1
    assert compile_pending() == 0
    assert is_compiled(first) and is_compiled(second) and first.search("vm")


def test_compile_pending_skips_an_invalid_pattern_and_forgets_dropped_ones():
    bad = lazy("(")
    compile_pending()  # No error: the pattern's first real use reports it.
    try:
        bad.search("x")
    except re.error:
        pass
    else:
        raise AssertionError("an invalid pattern compiled")
    import gc

    lazy("never used")
    gc.collect()
    assert compile_pending(0) == 0  # The dropped pattern is not kept alive.
