"""Grammar in the drafting app: a worker against a real local LanguageTool look-alike."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.ltserver import LTServer, dead_url

from .conftest import choose_topic, settle
from .test_drafting_flow import SIZE, type_text


@pytest.fixture(autouse=True)
def _user_config_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


def configure(repo, url: str, timeout: float = 2) -> None:
    # Only the user's own config may name a server (a repository's cannot).
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "kvmwriter" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[grammar]\nmode = "server"\nserver = "{url}"\ntimeout = {timeout}\n')


def title(app) -> str:
    return str(app.query_one("#lint-title", Static).render())


async def test_lint_panel_shows_grammar_findings_from_the_configured_server(demo_repo, make_app):
    server = LTServer().start()
    try:
        configure(demo_repo, server.url)
        app = make_app(demo_repo)
        async with app.run_test(size=SIZE) as pilot:
            await choose_topic(pilot, "KVM: x86:")
            await type_text(pilot, "Fix a errors in the checks")
            await settle(pilot)
            grammar = [f for f in app.findings if f.rule == "grammar"]
            assert [(f.line, f.column) for f in grammar] == [(1, 15)]
            assert "[A_PLURAL]" in grammar[0].message
            assert "grammar:" not in title(app)
            # Only prose went out: the subject's summary, not its prefix.
            assert "Fix a errors in the checks" in server.texts
            assert not any("KVM: x86:" in text for text in server.texts)
    finally:
        server.stop()


async def test_dead_server_becomes_the_panel_status_and_rules_still_lint(demo_repo, make_app):
    configure(demo_repo, dead_url())
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await choose_topic(pilot, "KVM: x86:")
        await type_text(pilot, "Fix checks.")
        await settle(pilot)
        assert "grammar: server not answering" in title(app)
        assert "subject-trailing-punctuation" in {f.rule for f in app.findings}


async def test_typing_cancels_a_slow_grammar_check(demo_repo, make_app):
    server = LTServer("slow-once", delay=30).start()
    try:
        configure(demo_repo, server.url, timeout=20)
        app = make_app(demo_repo)
        async with app.run_test(size=SIZE) as pilot:
            await choose_topic(pilot, "KVM: x86:")
            await type_text(pilot, "Fix the checks")
            await pilot.pause(0.4)
            assert server.requests  # the check is in flight
            started = time.monotonic()
            await type_text(pilot, " again")
            await settle(pilot)
            # The first, slow check did not hold the new one up for its timeout.
            assert time.monotonic() - started < 10
            assert "Fix the checks again" in server.texts
            assert "grammar:" not in title(app)
    finally:
        server.stop()
