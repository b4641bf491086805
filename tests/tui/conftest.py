"""Fixtures for the drafting app: the demo repository and the app on it."""

from __future__ import annotations

import asyncio
import inspect
import time
from pathlib import Path

import pytest

from kvmwriter.compose.demo import build_demo
from kvmwriter.compose.session import open_session
from kvmwriter.tui.drafting.app import DraftApp, session_store


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run ``async def`` tests (Pilot scenarios) in a fresh event loop."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


@pytest.fixture(autouse=True)
def _no_clipboard_tool(monkeypatch):
    # Run as over SSH: no display, so pyperclip finds no clipboard tool.
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)


@pytest.fixture
def demo_repo(tmp_path) -> Path:
    """The demo repository: KVM-like history and a staged nVMX fix."""
    return build_demo(tmp_path / "linux")


@pytest.fixture
def make_app():
    def create(path: Path, amend: bool = False, store: bool = True) -> DraftApp:
        session = open_session(path, amend=amend)
        return DraftApp(
            session, store=session_store(session) if store else None, autosave_delay=0.1
        )

    return create


async def choose_topic(pilot, prefix: str) -> None:
    """Highlight ``prefix`` in the topic list with the keyboard and pick it."""
    from textual.widgets import OptionList

    topics = pilot.app.query_one("#topics", OptionList)
    topics.focus()
    await pilot.pause()
    ids = [topics.get_option_at_index(i).id for i in range(topics.option_count)]
    target = ids.index(prefix)
    await pilot.press("home")
    for _ in range(target):
        await pilot.press("down")
    await pilot.press("enter")


async def wait_for_exit(pilot, timeout: float = 15) -> None:
    """Wait until the app has an outcome (a commit runs git in a worker)."""
    import time

    deadline = time.monotonic() + timeout
    while pilot.app.return_value is None and time.monotonic() < deadline:
        await asyncio.sleep(0.02)


async def wait_for_workers(pilot, limit: float = 30) -> None:
    """Wait until every worker has finished, cancelled ones included.

    Poll rather than ``workers.wait_for_complete()``, which raises
    WorkerCancelled when a superseded lint run is among those awaited: a
    timing-dependent failure under load.
    """
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if all(worker.is_finished for worker in pilot.app.workers):
            break
        await pilot.pause(0.05)
    await pilot.pause()


async def until_screen(pilot, name: str, *, shown: bool = True, limit: float = 10) -> None:
    """Let the app run until its screen is (or, ``shown=False``, is not) ``name``.

    Opening a screen can import what it shows (help imports Markdown on
    first use): on a loaded machine one pause is not always enough.
    """
    deadline = time.monotonic() + limit
    while (type(pilot.app.screen).__name__ == name) != shown:
        assert time.monotonic() < deadline, f"screen {name} {'not ' if shown else ''}shown"
        await pilot.pause(0.05)


async def settle(pilot, limit: float = 30) -> None:
    """Wait for pending lint runs (debounced) and workers to finish."""
    await pilot.pause(0.2)
    await wait_for_workers(pilot, limit)
