"""Snapshot of the review screen (update with --snapshot-update after a
deliberate change of the layout, then look at the SVG)."""

from __future__ import annotations

from collections.abc import Iterator

from kvmwriter.git.repo import Repository
from kvmwriter.lint.engine import Linter
from kvmwriter.lint.findings import Hit, Severity
from kvmwriter.lint.profile import load_profile
from kvmwriter.lint.rules import Rule
from kvmwriter.review.model import ReviewSource
from kvmwriter.text.message import Message
from kvmwriter.tui.review.app import ReviewApp

from .helpers import workers_done


def _past_tense(message: Message, ctx) -> Iterator[Hit]:
    subject = message.subject
    if subject is not None and subject.summary.split()[:1] == ["Fixed"]:
        yield Hit(subject.line, subject.summary_column, "summary is in the past tense")


def _period(message: Message, ctx) -> Iterator[Hit]:
    subject = message.subject
    if subject is not None and subject.text.endswith("."):
        yield Hit(subject.line, len(subject.text), "subject ends with a period")


def _rule(name: str, severity: Severity, check) -> Rule:
    return Rule(
        name=name,
        severity=severity,
        summary=name,
        rationale="",
        bad="",
        good="",
        group="subject",
        check=check,
    )


def snapshot_linter() -> Linter:
    """Two fixed rules, so the picture does not change when the catalog grows."""
    return Linter(
        profile=load_profile(),
        rules=(
            _rule("test-past-tense", Severity.ERROR, _past_tense),
            _rule("test-period", Severity.WARNING, _period),
        ),
    )


async def _wait_and_select_second(pilot) -> None:
    await workers_done(pilot)
    await pilot.pause()
    await pilot.press("down")
    await pilot.pause()


def test_review_screen_snapshot_shows_counts_and_inline_findings(series_repo, snap_compare):
    app = ReviewApp(ReviewSource(Repository.discover(series_repo), "base..HEAD"), snapshot_linter())
    assert snap_compare(app, terminal_size=(110, 24), run_before=_wait_and_select_second)


async def _open_reword_editor(pilot) -> None:
    from kvmwriter.tui.review.reword_screen import RewordScreen

    await _wait_and_select_second(pilot)
    await pilot.press("r")
    while not isinstance(pilot.app.screen, RewordScreen):
        await workers_done(pilot)
        await pilot.pause(0.02)
    pilot.app.screen.query_one("#reword-editor").cursor_blink = False
    await pilot.pause()


def test_reword_editor_snapshot_shows_message_and_live_findings(series_repo, snap_compare):
    app = ReviewApp(ReviewSource(Repository.discover(series_repo), "base..HEAD"), snapshot_linter())
    assert snap_compare(app, terminal_size=(110, 30), run_before=_open_reword_editor)
