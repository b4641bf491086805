"""Patterns compiled on first use act as the compiled pattern."""

from __future__ import annotations

import re

from kvmwriter.text.lazyre import is_compiled, lazy


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
