"""The drafting app: five steps from the staged change to a commit.

The App only lays the steps out, switches between them, keeps the draft
saved and routes a selected finding to the field that produced it.  Each
step is a module in ``steps/``; the message itself is built by
:mod:`kvmwriter.compose.commit` through :class:`kvmwriter.compose.session.DraftSession`.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding

from kvmwriter.compose.commit import Draft
from kvmwriter.compose.draft_store import DraftStore
from kvmwriter.compose.session import DraftSession
from kvmwriter.errors import UserError
from kvmwriter.lint.findings import Finding
from kvmwriter.tui.autosave import save_on_termination
from kvmwriter.tui.drafting.steps.topic import TopicStep
from kvmwriter.tui.fixing import FieldFixing
from kvmwriter.tui.outcome import Outcome
from kvmwriter.tui.paintfirst import PaintFirstSteps
from kvmwriter.tui.plain import PlainNotifications
from kvmwriter.tui.stepnav import StepSpec, step_bindings
from kvmwriter.tui.widgets.steppanel import StepPanel

_STEPS_PACKAGE = "kvmwriter.tui.drafting.steps"

#: The steps in order; only the first one's module is imported before the
#: first frame (each step's widgets import what it shows).
STEPS = (
    StepSpec("topic", "Topic", "topic", f"{_STEPS_PACKAGE}.topic:TopicStep"),
    StepSpec("changelog", "Changelog", "changelog", f"{_STEPS_PACKAGE}.changelog:ChangelogStep"),
    StepSpec("tags", "Tags", "tags", f"{_STEPS_PACKAGE}.tags:TagsStep"),
    StepSpec("testing", "Testing", "testing", f"{_STEPS_PACKAGE}.testing:TestingStep"),
    StepSpec("review", "Review", "review", f"{_STEPS_PACKAGE}.review:ReviewStep"),
)

#: Which step owns each draft field (a finding on its line jumps there).
FIELD_STEP = {
    "summary": "topic",
    "prefix": "topic",
    "what": "changelog",
    "why": "changelog",
    "fixes": "tags",
    "cc_stable": "tags",
    "link": "tags",
    "closes": "tags",
    "reported_by": "tags",
    "suggested_by": "tags",
    "co_developed_by": "tags",
    "signoff": "tags",
    "extra_trailers": "tags",
    "testing_notes": "testing",
    "notes": "review",
    "": "review",
}


class DraftApp(PlainNotifications, FieldFixing, PaintFirstSteps, App[Outcome]):
    STEPS = STEPS
    CSS_PATH = "app.tcss"
    TITLE = "kvmwriter"
    ENABLE_COMMAND_PALETTE = False

    BINDINGS = [
        *step_bindings(STEPS),
        Binding("ctrl+l", "focus_lint", "Findings", priority=True),
        Binding("ctrl+f", "fix_all", "Fix all", priority=True),
        Binding("ctrl+q", "quit", "Quit", priority=True),
        # Move focus before later keys are dispatched: keys typed (or pasted)
        # right after Tab must land in the next field, not the previous one.
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
    ]

    def __init__(
        self,
        session: DraftSession,
        *,
        store: DraftStore | None = None,
        autosave_delay: float | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.init_autosave(store, autosave_delay)
        #: How the last copy reached the clipboard: "pyperclip" or "osc52".
        self.last_copy_method: str | None = None
        self.findings: list[Finding] = []

    @property
    def edit_mode(self) -> bool:
        return self.session.edit_path is not None

    # -- layout -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield from self.compose_step_app(self._where())

    def _where(self) -> str:
        session = self.session
        if session.edit_path is not None:
            return f"editing {session.edit_path.name}"
        if session.repo is None:
            return session.place.where if session.place is not None else ""
        branch = session.repo.branch() or "detached HEAD"
        return f"{session.repo.root.name} ({branch}){' amend' if session.amend else ''}"

    def on_mount(self) -> None:
        self.start_steps(lint=not self.session.loading)
        self.offer_stored_draft()

    def reading_applied(self) -> None:
        self.query_one(TopicStep).session_read()

    def reading_failed(self, error: UserError) -> None:
        # No rules or no repository: nothing to draft against.
        self.exit(Outcome("failed", str(error)), return_code=2)

    # -- the draft ----------------------------------------------------------

    def draft_from_json(self, data: dict) -> Draft:
        draft = Draft.from_json(data)
        if not draft.signoff:  # A restored draft keeps today's sign-off.
            draft.signoff = self.session.draft.signoff
        return draft

    def load_draft(self, draft: Draft) -> None:
        if not draft.signoff:
            # Offered before the session was read, a restored draft has no
            # sign-off yet: it keeps today's.
            draft.signoff = self.session.draft.signoff
        super().load_draft(draft)

    def compose_draft(self, draft: Draft):
        """``(text, origins)`` of ``draft`` as the session composes its own."""
        from kvmwriter.compose.commit import compose_with_origins

        return compose_with_origins(draft, self.session.testing_summary(), self.session.keep)

    # -- steps -------------------------------------------------------------

    def jump_to(self, finding: Finding) -> None:
        """Show the step and field that produced ``finding``'s line."""
        _, origins = self.session.message_with_origins()
        index = finding.line - 1
        origin = origins[index] if 0 <= index < len(origins) else None
        field = origin.field if origin is not None else ""
        step_id = FIELD_STEP.get(field, "review")
        self.show_step(step_id)
        step = self.query_one(f"#{step_id}", StepPanel)
        column = max(finding.column - 1, 0)
        if origin is not None:
            column += origin.column
        if field == "summary":
            column = max(column - len(self.session.draft.prefix.strip()) - 1, 0)
        step.focus_field(field, origin.row if origin is not None else 0, column)

    def lint_updated(self, findings: list[Finding]) -> None:
        self.findings = findings
        self.query_one(TopicStep).show_findings(findings)
        self.each_step("#review", "refresh_message")

    # -- ending -------------------------------------------------------------

    def finish(self, outcome: Outcome) -> None:
        if self.autosaver is not None:
            self.autosaver.cancel()
        self.exit(outcome, return_code=0 if outcome.action in ("committed", "written") else 1)

    async def action_quit(self) -> None:
        self.save_pending()
        action = "aborted" if self.edit_mode else "quit"
        kept = self.kept_draft()
        # The detail names the draft only when it is on disk as shown.
        self.exit(
            Outcome(action, str(kept) if kept else ""),
            return_code=0 if kept and not self.edit_mode else 1,
        )


def run_app(session: DraftSession, store: DraftStore | None) -> Outcome | None:
    """Run the app in the terminal; the outcome (``None`` when killed)."""
    app = DraftApp(session, store=store)
    save_on_termination(app)
    return app.run()


def session_store(session: DraftSession) -> DraftStore | None:
    """The draft store for the session's repository and branch."""
    repo = session.repo
    if repo is None and session.place is not None:
        # Probed only: the store's place is known before the repository.
        return DraftStore(session.place.git_dir, session.place.branch, "")
    if repo is None:
        return None
    branch = repo.branch()
    if session.edit_path is not None:
        # A reword killed mid-way is offered again when git reopens the editor.
        kind = "edit"
    elif session.amend:
        kind = "amend"
    else:
        kind = ""
    return DraftStore(Path(repo.git_dir), branch, kind)
