"""kvmwriter edit FILE: the drafting app as git's (or b4's) editor.

Set ``GIT_EDITOR="kvmwriter edit"`` (or ``core.editor``) and git opens
COMMIT_EDITMSG, a ``git rebase -i`` reword or a ``b4 prep --edit-cover``
cover here.  Writing saves the message (without git's ``#`` comments) and
exits 0; quitting exits 1 so git aborts the commit too.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kvmwriter.commands.common import fail, load_run_config, say

HELP = "edit a commit message file in the drafting app (use as GIT_EDITOR)"


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "edit", help=HELP, description=HELP + ".",
        epilog="Exit status: 0 written, 1 aborted (git then aborts), 2 usage error.",
    )
    parser.add_argument("file", metavar="FILE", help="the message file git or b4 opened")
    parser.add_argument("--config", metavar="FILE", help="config file")
    parser.add_argument("--profile", metavar="NAME|FILE", help="rule profile")


def run(args: argparse.Namespace) -> int:
    from kvmwriter.compose.session import edit_session
    from kvmwriter.lint.config import ConfigError
    from kvmwriter.lint.engine import UnknownRuleError
    from kvmwriter.lint.profile import ProfileError
    from kvmwriter.text.files import InputError

    path = Path(args.file)
    try:
        config = load_run_config(args, path.resolve().parent)
        session = edit_session(path, config=config)
    except (InputError, ConfigError, ProfileError, UnknownRuleError) as error:
        return fail(str(error))
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return fail("the drafting app needs a terminal")
    from kvmwriter.tui.drafting.app import run_app, session_store

    outcome = run_app(session, session_store(session))
    if outcome is not None and outcome.action == "written":
        return 0
    say("aborted; the message file is unchanged")
    return 1
