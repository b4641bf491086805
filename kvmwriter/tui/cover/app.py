"""The cover-letter App: five steps over a CoverSession, with live lint."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding

from kvmwriter.compose.cover import CoverDraft, CoverError
from kvmwriter.compose.draft_store import DraftStore
from kvmwriter.errors import UserError
from kvmwriter.lint.findings import Finding
from kvmwriter.tui.cover.keys import StableKeysScreen
from kvmwriter.tui.fixing import FieldFixing
from kvmwriter.tui.paintfirst import PaintFirstSteps
from kvmwriter.tui.plain import PlainNotifications
from kvmwriter.tui.stepnav import StepSpec, step_bindings
from kvmwriter.tui.widgets.steppanel import StepPanel

_COVER = "kvmwriter.tui.cover"

#: The steps in order; the first frame imports only the subject step's module.
STEPS = (
    StepSpec("subject", "Subject", "cover-subject", f"{_COVER}.subject:SubjectStep"),
    StepSpec("summary-step", "Summary", "cover-summary", f"{_COVER}.steps:SummaryStep"),
    StepSpec("testing", "Testing", "cover-testing", f"{_COVER}.steps:TestingStep"),
    StepSpec("versions", "Versions", "cover-versions", f"{_COVER}.steps:VersionsStep"),
    StepSpec("review", "Review", "cover-review", f"{_COVER}.steps:ReviewStep"),
)

#: Which step owns each field of the rendered cover.
FIELD_STEP = {
    "subject": "subject",
    "what": "summary-step",
    "background": "summary-step",
    "testing": "testing",
    "previous": "versions",
    "changes": "versions",
    "generated": "review",
}

#: Cover rules anchor at the subject, but the fix lives in a step of its own.
RULE_STEP = {
    "cover-testing-missing": ("testing", "testing"),
    "cover-version-links": ("versions", "previous"),
    "cover-rfc-feedback": ("summary-step", "what"),
}


class CoverApp(PlainNotifications, FieldFixing, PaintFirstSteps, App[str | None]):
    """Exit value: one line saying what was written, or None on quit.

    A session still reading its series (``kvmwriter cover``) paints the
    subject step first and fills in the series when it is read; a series
    that cannot be read ends the app with ``failure`` set.
    """

    STEPS = STEPS
    CSS_PATH = "cover.tcss"
    TITLE = "kvmwriter cover"
    ENABLE_COMMAND_PALETTE = False

    BINDINGS: ClassVar = [
        *step_bindings(STEPS),
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+d", "description", "Description", priority=True),
        Binding("ctrl+y", "copy", "Copy", priority=True),
        Binding("ctrl+l", "focus_lint", "Findings", priority=True),
        Binding("ctrl+f", "fix_all", "Fix all", priority=True),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self, session, *, store: DraftStore | None = None, autosave_delay: float | None = None
    ) -> None:
        super().__init__()
        self.session = session
        self.findings: list[Finding] = []
        #: What the app wrote so far, reported on exit.
        self.done: list[str] = []
        #: Why the app ended without a cover: the series could not be read.
        self.failure: UserError | None = None
        self.init_autosave(store, autosave_delay)

    def get_default_screen(self) -> StableKeysScreen:
        return StableKeysScreen(id="_default")

    def compose(self) -> ComposeResult:
        yield from self.compose_step_app(self.session.series.branch or "")

    def on_mount(self) -> None:
        self.start_steps(lint=not self.session.loading)
        self.offer_stored_draft()

    def reading_applied(self) -> None:
        self.each_step("#subject", "session_read")

    def reading_failed(self, error: UserError) -> None:
        self.failure = error
        self.exit(None, return_code=2)

    # -- the draft ------------------------------------------------------------

    def draft_from_json(self, data: dict) -> CoverDraft:
        """The stored typed fields over this run's series (count, checklist, git's parts)."""
        import copy

        draft = copy.deepcopy(self.session.draft)
        prefix = draft.prefix
        draft.apply_json(data)
        if not draft.prefix.strip():
            # Stored before the series was read: the prefix was never picked.
            draft.prefix = prefix
        return draft

    def load_draft(self, draft: CoverDraft) -> None:
        # A draft offered before the series was read lacks what the reading
        # filled in (the checklist, git's parts): build it on today's draft.
        super().load_draft(self.draft_from_json(draft.to_json()))

    def compose_draft(self, draft: CoverDraft):
        """``(text, origins)`` of ``draft`` as the session renders its own."""
        return draft.render_with_origins(checkboxes=False)

    def lint_updated(self, findings: list[Finding]) -> None:
        self.findings = findings
        self.each_step("#review", "refresh_message")

    def jump_to(self, finding: Finding) -> None:
        if finding.rule in RULE_STEP:
            step_id, field = RULE_STEP[finding.rule]
            self.show_step(step_id)
            self.query_one(f"#{step_id}", StepPanel).focus_field(field, 0)
            return
        _, origins = self.session.message_with_origins()
        index = finding.line - 1
        origin = origins[index] if 0 <= index < len(origins) else None
        field = origin.field if origin is not None else "generated"
        step_id = FIELD_STEP.get(field, "review")
        self.show_step(step_id)
        self.query_one(f"#{step_id}", StepPanel).focus_field(field, origin.row if origin else 0)

    # -- output ---------------------------------------------------------------

    def action_save(self) -> None:
        try:
            path = self.session.save()
        except CoverError as error:
            self.notify(str(error), severity="error")
            return
        self.mark_saved()
        self.done.append(f"wrote the cover letter to {path}")
        self.notify(f"Saved to {path}")

    def action_description(self) -> None:
        try:
            branch = self.session.store_description()
        except CoverError as error:
            self.notify(str(error), severity="error")
            return
        self.mark_saved()
        self.done.append(
            f"stored the cover in branch.{branch}.description (use "
            "git format-patch --cover-from-description=subject)"
        )
        self.notify(f"Stored as the description of {branch}")

    def action_copy(self) -> None:
        from kvmwriter.compose.clipboard import copy_text

        text = self.session.message()
        reason = copy_text(text)
        if reason is not None:
            # Over SSH there is no clipboard tool: the terminal's OSC 52 may work.
            self.copy_to_clipboard(text)
            self.notify("Copied through the terminal (OSC 52)")
        else:
            self.notify("Copied the cover letter")
        self.done.append("copied the cover letter")

    async def action_quit(self) -> None:
        self.save_pending()
        self.exit("; ".join(self.done) or None)
