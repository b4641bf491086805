"""The drafting app end to end on a real repository: every step and action."""

from __future__ import annotations

import subprocess

from textual.widgets import Input, OptionList, SelectionList, Static, TextArea

from kvmwriter.compose.commit import Draft
from tests.conftest import git
from tests.screen import notifications

from .conftest import choose_topic, settle, until_screen, wait_for_exit

SIZE = (80, 24)


def _key(char: str) -> str:
    return {" ": "space", "\n": "enter"}.get(char, char)


async def type_text(pilot, text: str) -> None:
    """Type ``text`` into the focused field; the last key goes through Pilot.

    Every Pilot key press waits for the app to go idle (~60 ms), so the
    head of a long text is inserted through the widget's own editing API
    and only the final key travels the real key path.
    """
    await pilot.pause()  # let a just-requested focus land
    widget = pilot.app.focused
    head, last = text[:-1], text[-1:]
    if head and isinstance(widget, Input):
        widget.insert_text_at_cursor(head)
    elif head and isinstance(widget, TextArea):
        widget.insert(head)
    else:
        await pilot.press(*[_key(ch) for ch in head])
    await pilot.press(_key(last))


async def test_full_run_commits_message_that_passes_check(demo_repo, make_app, cli):
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await choose_topic(pilot, "KVM: nVMX:")
        assert app.session.draft.prefix == "KVM: nVMX:"
        assert app.focused.id == "summary"
        await type_text(pilot, "Fix swapped pin-based control checks on VM-Enter")
        await pilot.press("ctrl+n")
        assert app.focused.id == "what"
        await type_text(
            pilot,
            "Pass the allowed-0 and allowed-1 pin-based settings to "
            "vmx_control_verify in the right order.",
        )
        await pilot.press("ctrl+o")
        await pilot.press("tab")
        assert app.focused.id == "why"
        await type_text(pilot, "Swapping them rejects valid controls and accepts reserved ones.")
        await pilot.press("ctrl+n")
        assert app.current_step == "tags"
        await pilot.press("ctrl+n")
        checklist = app.query_one("#checklist", SelectionList)
        assert app.focused is checklist
        await pilot.press("space", "down", "down", "space")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.current_step == "review"
        # The demo's fix names no commit it fixes: advice only, nothing to fix.
        assert [(f.rule, f.severity.label) for f in app.findings] == [("fixes-suggested", "info")]
        await pilot.press("c")
        await wait_for_exit(pilot)
    assert app.return_value is not None and app.return_value.action == "committed"
    message = git(demo_repo, "log", "-1", "--format=%B")
    assert message.startswith("KVM: nVMX: Fix swapped pin-based control checks")
    assert "vmx_control_verify()" in message
    assert "Signed-off-by: " in message
    assert "---" not in message and "Testing:" not in message
    note = git(demo_repo, "notes", "--ref=kvmwriter-testing", "show", "HEAD")
    assert note.startswith("Testing:\n- Built with KVM_INTEL=m")
    assert git(demo_repo, "diff", "--cached", "--name-only") == ""
    result = cli("check", "-", input=message, cwd=demo_repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not app.store.path.exists()


async def test_topic_step_shows_staged_files_and_length_counter(demo_repo, make_app):
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        files = str(app.query_one("#staged-files", Static).render())
        assert "arch/x86/kvm/vmx/nested.c" in files
        await choose_topic(pilot, "KVM: VMX:")
        await type_text(pilot, "x" * 70)
        counter = app.query_one("#subject-line", Static)
        assert str(counter.render()).startswith("80/75")
        assert counter.has_class("-over")


async def test_topic_step_lints_lowercase_past_tense_summary(demo_repo, make_app):
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await choose_topic(pilot, "KVM: x86:")
        await type_text(pilot, "fixed the checks.")
        await settle(pilot)
        rules = {f.rule for f in app.findings}
        assert {"subject-capitalization", "subject-trailing-punctuation"} <= rules
        checks = str(app.query_one("#subject-checks", Static).render())
        assert checks.startswith("subject-") and "more below" in checks
        summary = app.query_one("#summary", Input)
        summary.value = "Fix the checks"
        await settle(pilot)
        checks = str(app.query_one("#subject-checks", Static).render())
        assert checks.startswith("Subject: length, case, mood and punctuation all pass")


async def test_selecting_a_finding_jumps_to_its_field(demo_repo, make_app):
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await choose_topic(pilot, "KVM: x86:")
        await type_text(pilot, "Fix checks.")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.current_step == "changelog"
        await pilot.press("ctrl+l")
        lint = app.query_one("#lint-list", OptionList)
        assert app.focused is lint
        index = next(
            i for i, f in enumerate(app.findings) if f.rule == "subject-trailing-punctuation"
        )
        lint.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_step == "topic"
        summary = app.query_one("#summary", Input)
        assert app.focused is summary
        assert summary.cursor_position == len("Fix checks")


async def test_lint_updates_while_typing_without_blocking(demo_repo, make_app):
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await choose_topic(pilot, "KVM: x86:")
        await type_text(pilot, "Fix checks.")
        await settle(pilot)
        assert "subject-trailing-punctuation" in {f.rule for f in app.findings}
        await pilot.press("backspace")
        await settle(pilot)
        assert "subject-trailing-punctuation" not in {f.rule for f in app.findings}


async def test_changelog_ctrl_o_adds_parens_to_diff_functions(demo_repo, make_app):
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await type_text(pilot, "Fix nested_vmx_check_controls by swapping arguments.")
        hint = str(app.query_one("#functions", Static).render())
        assert "nested_vmx_check_controls" in hint
        await pilot.press("ctrl+o")
        text = app.query_one("#what", TextArea).text
        assert "nested_vmx_check_controls() by" in text
        assert app.session.draft.what == text


async def test_tags_search_fills_fixes_and_stable_adds_cc(demo_repo, make_app):
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        search = app.query_one("#fixes-search", Input)
        search.focus()
        await type_text(pilot, "pin-based")
        await settle(pilot)
        candidates = app.query_one("#fixes-candidates", OptionList)
        candidates.focus()
        candidates.highlighted = 0
        await pilot.press("enter")
        sha = git(demo_repo, "log", "-1", "--format=%h", "--abbrev=12", "HEAD~2").strip()
        assert app.session.draft.fixes.startswith(sha)
        assert app.query_one("#fixes", Input).value.startswith(sha)
        app.query_one("#cc_stable").focus()
        await pilot.press("space")
        message = app.session.message()
        assert f'Fixes: {sha} ("KVM: nVMX: Check the VMCS12' in message
        assert "Cc: stable@vger.kernel.org" in message
        signoff = app.query_one("#signoff", Input).value
        assert signoff == "Ada Tester <ada@example.org>" or "@" in signoff


async def test_tags_link_to_non_lore_archive_is_flagged(demo_repo, make_app):
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        app.query_one("#link", Input).focus()
        await type_text(pilot, "https://lkml.org/lkml/2024/1/1/1")
        await settle(pilot)
        assert app.session.draft.link == "https://lkml.org/lkml/2024/1/1/1"
        assert "Link: https://lkml.org/lkml/2024/1/1/1" in app.session.message()
        assert "link-lore" in {f.rule for f in app.findings}


async def test_testing_step_requires_tdp_off_for_mmu_changes(make_repo, make_app):
    repo = make_repo()
    (repo / "arch/x86/kvm/mmu").mkdir(parents=True)
    (repo / "arch/x86/kvm/mmu/mmu.c").write_text("int a;\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "KVM: x86/mmu: Add mmu.c")
    (repo / "arch/x86/kvm/mmu/mmu.c").write_text("int b;\n")
    git(repo, "add", ".")
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        checklist = app.query_one("#checklist", SelectionList)
        labels = [
            str(checklist.get_option_at_index(i).prompt) for i in range(checklist.option_count)
        ]
        assert any("TDP" in label and "(required)" in label for label in labels)
        await pilot.press("space")
        app.query_one("#testing_notes", TextArea).focus()
        await type_text(pilot, "No AMD host available")
        preview = str(app.query_one("#testing-preview", Static).render())
        assert "Built with KVM_INTEL=m" in preview
        assert "- No AMD host available" in preview
        assert "Not done:" in preview and "TDP" in preview
        app.query_one("#testing-cover").focus()
        await pilot.press("space")
        assert "---" not in app.session.message()


async def test_review_save_writes_the_message_to_a_file(demo_repo, make_app, tmp_path):
    app = make_app(demo_repo)
    target = tmp_path / "out" / "msg.txt"
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Fix it")
        await pilot.press("f6", "s")
        await pilot.pause()
        path_input = app.screen.query_one("#save-path", Input)
        path_input.value = str(target)
        await pilot.press("enter")
        await pilot.pause()
    assert target.read_text() == app.session.message()
    assert target.read_text().splitlines()[0].endswith("Fix it")


async def test_review_copy_falls_back_to_osc52_without_clipboard_tool(demo_repo, make_app):
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Fix it")
        await pilot.press("f6", "y")
        await pilot.pause()
        assert app.last_copy_method == "osc52"
        assert app.clipboard == app.session.message()


async def test_review_back_returns_to_editing(demo_repo, make_app):
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        assert app.current_step == "review"
        await pilot.press("b")
        assert app.current_step == "changelog"
        assert app.focused.id == "what"
        await pilot.press("ctrl+p")
        assert app.current_step == "topic"


async def test_commit_with_errors_needs_a_second_press(demo_repo, make_app):
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "fixed it.")
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert app.return_value is None
        assert git(demo_repo, "diff", "--cached", "--name-only").strip()


async def test_rejecting_hook_keeps_app_and_draft(demo_repo, make_app):
    hook = demo_repo / ".git" / "hooks" / "commit-msg"
    hook.write_text("#!/bin/sh\necho 'commit-msg: rejected by policy' >&2\nexit 1\n")
    hook.chmod(0o755)
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await choose_topic(pilot, "KVM: nVMX:")
        await type_text(pilot, "Fix the order of the pin-based control checks")
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("c", "c")
        await settle(pilot)
        assert app.return_value is None
        assert app.current_step == "review"
        failures = [note for note in notifications(app) if "failed" in note]
        assert failures and all(m.count("git commit failed") == 1 for m in failures), failures
        assert any("rejected by policy" in m for m in failures)
        await pilot.press("ctrl+q")
    assert app.return_value.action == "quit"
    assert app.store.path.exists()
    assert "pin-based" in app.store.path.read_text()
    log = git(demo_repo, "log", "--format=%s")
    assert "Fix the order" not in log


async def test_amend_rewords_head_and_keeps_its_trailers(demo_repo, make_app):
    git(demo_repo, "reset", "-q", "--hard")
    app = make_app(demo_repo, amend=True)
    head_before = git(demo_repo, "rev-parse", "HEAD").strip()
    async with app.run_test(size=SIZE) as pilot:
        assert app.session.draft.prefix == "KVM: selftests:"
        summary = app.query_one("#summary", Input)
        summary.value = "Add a VMX nested exceptions test"
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("c", "c")
        await wait_for_exit(pilot)
    assert app.return_value.action == "committed"
    assert (
        git(demo_repo, "rev-parse", "HEAD~1").strip()
        == git(demo_repo, "rev-parse", f"{head_before}~1").strip()
    )
    message = git(demo_repo, "log", "-1", "--format=%B")
    assert message.startswith("KVM: selftests: Add a VMX nested exceptions test\n")
    assert "Signed-off-by: Jane Developer <jane@example.org>" in message


async def test_help_key_shows_handbook_words_for_current_step(demo_repo, make_app):
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await until_screen(pilot, "HelpScreen")
        source = app.screen.query_one("#help-text").source
        assert "KVM: <topic>:" in source
        assert "::" not in source and "``" not in source  # Markdown, not raw RST
        keys = source.split("## Keys", 1)[1]
        for description in ("Next", "Prev", "Findings", "Quit", "Topic", "Review"):
            assert f"| {description} |" in keys
        await pilot.press("escape", "f5", "f1")
        await until_screen(pilot, "HelpScreen")
        assert "KVM_INTEL=m" in app.screen.query_one("#help-text").source
        await pilot.press("escape")
        assert type(app.screen).__name__ != "HelpScreen"


async def test_quit_keeps_draft_and_next_start_offers_restore(demo_repo, make_app):
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Fix the pin checks")
        await pilot.press("ctrl+q")
    assert app.return_value.action == "quit"
    again = make_app(demo_repo)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert type(again.screen).__name__ == "RestoreScreen"
        await pilot.press("y")
        await pilot.pause()
        assert again.query_one("#summary", Input).value == "Fix the pin checks"
        assert again.session.draft.summary == "Fix the pin checks"


async def test_declined_restore_keeps_old_draft_aside(demo_repo, make_app):
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Old summary")
        await pilot.press("ctrl+q")
    again = make_app(demo_repo)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert again.session.draft.summary == ""
    aside = again.store.path.with_suffix(".declined.json")
    assert "Old summary" in aside.read_text()


async def test_autosave_writes_draft_while_typing(demo_repo, make_app):
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Typed text")
        await pilot.pause(0.4)
        stored = app.store.load()
        assert stored is not None
        assert Draft.from_json(stored[0]).summary == "Typed text"


def test_bare_kvmwriter_outside_repository_prints_hint(cli, tmp_path):
    result = cli(cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("kvmwriter: not a git repository")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_bare_kvmwriter_with_nothing_staged_prints_hint(cli, make_repo):
    repo = make_repo()
    result = cli(cwd=repo)
    assert result.returncode == 2
    assert "nothing staged" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_demo_build_only_creates_repository_with_staged_change(cli, tmp_path):
    target = tmp_path / "demo"
    result = cli("demo", "--build-only", "--dir", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(target)
    subjects = git(target, "log", "--format=%s").splitlines()
    assert all(s.startswith("KVM: ") for s in subjects)
    staged = git(target, "diff", "--cached", "--name-only").split()
    assert staged == ["arch/x86/kvm/vmx/nested.c"]


def test_demo_refuses_non_empty_directory(cli, tmp_path):
    (tmp_path / "x").write_text("keep")
    result = cli("demo", "--build-only", "--dir", str(tmp_path))
    assert result.returncode == 2
    assert "not empty" in result.stderr
    assert (tmp_path / "x").read_text() == "keep"
    assert (
        subprocess.run(
            ["git", "-C", str(tmp_path), "rev-parse"], capture_output=True, check=False
        ).returncode
        != 0
    )


async def test_review_a_toggles_amend_and_commit_amends_head(demo_repo, make_app):
    parent = git(demo_repo, "rev-parse", "HEAD~1").strip()
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await choose_topic(pilot, "KVM: nVMX:")
        await type_text(pilot, "Fix the pin-based checks")
        await pilot.press("f6", "a")
        assert app.session.amend
        assert "[--amend]" in str(app.query_one("#review-status", Static).render())
        await pilot.press("a")
        assert not app.session.amend
        await pilot.press("a", "c")
        await wait_for_exit(pilot)
    assert app.return_value.action == "committed"
    assert git(demo_repo, "rev-parse", "HEAD~1").strip() == parent
    assert (
        git(demo_repo, "log", "-1", "--format=%s").strip() == "KVM: nVMX: Fix the pin-based checks"
    )


async def test_review_save_escape_cancels_without_writing(demo_repo, make_app):
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6", "s")
        await pilot.pause()
        assert type(app.screen).__name__ == "SaveScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert app.current_step == "review"
        assert type(app.screen).__name__ != "SaveScreen"
    assert not (demo_repo / "commit-message.txt").exists()


async def test_finding_in_why_jumps_to_its_row_in_the_why_field(demo_repo, make_app):
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await choose_topic(pilot, "KVM: nVMX:")
        await type_text(pilot, "Fix the pin-based checks")
        await pilot.press("f3")
        await type_text(pilot, "Swap the allowed-0 and allowed-1 arguments.")
        await pilot.press("tab")
        await type_text(pilot, "The checks are swapped.\n\nWe think this is wrong.")
        await pilot.press("f6")
        await settle(pilot)
        index = next(i for i, f in enumerate(app.findings) if f.rule == "body-pronoun")
        await pilot.press("ctrl+l")
        app.query_one("#lint-list", OptionList).highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        why = app.query_one("#why", TextArea)
        assert app.current_step == "changelog"
        assert app.focused is why
        assert why.cursor_location[0] == 2


async def test_autosave_failure_is_reported_and_app_keeps_running(
    demo_repo, make_app, tmp_path, monkeypatch
):
    # The state directory, the fallback, cannot take it either.
    blocker = tmp_path / "state-blocker"
    blocker.write_text("")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    app = make_app(demo_repo)
    drafts = demo_repo / ".git" / "kvmwriter" / "drafts"
    drafts.parent.mkdir(parents=True, exist_ok=True)
    drafts.write_text("a file where the drafts folder should be")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await type_text(pilot, "Fix it")
        await pilot.pause(0.4)
        await settle(pilot)
        assert any("Autosave failed" in note for note in notifications(app))
        await pilot.press("ctrl+q")
    assert app.return_value.action == "quit"


async def test_finding_in_a_long_typed_line_jumps_to_its_column(demo_repo, make_app):
    typed = (
        "Zap the stale shadow pages before the vCPU re-enters the guest so that "
        "the next fault rebuilds them from the current tables, because we would "
        "otherwise run with the old permissions."
    )
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await choose_topic(pilot, "KVM: x86/mmu:")
        await type_text(pilot, "Zap stale shadow pages")
        await pilot.press("f3")
        await type_text(pilot, typed)
        await settle(pilot)
        index = next(i for i, f in enumerate(app.findings) if f.rule == "body-pronoun")
        await pilot.press("ctrl+l")
        app.query_one("#lint-list", OptionList).highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        what = app.query_one("#what", TextArea)
        assert app.focused is what
        assert what.cursor_location == (0, typed.index("we would"))


async def test_pasted_subject_prefix_moves_to_the_topic_however_the_field_is_left(
    demo_repo, make_app
):
    for leave in ("ctrl+n", "f3", "f5", "tab"):
        app = make_app(demo_repo)
        async with app.run_test(size=SIZE) as pilot:
            await choose_topic(pilot, "KVM: x86:")
            await type_text(pilot, "KVM: nVMX: Fix the pin-based checks")
            await pilot.press(leave)
            await pilot.pause()
            assert app.session.draft.prefix == "KVM: nVMX:", leave
            assert app.session.draft.summary == "Fix the pin-based checks", leave
            assert app.session.message().splitlines()[0] == (
                "KVM: nVMX: Fix the pin-based checks"
            ), leave


async def test_fixes_short_sha_is_offered_in_canonical_form(demo_repo, make_app):
    short = git(demo_repo, "log", "-1", "--format=%h", "--abbrev=7", "HEAD~2").strip()
    full = git(demo_repo, "log", "-1", '--format=%h ("%s")', "--abbrev=12", "HEAD~2").strip()
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        assert app.focused.id == "fixes"
        await type_text(pilot, short)
        await settle(pilot)
        candidates = app.query_one("#fixes-candidates", OptionList)
        assert candidates.get_option_at_index(0).id == full
        candidates.focus()
        await pilot.press("enter")  # no Down first: the first candidate is highlighted
        assert app.query_one("#fixes", Input).value == full
        assert f"Fixes: {full}" in app.session.message()


async def test_topic_step_marks_one_suggestion_and_ends_a_cut_evidence_line_with_ellipsis(
    demo_repo, make_app
):
    from textual.geometry import Region

    app = make_app(demo_repo)
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.pause()
        topics = app.query_one("#topics", OptionList)
        labels = [str(topics.get_option_at_index(i).prompt) for i in range(topics.option_count)]
        assert sum("(suggested)" in label for label in labels) == 1
        evidence = app.query_one("#topic-evidence", Static)
        full = str(evidence.render())
        assert len(full) > evidence.size.width, "the evidence must be cut for this test"
        row = "".join(
            strip.text for strip in evidence.render_lines(Region(0, 0, evidence.size.width, 1))
        )
        assert row.rstrip().endswith("…")


async def test_checkboxes_show_their_state_by_a_mark_not_only_by_colour(demo_repo, make_app):
    from textual.geometry import Region

    def rows(widget) -> list[str]:
        return [
            "".join(s.text for s in strip)
            for strip in widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
        ]

    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        checklist = app.query_one("#checklist", SelectionList)
        assert all(row.startswith("▐ ▌") for row in rows(checklist) if row.strip())
        await pilot.press("space")
        await pilot.pause()
        first, *rest = [row for row in rows(checklist) if row.strip()]
        assert first.startswith("▐X▌")
        assert all(row.startswith("▐ ▌") for row in rest)
        cover = app.query_one("#testing-cover")
        assert rows(cover)[0].startswith("▐ ▌")
        cover.value = True
        await pilot.pause()
        assert rows(cover)[0].startswith("▐X▌")


async def test_findings_explain_only_the_highlighted_one(demo_repo, make_app):
    from kvmwriter.lint.rules import catalog

    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lint = app.query_one("#lint-list", OptionList)
        assert len(app.findings) >= 2
        summaries = [catalog()[f.rule].summary for f in app.findings]
        prompts = [str(lint.get_option_at_index(i).prompt) for i in range(lint.option_count)]
        assert not any(summary in prompt for summary, prompt in zip(summaries, prompts))
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert summaries[0] in str(lint.get_option_at_index(0).prompt)
        await pilot.press("down")
        await pilot.pause()
        assert summaries[0] not in str(lint.get_option_at_index(0).prompt)
        assert summaries[1] in str(lint.get_option_at_index(1).prompt)


async def test_review_save_suggests_a_file_git_add_does_not_pick_up(demo_repo, make_app):
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Fix it")
        await pilot.press("f6", "s")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    git(demo_repo, "add", "-A")
    assert "commit-message" not in git(demo_repo, "status", "--porcelain")
    saved = demo_repo / ".git" / "kvmwriter" / "commit-message.txt"
    assert saved.read_text().splitlines()[0].endswith("Fix it")


async def test_findings_heading_counts_in_words_and_names_advice(demo_repo, make_app):
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        heading = str(app.query_one("#lint-title").render())
        # The demo starts with an empty summary (one error) and no changelog
        # (one warning): singular nouns, not "1 errors, 1 warnings".
        assert heading.startswith("Findings: 1 error, 1 warning"), heading
