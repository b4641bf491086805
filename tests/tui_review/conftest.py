"""Fixtures for the review app tests: a small series in a real repository."""

from __future__ import annotations

import pytest

from tests.conftest import git

from .helpers import commit_file

#: Rules whose names are a public interface; the test does not depend on
#: what other rules the catalog grows.
RULES = ("subject-mood", "subject-trailing-punctuation", "subject-capitalization")

CLEAN = "KVM: x86: Add the base\n\nAdd the base that later patches build on.\n"
BAD = "KVM: x86: Fixed the thing.\n\nMake the thing work again.\n"
WARN = "KVM: x86: add the helper\n\nAdd a helper for the next patch.\n"


@pytest.fixture
def series_repo(make_repo, monkeypatch):
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
    repo = make_repo()
    commit_file(repo, "README", "base\n", "Initial commit\n")
    git(repo, "tag", "base")
    commit_file(repo, "a.c", "a\n", CLEAN)
    commit_file(repo, "b.c", "b\n", BAD)
    commit_file(repo, "c.c", "c\n", WARN)
    return repo
