"""Step 2: what changes first, then why; offer ``()`` for function names."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Label, Static, TextArea

from kvmwriter.compose.commit import Draft, add_function_parens, bare_function_mentions
from kvmwriter.tui.drafting.steps.base import DraftStep
from kvmwriter.tui.plain import plain
from kvmwriter.tui.plain_area import PlainTextArea


class ChangelogStep(DraftStep):
    STEP_ID = "changelog"
    TITLE = "Changelog"
    HELP = "changelog"

    BINDINGS = [Binding("ctrl+o", "add_parens", "Add ()")]

    def compose(self) -> ComposeResult:
        yield Label("What changes (one or two imperative sentences):", classes="field-label")
        yield PlainTextArea(
            self.draft.what,
            id="what",
            soft_wrap=True,
            compact=True,
            show_line_numbers=False,
            tab_behavior="focus",
        )
        yield Label("Why / context (the bug, the background, the SDM/APM):", classes="field-label")
        yield PlainTextArea(
            self.draft.why,
            id="why",
            soft_wrap=True,
            compact=True,
            show_line_numbers=False,
            tab_behavior="focus",
        )
        yield Static(id="functions")

    def on_mount(self) -> None:
        self._update_functions()

    def shown(self) -> None:
        self.focus_now(self.query_one("#what", TextArea))

    def load_draft(self, draft: Draft) -> None:
        self.query_one("#what", TextArea).load_text(draft.what)
        self.query_one("#why", TextArea).load_text(draft.why)
        self._update_functions()

    def focus_field(self, field: str, row: int, column: int = 0) -> None:
        area = self.query_one("#why" if field == "why" else "#what", TextArea)
        self.focus_now(area)
        lines = area.text.split("\n")
        row = min(row, len(lines) - 1)
        area.move_cursor((row, min(column, len(lines[row]))))

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        name = event.text_area.id
        if name not in ("what", "why"):
            return
        setattr(self.draft, name, event.text_area.text)
        self._update_functions()
        self.changed()

    def _bare(self) -> list[str]:
        return bare_function_mentions(
            f"{self.draft.what}\n{self.draft.why}", self.session.function_names
        )

    def _update_functions(self) -> None:
        bare = self._bare()
        functions = self.query_one("#functions", Static)
        if bare:
            functions.update(
                plain(
                    f"Functions from the diff without (): {', '.join(bare[:4])}"
                    f"{' ...' if len(bare) > 4 else ''}  (ctrl+o adds ())"
                )
            )
        elif self.session.function_names:
            names = ", ".join(f"{n}()" for n in self.session.function_names[:4])
            functions.update(plain(f"Functions in the diff: {names}"))
        else:
            functions.update("")

    def action_add_parens(self) -> None:
        names = self.session.function_names
        for name in ("what", "why"):
            area = self.query_one(f"#{name}", TextArea)
            fixed = add_function_parens(area.text, names)
            if fixed != area.text:
                # Replace through the editor so ctrl+z undoes it.
                area.replace(fixed, (0, 0), area.document.end)
        self.notify("Added () to function names" if names else "No functions in the diff")
