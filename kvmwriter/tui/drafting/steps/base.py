"""What every step panel of the drafting app offers it."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from kvmwriter.compose.commit import Draft
from kvmwriter.tui.widgets.steppanel import StepPanel

if TYPE_CHECKING:
    from kvmwriter.compose.session import DraftSession
    from kvmwriter.tui.drafting.app import DraftApp


class DraftStep(StepPanel):
    """A step of the drafting app: the session is a commit's."""

    @property
    def host(self) -> DraftApp:
        """The drafting app this step belongs to."""
        return cast("DraftApp", self.app)

    @property
    def session(self) -> DraftSession:
        return self.host.session

    @property
    def draft(self) -> Draft:
        return self.host.session.draft
