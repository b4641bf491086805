"""The editor app: the whole file in one text area, findings beside it.

The file is painted before anything else loads: the linter, git and the
topic suggestions come from a worker, and the first lint runs when they
arrive.  The helpers (topic, Fixes:, tags) are dialogs that edit the text
in place through :mod:`kvmwriter.compose.editops`.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Static

from kvmwriter.compose.draft_store import DraftStore
from kvmwriter.compose.edit_document import EditDocument
from kvmwriter.errors import UserError
from kvmwriter.lint.findings import Finding
from kvmwriter.tui.autosave import DraftAutosave
from kvmwriter.tui.editor.area import MessageArea, marks_for
from kvmwriter.tui.editor.draft import EditedText
from kvmwriter.tui.outcome import Outcome
from kvmwriter.tui.widgets.lint import LintPanel

_KINDS = {
    "commit": "commit message",
    "merge": "merge message (patch structure rules off)",
    "cover": "cover letter (b4)",
}

#: Keys that act on the text: off while a dialog is open.
_EDITOR_ACTIONS = frozenset(
    {"write", "abort", "focus_lint", "topic", "fixes", "tags", "testing", "guided", "focus_editor"}
)


#: Seconds from a change to its autosave (the guided app's profile default).
AUTOSAVE_DELAY = 0.5


class EditorApp(DraftAutosave, App[Outcome]):
    CSS_PATH = "app.tcss"
    TITLE = "kvmwriter edit"
    ENABLE_COMMAND_PALETTE = False

    BINDINGS = [
        Binding("ctrl+s", "write", "Write & exit", priority=True),
        Binding("ctrl+q", "abort", "Abort", priority=True),
        Binding("ctrl+l", "focus_lint", "Findings", priority=True),
        Binding("f2", "topic", "Topic", priority=True),
        Binding("f3", "fixes", "Fixes:", priority=True),
        Binding("f4", "tags", "Tags", priority=True),
        Binding("f5", "testing", "Testing", priority=True),
        Binding("f7", "guided", "Guided steps", priority=True),
        Binding("escape", "focus_editor", "Back to text", show=False),
    ]

    DRAFT_OF = "this file"

    def __init__(
        self,
        session: EditDocument,
        *,
        store: DraftStore | None = None,
        autosave_delay: float = AUTOSAVE_DELAY,
    ) -> None:
        super().__init__()
        self.session = session
        self.findings: list[Finding] = []
        self._abort_armed = False
        self.init_autosave(store, autosave_delay)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A dialog on top owns its keys (ctrl+s inserts tags there).
        return not (action in _EDITOR_ACTIONS and self.screen is not self.screen_stack[0])

    def compose(self) -> ComposeResult:
        yield Static(self._where(), id="where")
        yield MessageArea(self.session.text, id="message")
        yield LintPanel(id="lint")
        yield Footer()

    def _where(self) -> Text:
        parsed = self.session.parsed
        kind = _KINDS.get(parsed.kind, parsed.kind)
        if parsed.kind == "squash":
            kind = (
                f"combination of {parsed.sections} messages: git keeps every one left "
                "uncommented; the lint reads the first"
            )
        return Text(f"editing {self.session.path.name} - {kind}", no_wrap=True, overflow="ellipsis")

    def on_mount(self) -> None:
        self.query_one(MessageArea).focus()
        self._load()
        self.offer_stored_draft()

    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        try:
            self.session.load()
        except (UserError, OSError) as error:  # a broken config must not lose the text
            self.call_from_thread(self.notify, Text(f"Lint unavailable: {error}"), severity="error")
            return
        self.call_from_thread(self.base.query_one(LintPanel).schedule, 0)

    # -- editing --------------------------------------------------------------

    @property
    def base(self):
        """The editor's own screen: a dialog on top must not hide its widgets."""
        return self.screen_stack[0]

    @property
    def area(self) -> MessageArea:
        return self.base.query_one(MessageArea)

    def on_text_area_changed(self, event: MessageArea.Changed) -> None:
        self.session.text = event.text_area.text
        self._abort_armed = False
        if self.session.ready:
            self.base.query_one(LintPanel).schedule()
        self.autosave_soon()

    # -- the draft (see DraftAutosave) ----------------------------------------

    def _snapshot(self) -> dict:
        return EditedText(self.session.text).to_json()

    def _draft_is_empty(self) -> bool:
        # The file on disk already holds the text as it was opened.
        return self.session.text == self.session.original

    def draft_from_json(self, data: dict) -> EditedText:
        return EditedText.from_json(data)

    def load_draft(self, draft: EditedText) -> None:
        self.session.text = draft.text
        self.replace_text(draft.text, (0, 0))

    def replace_text(self, text: str, cursor: tuple[int, int]) -> None:
        """Put ``text`` in the editor (undoable) and the cursor at ``cursor``."""
        area = self.area
        area.replace(text, (0, 0), area.document.end)
        area.cursor_location = cursor
        area.focus()

    # -- the lint -------------------------------------------------------------

    def lint_updated(self, findings: list[Finding]) -> None:
        self.findings = findings
        self.area.set_marks(marks_for(self.session.parsed, findings))
        self.base.query_one("#where", Static).update(self._where())

    def jump_to(self, finding: Finding) -> None:
        """Move the cursor to the finding's line and column in the text."""
        area = self.area
        row = max(finding.line - 1, 0)
        lines = area.text.split("\n")
        row = min(row, len(lines) - 1)
        column = min(max(finding.column - 1, 0), len(lines[row]))
        area.focus()
        area.cursor_location = (row, column)
        area.scroll_cursor_visible(center=True)

    def action_focus_lint(self) -> None:
        self.query_one(LintPanel).focus_list()

    def action_focus_editor(self) -> None:
        self.area.focus()

    # -- helpers ----------------------------------------------------------------

    def _need_ready(self) -> bool:
        if not self.session.ready:
            self.notify("Still reading the repository; try again in a moment.")
            return False
        return True

    def action_topic(self) -> None:
        self.area.call_later(self._topic)

    def _topic(self) -> None:
        if not self._need_ready():
            return
        from kvmwriter.text.message import parse_message
        from kvmwriter.tui.editor.pickers import PrefixScreen

        message = parse_message(self.session.parsed.message)
        current = message.subject.prefix if message.subject is not None else ""

        def chosen(prefix: str | None) -> None:
            if prefix:
                from kvmwriter.compose.editops import set_prefix

                self.replace_text(*set_prefix(self.area.text, prefix, self.session.path))

        self.push_screen(PrefixScreen(self.session.known_prefixes(), current), chosen)

    def action_fixes(self) -> None:
        self.area.call_later(self._fixes)

    def _fixes(self) -> None:
        if not self._need_ready():
            return
        from kvmwriter.tui.editor.pickers import FixesScreen

        self.push_screen(
            FixesScreen(self.session.suggest_fixes, self.session.search_commits),
            self._insert_trailers,
        )

    def action_tags(self) -> None:
        self.area.call_later(self._tags)

    def _tags(self) -> None:
        from kvmwriter.tui.editor.pickers import TagsScreen

        self.push_screen(TagsScreen(), self._insert_trailers)

    def action_testing(self) -> None:
        if not self._need_ready():
            return
        if self.session.parsed.kind == "cover":
            self.notify("A cover letter's testing goes in its own text.")
            return
        from kvmwriter.tui.editor.pickers import TestingScreen

        def chosen(result: tuple[list[str], str] | None) -> None:
            if result is not None:
                self.session.tested, self.session.testing_notes = result
                if self.session.testing_summary():
                    self.notify(self._testing_target())

        sha = self.session.edited_commit
        target = (
            f"the git note of {sha[:12]} (HEAD, the commit being reworded)"
            if sha is not None
            else "the commit's git note"
        )
        self.push_screen(
            TestingScreen(
                self.session.checklist, self.session.tested, self.session.testing_notes, target
            ),
            chosen,
        )

    def _testing_target(self) -> str:
        """Which commit's git note the F5 summary goes to, said plainly."""
        sha = self.session.edited_commit
        if sha is not None:
            return (
                f"Testing kept out of the message: written on ctrl+s as the git note of "
                f"{sha[:12]} (HEAD, the commit being reworded); git carries it to the "
                "reworded commit."
            )
        return (
            "Testing kept out of the message: attached as a git note to the commit git "
            "makes next with this subject."
        )

    def _insert_trailers(self, lines: str | list[str] | None) -> None:
        if not lines:
            return
        from kvmwriter.compose.editops import add_trailers

        new = [lines] if isinstance(lines, str) else lines
        text, cursor = add_trailers(self.area.text, new, self.session.path)
        if text != self.area.text:
            self.replace_text(text, cursor)

    # -- ending -----------------------------------------------------------------

    def action_write(self) -> None:
        # Keys typed just before ctrl+s may still wait in the text area's
        # queue (priority bindings run first): write once they are in.
        self.area.call_later(self._write)

    def _write(self) -> None:
        try:
            self.session.save(self.area.text)
        except OSError as error:
            self.notify(
                f"Cannot write {self.session.path}: {error.strerror or error}",
                severity="error",
                markup=False,
            )
            return
        self.mark_saved()
        self.exit(Outcome("written", str(self.session.path)), return_code=0)

    def action_abort(self) -> None:
        self.area.call_later(self._abort)

    def _abort(self) -> None:
        if self.area.text != self.session.original and not self._abort_armed:
            self._abort_armed = True
            self.notify(
                "The text changed: ctrl+q again discards it and aborts (ctrl+s writes).",
                severity="warning",
            )
            return
        self.mark_saved()  # Discarded on purpose: nothing to offer next time.
        self.exit(Outcome("aborted"), return_code=1)

    def action_guided(self) -> None:
        """Leave for the guided steps with the text as written so far."""
        self.area.call_later(self._guided)

    def _guided(self) -> None:
        self.save_pending()  # Kept until the guided steps write the file.
        self.exit(Outcome("guided", self.area.text), return_code=0)


def run_editor(session: EditDocument) -> Outcome | None:
    """Run the editor in the terminal, its text autosaved and saved on SIGTERM/SIGHUP."""
    from kvmwriter.compose.draft_store import file_draft_store
    from kvmwriter.tui.autosave import save_on_termination

    app = EditorApp(session, store=file_draft_store(session.path))
    save_on_termination(app)
    return app.run()
