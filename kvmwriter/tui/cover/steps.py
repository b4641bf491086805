"""The steps of the cover flow after the first, one panel each."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, SelectionList, Static, TextArea

from kvmwriter.tui.cover.subject import CoverStep
from kvmwriter.tui.plain import PlainInput, plain, plain_line
from kvmwriter.tui.plain_area import PlainTextArea
from kvmwriter.tui.widgets.marked import MarkedSelectionList


def _text_area(text: str, id: str) -> TextArea:
    return PlainTextArea(
        text, id=id, soft_wrap=True, compact=True, show_line_numbers=False, tab_behavior="focus"
    )


def _focus_row(area: TextArea, row: int) -> None:
    area.app.set_focus(area)  # before the next queued key (see StepPanel.focus_now)
    area.cursor_location = (max(0, min(row, area.document.line_count - 1)), 0)


class SummaryStep(CoverStep):
    """What the series does first, then the background."""

    STEP_ID = "summary-step"
    TITLE = "Summary"
    HELP = "cover-summary"

    def compose(self) -> ComposeResult:
        yield Label("What the series does (say what changes first):", classes="field-label")
        yield _text_area(self.draft.what, "what")
        yield Label("Background (the problem, why this approach):", classes="field-label")
        yield _text_area(self.draft.background, "background")

    def shown(self) -> None:
        self.focus_now(self.query_one("#what", TextArea))

    def focus_field(self, field: str, row: int, column: int = 0) -> None:
        target = "background" if field == "background" else "what"
        _focus_row(self.query_one(f"#{target}", TextArea), row)

    def load_draft(self, draft) -> None:
        self.query_one("#what", TextArea).text = draft.what
        self.query_one("#background", TextArea).text = draft.background

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id in ("what", "background"):
            setattr(self.draft, event.text_area.id, event.text_area.text)
            self.changed()


class TestingStep(CoverStep):
    """The commit flow's testing checklist, plus notes."""

    STEP_ID = "testing"
    TITLE = "Testing"
    HELP = "cover-testing"

    def compose(self) -> ComposeResult:
        done = self.draft.testing_done
        yield MarkedSelectionList[str](
            *[
                (
                    plain_line(f"{item.label}{'  (required)' if item.required else ''}"),
                    item.key,
                    item.key in done,
                )
                for item in self.draft.testing
            ],
            id="checklist",
            compact=True,
        )
        yield Label("Notes (hardware, what could not be tested):", classes="field-label")
        yield _text_area(self.draft.testing_notes, "testing_notes")

    def shown(self) -> None:
        self.focus_now(self.query_one("#checklist", SelectionList))

    def focus_field(self, field: str, row: int, column: int = 0) -> None:
        self.focus_now(self.query_one("#testing_notes", TextArea))

    def load_draft(self, draft) -> None:
        # Items this series no longer lists render nowhere: drop them.
        known = {item.key for item in draft.testing}
        draft.testing_done = set(draft.testing_done) & known
        checklist = self.query_one("#checklist", SelectionList)
        checklist.deselect_all()
        for key in sorted(draft.testing_done):
            checklist.select(key)
        self.query_one("#testing_notes", TextArea).text = draft.testing_notes

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        self.draft.testing_done = set(event.selection_list.selected)
        self.changed()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id == "testing_notes":
            self.draft.testing_notes = event.text_area.text
            self.changed()


class VersionsStep(CoverStep):
    """Lore links to earlier versions and "Changes in vN"."""

    STEP_ID = "versions"
    TITLE = "Versions"
    HELP = "cover-versions"

    def compose(self) -> ComposeResult:
        yield Label(
            "Links to earlier versions, one a line, oldest first (lore):", classes="field-label"
        )
        links = "\n".join(url for _, url in sorted(self.draft.previous))
        yield _text_area(links, "previous")
        yield Label("Changes in this version (one '- ' item a line):", classes="field-label")
        yield _text_area(self.draft.changes, "changes")
        yield Static(id="versions-hint")

    def on_mount(self) -> None:
        self._hint()

    def shown(self) -> None:
        self.focus_now(self.query_one("#previous", TextArea))
        self._hint()

    def focus_field(self, field: str, row: int, column: int = 0) -> None:
        target = "changes" if field == "changes" else "previous"
        _focus_row(
            self.query_one(f"#{target}", TextArea), max(row - 1, 0) if target == "changes" else row
        )

    def load_draft(self, draft) -> None:
        previous = list(draft.previous)
        self.query_one("#previous", TextArea).text = "\n".join(url for _, url in sorted(previous))
        # The change event recomputes versions from the count of lines:
        # keep the stored pairs as they were.
        draft.previous = previous
        self.query_one("#changes", TextArea).text = draft.changes
        self._hint()

    def _hint(self) -> None:
        version = self.draft.version
        text = (
            "v1: nothing to link yet."
            if version <= 1
            else f"v{version}: link v1..v{version - 1}; the last line is v{version - 1}."
        )
        self.query_one("#versions-hint", Static).update(text)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id == "previous":
            urls = [line.strip() for line in event.text_area.text.splitlines() if line.strip()]
            first = self.draft.version - len(urls)
            self.draft.previous = [(first + i, url) for i, url in enumerate(urls) if first + i >= 1]
        elif event.text_area.id == "changes":
            self.draft.changes = event.text_area.text
        else:
            return
        self.changed()


class ReviewStep(CoverStep):
    """The whole cover letter and where it goes."""

    STEP_ID = "review"
    TITLE = "Review"
    HELP = "cover-review"

    def compose(self) -> ComposeResult:
        yield Static(id="cover-preview")
        yield Static(
            "ctrl+s save to the file below   ctrl+d branch description   ctrl+y copy",
            id="review-keys",
        )
        with Horizontal(classes="cover-row"):
            yield Label("File", classes="cover-label")
            output = self.session.output
            yield PlainInput(str(output) if output else "", id="output", compact=True)

    def on_mount(self) -> None:
        self.refresh_message()

    def shown(self) -> None:
        self.refresh_message()
        self.focus_now(self.query_one("#output", Input))

    def refresh_message(self) -> None:
        self.query_one("#cover-preview", Static).update(plain(self.session.message()))

    def load_draft(self, draft) -> None:
        self.refresh_message()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "output":
            from pathlib import Path

            self.session.output = Path(event.value) if event.value.strip() else None
