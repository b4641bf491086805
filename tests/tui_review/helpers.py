"""Build small real repositories for reword and review tests."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from tests.conftest import commit_file, git  # noqa: F401 (commit_file: for the tests here)


def message_of(repo: Path, rev: str) -> str:
    return git(repo, "show", "-s", "--format=%B", rev).rstrip("\n")


def tree_of(repo: Path, rev: str) -> str:
    return git(repo, "rev-parse", f"{rev}^{{tree}}").strip()


def install_hook(repo: Path, name: str, body: str) -> None:
    hook = repo / ".git" / "hooks" / name
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    hook.chmod(0o755)


def run_async(test):
    """Run an async test on a fresh event loop (no asyncio plugin is installed)."""
    import asyncio
    import functools

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return wrapper


async def workers_done(pilot, limit: float = 30) -> None:
    """Wait until every worker has finished, cancelled ones included.

    Poll rather than ``workers.wait_for_complete()``, which raises
    WorkerCancelled when a superseded run is among those awaited.
    """
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while loop.time() < deadline:
        if all(worker.is_finished for worker in pilot.app.workers):
            return
        await pilot.pause(0.02)


async def settle(pilot) -> None:
    await workers_done(pilot)
    await pilot.pause()
    await workers_done(pilot)
    await pilot.pause()


def rows(app) -> list[str]:
    commits = app.screen.query_one("#entries")
    return [str(commits.get_option_at_index(i).prompt) for i in range(commits.option_count)]


def shown(app) -> str:
    """The message pane as plain text, as a 120-column terminal shows it."""
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(app.screen.query_one("#message-body").content)
    return console.export_text()


async def until(pilot, predicate, timeout: float = 10.0) -> None:
    """Let the app run until ``predicate()`` holds (workers run in threads,
    so a fixed pause can end before their results land)."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {predicate.__doc__ or predicate}")
        await workers_done(pilot)
        await pilot.pause(0.02)


async def open_editor(pilot) -> None:
    """Press r and wait for the reword editor to open."""
    from kvmwriter.tui.review.reword_screen import RewordScreen

    await pilot.press("r")
    await until(pilot, lambda: isinstance(pilot.app.screen, RewordScreen))
    await pilot.pause()
