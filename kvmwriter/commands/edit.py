"""kvmwriter edit FILE: a free-text editor with live lint, for git and b4.

Set ``GIT_EDITOR="kvmwriter edit"`` (or ``core.editor``, or ``EDITOR`` for
b4) and git opens COMMIT_EDITMSG, a ``git rebase -i`` reword or squash, a
merge message, or a ``b4 prep --edit-cover`` cover here: the whole file,
git's comments and ``-v`` diff included, exactly as git wrote it.  ctrl+s
writes the file and exits 0; ctrl+q exits 1 so git aborts too.  F7 leaves
for the guided steps with the text typed so far.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kvmwriter.commands.common import fail, load_run_config, say

HELP = "edit a commit message or cover file with live lint (use as GIT_EDITOR)"


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "edit",
        help=HELP,
        description=HELP + ".",
        epilog="Exit status: 0 written, 1 aborted (git then aborts), 2 usage error.",
    )
    parser.add_argument("file", metavar="FILE", help="the message file git or b4 opened")
    parser.add_argument("--config", metavar="FILE", help="config file")
    parser.add_argument("--profile", metavar="NAME|FILE", help="rule profile")


def run(args: argparse.Namespace) -> int:
    from kvmwriter.lint.config import ConfigError
    from kvmwriter.lint.profile import ProfileError
    from kvmwriter.text.files import InputError, read_input

    path = Path(args.file)
    try:
        config = load_run_config(args, path.resolve().parent)
        _, text = read_input(str(path))
    except (InputError, ConfigError, ProfileError) as error:
        return fail(str(error))
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return fail("the editor needs a terminal")
    from kvmwriter.compose.edit_document import EditDocument
    from kvmwriter.tui.editor.app import run_editor

    outcome = run_editor(EditDocument(path, text, config=config))
    if outcome is not None and outcome.action == "guided":
        return _guided(path, outcome.detail, config)
    if outcome is not None and outcome.action == "written":
        return 0
    print("kvmwriter: aborted; the message file is unchanged", file=sys.stderr)
    return 1


def _guided(path: Path, text: str, config) -> int:
    """Run the guided steps on ``text``; they write the file as the editor would."""
    from kvmwriter.compose.session import edit_session
    from kvmwriter.lint.engine import UnknownRuleError
    from kvmwriter.text.files import InputError
    from kvmwriter.tui.drafting.app import run_app, session_store

    try:
        session = edit_session(path, config=config, text=text)
    except (InputError, UnknownRuleError) as error:
        return fail(str(error))
    outcome = run_app(session, session_store(session))
    if outcome is not None and outcome.action == "written":
        return 0
    say("aborted; the message file is unchanged")
    return 1
