"""The first step of the cover flow: version, RFC, prefix and summary.

Apart from the other steps: it is the one the first frame shows, and it
needs neither a text area nor a selection list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, Label, Static

from kvmwriter.tui.plain import PlainInput, plain, plain_line
from kvmwriter.tui.widgets.marked import MarkedCheckbox
from kvmwriter.tui.widgets.steppanel import StepPanel

if TYPE_CHECKING:
    from kvmwriter.compose.cover import CoverDraft, CoverSession


class CoverStep(StepPanel):
    """A cover step: a step panel that can also focus a field a finding names."""

    @property
    def session(self) -> CoverSession:
        return cast("CoverSession", super().session)

    @property
    def draft(self) -> CoverDraft:
        return self.session.draft

    def focus_field(self, field: str, row: int, column: int = 0) -> None:
        self.shown()


class SubjectStep(CoverStep):
    """Version, RFC, the KVM: <topic>: prefix and the summary."""

    STEP_ID = "subject"
    TITLE = "Subject"
    HELP = "cover-subject"

    def compose(self) -> ComposeResult:
        draft = self.draft
        with Horizontal(classes="cover-row"):
            yield Label("Version v", classes="cover-label")
            yield PlainInput(str(draft.version), id="version", type="integer", compact=True)
            yield MarkedCheckbox("RFC", draft.rfc, id="rfc", compact=True)
        with Horizontal(classes="cover-row"):
            yield Label("Prefix", classes="cover-label")
            yield PlainInput(draft.prefix, id="prefix", compact=True)
        with Horizontal(classes="cover-row"):
            yield Label("Summary", classes="cover-label")
            yield PlainInput(
                draft.summary,
                id="summary",
                compact=True,
                placeholder="what the series does, imperative",
            )
        yield Static(id="subject-preview")
        yield Static(self._series_text(), id="series-info")
        for note in self.session.notes:
            yield Static(plain(note), classes="cover-note")

    def _series_text(self) -> str:
        if self.session.loading:
            return "reading the series..."
        files = self.session.series.files
        return f"{self.session.series.total} patches, {len(files)} files"

    def on_mount(self) -> None:
        self._preview()

    def session_read(self) -> None:
        """The series is read: show its prefix (unless one was typed), size and notes."""
        prefix = self.query_one("#prefix", Input)
        if prefix.value.strip() != self.draft.prefix:
            prefix.value = self.draft.prefix
        info = self.query_one("#series-info", Static)
        info.update(self._series_text())
        self.query(".cover-note").remove()
        self.mount_all(
            [Static(plain(note), classes="cover-note") for note in self.session.notes], after=info
        )
        self._preview()

    def shown(self) -> None:
        self.focus_now(self.query_one("#summary", Input))

    def focus_field(self, field: str, row: int, column: int = 0) -> None:
        self.shown()

    def _preview(self) -> None:
        self.query_one("#subject-preview", Static).update(plain_line(self.draft.subject))

    def load_draft(self, draft) -> None:
        self.query_one("#version", Input).value = str(draft.version)
        self.query_one("#rfc", Checkbox).value = draft.rfc
        self.query_one("#prefix", Input).value = draft.prefix
        self.query_one("#summary", Input).value = draft.summary
        self._preview()

    def on_input_changed(self, event: Input.Changed) -> None:
        draft = self.draft
        if event.input.id == "summary":
            draft.summary = event.value
        elif event.input.id == "prefix":
            draft.prefix = event.value.strip()
        elif event.input.id == "version":
            try:
                draft.version = max(1, int(event.value))
            except ValueError:
                return
        else:
            return
        self._preview()
        self.changed()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "rfc":
            self.draft.rfc = event.value
            self._preview()
            self.changed()
