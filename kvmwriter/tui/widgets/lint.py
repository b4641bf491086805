"""The lint panel: findings for the message as it is being typed.

Linting runs in a thread worker after a short pause in typing (debounce);
a newer edit supersedes an older run, so a keystroke never waits for the
rules.  Selecting a finding asks the app to jump to the spot.
"""

from __future__ import annotations

import time
from typing import cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kvmwriter.lint.findings import Finding, Severity
from kvmwriter.tui.hosts import LintHost
from kvmwriter.tui.plain import plain_line
from kvmwriter.tui.widgets.grammar import GrammarRunner

#: Pause after the last keystroke before the rules run (seconds).
DEBOUNCE = 0.15

_MARK = {
    Severity.ERROR: ("E", "bold red"),
    Severity.WARNING: ("W", "yellow"),
    Severity.INFO: ("I", "cyan"),
}


def summaries() -> dict[str, str]:
    from kvmwriter.lint.rules import catalog

    return {name: rule.summary for name, rule in catalog().items()}


class LintPanel(Vertical):
    BINDINGS = [Binding("f", "apply_fix", "Apply this fix")]

    @property
    def host(self) -> LintHost:
        """The app this panel lints for (every app with a findings panel is one)."""
        return cast(LintHost, self.app)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._timer: Timer | None = None
        self._generation = 0
        self._summaries: dict[str, str] | None = None
        self.findings: list[Finding] = []
        #: Seconds the last lint run took (rules plus panel update).
        self.last_latency = 0.0
        self.runs = 0
        #: LanguageTool in its own worker; its findings join the rules'.
        self.grammar = GrammarRunner(self)
        self._rule_findings: list[Finding] = []
        #: The finding shown with its rule's summary (the highlighted one).
        self._explained: int | None = None

    def compose(self) -> ComposeResult:
        yield Static("Findings: checking...", id="lint-title")
        yield OptionList(id="lint-list")

    def schedule(self, delay: float = DEBOUNCE) -> None:
        """Lint again ``delay`` seconds from now, replacing a pending run."""
        if self._timer is not None:
            self._timer.stop()
        self.grammar.cancel()
        self._generation += 1
        generation = self._generation
        if delay <= 0:
            self._start(generation)
        else:
            self._timer = self.set_timer(delay, lambda: self._start(generation))

    def _start(self, generation: int) -> None:
        if generation != self._generation:
            return
        text, _ = self.host.session.message_with_origins()
        self._lint(text, generation, time.perf_counter())
        self.grammar.start(text, generation)

    @work(thread=True, exclusive=True, group="lint")
    def _lint(self, text: str, generation: int, started: float) -> None:
        try:
            findings = self.host.session.lint(text)
        except Exception as error:  # noqa: BLE001 - a rule bug must not take the editor down
            self.app.call_from_thread(self.app.notify, f"Lint failed: {error}", severity="error")
            return
        if self._summaries is None:
            self._summaries = summaries()
        self.app.call_from_thread(self._show, findings, generation, started)

    def _show(self, findings: list[Finding], generation: int, started: float) -> None:
        if generation != self._generation:
            return  # superseded by a newer edit
        self._rule_findings = findings
        findings = sorted(findings + self.grammar.findings)
        self.findings = findings
        errors = sum(1 for f in findings if f.severity == Severity.ERROR)
        warnings = sum(1 for f in findings if f.severity == Severity.WARNING)
        notes = len(findings) - errors - warnings
        title = self.query_one("#lint-title", Static)
        if findings:
            counts = f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"
            if notes:
                counts += f", {notes} info"
            heading = f"Findings: {counts} (ctrl+l, enter jumps to the spot)"
        else:
            heading = "Findings: none, the message passes every rule"
        if self.grammar.status:
            heading += f"  |  {self.grammar.status}"
        title.update(plain_line(heading))  # the grammar status is a server's text
        options = self.query_one("#lint-list", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        self._explained = None
        options.add_options([self._option(index, f) for index, f in enumerate(findings)])
        if highlighted is not None and findings:
            options.highlighted = min(highlighted, len(findings) - 1)
        self.set_class(bool(errors), "-errors")
        self.runs += 1
        self.last_latency = time.perf_counter() - started
        self.host.lint_updated(findings)

    def grammar_done(self, generation: int, findings: list[Finding], status: str | None) -> None:
        """The grammar worker finished: show its findings beside the rules'."""
        if generation != self._generation:
            return
        self.grammar.findings = findings
        self.grammar.status = status
        self._show(self._rule_findings, generation, time.perf_counter())

    def on_unmount(self) -> None:
        self.grammar.stop()

    def _option(self, index: int, finding: Finding) -> Option:
        return Option(self._prompt(finding), id=f"finding-{index}")

    def _prompt(self, finding: Finding, *, explain: bool = False) -> Text:
        """One finding; ``explain`` adds its rule's summary (shown on demand)."""
        mark, style = _MARK.get(finding.severity, ("?", ""))
        text = Text(no_wrap=False)
        text.append(f"{mark} ", style=style)
        text.append(f"{finding.line}:{finding.column} ", style="dim")
        text.append(finding.rule, style="bold")
        text.append_text(plain_line(f" {finding.message}"))
        why = (self._summaries or {}).get(finding.rule, "") if explain else ""
        if why:
            text.append(f" - {why}", style="dim italic")
        if explain and finding.fix is not None:
            # The fix shows with the explanation, on the highlighted finding only.
            kind = "safe fix" if finding.fix.safe else "fix to check"
            text.append(f"\n  f: {kind}: ", style="green" if finding.fix.safe else "magenta")
            text.append(finding.fix.description or "apply the rule's edit")
        return text

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # Explain only the highlighted finding: a summary on every line lets
        # only two findings fit in an 80x24 terminal.
        event.stop()
        options = event.option_list
        for index in (self._explained, event.option_index):
            if index is not None and 0 <= index < min(len(self.findings), options.option_count):
                options.replace_option_prompt_at_index(
                    index, self._prompt(self.findings[index], explain=index == event.option_index)
                )
        self._explained = event.option_index

    def action_apply_fix(self) -> None:
        """Apply the highlighted finding's fix alone (the app maps it to its fields)."""
        options = self.query_one("#lint-list", OptionList)
        index = options.highlighted
        if index is None or not 0 <= index < len(self.findings):
            return
        apply = getattr(self.app, "apply_fix", None)
        if apply is not None:
            apply(self.findings[index])

    def focus_list(self) -> None:
        options = self.query_one("#lint-list", OptionList)
        options.focus()
        if options.option_count and options.highlighted is None:
            options.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = event.option_index
        if 0 <= index < len(self.findings):
            self.host.jump_to(self.findings[index])


def _count(number: int, noun: str) -> str:
    """``1 error``, ``2 errors``, ``0 errors``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
