"""Step 4: the handbook's testing checklist and free notes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Checkbox, Label, SelectionList, Static, TextArea

from kvmwriter.compose.commit import Draft
from kvmwriter.tui.drafting.steps.base import DraftStep
from kvmwriter.tui.plain import plain, plain_line
from kvmwriter.tui.plain_area import PlainTextArea
from kvmwriter.tui.widgets.marked import MarkedCheckbox, MarkedSelectionList


class TestingStep(DraftStep):
    STEP_ID = "testing"
    TITLE = "Testing"
    HELP = "testing"

    def compose(self) -> ComposeResult:
        done = set(self.draft.tested)
        yield MarkedSelectionList[str](
            *[
                (
                    plain_line(f"{item.label}{'  (required)' if item.required else ''}"),
                    item.key,
                    item.key in done,
                )
                for item in self.session.checklist
            ],
            id="checklist",
            compact=True,
        )
        yield Label("Notes (what else was run, what could not be tested):", classes="field-label")
        yield PlainTextArea(
            self.draft.testing_notes,
            id="testing_notes",
            soft_wrap=True,
            compact=True,
            show_line_numbers=False,
            tab_behavior="focus",
        )
        yield MarkedCheckbox(
            "Cover letter only: keep no git note for this commit",
            self.draft.testing_place == "cover",
            id="testing-cover",
            compact=True,
        )
        yield Static(id="testing-preview")

    def on_mount(self) -> None:
        self._update_preview()

    def shown(self) -> None:
        self.focus_now(self.query_one("#checklist", SelectionList))

    def load_draft(self, draft: Draft) -> None:
        checklist = self.query_one("#checklist", SelectionList)
        checklist.deselect_all()
        known = {item.key for item in self.session.checklist}
        for key in draft.tested:
            if key in known:  # skip keys a newer profile dropped
                checklist.select(key)
        self.query_one("#testing_notes", TextArea).load_text(draft.testing_notes)
        self.query_one("#testing-cover", Checkbox).value = draft.testing_place == "cover"
        self._update_preview()

    def focus_field(self, field: str, row: int, column: int = 0) -> None:
        self.focus_now(self.query_one("#testing_notes", TextArea))

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        self.draft.tested = list(event.selection_list.selected)
        self._update_preview()
        self.changed()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id == "testing_notes":
            self.draft.testing_notes = event.text_area.text
            self._update_preview()
            self.changed()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "testing-cover":
            self.draft.testing_place = "cover" if event.value else "notes"
            self._update_preview()
            self.changed()

    def _update_preview(self) -> None:
        summary = self.session.testing_summary()
        if self.draft.testing_place == "cover":
            where = "for the cover letter (copy it from Review)"
        elif self.session.edit_path is not None:
            where = "below --- in the message file"
        else:
            where = (
                "as a git note of the commit, collected by 'kvmwriter cover'; "
                "format-patch --notes=kvmwriter-testing puts it below ---"
            )
        text = f"{summary}\n({where})" if summary else "Nothing recorded yet."
        self.query_one("#testing-preview", Static).update(plain(text))
