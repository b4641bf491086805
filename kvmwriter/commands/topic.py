"""kvmwriter topic: suggest the shortlog prefix (KVM: <topic>:) for a change."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from kvmwriter.commands.common import fail

HELP = "suggest the subject prefix (e.g. 'KVM: nVMX:') for a change"


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "topic",
        help=HELP,
        description=HELP + ", from the profile's path map and the "
        "topics recent commits touching the same files used (git log).",
        epilog="Without arguments, the staged change.  The first output line is the prefix "
        "alone; evidence follows.",
    )
    parser.add_argument(
        "targets",
        nargs="*",
        metavar="REV|PATH",
        help="a commit, or paths (default: the staged change)",
    )
    parser.add_argument("--staged", action="store_true", help="the staged change")
    parser.add_argument("--repo", metavar="PATH", help="the repository to read")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--profile", metavar="NAME|FILE", help="rule profile")
    parser.add_argument("--config", metavar="FILE", help="config file")


def run(args: argparse.Namespace) -> int:
    from kvmwriter.commands.common import load_run_config
    from kvmwriter.git.repo import RepoError, Repository
    from kvmwriter.lint.config import ConfigError, profile_for
    from kvmwriter.lint.profile import ProfileError
    from kvmwriter.lint.topics import suggest_topics
    from kvmwriter.text.terminal import json_safe, visible_line

    repo = None
    try:
        repo = Repository.discover(args.repo or ".")
    except RepoError as error:
        if args.repo or args.staged or not args.targets:
            return fail(str(error))
    try:
        config = load_run_config(args, repo.root if repo else Path.cwd())
        profile = profile_for(config)
    except (ConfigError, ProfileError) as error:
        return fail(str(error))

    before = author = None
    try:
        if args.staged or not args.targets:
            if args.targets:
                return fail("give --staged or targets, not both")
            if repo is None:
                return fail("not a git repository; give files as targets")
            files = repo.staged_files()
            what = "the staged change"
            if not files:
                return fail("nothing staged; stage a change, or give a REV or PATHs")
        elif (
            len(args.targets) == 1
            and repo is not None
            and not os.path.exists(args.targets[0])
            and _is_commit(repo, args.targets[0])
        ):
            rev = args.targets[0]
            files = repo.commit_files(rev)
            before = rev
            author = repo.commit_author(rev)
            what = f"commit {rev}"
            if not files:
                return fail(f"commit {rev} touches no files")
        else:
            files = [_repo_path(target, repo) for target in args.targets]
            what = "the given paths"
        ranked = suggest_topics(files, profile, repo, before=before, author=author)
    except RepoError as error:
        return fail(str(error))
    finally:
        if repo is not None:
            repo.close()
    if not ranked:
        return fail(f"no topic suggestion for {what}: no path map entry or history matches")
    if args.format == "json":
        data = {"files": files, "suggestions": [s.to_json() for s in ranked]}
        sys.stdout.write(json_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n")
        return 0
    best = ranked[0]
    lines = [best.prefix]
    lines += [f"  {note}" for note in best.evidence]
    if len(ranked) > 1:
        others = ", ".join(f"{s.prefix} ({s.score:.2f})" for s in ranked[1:4])
        lines.append(f"  other candidates: {others}")
    # Evidence quotes paths and subjects from git: show it, never obey it.
    sys.stdout.write("".join(visible_line(line) + "\n" for line in lines))
    return 0


def _is_commit(repo, target: str) -> bool:
    """True when ``target`` names a commit (else it is taken as a path)."""
    return repo.verify_commit(target) is not None


def _repo_path(target: str, repo) -> str:
    """A path relative to the repository root when it lies inside it."""
    if repo is None:
        return target
    path = Path(target)
    absolute = path if path.is_absolute() else Path.cwd() / path
    try:
        relative = absolute.resolve().relative_to(repo.root)
    except ValueError:
        return target
    text = relative.as_posix()
    return text + "/" if absolute.is_dir() and text != "." else text
