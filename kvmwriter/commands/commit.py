"""kvmwriter commit: draft the message for the staged change in the TUI."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kvmwriter.commands.common import fail, load_run_config, say

HELP = "draft and commit the message for the staged change (the default command)"


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "commit",
        help=HELP,
        description=HELP + ".",
        epilog="Keys: F1 help, F2-F6 steps, ctrl+n/ctrl+p next/previous step, ctrl+q "
        "quit (the draft is kept). Exit status: 0 committed or the draft kept, 1 quit "
        "with nothing kept, 2 usage error.",
    )
    parser.add_argument(
        "--amend",
        action="store_true",
        help="reword HEAD (git commit --amend) instead of a new commit",
    )
    parser.add_argument("--config", metavar="FILE", help="config file")
    parser.add_argument("--profile", metavar="NAME|FILE", help="rule profile")


def run(args: argparse.Namespace) -> int:
    return run_drafting(Path.cwd(), args)


def run_drafting(path: Path, args: argparse.Namespace) -> int:
    """Open the drafting app on the repository at ``path``; print the outcome."""
    from kvmwriter.compose.session import start_session
    from kvmwriter.errors import UserError

    try:
        config = load_run_config(args, path)
        # Only what must fail before any screen: the app reads the rest.
        session = start_session(path, amend=getattr(args, "amend", False), config=config)
    except UserError as error:  # no repository, nothing staged, a bad config or profile
        return fail(str(error))
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return fail("the drafting app needs a terminal (use 'kvmwriter check' in scripts)")
    from kvmwriter.tui.drafting.app import run_app, session_store

    store = session_store(session)
    outcome = run_app(session, store)
    if outcome is None:
        return 1
    if outcome.action == "failed":
        return fail(outcome.detail)
    if outcome.action == "committed":
        say(f"committed {outcome.detail}", file=sys.stdout)
        return 0
    if outcome.action == "quit" and outcome.detail:
        say(f"no commit made; the draft is kept in {outcome.detail}")
        return 0
    if store is not None and not session.draft.is_empty:
        say("no commit made; the draft could not be saved (see the autosave error)")
    return 1
