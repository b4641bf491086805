"""Apply findings' fixes to a TextArea, the way every app does it.

The text comes from :mod:`kvmwriter.lint.autofix`; this module only writes
it back into the editor: as one replacement of the changed stretch, so the
cursor stays where the text did not change and ctrl+z undoes the fixes in
one step.  An app binds a key to :func:`fix_all_in` (all safe fixes until
nothing changes) and lets a finding apply its own fix with
:func:`fix_one_in`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kvmwriter.tui.hosts import AppMixin

if TYPE_CHECKING:
    # The apps mix FieldFixing in before their first frame, which shows no
    # text area: the text area and the fixers are imported when a key fixes.
    from textual.widgets import TextArea

    from kvmwriter.lint.autofix import FixRun, Lint
    from kvmwriter.lint.findings import Finding


def replace_text(area: TextArea, new: str) -> bool:
    """Make ``area`` hold ``new`` by replacing only the stretch that differs.

    Return whether anything changed.
    """
    old = area.text
    if old == new:
        return False
    if "\r" in old or "\r" in new:
        area.replace(new, (0, 0), area.document.end)
        return True
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    area.replace(
        new[prefix : len(new) - suffix], _location(old, prefix), _location(old, len(old) - suffix)
    )
    return True


def _location(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    row = before.count("\n")
    return row, offset - (before.rfind("\n") + 1)


def fix_all_in(
    area: TextArea,
    lint: Lint,
    *,
    unsafe: bool = False,
    accept: Callable[[Finding], bool] | None = None,
) -> FixRun:
    """Apply every safe fix (``unsafe``: every fix) to ``area`` until
    nothing changes; ``lint`` lints a text the way the app does."""
    from kvmwriter.lint.autofix import fix_all

    run = fix_all(area.text, lint, unsafe=unsafe, accept=accept)
    replace_text(area, run.text)
    return run


def fix_one_in(area: TextArea, finding: Finding) -> bool:
    """Apply ``finding``'s fix alone; False when it no longer fits the text."""
    from kvmwriter.lint.autofix import fix_one

    result = fix_one(area.text, finding)
    return result.changed and replace_text(area, result.text)


class FieldFixing(AppMixin):
    """Fix keys for an app that composes its message from draft fields.

    The app provides ``session`` (with ``draft`` and ``lint(text)``),
    ``load_draft(draft)`` and ``compose_draft(draft) -> (text, origins)``;
    ctrl+f applies every safe fix until nothing changes, and a finding in
    the findings panel applies its own fix (``f``), both through the
    fields the lines came from.
    """

    if TYPE_CHECKING:
        session: Any

        def compose_draft(self, draft: Any) -> tuple[str, list[Any]]: ...

        def load_draft(self, draft: Any) -> None: ...

    def action_fix_all(self) -> None:
        from kvmwriter.compose.fixback import fix_draft

        result = fix_draft(self.session.draft, self.compose_draft, self.session.lint)
        if result.changed:
            self.load_draft(result.draft)
        self.notify(
            field_fix_summary(result), severity="information" if result.changed else "warning"
        )

    def apply_fix(self, finding: Finding) -> bool:
        """Apply ``finding``'s fix alone (safe or not: the author chose it)."""
        from kvmwriter.compose.fixback import fix_finding_in_draft

        if finding.fix is None:
            self.notify("This finding has no fix; edit the text yourself.", severity="warning")
            return False
        result = fix_finding_in_draft(self.session.draft, self.compose_draft, finding)
        if not result.changed:
            self.notify(
                "The fix no longer fits the text, or no field holds that line.", severity="warning"
            )
            return False
        self.load_draft(result.draft)
        self.notify(f"Applied: {finding.fix.description or finding.rule}")
        return True


def field_fix_summary(result) -> str:
    """One line for a notification: what the fixes did to the fields."""
    if not result.changed:
        return (
            "No safe fix to apply."
            if not result.unmapped
            else ("No fix could be applied to the fields; see the findings.")
        )
    note = (
        f"Applied fixes to {result.mapped} line{'s' if result.mapped != 1 else ''} "
        f"({', '.join(result.rules)})."
    )
    if result.unmapped:
        note += f" {result.unmapped} changed line(s) belong to no field; left as they are."
    return note


def fixed_summary(run: FixRun) -> str:
    """One line for a notification: what the fixes did."""
    if not run.changed:
        return "No safe fix to apply."
    count = len(run.applied)
    rules = ", ".join(run.rules)
    return f"Applied {count} fix{'es' if count != 1 else ''} ({rules})."


__all__ = [
    "FieldFixing",
    "field_fix_summary",
    "fix_all_in",
    "fix_one_in",
    "fixed_summary",
    "replace_text",
]
