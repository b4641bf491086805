"""The one-line bar naming the five steps and the key that opens each."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from kvmwriter.text.terminal import visible_line


class StepBar(Static):
    current: reactive[str] = reactive("", layout=False)

    def __init__(self, steps: list[tuple[str, str]], where: str = "") -> None:
        super().__init__(id="stepbar")
        self.steps = steps
        self.where = where

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, (step_id, title) in enumerate(self.steps):
            style = "reverse bold" if step_id == self.current else ""
            text.append(f" F{index + 2} ", style=style if style else "dim")
            text.append(f"{title} ", style=style)
        if self.where:
            # The branch and directory names are git's: show, never obey.
            text.append(f"  {visible_line(self.where)}", style="italic dim")
        return text
