"""Step 3: Fixes, Cc: stable, links, credits and the sign-off."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Checkbox, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from kvmwriter.compose.commit import Draft
from kvmwriter.tui.drafting.steps.base import DraftStep
from kvmwriter.tui.plain import PlainInput, plain_line
from kvmwriter.tui.plain_area import PlainTextArea
from kvmwriter.tui.widgets.marked import MarkedCheckbox

#: (draft field, label, placeholder)
FIELDS = (
    ("fixes", "Fixes:", 'sha ("subject"), or pick a candidate above'),
    ("link", "Link:", "https://lore.kernel.org/all/<message-id>"),
    ("closes", "Closes:", "https://lore.kernel.org/all/<message-id>"),
    ("reported_by", "Reported-by:", "Name <address>"),
    ("suggested_by", "Suggested-by:", "Name <address>"),
    ("co_developed_by", "Co-developed-by:", "Name <address>"),
    ("signoff", "Signed-off-by:", "Name <address> (from git config)"),
)


class TagsStep(DraftStep):
    STEP_ID = "tags"
    TITLE = "Tags"
    HELP = "tags"

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="tags-scroll"):
            yield Static(
                "Fixes candidates (blame of the lines the change touches); type to search git log:",
                classes="field-label",
            )
            yield PlainInput(placeholder="search commit subjects", id="fixes-search", compact=True)
            yield OptionList(id="fixes-candidates", compact=True)
            yield MarkedCheckbox(
                "Cc: stable@vger.kernel.org (needs a backport)",
                self.draft.cc_stable,
                id="cc_stable",
                compact=True,
            )
            for name, label, placeholder in FIELDS:
                with Horizontal(classes="tag-row"):
                    yield Label(label, classes="tag-label")
                    yield PlainInput(
                        self._value(name), placeholder=placeholder, id=name, compact=True
                    )
            yield Label("Other tags, kept as written (one per line):", classes="field-label")
            yield PlainTextArea(
                "\n".join(self.draft.extra_trailers),
                id="extra_trailers",
                soft_wrap=False,
                compact=True,
                show_line_numbers=False,
                tab_behavior="focus",
            )

    def _value(self, name: str) -> str:
        value = getattr(self.draft, name)
        if name == "signoff" and value.lower().startswith("signed-off-by:"):
            value = value.split(":", 1)[1].strip()
        return value.replace("\n", "; ")

    def on_mount(self) -> None:
        self._load_candidates()

    @work(thread=True, exclusive=True, group="fixes")
    def _load_candidates(self) -> None:
        candidates = self.session.suggest_fixes()
        rows = [(c.trailer.split(":", 1)[1].strip(), c.reason) for c in candidates]
        self.app.call_from_thread(self._show_candidates, rows, "no blame candidates")

    @work(thread=True, exclusive=True, group="fixes")
    def _search(self, query: str) -> None:
        rows = [
            (f'{sha[:12]} ("{subject}")', "") for sha, subject in self.session.search_commits(query)
        ]
        self.app.call_from_thread(self._show_candidates, rows, "no matching subjects")

    @work(thread=True, exclusive=True, group="fixes-canonical")
    def _offer_canonical(self, value: str) -> None:
        canonical = self.session.canonical_fixes(value)
        if canonical is not None:
            self.app.call_from_thread(
                self._show_candidates, [(canonical, "the commit you typed; Enter uses it")], ""
            )

    def _show_candidates(self, rows: list[tuple[str, str]], empty: str) -> None:
        options = self.query_one("#fixes-candidates", OptionList)
        options.clear_options()
        if not rows:
            options.add_option(Option(empty, disabled=True))
            return
        for value, reason in rows:
            label = f"{value}  ({reason})" if reason else value
            options.add_option(Option(plain_line(label), id=value))
        # Enter on the list picks at once: no Down press needed first.
        options.highlighted = 0

    def shown(self) -> None:
        self.focus_now(self.query_one("#fixes", Input))

    def load_draft(self, draft: Draft) -> None:
        for name, _, _ in FIELDS:
            self.query_one(f"#{name}", Input).value = self._value(name)
        self.query_one("#cc_stable", Checkbox).value = draft.cc_stable
        self.query_one("#extra_trailers", TextArea).load_text("\n".join(draft.extra_trailers))

    def focus_field(self, field: str, row: int, column: int = 0) -> None:
        ids = {name for name, _, _ in FIELDS} | {"cc_stable", "extra_trailers"}
        widget = self.query_one(f"#{field if field in ids else 'fixes'}")
        self.focus_now(widget)
        widget.scroll_visible()

    def on_input_changed(self, event: Input.Changed) -> None:
        name = event.input.id
        if name == "fixes-search":
            event.stop()
            if len(event.value.strip()) >= 3:
                self._search(event.value)
            elif not event.value.strip():
                self._load_candidates()
            return
        if name not in {field for field, _, _ in FIELDS}:
            return
        value = event.value
        if name == "fixes" and value.strip():
            self._offer_canonical(value)
        if name == "signoff" and value.strip():
            value = f"Signed-off-by: {value.strip()}"
        setattr(self.draft, name, value)
        self.changed()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id == "extra_trailers":
            self.draft.extra_trailers = event.text_area.text.split("\n")
            self.changed()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "cc_stable":
            self.draft.cc_stable = event.value
            self.changed()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id != "fixes-candidates" or not event.option.id:
            return
        event.stop()
        fixes = self.query_one("#fixes", Input)
        fixes.value = event.option.id
        self.focus_now(fixes)
