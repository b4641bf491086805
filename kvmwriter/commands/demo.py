"""kvmwriter demo: try the drafting app on a small kernel-like repository."""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

HELP = "build a small KVM-like repository with a staged change and open the app on it"


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "demo",
        help=HELP,
        description=HELP + ".",
        epilog="The repository is built from kvmwriter's assets/demo/ data with git, "
        "in ~/.cache/kvmwriter/demo/linux (rebuilt on every run) unless --dir "
        "is given.",
    )
    parser.add_argument(
        "--dir",
        metavar="DIR",
        help="build the repository here, an empty or new directory "
        "(default: ~/.cache/kvmwriter/demo/linux, rebuilt each run)",
    )
    parser.add_argument(
        "--build-only", action="store_true", help="build the repository, print its path and exit"
    )


def run(args: argparse.Namespace) -> int:
    from kvmwriter.commands.commit import run_drafting
    from kvmwriter.commands.common import fail, say
    from kvmwriter.compose.demo import DemoError, build_demo
    from kvmwriter.lint.profile import ProfileError

    try:
        path = build_demo(Path(args.dir) if args.dir else fresh_demo_dir())
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
    say(
        f"the demo repository stays in {path} until the next "
        "'kvmwriter demo' (cd there, 'git log -1' shows the commit)"
    )
    return code


def demo_home() -> Path:
    """Where the demo lives: one per user, so runs do not pile up in /tmp."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "kvmwriter" / "demo"


def fresh_demo_dir() -> Path:
    """The demo's repository path, emptied of the previous run's repository."""
    home = demo_home()
    target = home / "linux"
    if target.exists():
        # Only ever remove the directory this command owns.
        shutil.rmtree(target)
    home.mkdir(parents=True, exist_ok=True)
    return target
