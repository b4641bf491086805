"""Step 1: the staged files, the suggested topic and the summary."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from kvmwriter.compose.commit import Draft
from kvmwriter.tui.drafting.steps.base import DraftStep
from kvmwriter.tui.plain import PlainInput, plain_line

#: Files listed before "(+N more)".
MAX_FILES = 3


class TopicStep(DraftStep):
    STEP_ID = "topic"
    TITLE = "Topic"
    HELP = "topic"

    def compose(self) -> ComposeResult:
        yield Static(self._files_text(), id="staged-files")
        yield Static(self._evidence_text(), id="topic-evidence")
        yield Label("Topics (shift+tab from Summary, arrows, Enter picks):", classes="field-label")
        yield OptionList(*self._topic_options(), id="topics", compact=True)
        with Horizontal(id="summary-row"):
            yield Label("Summary", id="summary-label")
            yield PlainInput(
                self.draft.summary,
                placeholder="Imperative summary, e.g. Fix a NULL pointer dereference in foo()",
                id="summary",
                compact=True,
            )
        yield Static(id="subject-line")
        yield Static(id="subject-checks")

    def _files_text(self) -> Text:
        files = self.session.files
        if not files and self.session.loading:
            return Text("Staged: reading the staged change...")
        if not files:
            return Text("Staged: nothing")
        shown = ", ".join(files[:MAX_FILES])
        more = f" (+{len(files) - MAX_FILES} more)" if len(files) > MAX_FILES else ""
        return plain_line(f"Staged: {shown}{more}")

    def _evidence_text(self) -> Text:
        if self.session.loading:
            return Text("Suggested topic: reading the files' history...")
        suggestions = self.session.topic_suggestions
        if not suggestions:
            return Text("Suggested topic: none found; pick one below")
        best = suggestions[0]
        evidence = "; ".join(best.evidence[:2]) if best.evidence else ""
        return plain_line(
            f"Suggested: {best.prefix} {f'({evidence})' if evidence else ''}".rstrip()
        )

    def _topic_options(self) -> list[Option]:
        prefixes: list[str] = []
        for suggestion in self.session.topic_suggestions:
            if suggestion.prefix not in prefixes:
                prefixes.append(suggestion.prefix)
        main = self.session.profile.subject.prefix
        for topic in self.session.profile.known_topics:
            prefix = f"{main}: {topic}:"
            if prefix not in prefixes:
                prefixes.append(prefix)
        current = self.draft.prefix.strip()
        if current and current not in prefixes:
            prefixes.insert(0, current)
        # Only the best suggestion is "suggested": a topic that merely shows
        # up in the files' history is no advice.
        best = self.session.topic_suggestions[0].prefix if self.session.topic_suggestions else ""
        return [
            Option(plain_line(f"{p}{'  (suggested)' if p == best else ''}"), id=p) for p in prefixes
        ]

    def on_mount(self) -> None:
        self._select_current()
        self._update_subject()

    def session_read(self) -> None:
        """The session is read: show the suggestion and offer it first.

        The draft's prefix is the suggestion only if the author picked
        none meanwhile (see ``DraftSession.ready``); the summary is theirs.
        """
        self.query_one("#staged-files", Static).update(self._files_text())
        self.query_one("#topic-evidence", Static).update(self._evidence_text())
        topics = self.query_one("#topics", OptionList)
        topics.clear_options()
        topics.add_options(self._topic_options())
        self._select_current()
        self._update_subject()

    def _select_current(self) -> None:
        topics = self.query_one("#topics", OptionList)
        current = self.draft.prefix.strip()
        for index in range(topics.option_count):
            if topics.get_option_at_index(index).id == current:
                topics.highlighted = index
                break

    def shown(self) -> None:
        self.focus_now(self.query_one("#summary", Input))

    def load_draft(self, draft: Draft) -> None:
        self.query_one("#summary", Input).value = draft.summary
        topics = self.query_one("#topics", OptionList)
        prefix = draft.prefix.strip()
        if prefix and all(
            topics.get_option_at_index(i).id != prefix for i in range(topics.option_count)
        ):
            topics.add_option(Option(plain_line(prefix), id=prefix))
        self._select_current()
        self._update_subject()

    def focus_field(self, field: str, row: int, column: int = 0) -> None:
        if field == "prefix":
            self.focus_now(self.query_one("#topics", OptionList))
            return
        summary = self.query_one("#summary", Input)
        self.focus_now(summary)
        # Focusing moves the cursor to the end; place it once focus landed.
        position = min(column, len(summary.value))
        self.call_after_refresh(setattr, summary, "cursor_position", position)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id != "topics":
            return
        event.stop()
        self.draft.prefix = event.option.id or ""
        self._update_subject()
        self.changed()
        self.focus_now(self.query_one("#summary", Input))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "summary":
            return
        self.draft.summary = event.value
        self._update_subject()
        self.changed()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: move a typed or pasted "KVM: topic:" prefix to the topic, go on.

        ``Submitted`` (not a priority binding) arrives after every key typed
        before Enter, so the value read here is complete.
        """
        if event.input.id != "summary":
            return
        event.stop()
        self.take_pasted_prefix()
        self.host.action_next_step()

    def on_input_blurred(self, event: Input.Blurred) -> None:
        if event.input.id == "summary":
            self.take_pasted_prefix()

    def left(self) -> None:
        # ctrl+n, F3 and a jump leave the step without Enter or a blur
        # message arriving first: a pasted prefix must not end up doubled.
        self.take_pasted_prefix()

    def take_pasted_prefix(self) -> None:
        """Move a prefix typed or pasted into the summary to the topic."""
        from kvmwriter.text.message import parse_subject

        subject = parse_subject(self.draft.summary.strip())
        if not subject.prefix:
            return
        self.draft.prefix = subject.prefix
        self.draft.summary = subject.summary
        self.load_draft(self.draft)
        self.changed()

    def show_findings(self, findings) -> None:
        """Show the subject rules' verdict under the summary (line 1 findings)."""
        from kvmwriter.lint.rules import catalog

        rules = catalog()
        subject = sorted(
            (f for f in findings if f.rule in rules and rules[f.rule].group == "subject"),
            key=lambda f: -f.severity,
        )
        checks = self.query_one("#subject-checks", Static)
        if not self.draft.summary.strip():
            checks.update("")
        elif subject:
            first = subject[0]
            more = f" (+{len(subject) - 1} more below)" if len(subject) > 1 else ""
            checks.update(plain_line(f"{first.rule}: {first.message}{more}"))
        else:
            checks.update("Subject: length, case, mood and punctuation all pass")
        checks.set_class(bool(subject), "-findings")

    def _update_subject(self) -> None:
        limit = self.session.profile.subject.max_length
        subject = self.draft.subject
        length = len(subject)
        line = self.query_one("#subject-line", Static)
        line.update(plain_line(f"{length}/{limit}  {subject}"))
        line.set_class(length > limit, "-over")
