"""Step 5: the final message, its findings, and commit / save / copy / back."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from kvmwriter.compose.clipboard import copy_text
from kvmwriter.lint.findings import Severity
from kvmwriter.tui.drafting.steps.base import DraftStep
from kvmwriter.tui.outcome import Outcome
from kvmwriter.tui.plain import plain_line
from kvmwriter.tui.screens.save import SaveScreen


class MessageView(VerticalScroll, can_focus=True):
    """The composed message; focusable so the review keys reach the step."""


class ReviewStep(DraftStep):
    STEP_ID = "review"
    TITLE = "Review"
    HELP = "review"

    BINDINGS = [
        Binding("c", "commit", "Commit"),
        Binding("w", "write", "Write & exit"),
        Binding("a", "toggle_amend", "Amend"),
        Binding("s", "save", "Save"),
        Binding("y", "copy", "Copy"),
        Binding("b,escape", "back", "Back"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._confirm_errors = False
        self._committing = False

    def compose(self) -> ComposeResult:
        yield Static(id="review-status")
        with MessageView(id="review-scroll"):
            yield Static(id="review-message")

    def on_mount(self) -> None:
        self.refresh_message()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # Edit mode writes the file (w); commit mode commits (c); show one.
        if action == "write":
            return self.host.edit_mode
        if action in ("commit", "toggle_amend"):
            return not self.host.edit_mode
        return True

    def action_write(self) -> None:
        self.action_commit()

    def shown(self) -> None:
        self.refresh_message()
        self.focus_now(self.query_one("#review-scroll"))

    def refresh_message(self) -> None:
        message = self.session.message()
        findings = getattr(self.app, "findings", [])
        errors = sum(1 for f in findings if f.severity == Severity.ERROR)
        warnings = sum(1 for f in findings if f.severity == Severity.WARNING)
        marked = {f.line for f in findings}
        text = Text()
        for number, line in enumerate(message.splitlines(), 1):
            text.append(f"{number:>3} ", style="dim")
            text.append_text(plain_line(line or " ", style="underline" if number in marked else ""))
            text.append("\n")
        self.query_one("#review-message", Static).update(text)
        action = "w to write" if self.host.edit_mode else "c to commit"
        amend = "  [--amend]" if self.session.amend and not self.host.edit_mode else ""
        if errors:
            status = f"{errors} errors, {warnings} warnings: fix them, then {action}"
        elif warnings:
            status = f"No errors, {warnings} warnings; {action}"
        else:
            status = f"The message passes every rule; {action}"
        self.query_one("#review-status", Static).update(Text(status + amend))
        self.query_one("#review-status").set_class(bool(errors), "-errors")

    # -- actions ------------------------------------------------------------

    def action_back(self) -> None:
        self.host.show_step("changelog")

    def action_toggle_amend(self) -> None:
        if self.host.edit_mode or self.session.repo is None:
            return
        self.session.amend = not self.session.amend
        self.notify("Will amend HEAD" if self.session.amend else "Will make a new commit")
        self.refresh_message()

    def action_commit(self) -> None:
        if self._committing:
            return
        # Lint the message as it is now: the panel may still show the findings
        # of the text before the last keystroke (it waits for typing to stop).
        errors = [
            f for f in self.session.lint(self.session.message()) if f.severity == Severity.ERROR
        ]
        if errors and not self._confirm_errors:
            self._confirm_errors = True
            self.notify(
                f"{len(errors)} errors remain; press c again to go ahead anyway", severity="warning"
            )
            return
        self._confirm_errors = False
        if self.host.edit_mode:
            try:
                self.session.write_edit_file()
            except OSError as error:
                self.notify(f"Cannot write {self.session.edit_path}: {error}", severity="error")
                return
            if self.host.store is not None:
                self.host.store.discard()
            self.host.finish(Outcome("written", str(self.session.edit_path)))
            return
        if self.session.repo is None:
            self.notify("No repository to commit to; save the message instead", severity="error")
            return
        self._committing = True
        self.notify("Committing (git runs the hooks)...")
        self._commit()

    @work(thread=True, exclusive=True, group="commit")
    def _commit(self) -> None:
        from kvmwriter.git.repo import RepoError

        try:
            sha = self.session.commit()
        except RepoError as error:
            self.app.call_from_thread(self._commit_failed, str(error))
            return
        self.app.call_from_thread(self._committed, sha)

    def _commit_failed(self, reason: str) -> None:
        self._committing = False
        # The git layer's error already says what failed ("git commit failed: ...").
        self.notify(reason, severity="error", timeout=10)

    def _committed(self, sha: str) -> None:
        if self.host.store is not None:
            self.host.store.discard()
        subject = self.session.message().splitlines()[0]
        self.host.finish(Outcome("committed", f"{sha[:12]} {subject}"))

    def action_save(self) -> None:
        # Inside the work tree, 'git add -A' would pick the file up: suggest
        # the git directory, which no commit sees.
        repo = self.session.repo
        folder = Path(repo.git_dir) / "kvmwriter" if repo is not None else Path.cwd()
        self.app.push_screen(SaveScreen(str(folder / "commit-message.txt")), self._save_to)

    def _save_to(self, path: str | None) -> None:
        if not path:
            return
        from kvmwriter.compose.draft_store import write_atomic

        target = Path(path).expanduser()
        try:
            write_atomic(target, self.session.message())
        except OSError as error:
            self.notify(f"Cannot save {target}: {error.strerror or error}", severity="error")
            return
        self.notify(f"Saved to {target}")

    def action_copy(self) -> None:
        message = self.session.message()
        if self.session.draft.testing_place == "cover":
            summary = self.session.testing_summary()
            if summary:
                message = f"{message}\n{summary}\n"
        reason = copy_text(message)
        if reason is None:
            self.host.last_copy_method = "pyperclip"
            self.notify("Copied to the clipboard")
            return
        # No clipboard tool (e.g. over SSH): ask the terminal through OSC 52.
        self.app.copy_to_clipboard(message)
        self.host.last_copy_method = "osc52"
        self.notify("Copied through the terminal (OSC 52)")
