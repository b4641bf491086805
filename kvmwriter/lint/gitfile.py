"""Lint the file git hands to the editor (or to the commit-msg hook).

The rules read the message git will keep (:mod:`kvmwriter.text.gitfile`),
and each finding is moved back to the line of the file the user sees.  A
merge message is a maintainer's record of what was pulled, not a patch: the
rules about a patch's structure (the ``KVM: <topic>:`` prefix, the body,
the sign-off) stay silent there.
"""

from __future__ import annotations

import os

from kvmwriter.lint.engine import Linter, Report, check_text
from kvmwriter.lint.findings import Edit, Finding
from kvmwriter.lint.rules import CheckContext
from kvmwriter.text.gitfile import EditorFile, read_editor_file

#: Rules about a patch's structure, which a merge message does not have.
MERGE_EXEMPT = frozenset(
    {
        "body-missing",
        "body-what-first",
        "signoff-missing",
        "signoff-author",
        "subject-topic-mismatch",
        "fixes-suggested",
    }
)


def check_editor_file(
    linter: Linter,
    text: str,
    source: str,
    *,
    path: str | os.PathLike[str] | None = None,
    comment: str | None = None,
    cover: bool = False,
    ctx: CheckContext | None = None,
) -> tuple[Report, EditorFile]:
    """Lint the message in ``text``; findings carry the file's line numbers."""
    editor = read_editor_file(text, path, comment=comment)
    report, _ = check_text(
        linter, editor.message, source, cover=cover or editor.kind == "cover", ctx=ctx
    )
    findings = [to_file(editor, f) for f in report.findings if keeps(editor, f)]
    report.findings = sorted(findings)
    return report, editor


def keeps(editor: EditorFile, finding: Finding) -> bool:
    """False for a structure finding on a merge message."""
    if editor.kind != "merge":
        return True
    return not (finding.rule.startswith("subject-") or finding.rule in MERGE_EXEMPT)


def to_file(editor: EditorFile, finding: Finding) -> Finding:
    """``finding`` with its line (and its fix's lines) in file numbering."""
    if editor.message_lines == tuple(range(1, len(editor.message_lines) + 1)):
        return finding  # the message is the file's first lines: nothing moves
    fix = finding.fix
    if fix is not None:
        moved = [_edit_to_file(editor, edit) for edit in fix.edits]
        edits = tuple(edit for edit in moved if edit is not None)
        fix = fix._replace(edits=edits) if len(edits) == len(moved) else None
    return Finding(
        editor.file_line(finding.line),
        finding.column,
        finding.rule,
        finding.severity,
        finding.message,
        fix,
    )


def _edit_to_file(editor: EditorFile, edit: Edit) -> Edit | None:
    start = editor.file_line(edit.line)
    end = editor.file_line(edit.end_line)
    if end - start != edit.end_line - edit.line:
        return None  # the span crosses a git line: no exact edit in the file
    return edit._replace(line=start, end_line=end)
