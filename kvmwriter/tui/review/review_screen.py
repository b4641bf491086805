"""The series review: entries on the left, the chosen message on the right."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.worker import get_current_worker

from kvmwriter.git.repo import RepoError, Repository
from kvmwriter.git.reword import RewordError, RewordResult, check_reword, reword_commit
from kvmwriter.lint.engine import Linter
from kvmwriter.review.model import (
    ReviewedSeries,
    ReviewEntry,
    ReviewSource,
    follow_rewrite,
    load_review,
)
from kvmwriter.review.series import SeriesError
from kvmwriter.tui.plain import plain
from kvmwriter.tui.review.render import summary_text
from kvmwriter.tui.review.reword_screen import RewordScreen
from kvmwriter.tui.review.widgets import EntryList, MessageView


class ReviewScreen(Screen):
    BINDINGS = [
        Binding("r", "reword", "Reword"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, source: ReviewSource, linter: Linter) -> None:
        super().__init__()
        self.source = source
        self.linter = linter
        self.review: ReviewedSeries | None = None
        self.busy = False
        #: Edited messages git has not taken yet, by commit sha.
        self.drafts: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static("Loading…", id="summary")
        with Horizontal(id="panes"):
            yield EntryList(id="entries")
            yield MessageView(id="message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(EntryList).border_title = "Commits" if self.source.range else "Patches"
        self.query_one(MessageView).border_title = "Message"
        self.query_one(EntryList).focus()
        self.reload()

    # -- loading ----------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def reload(self, select_sha: str | None = None, select_index: int = 0) -> None:
        try:
            review = load_review(self.source, self.linter)
        except (RepoError, SeriesError) as error:
            self.app.call_from_thread(self._load_failed, str(error))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._loaded, review, select_sha, select_index)

    def _load_failed(self, reason: str) -> None:
        self.busy = False
        self.query_one("#summary", Static).update(plain(f"kvmwriter: {reason}", style="bold red"))

    def _loaded(self, review: ReviewedSeries, select_sha: str | None, index: int) -> None:
        self.review = review
        self.busy = False
        if select_sha is not None:
            found = review.index_of(select_sha)
            index = found if found is not None else index
        self.query_one("#summary", Static).update(summary_text(review))
        self.query_one(EntryList).show(review, index)
        if not review.entries:
            self.query_one(MessageView).show(None)

    # -- selection ------------------------------------------------------

    @property
    def selected(self) -> ReviewEntry | None:
        if self.review is None:
            return None
        index = self.query_one(EntryList).highlighted
        if index is None or not 0 <= index < len(self.review.entries):
            return None
        return self.review.entries[index]

    @on(OptionList.OptionHighlighted, "#entries")
    @on(OptionList.OptionSelected, "#entries")
    def show_selected(self) -> None:
        self.query_one(MessageView).show(self.selected)

    # -- reword ---------------------------------------------------------

    def action_reword(self) -> None:
        entry = self.selected
        if entry is None:
            return
        if not self.source.can_reword or not entry.rewordable:
            what = "the series row" if entry.is_series else "a patch read from a file"
            self.notify(f"Only commits can be reworded, not {what}.", severity="warning")
            return
        if self.busy:
            self.notify("A reword is still running.", severity="warning")
            return
        self.busy = True
        self.preflight(entry)

    def _git_target(self, entry: ReviewEntry) -> tuple[Repository, str, str]:
        """The repository, range and commit a reword of ``entry`` works on."""
        repo, range_ = self.source.repo, self.source.range
        if repo is None or range_ is None or entry.sha is None:
            raise RewordError("Only commits of a git range can be reworded.")
        return repo, range_, entry.sha

    @work(thread=True, exclusive=True, group="reword")
    def preflight(self, entry: ReviewEntry) -> None:
        """Refuse before editing when git could not reword the commit anyway."""
        try:
            repo, _, sha = self._git_target(entry)
            check_reword(repo, sha)
        except RewordError as error:
            self.app.call_from_thread(self._reword_failed, str(error))
            return
        self.app.call_from_thread(self._open_editor, entry)

    def _open_editor(self, entry: ReviewEntry) -> None:
        self.busy = False
        index = self.query_one(EntryList).highlighted or 0

        sha = entry.sha or ""

        def done(text: str | None) -> None:
            if text is None:
                self.drafts.pop(sha, None)
                return
            # Keep the text until git has taken it: a refusal must not lose it.
            self.drafts[sha] = text
            self.busy = True
            self.apply_reword(entry, text, index)

        draft = self.drafts.get(sha)
        self.app.push_screen(RewordScreen(entry, self.linter, self.source.repo, draft), done)

    @work(thread=True, exclusive=True, group="reword")
    def apply_reword(self, entry: ReviewEntry, text: str, index: int) -> None:
        try:
            repo, range_, sha = self._git_target(entry)
            result = reword_commit(repo, sha, text)
        except RewordError as error:
            self.app.call_from_thread(self._reword_failed, str(error), entry.sha)
            return
        range_ = follow_rewrite(repo, range_, result.rewritten)
        self.app.call_from_thread(self._reworded, result, range_, index)

    def _reword_failed(self, reason: str, draft_of: str | None = None) -> None:
        self.busy = False
        if draft_of is not None:
            reason += " (the edited message is kept: press r to edit it again)"
        self.notify(reason, title="Reword failed", severity="error", timeout=10, markup=False)

    def _reworded(self, result: RewordResult, range_: str, index: int) -> None:
        # Stay busy until the reload shows the new ids: a second reword of a
        # stale id would be refused.
        self.drafts.pop(result.old_sha, None)
        self.source.range = range_
        if result.changed:
            self.notify(
                f"{result.old_sha[:12]} is now {result.new_sha[:12]}",
                title="Reworded",
                markup=False,
            )
        else:
            self.notify(
                "The message is unchanged; the history is untouched.", title="Nothing to reword"
            )
        self.reload(result.new_sha, index)

    async def action_quit(self) -> None:
        self.app.exit(0)
