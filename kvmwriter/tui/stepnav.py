"""Step navigation shared by the drafting and the cover-letter apps."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import ClassVar

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Footer

from kvmwriter.tui.hosts import AppMixin
from kvmwriter.tui.screens.help import HelpScreen
from kvmwriter.tui.widgets.lint import LintPanel
from kvmwriter.tui.widgets.stepbar import StepBar


@dataclass(frozen=True)
class StepSpec:
    """A step as an app lists it, before its panel's module is imported.

    The step bar, the F-keys and help need only the id, title and help
    page; importing every step's widgets before the first frame cost the
    drafting app more than its first step.  ``panel`` is
    ``"package.module:Class"``, imported by :meth:`load` when the step is
    first mounted.  The panel class repeats ``STEP_ID``, ``TITLE`` and
    ``HELP`` (a test checks they agree).
    """

    STEP_ID: str
    TITLE: str
    HELP: str
    panel: str

    def load(self) -> type[Widget]:
        """The step's panel class (its module is imported on the first call)."""
        module, _, name = self.panel.partition(":")
        return getattr(importlib.import_module(module), name)


def step_bindings(steps: tuple[StepSpec, ...]) -> list[Binding]:
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


def each_step(app: App, kind: type[Widget] | str, method: str, *args: object) -> None:
    """Call ``method`` on the step panels ``kind`` (a class or a selector) matches in ``app``.

    A step still mounting gets the call once its widgets exist; one not in
    the app yet composes from the session as it stands when it mounts.
    """
    for panel in app.query(kind):
        call = getattr(panel, method)
        if panel.is_mounted:
            call(*args)
        else:
            panel.call_later(call, *args)


class StepNavigation(AppMixin):
    """Switch between step panels; mix into an App before ``App``.

    The app sets ``STEPS`` (:class:`StepSpec` of panels with a ``shown()``
    hook) and composes a ``ContentSwitcher`` with id
    ``steps``, a :class:`StepBar` and a :class:`LintPanel`.
    """

    STEPS: ClassVar[tuple[StepSpec, ...]] = ()

    #: Steps not mounted yet (see :meth:`compose_steps`).
    _unmounted_steps: list[StepSpec] = []

    # -- layout and paint first ----------------------------------------------

    def compose_step_app(self, where: str) -> ComposeResult:
        """The layout every step app shares: step bar, steps, findings, keys."""
        yield StepBar([(step.STEP_ID, step.TITLE) for step in self.STEPS], where)
        with ContentSwitcher(initial=self.STEPS[0].STEP_ID, id="steps"):
            yield from self.compose_steps()
        yield LintPanel(id="lint")
        yield Footer()

    def start_steps(self, *, lint: bool = True) -> None:
        """Show the first step, then lint once the first frame is out
        (loading the rules takes a while).  Without ``lint``, the app
        schedules the first lint itself (once its session is read)."""
        self.show_step(self.STEPS[0].STEP_ID)
        if lint:
            self.call_after_refresh(self.query_one(LintPanel).schedule, 0)

    def compose_steps(self) -> ComposeResult:
        """Yield the first step; keep the others to mount after the first frame.

        Importing and mounting every step's widgets before the first paint
        costs more than the rest of the start-up together, and only the
        first step is seen.  The others are imported and mounted right
        after the first frame, or at once when an input event arrives
        first, so a key never finds its step missing.
        """
        first, *rest = self.STEPS
        yield first.load()(id=first.STEP_ID)
        self._unmounted_steps = list(rest)
        self.call_after_refresh(self.after_first_frame)

    async def after_first_frame(self) -> None:
        """Mount the other steps; an app that reads more first overrides this."""
        await self.mount_steps()

    async def mount_steps(self) -> None:
        """Mount the steps :meth:`compose_steps` kept back (once)."""
        pending, self._unmounted_steps = self._unmounted_steps, []
        if not pending:
            return
        panels = []
        for step in pending:
            panel = step.load()(id=step.STEP_ID)
            panel.display = False
            panels.append(panel)
        await self.query_one("#steps", ContentSwitcher).mount_all(panels)

    def each_step(self, kind: type[Widget] | str, method: str, *args: object) -> None:
        each_step(self, kind, method, *args)

    async def on_event(self, event: events.Event) -> None:
        # Mount the remaining steps before the first key or click is
        # handled: the key may go to one of them (F3, then typing).
        if (
            self._unmounted_steps
            and isinstance(event, events.InputEvent)
            and self.needs_other_steps(event)
        ):
            await self.mount_steps()
        await super().on_event(event)

    def needs_other_steps(self, event: events.InputEvent) -> bool:
        """Whether ``event`` may reach a step not mounted yet (any input may)."""
        return True

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
