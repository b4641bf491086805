"""What the TUI's mixins and shared widgets rely on in the app they live in.

The mixins (:class:`~kvmwriter.tui.stepnav.StepNavigation`,
:class:`~kvmwriter.tui.fixing.FieldFixing`, ...) are mixed into a Textual
``App``; for the type checker they derive from ``App`` so that every call
they make on it is checked against Textual's real API, while at run time
they stay plain classes that the app's MRO places before ``App``.  What
they need beyond Textual's API, each app provides, as the protocols below
say.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from kvmwriter.lint.findings import Finding

if TYPE_CHECKING:
    from textual.app import App

    AppMixin = App[Any]
else:
    AppMixin = object


class LintingSession(Protocol):
    """The session behind an app whose findings panel lints a message."""

    def lint(self, text: str) -> list[Finding]: ...

    def message_with_origins(self) -> tuple[str, Any]: ...


class LintHost(Protocol):
    """The app a :class:`~kvmwriter.tui.widgets.lint.LintPanel` reports to."""

    @property
    def session(self) -> LintingSession: ...

    def lint_updated(self, findings: list[Finding]) -> None: ...

    def jump_to(self, finding: Finding) -> None: ...


class StepHost(Protocol):
    """The app a step panel lives in (the drafting or the cover app)."""

    @property
    def session(self) -> Any: ...

    def draft_changed(self) -> None: ...


__all__ = ["AppMixin", "LintHost", "LintingSession", "StepHost"]
