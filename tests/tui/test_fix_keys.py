"""The apps' fix keys: ctrl+f applies every safe fix to the fields, f one finding's fix."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from kvmwriter.compose.commit import Draft, compose_with_origins
from kvmwriter.compose.fixback import fields_from_fixed

from .conftest import choose_topic, settle

SIZE = (100, 30)


async def test_ctrl_f_settles_the_issue_example_in_one_press(demo_repo, make_app):
    app = make_app(demo_repo, store=False)
    async with app.run_test(size=SIZE) as pilot:
        await choose_topic(pilot, "KVM: x86:")
        app.session.draft.prefix = "kvm: svm:"
        app.query_one("#summary", Input).value = "fixed efer handling."
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert app.session.draft.subject == "KVM: SVM: Fixed efer handling"
        assert app.query_one("#summary", Input).value == "Fixed efer handling"
        rules = {f.rule for f in app.findings}
        assert not rules & {
            "subject-topic-case",
            "subject-capitalization",
            "subject-trailing-punctuation",
        }
        assert "subject-mood" in rules  # Unsafe: left for the author.


async def test_f_in_the_findings_applies_that_findings_fix_alone(demo_repo, make_app):
    app = make_app(demo_repo, store=False)
    async with app.run_test(size=SIZE) as pilot:
        await choose_topic(pilot, "KVM: x86:")
        app.query_one("#summary", Input).value = "fixed the checks."
        await settle(pilot)
        await pilot.press("ctrl+l")
        lint = app.query_one("#lint-list", OptionList)
        index = next(i for i, f in enumerate(app.findings) if f.rule == "subject-mood")
        lint.highlighted = index
        await pilot.pause()
        # The highlighted finding shows its fix with its explanation.
        option = str(lint.get_option_at_index(index).prompt)
        assert "fix to check" in option and "use the imperative 'fix'" in option
        await pilot.press("f")
        await settle(pilot)
        # Only the mood changed: the period and the case stay for their own fixes.
        assert app.session.draft.summary == "fix the checks."
        rules = {f.rule for f in app.findings}
        assert "subject-mood" not in rules and "subject-trailing-punctuation" in rules


def test_fixed_lines_go_back_to_the_fields_they_came_from():
    draft = Draft(
        prefix="KVM: x86:",
        summary="Fix a leak",
        what="Call kvm_foo in bar.",
        extra_trailers=["Signed-of-by: Ada Tester <ada@example.org>"],
        fixes='0123456789ab ("KVM: x86: Old")',
    )
    text, origins = compose_with_origins(draft)
    fixed = (
        text.replace("Call kvm_foo in", "Call kvm_foo() in")
        .replace("Signed-of-by:", "Signed-off-by:")
        .replace('("KVM: x86: Old")', '("KVM: x86: New")')
    )
    result = fields_from_fixed(draft, text, fixed, origins)
    assert result.draft.what == "Call kvm_foo() in bar."
    assert result.draft.extra_trailers == ["Signed-off-by: Ada Tester <ada@example.org>"]
    assert result.draft.fixes == '0123456789ab ("KVM: x86: New")'
    assert result.mapped == 3 and result.unmapped == 0
    assert draft.what == "Call kvm_foo in bar."  # The original draft is untouched.
