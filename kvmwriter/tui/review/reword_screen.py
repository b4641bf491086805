"""Edit one commit's message with live lint; saving asks for a reword."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static, TextArea

from kvmwriter.lint.engine import Linter
from kvmwriter.lint.findings import Finding
from kvmwriter.review.model import EntryLinter, ReviewEntry
from kvmwriter.text.terminal import visible_line
from kvmwriter.tui.fixing import fix_all_in, fixed_summary
from kvmwriter.tui.plain_area import PlainTextArea
from kvmwriter.tui.review.render import findings_text


class RewordScreen(ModalScreen[str | None]):
    """Dismiss with the new message on save, ``None`` on cancel."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save (reword)", priority=True),
        Binding("ctrl+f", "apply_fixes", "Apply fixes", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self, commit: ReviewEntry, linter: Linter, repo=None, draft: str | None = None
    ) -> None:
        super().__init__()
        self.commit = commit
        self.initial = draft if draft is not None else commit.text.rstrip("\n") + "\n"
        self.linter = EntryLinter(linter, repo)
        self.findings: list[Finding] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="reword-dialog"):
            yield Static(
                Text(visible_line(f"Reword {self.commit.short}: {self.commit.subject}")),
                id="reword-title",
            )
            yield PlainTextArea(
                self.initial,
                id="reword-editor",
                soft_wrap=False,
                show_line_numbers=True,
                tab_behavior="indent",
            )
            with VerticalScroll(id="reword-findings-pane"):
                yield Static(id="reword-findings")
            with Horizontal(id="reword-buttons"):
                yield Button("Save ^s", id="reword-save", variant="primary")
                yield Button("Cancel esc", id="reword-cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#reword-editor", TextArea).focus()
        self.relint()

    @property
    def text(self) -> str:
        return self.query_one("#reword-editor", TextArea).text

    def relint(self) -> None:
        self.findings = self.linter.lint(self.commit, self.text)
        self.query_one("#reword-findings", Static).update(findings_text(self.findings))

    def action_apply_fixes(self) -> None:
        """Apply every safe fix, re-linting between passes, until nothing changes."""
        editor = self.query_one("#reword-editor", TextArea)
        run = fix_all_in(editor, lambda text: self.linter.lint(self.commit, text))
        self.notify(fixed_summary(run), severity="information" if run.changed else "warning")

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.relint()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "reword-save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        self.dismiss(self.text)

    def action_cancel(self) -> None:
        self.dismiss(None)
