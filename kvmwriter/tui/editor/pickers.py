"""The guided helpers as dialogs over the editor: topic, Fixes:, other tags.

Each dialog returns what to put in the message (a prefix, trailer lines)
or ``None`` when escaped; the app makes the edit.  Every row shown comes
from git or the user, so it is built as plain ``Text``, never markup.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import (
    Checkbox,
    Footer,
    Input,
    Label,
    OptionList,
    SelectionList,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option


def _row(value: str, detail: str = "") -> Text:
    text = Text(value, no_wrap=True, overflow="ellipsis")
    if detail:
        text.append(f"  ({detail})", style="dim")
    return text


class PrefixScreen(ModalScreen["str | None"]):
    """Pick the ``KVM: <topic>:`` prefix; the suggestion comes first."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, rows: list[tuple[str, str]], current: str = "") -> None:
        super().__init__()
        self.rows = rows
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="prefix-dialog", classes="dialog"):
            if self.rows and self.rows[0][1]:
                prefix, evidence = self.rows[0]
                yield Static(
                    Text(f"Suggested: {prefix} ({evidence})", no_wrap=False), id="prefix-evidence"
                )
            else:
                yield Static(
                    "No suggestion from the changed files; pick one:", id="prefix-evidence"
                )
            yield Static(
                "Enter puts the highlighted prefix on the subject; Escape cancels.", classes="hint"
            )
            yield OptionList(
                *[
                    Option(_row(prefix, "suggested" if detail else ""), id=prefix)
                    for prefix, detail in self.rows
                ],
                id="prefixes",
            )
        yield Footer()

    def on_mount(self) -> None:
        options = self.query_one("#prefixes", OptionList)
        options.focus()
        ids = [prefix for prefix, _ in self.rows]
        if self.rows:
            options.highlighted = ids.index(self.current) if self.current in ids else 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class FixesScreen(ModalScreen["str | None"]):
    """Pick a Fixes: line from blame candidates, or search commit subjects."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "to_list", "Candidates", show=False),
    ]

    def __init__(
        self,
        candidates: Callable[[], list[tuple[str, str]]],
        search: Callable[[str], list[tuple[str, str]]],
    ) -> None:
        super().__init__()
        self.candidates = candidates
        self.search = search

    def compose(self) -> ComposeResult:
        with Vertical(id="fixes-dialog", classes="dialog"):
            yield Label(
                "Fixes: candidates from blame of the changed lines; type to "
                "search subjects, Enter inserts the highlighted line."
            )
            yield Input(
                placeholder="search commit subjects (3+ characters)", id="fixes-query", compact=True
            )
            yield OptionList(Option("looking for candidates...", disabled=True), id="fixes-list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#fixes-query", Input).focus()
        self._load("")

    @work(thread=True, exclusive=True, group="fixes")
    def _load(self, query: str) -> None:
        if query.strip():
            rows, empty = self.search(query), "no commit subject matches"
        else:
            rows, empty = self.candidates(), "no blame candidates; type to search"
        self.app.call_from_thread(self._show, rows, empty)

    def _show(self, rows: list[tuple[str, str]], empty: str) -> None:
        options = self.query_one("#fixes-list", OptionList)
        options.clear_options()
        if not rows:
            options.add_option(Option(empty, disabled=True))
            return
        options.add_options([Option(_row(line, reason), id=line) for line, reason in rows])
        options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        query = event.value.strip()
        if len(query) >= 3 or not query:
            self._load(query)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._pick(self.query_one("#fixes-list", OptionList).highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._pick(event.option_index)

    def _pick(self, index: int | None) -> None:
        options = self.query_one("#fixes-list", OptionList)
        if index is None or not 0 <= index < options.option_count:
            return
        option = options.get_option_at_index(index)
        if option.id:
            self.dismiss(option.id)

    def action_to_list(self) -> None:
        self.query_one("#fixes-list", OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)


#: (input id, trailer key, placeholder)
TAG_FIELDS = (
    ("link", "Link", "https://lore.kernel.org/all/<message-id>"),
    ("reported-by", "Reported-by", "Name <address>"),
    ("closes", "Closes", "https://lore.kernel.org/all/<message-id> (the report)"),
)


class TagsScreen(ModalScreen["list[str] | None"]):
    """Cc: stable, Link:, Reported-by: with its Closes:; ctrl+s inserts them."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "insert", "Insert tags", priority=True),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="tags-dialog", classes="dialog"):
            yield Label("Tags to add (empty fields are skipped); ctrl+s inserts them:")
            yield Checkbox(
                "Cc: stable@vger.kernel.org (needs a backport)", id="stable", compact=True
            )
            for name, key, placeholder in TAG_FIELDS:
                with Horizontal(classes="tag-row"):
                    yield Label(f"{key}:", classes="tag-label")
                    yield Input(placeholder=placeholder, id=name, compact=True)
            yield Static("", id="tags-error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#stable", Checkbox).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_insert()

    def lines(self) -> list[str]:
        lines = []
        for name, key, _ in TAG_FIELDS:
            value = self.query_one(f"#{name}", Input).value.strip()
            if value:
                lines.append(f"{key}: {value}")
        if self.query_one("#stable", Checkbox).value:
            lines.append("Cc: stable@vger.kernel.org")
        return lines

    def action_insert(self) -> None:
        reported = self.query_one("#reported-by", Input).value.strip()
        closes = self.query_one("#closes", Input).value.strip()
        if reported and not closes:
            # "Reported-by: ... should be followed by a Closes: tag" (submitting-patches).
            self.query_one("#tags-error", Static).update(
                "Reported-by: needs Closes: with the link to the report"
            )
            self.query_one("#closes", Input).focus()
            return
        self.dismiss(self.lines())

    def action_cancel(self) -> None:
        self.dismiss(None)


class TestingScreen(ModalScreen["tuple[list[str], str] | None"]):
    """The handbook's testing checklist and notes; kept as a git note, not text."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "done", "Keep", priority=True),
    ]

    def __init__(
        self, items: list, done: list[str], notes: str, target: str = "the commit's git note"
    ) -> None:
        super().__init__()
        self.items = items
        self.done = set(done)
        self.notes = notes
        #: Whose note the summary becomes ("the git note of <sha> (HEAD, ...)").
        self.target = target

    def compose(self) -> ComposeResult:
        with Vertical(id="testing-dialog", classes="dialog"):
            yield Label(
                Text(
                    f"Testing done (space ticks); ctrl+s keeps it as {self.target}, "
                    "which 'kvmwriter cover' collects:"
                )
            )
            yield SelectionList[str](
                *[
                    (
                        Text(f"{item.label}{'  (required)' if item.required else ''}"),
                        item.key,
                        item.key in self.done,
                    )
                    for item in self.items
                ],
                id="testing-list",
                compact=True,
            )
            yield TextArea(
                self.notes,
                id="testing-notes",
                soft_wrap=True,
                compact=True,
                show_line_numbers=False,
                tab_behavior="focus",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#testing-list", SelectionList).focus()

    def action_done(self) -> None:
        selected = list(self.query_one("#testing-list", SelectionList).selected)
        self.dismiss((selected, self.query_one("#testing-notes", TextArea).text))

    def action_cancel(self) -> None:
        self.dismiss(None)
