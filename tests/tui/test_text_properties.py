"""Property: any text, typed or read, shows as the text it is on every screen.

Hypothesis generates strings of brackets, Textual's action and link markup
and control characters; each example fills every field of the drafting
and cover apps (and a commit for the review app), visits every step and
dialog, and reads the screen back.  Example counts stay small: each one
runs a real app.
"""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from textual.widgets import Input, TextArea

from kvmwriter.compose.session import open_session
from kvmwriter.text.terminal import CONTROL_CODES, pictured, visible_line
from kvmwriter.tui.drafting.app import DraftApp
from tests.conftest import git
from tests.screen import raw_controls, screen_text

from .conftest import settle, wait_for_workers
from .test_cover_flow import open_cover, series_repo

SIZE = (220, 60)
FRAGMENTS = [
    "[",
    "]",
    "[/]",
    "[@click=app.quit]",
    "[link=https://x.org]",
    "[/link]",
    "[bold]",
    "[b]x[/b]",
    "msrs[i]",
    "CPUID[EAX=7,ECX=0]",
    "\\",
    "$var",
    "\x1b[2J",
    "\x1b]52;c;aGk=\x07",
    "\x9b31m",
    "\x7f",
    "\r",
    "\x00",
    "\x08",
]
#: Ordinary characters (one of them wide) and every control character but
#: the tab and newline, which keep their layout meaning.
ALPHABET = st.sampled_from(
    [*"abcXYZ019 ,.:;()-_/=@é漢ß", *(chr(code) for code in CONTROL_CODES if code not in (9, 10))]
)
#: One line of hostile text, short enough to show on one screen row.
LINES = (
    st.lists(
        st.one_of(st.sampled_from(FRAGMENTS), st.text(ALPHABET, max_size=4)), min_size=1, max_size=5
    )
    .map("".join)
    .filter(lambda s: s.strip())
)
REPOS = itertools.count()
#: Shrinking would rerun a whole app per step: report the example as found.
PROPERTY = settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def assert_clean(app) -> str:
    shown = screen_text(app)
    assert not raw_controls(shown), raw_controls(shown)
    return shown


def edited(text: str) -> list[str]:
    """What an editor shows of ``text``: its lines (a TextArea breaks lines
    where ``str.splitlines`` does), each control character pictured."""
    return [pictured(line) for line in text.splitlines() if line]


def shows(shown: str, text: str) -> bool:
    return all(line in shown for line in edited(text))


def fill(app, field: str, text: str) -> None:
    widget = app.query_one(f"#{field}")
    if isinstance(widget, TextArea):
        widget.load_text(text)
    else:
        assert isinstance(widget, Input)
        widget.value = text


@PROPERTY
@given(summary=LINES, what=LINES, notes=LINES, tag=LINES)
def test_drafting_app_shows_any_text_as_typed(demo_repo, summary, what, notes, tag):
    async def run() -> None:
        app = DraftApp(open_session(demo_repo), store=None, autosave_delay=0.1)
        async with app.run_test(size=SIZE) as pilot:
            fill(app, "summary", summary)
            await settle(pilot)
            shown = assert_clean(app)
            assert pictured(summary) in shown
            assert visible_line(app.session.draft.subject) in shown
            await pilot.press("f3")
            fill(app, "what", what)
            fill(app, "why", tag)
            await settle(pilot)
            shown = assert_clean(app)
            assert shows(shown, what) and shows(shown, tag)
            await pilot.press("f4")
            fill(app, "link", tag)
            fill(app, "extra_trailers", f"Acked-by: {tag}")
            fill(app, "fixes-search", tag)
            await settle(pilot)
            shown = assert_clean(app)
            assert shows(shown, tag)
            await pilot.press("f5")
            fill(app, "testing_notes", notes)
            await settle(pilot)
            shown = assert_clean(app)
            assert shows(shown, notes)
            await pilot.press("f6")
            await settle(pilot)
            shown = assert_clean(app)
            for line in app.session.message().splitlines()[:20]:
                assert visible_line(line) in shown, line
            for key in ("f1", "f1", "s"):  # help opens and closes; s opens the save dialog
                await pilot.press(key)
                await settle(pilot)
                assert_clean(app)
            assert app.is_running

    asyncio.run(run())


@pytest.fixture
def cover_repo(make_repo) -> Path:
    return series_repo(make_repo)


@PROPERTY
@given(summary=LINES, what=LINES, notes=LINES, change=LINES)
def test_cover_app_shows_any_text_as_typed(cover_repo, tmp_path, summary, what, notes, change):
    from kvmwriter.tui.cover.app import CoverApp

    async def run() -> None:
        session = open_cover(cover_repo, tmp_path / "cover.txt")
        app = CoverApp(session, store=None, autosave_delay=0.1)
        async with app.run_test(size=SIZE) as pilot:
            fill(app, "summary", summary)
            fill(app, "prefix", f"KVM: {change}:")
            await settle(pilot)
            shown = assert_clean(app)
            assert pictured(summary) in shown
            assert visible_line(session.draft.subject) in shown
            await pilot.press("f3")
            fill(app, "what", what)
            fill(app, "background", notes)
            await settle(pilot)
            shown = assert_clean(app)
            assert shows(shown, what) and shows(shown, notes)
            await pilot.press("f4")
            fill(app, "testing_notes", notes)
            await settle(pilot)
            assert shows(assert_clean(app), notes)
            await pilot.press("f5")
            fill(app, "changes", f"- {change}")
            await settle(pilot)
            assert shows(assert_clean(app), change)
            await pilot.press("f6")
            await settle(pilot)
            shown = assert_clean(app)
            assert visible_line(session.draft.subject) in shown
            await pilot.press("f1")
            await settle(pilot)
            assert_clean(app)
            assert app.is_running

    asyncio.run(run())


@PROPERTY
@given(subject=LINES, body=LINES, author=LINES)
def test_review_app_shows_any_commit_as_written(make_repo, subject, body, author):
    from kvmwriter.git.repo import Repository
    from kvmwriter.lint.engine import Linter
    from kvmwriter.review.model import ReviewSource
    from kvmwriter.tui.review.app import ReviewApp

    # Git keeps neither NUL in a message nor surrounding blanks in a subject.
    subject, body = subject.replace("\x00", "").strip(), body.replace("\x00", "")
    author = "".join(ch for ch in author if ch not in "\x00<>\n").strip(" .,:;'\"") or "A"
    repo = make_repo(f"r{next(REPOS)}")
    (repo / "a.c").write_text("a\n")
    git(repo, "add", "a.c")
    git(repo, "commit", "-q", "-m", "Initial commit")
    git(repo, "tag", "base")
    (repo / "a.c").write_text("b\n")
    git(repo, "add", "a.c")
    git(
        repo,
        "commit",
        "-q",
        "--cleanup=verbatim",
        f"--author={author} <a@example.org>",
        "-F",
        "-",
        input=f"{subject or 'x'}\n\n{body}\n",
    )

    async def run() -> None:
        app = ReviewApp(ReviewSource(Repository.discover(repo), "base..HEAD"), Linter.from_config())
        async with app.run_test(size=SIZE) as pilot:
            await wait_for_workers(pilot)
            await wait_for_workers(pilot)
            shown = assert_clean(app)
            entry = app.screen.review.entries[0]
            for line in entry.text.split("\n"):
                assert visible_line(line) in shown, line
            assert app.is_running

    asyncio.run(run())
