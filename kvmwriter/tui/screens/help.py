"""The handbook's words for the current step (assets/help/<step>.md)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer


def help_text(name: str) -> str:
    from kvmwriter.lint.profile import ProfileError, assets_dir

    try:
        return (assets_dir() / "help" / f"{name}.md").read_text(encoding="utf-8")
    except (OSError, ProfileError):
        return f"# Help\n\nNo help text found for {name!r}."


def keys_table(keys: list[tuple[str, str]]) -> str:
    """A Markdown table of ``(key, what it does)`` pairs, or ""."""
    if not keys:
        return ""
    rows = [f"| `{key}` | {_cell(description)} |" for key, description in keys]
    return "\n".join(["## Keys", "", "| Key | Does |", "| --- | --- |", *rows, ""])


def _cell(text: str) -> str:
    # Binding descriptions are ours, but keep a table cell a cell.
    return text.replace("|", "\\|").replace("\n", " ")


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q", "close", "Close"), Binding("f1", "close", "Close")]

    def __init__(self, name: str, keys: list[tuple[str, str]] | None = None) -> None:
        super().__init__()
        self.help_name = name
        self.keys = keys or []

    def compose(self) -> ComposeResult:
        # Markdown pulls in markdown_it: pay for it when help opens, not at
        # every app's start.
        from textual.widgets import Markdown

        with VerticalScroll(id="help-scroll", classes="dialog"):
            text = help_text(self.help_name)
            table = keys_table(self.keys)
            yield Markdown(f"{text.rstrip()}\n\n{table}" if table else text, id="help-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)
