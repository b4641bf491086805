"""kvmwriter fixes: suggest Fixes: tags by blaming the lines a change touches."""

from __future__ import annotations

import argparse
import json
import sys

from kvmwriter.commands.common import fail, say

HELP = "suggest Fixes: tags for a change (blame of the lines it removes or modifies)"


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "fixes",
        help=HELP,
        description=HELP + ".",
        epilog="Prints ready 'Fixes: <12 chars> (\"<subject>\")' lines, most likely first.  "
        "Exit status: 0 candidates found, 1 none, 2 usage or repository error.",
    )
    parser.add_argument(
        "rev", nargs="?", metavar="REV", help="a commit (default: the staged change)"
    )
    parser.add_argument("--staged", action="store_true", help="the staged change")
    parser.add_argument("--repo", metavar="PATH", help="the repository to read")
    parser.add_argument("--limit", type=int, default=5, help="candidates to print (default 5)")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="say why each candidate is suspected"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    from kvmwriter.git.blame import suggest_fixes
    from kvmwriter.git.repo import RepoError, Repository
    from kvmwriter.text.terminal import json_safe, visible_line

    if args.staged and args.rev:
        return fail("give --staged or REV, not both")
    if args.limit < 1:
        return fail("--limit must be at least 1")
    try:
        repo = Repository.discover(args.repo or ".")
    except RepoError as error:
        return fail(str(error))
    try:
        if not args.rev and not repo.staged_files():
            return fail("nothing staged; stage a change or give a REV")
        candidates = suggest_fixes(repo, args.rev, staged=not args.rev, limit=args.limit)
    except RepoError as error:
        return fail(str(error))
    finally:
        repo.close()
    if args.format == "json":
        data = {"candidates": [c.to_json() for c in candidates]}
        sys.stdout.write(json_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n")
    else:
        # A trailer quotes a subject from git: show it, never obey it.
        for candidate in candidates:
            sys.stdout.write(visible_line(candidate.trailer) + "\n")
            if args.verbose:
                sys.stdout.write(
                    f"  # {visible_line(candidate.reason)} (score {candidate.score:.2f})\n"
                )
    if not candidates:
        say("no Fixes: candidates: the change removes or modifies no line with history")
        return 1
    return 0
