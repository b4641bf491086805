"""The file git hands to the editor, read as git reads it back.

Each file comes from real git through an editor script that copies it out,
so the tests follow the git installed here, not a remembered layout.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from kvmwriter.lint.engine import Linter
from kvmwriter.lint.gitfile import check_editor_file
from kvmwriter.text.gitfile import read_editor_file
from kvmwriter.text.message import parse_message
from tests.conftest import SIGNOFF, git

CAPTURE = """#!/bin/sh
cp "$1" "{out}/$(ls {out} | wc -l)-$(basename "$1")"
{then}
"""


def editor_script(tmp_path: Path, then: str = "") -> tuple[str, Path]:
    """A GIT_EDITOR that keeps a copy of each file git opens."""
    out = tmp_path / "opened"
    out.mkdir(exist_ok=True)
    script = tmp_path / "capture.sh"
    script.write_text(CAPTURE.format(out=out, then=then))
    script.chmod(0o755)
    return str(script), out


def run_git(repo: Path, editor: str, *args: str, check: bool = False) -> None:
    env = dict(
        os.environ,
        GIT_EDITOR=editor,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_SEQUENCE_EDITOR="sed -i '2s/^pick/squash/'",
    )
    proc = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    if check:
        assert proc.returncode == 0, proc.stderr


def opened(out: Path) -> str:
    files = sorted(out.iterdir(), key=lambda p: int(p.name.split("-", 1)[0]))
    return files[-1].read_text()


@pytest.fixture
def staged_repo(make_repo) -> Path:
    repo = make_repo()
    (repo / "a.c").write_text("int a;\n")
    git(repo, "add", "a.c")
    git(repo, "commit", "-q", "-s", "-m", "KVM: x86: Add a", "-m", "Add a variable.")
    (repo / "a.c").write_text("int a;\nint b;\n")
    git(repo, "add", "a.c")
    return repo


def lint_file(text: str, path: str | None = None):
    report, editor = check_editor_file(Linter.from_config(), text, "file", path=path)
    return report.findings, editor


def test_commit_s_file_has_no_subject_and_a_signoff_trailer(staged_repo, tmp_path):
    editor, out = editor_script(tmp_path)
    run_git(staged_repo, editor, "commit", "-s")
    parsed = read_editor_file(opened(out))
    message = parse_message(parsed.message)
    assert message.subject is None
    assert [t.name for t in message.trailers] == ["signed-off-by"]


def test_commit_s_file_reports_the_empty_subject_not_the_signoff(staged_repo, tmp_path):
    editor, out = editor_script(tmp_path)
    run_git(staged_repo, editor, "commit", "-s")
    findings, _ = lint_file(opened(out))
    subject = [f for f in findings if f.rule == "subject-prefix"]
    assert subject and "empty subject" in subject[0].message
    assert not [
        f
        for f in findings
        if f.rule in ("subject-mood", "subject-capitalization", "trailer-format")
    ]


def test_trailer_option_line_is_a_trailer(staged_repo, tmp_path):
    editor, out = editor_script(tmp_path)
    run_git(staged_repo, editor, "commit", "--trailer", "Reviewed-by: Bo <bo@example.org>")
    message = parse_message(read_editor_file(opened(out)).message)
    assert message.subject is None
    assert [t.name for t in message.trailers] == ["reviewed-by"]


def test_verbose_diff_stays_in_the_file_and_out_of_the_message(staged_repo, tmp_path):
    fill = (
        'printf \'KVM: x86: Add b\\n\\nAdd b beside a.\\n\' | cat - "$1" > "$1.new"'
        ' && mv "$1.new" "$1"'
    )
    editor, out = editor_script(tmp_path, fill)
    run_git(staged_repo, editor, "commit", "-s", "-v")
    text = opened(out)
    parsed = read_editor_file(text)
    assert parsed.cut_line is not None
    assert "+int b;" in "\n".join(text.splitlines()[parsed.cut_line :])
    assert "diff --git" not in parsed.message and "#" not in parsed.message
    assert git(staged_repo, "log", "-1", "--format=%s") == "KVM: x86: Add b\n"


def test_verbose_diff_below_scissors_raises_no_finding(staged_repo, tmp_path):
    editor, out = editor_script(tmp_path)
    run_git(staged_repo, editor, "commit", "-v")
    text = opened(out)
    body = (
        "KVM: x86: Add b next to a\n\nAdd b beside a so that later code can use "
        "both.\n\n" + SIGNOFF + "\n"
    )
    findings, parsed = lint_file(body + text)
    assert findings == [], findings
    assert parsed.message.rstrip("\n") == body.rstrip("\n")


def test_whitespace_cleanup_keeps_comment_lines_in_the_message(staged_repo, tmp_path):
    editor, out = editor_script(tmp_path)
    run_git(staged_repo, editor, "commit", "--cleanup=whitespace")
    parsed = read_editor_file(opened(out))
    assert parsed.cleanup == "whitespace"
    assert "Please enter" in parsed.message


def test_scissors_cleanup_cuts_at_the_scissors(staged_repo, tmp_path):
    editor, out = editor_script(tmp_path)
    run_git(staged_repo, editor, "commit", "--cleanup=scissors", "-v")
    parsed = read_editor_file(opened(out))
    assert parsed.cleanup == "scissors"
    assert "diff --git" not in parsed.message


def test_configured_comment_char_is_stripped(staged_repo, tmp_path):
    git(staged_repo, "config", "core.commentChar", ";")
    editor, out = editor_script(tmp_path)
    run_git(staged_repo, editor, "commit", "-s")
    text = "KVM: x86: Add b next to a\n\nAdd b so that later code can use it." + opened(out)
    parsed = read_editor_file(text)
    assert parsed.comment == ";"
    assert ";" not in parsed.message and "Please enter" not in parsed.message


def test_auto_comment_char_picks_what_git_picked(staged_repo, tmp_path):
    git(staged_repo, "config", "core.commentChar", "auto")
    git(staged_repo, "commit", "-q", "--amend", "-m", "#1 KVM: x86: Add a", "-m", "Body.")
    editor, out = editor_script(tmp_path)
    run_git(staged_repo, editor, "commit", "--amend")
    text = opened(out)
    parsed = read_editor_file(text, comment="auto")
    assert parsed.comment != "#"
    assert parsed.message.startswith("#1 KVM: x86: Add a\n")
    assert "Please enter" not in parsed.message


def test_squash_combination_lints_one_message_without_structure_findings(staged_repo, tmp_path):
    git(
        staged_repo,
        "commit",
        "-q",
        "-s",
        "-m",
        "KVM: x86: Add b next to a",
        "-m",
        "Add b beside a so that later code can use both.",
    )
    editor, out = editor_script(tmp_path)
    run_git(staged_repo, editor, "rebase", "-i", "--root")
    text = opened(out)
    assert "combination of 2 commits" in text
    findings, parsed = lint_file(text)
    assert parsed.kind == "squash" and parsed.sections == 2
    assert parsed.message.strip().startswith("KVM: x86: Add a\n")
    assert "Add b" not in parsed.message
    # The first message's findings point at its lines in the file.
    lines = text.splitlines()
    assert all(lines[f.line - 1].strip() for f in findings), findings


def test_fixup_skipped_message_is_out_of_the_lint(staged_repo, tmp_path):
    git(
        staged_repo,
        "commit",
        "-q",
        "-s",
        "-m",
        "KVM: x86: Add b next to a",
        "-m",
        "Add b beside a so that later code can use both.",
    )
    (staged_repo / "a.c").write_text("int a;\nint b;\nint c;\n")
    git(staged_repo, "commit", "-q", "-am", "fixup! KVM: x86: Add a")
    editor, out = editor_script(tmp_path)
    env = dict(
        os.environ,
        GIT_EDITOR=editor,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_SEQUENCE_EDITOR="sed -i -e '2s/^pick/squash/' -e '3s/^pick/fixup/'",
    )
    subprocess.run(
        ["git", "rebase", "-i", "--root"],
        cwd=staged_repo,
        env=env,
        capture_output=True,
        check=False,
    )
    text = opened(out)
    assert "will be skipped" in text
    parsed = read_editor_file(text)
    assert parsed.kind == "squash"
    assert "fixup!" not in parsed.message and "Add b" not in parsed.message
    assert parsed.message.strip().startswith("KVM: x86: Add a")


def test_merge_message_has_no_structure_findings(make_repo, tmp_path):
    repo = make_repo()
    (repo / "a").write_text("a\n")
    git(repo, "add", "a")
    git(repo, "commit", "-q", "-m", "KVM: x86: Add a", "-m", "Add a file.")
    git(repo, "checkout", "-q", "-b", "topic")
    (repo / "b").write_text("b\n")
    git(repo, "add", "b")
    git(repo, "commit", "-q", "-m", "KVM: x86: Add b", "-m", "Add b file.")
    git(repo, "checkout", "-q", "main")
    editor, out = editor_script(tmp_path)
    run_git(repo, editor, "merge", "--no-ff", "--edit", "topic")
    text = opened(out)
    findings, parsed = lint_file(text, str(repo / ".git" / "MERGE_MSG"))
    assert parsed.kind == "merge"
    assert findings == [], findings


def test_plain_message_keeps_its_line_numbers():
    text = "KVM: x86: Fix it\n\nThis patch fixes the thing.\n"
    findings, parsed = lint_file(text)
    assert parsed.message_lines == (1, 2, 3)
    assert any(f.rule == "body-mood" and f.line == 3 for f in findings)


def test_findings_after_git_comment_lines_point_at_file_lines():
    text = (
        "# leading note\nKVM: x86: Fix it\n\nThis patch fixes the thing.\n# Please enter the "
        "commit message for your changes. Lines starting\n"
    )
    findings, _ = lint_file(text)
    found = [f for f in findings if f.rule == "body-mood"]
    assert found and found[0].line == 4


def test_b4_cover_recognised_by_path_and_by_content(tmp_path):
    path = tmp_path / ".b4-editorab12" / "COMMIT_EDITMSG"
    assert read_editor_file("KVM: x86: Title\n\nBody.\n", path).kind == "cover"
    editme = "EDITME: cover title for kvm-fix\n\n# Describe the purpose of this series.\n"
    assert read_editor_file(editme).kind == "cover"
    assert read_editor_file("KVM: x86: Title\n\nBody.\n").kind == "commit"


def test_cli_check_on_commit_s_file(cli, staged_repo, tmp_path):
    editor, out = editor_script(tmp_path)
    run_git(staged_repo, editor, "commit", "-s")
    path = tmp_path / "COMMIT_EDITMSG"
    path.write_text(opened(out))
    result = cli("check", str(path), cwd=tmp_path)
    assert result.returncode == 1
    assert "empty subject" in result.stdout
    assert "subject-mood" not in result.stdout and "trailer-format" not in result.stdout


def test_guided_session_strips_the_auto_comment_char(staged_repo, tmp_path):
    from kvmwriter.compose.session import edit_session

    git(staged_repo, "config", "core.commentChar", "auto")
    git(staged_repo, "commit", "-q", "--amend", "-m", "#1 KVM: x86: Add a", "-m", "Body.")
    editor, out = editor_script(tmp_path)
    run_git(staged_repo, editor, "commit", "--amend")
    path = staged_repo / ".git" / "COMMIT_EDITMSG"
    path.write_text(opened(out))
    session = edit_session(path)
    assert session.draft.summary == "#1 KVM: x86: Add a"
    assert "Please enter" not in session.message()
