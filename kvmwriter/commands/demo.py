"""kvmwriter demo: try the drafting app on a small kernel-like repository."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "build a small KVM-like repository with a staged change and open the app on it"


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "demo", help=HELP, description=HELP + ".",
        epilog="The repository is built from kvmwriter's assets/demo/ data with git, "
               "in a new temp dir unless --dir is given.",
    )
    parser.add_argument("--dir", metavar="DIR",
                        help="build the repository here (default: a new temp dir)")
    parser.add_argument("--build-only", action="store_true",
                        help="build the repository, print its path and exit")


def run(args: argparse.Namespace) -> int:
    from kvmwriter.commands.commit import run_drafting
    from kvmwriter.commands.common import fail, say
    from kvmwriter.git.demo import DemoError, build_demo
    from kvmwriter.lint.profile import ProfileError

    try:
        path = build_demo(Path(args.dir) if args.dir else None)
    except (DemoError, ProfileError, OSError) as error:
        return fail(str(error))
    if args.build_only:
        print(path)
        return 0
    say(f"demo repository with a staged change: {path}")
    args.amend = False
    args.config = None
    args.profile = None
    code = run_drafting(path, args)
    say(f"the demo repository stays in {path} (cd there, "
          "'git log -1' shows the commit)")
    return code
