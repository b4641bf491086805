"""The review app shows a hostile series as text: no markup, no terminal control."""

from __future__ import annotations

from kvmwriter.git.repo import Repository
from kvmwriter.lint.engine import Linter
from kvmwriter.review.model import ReviewSource
from kvmwriter.tui.review.app import ReviewApp
from tests.conftest import git
from tests.screen import raw_controls, screen_text

from .helpers import commit_file, open_editor, run_async, settle

SUBJECT = "KVM: x86: Fixed CPUID[EAX=7,ECX=0] [@click=app.quit]q[/] \x1b[2Jnow\x9b31m"
AUTHOR = "Ada \x1b]52;c;aGk=\x07 [bold]Tester[/bold]"


def hostile_repo(make_repo):
    repo = make_repo()
    commit_file(repo, "README", "base\n", "Initial commit\n")
    git(repo, "tag", "base")
    (repo / "a.c").write_text("a\n")
    git(repo, "add", "a.c")
    git(
        repo,
        "commit",
        "-q",
        f"--author={AUTHOR} <ada@example.org>",
        "-F",
        "-",
        input=f"{SUBJECT}\n\nSet msrs[i] [link=https://x.org]here[/link]\x1b[31m.\n",
    )
    return repo


def make_app(path) -> ReviewApp:
    source = ReviewSource(Repository.discover(path), "base..HEAD")
    return ReviewApp(source, Linter.from_config())


@run_async
async def test_review_app_shows_markup_and_escapes_literally(make_repo):
    app = make_app(hostile_repo(make_repo))
    async with app.run_test(size=(220, 40)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert not raw_controls(shown), raw_controls(shown)
        assert "Fixed CPUID[EAX=7,ECX=0] [@click=app.quit]q[/] \\x1b[2Jnow\\x9b31m" in shown
        assert "Author: Ada \\x1b]52;c;aGk=\\x07 [bold]Tester[/bold]" in shown
        assert "Set msrs[i] [link=https://x.org]here[/link]\\x1b[31m." in shown
        row = next(line for line in shown.splitlines() if "[@click=app.quit]" in line)
        await pilot.click("#entries", offset=(row.index("[@click") - 1, 1))
        await pilot.pause()
        assert app.is_running and app.return_value is None


@run_async
async def test_reword_editor_pictures_control_characters(make_repo):
    app = make_app(hostile_repo(make_repo))
    async with app.run_test(size=(220, 40)) as pilot:
        await settle(pilot)
        await open_editor(pilot)
        shown = screen_text(app)
        assert not raw_controls(shown), raw_controls(shown)
        assert "[@click=app.quit]q[/] \u241b[2Jnow" in shown
        assert "\\x1b[2Jnow" in shown  # the dialog's title line escapes it
