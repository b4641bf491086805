"""kvmwriter hook: install or remove a commit-msg hook that runs 'kvmwriter check'."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

from kvmwriter.commands.common import fail

HELP = "install or uninstall a commit-msg hook that runs 'kvmwriter check'"

#: The line that marks a hook as kvmwriter's own; never touch one without it.
MARKER = "# kvmwriter commit-msg hook"


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "hook",
        help=HELP,
        description=HELP + " (honours core.hooksPath; "
        "never overwrites a hook kvmwriter did not write).",
    )
    parser.add_argument("action", choices=("install", "uninstall"))
    parser.add_argument("--repo", metavar="PATH", help="the repository (default: current)")
    parser.add_argument(
        "--fix",
        action="store_true",
        help="install a hook that applies the safe fixes to the message "
        "('kvmwriter check --fix'), then rejects what remains",
    )


def hook_script(*, fix: bool = False) -> str:
    """A POSIX sh hook: this Python and this kvmwriter, else kvmwriter on PATH.

    ``fix``: the hook rewrites the message file with the safe fixes first;
    git reads the file back after the commit-msg hook, so the commit gets
    the fixed message.
    """
    package_parent = str(Path(__file__).resolve().parent.parent.parent)
    python = shlex.quote(sys.executable)
    path = shlex.quote(package_parent)
    check = "check --fix" if fix else "check"
    what = "fix what is safe in the message, then lint it" if fix else "lint the message"
    return (
        "#!/bin/sh\n"
        f"{MARKER}: {what} before git records it.\n"
        "# Installed by 'kvmwriter hook install'; 'kvmwriter hook uninstall' removes it.\n"
        f"if [ -x {python} ]; then\n"
        f"    PYTHONPATH={path}${{PYTHONPATH:+:$PYTHONPATH}} exec {python} -m kvmwriter "
        f'{check} "$1"\n'
        "fi\n"
        f'exec kvmwriter {check} "$1"\n'
    )


def is_ours(path: Path) -> bool:
    try:
        return MARKER in path.read_text(encoding="utf-8", errors="replace")[:2048]
    except OSError:
        return False


def run(args: argparse.Namespace) -> int:
    from kvmwriter.git.repo import RepoError, Repository
    from kvmwriter.text.terminal import visible

    try:
        repo = Repository.discover(args.repo or ".")
        hooks = repo.hooks_dir()
    except RepoError as error:
        return fail(str(error))
    hook = hooks / "commit-msg"
    if args.action == "install":
        if (hook.exists() or hook.is_symlink()) and not is_ours(hook):
            return fail(
                f"{hook} exists and is not kvmwriter's; add 'kvmwriter check \"$1\"' to it yourself"
            )
        try:
            hooks.mkdir(parents=True, exist_ok=True)
            hook.write_text(hook_script(fix=args.fix), encoding="utf-8")
            hook.chmod(0o755)
        except OSError as error:
            return fail(f"cannot write {hook}: {error.strerror or error}")
        print(
            visible(f"installed {hook}")
            + (" (fixes what is safe, then checks)" if args.fix else "")
        )
        return 0
    if not hook.exists():
        print(visible(f"no commit-msg hook at {hook}; nothing to remove"))
        return 0
    if not is_ours(hook):
        return fail(f"{hook} is not kvmwriter's; leaving it alone")
    try:
        os.remove(hook)
    except OSError as error:
        return fail(f"cannot remove {hook}: {error.strerror or error}")
    print(visible(f"removed {hook}"))
    return 0
