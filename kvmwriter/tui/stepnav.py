"""Step navigation shared by the drafting and the cover-letter apps."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding
from textual.widgets import ContentSwitcher

from kvmwriter.tui.hosts import AppMixin
from kvmwriter.tui.screens.help import HelpScreen
from kvmwriter.tui.widgets.lint import LintPanel
from kvmwriter.tui.widgets.stepbar import StepBar


def step_bindings(steps: tuple) -> list[Binding]:
    """The keys every step app shares: F1 help, ctrl+n/ctrl+p, F2.. per step."""
    return [
        Binding("f1", "help", "Help", priority=True),
        Binding("ctrl+n", "next_step", "Next", priority=True),
        Binding("ctrl+p", "previous_step", "Prev", priority=True),
        *(
            Binding(f"f{index}", f"goto('{step.STEP_ID}')", step.TITLE, show=False, priority=True)
            for index, step in enumerate(steps, start=2)
        ),
    ]


class StepNavigation(AppMixin):
    """Switch between step panels; mix into an App before ``App``.

    The app sets ``STEPS`` (panel classes with a ``STEP_ID``, a ``HELP``
    page and a ``shown()`` hook) and composes a ``ContentSwitcher`` with id
    ``steps``, a :class:`StepBar` and a :class:`LintPanel`.
    """

    STEPS: ClassVar[tuple] = ()

    @property
    def current_step(self) -> str:
        return self.query_one("#steps", ContentSwitcher).current or self.STEPS[0].STEP_ID

    def show_step(self, step_id: str) -> None:
        switcher = self.query_one("#steps", ContentSwitcher)
        if switcher.current and switcher.current != step_id:
            leaving = self.query_one(f"#{switcher.current}")
            if hasattr(leaving, "left"):
                leaving.left()
        switcher.current = step_id
        self.query_one(StepBar).current = step_id
        shown = self.query_one(f"#{step_id}")
        shown.shown()  # type: ignore[attr-defined]  # every step panel has shown()

    def action_goto(self, step_id: str) -> None:
        self.show_step(step_id)

    def _step_offset(self, delta: int) -> None:
        ids = [step.STEP_ID for step in self.STEPS]
        index = ids.index(self.current_step)
        self.show_step(ids[max(0, min(len(ids) - 1, index + delta))])

    def action_next_step(self) -> None:
        self._step_offset(1)

    def action_previous_step(self) -> None:
        self._step_offset(-1)

    def action_help(self) -> None:
        """Toggle the handbook's words for the current step."""
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        step = next(s for s in self.STEPS if self.current_step == s.STEP_ID)
        self.push_screen(HelpScreen(step.HELP, self.key_list()))

    def key_list(self) -> list[tuple[str, str]]:
        """The keys that work here (the focused field's, the step's, the app's)."""
        keys: list[tuple[str, str]] = []
        seen: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            keys.append((self.get_key_display(binding), binding.description))
        return keys

    def action_focus_lint(self) -> None:
        self.query_one(LintPanel).focus_list()
