"""kvmwriter check: lint commit messages or patch emails."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kvmwriter.commands.common import add_lint_options, fail, load_run_config, split_names
from kvmwriter.commands.grammar_options import add_grammar_options, grammar_context, grammar_opt_in
from kvmwriter.errors import EXIT_FINDINGS, EXIT_OK

HELP = "lint commit messages (files, patch emails or stdin)"


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "check", help=HELP, description=HELP + ".",
        epilog="Exit status: 0 clean, 1 a finding at or above --fail-on, 2 usage or "
               "input error.",
    )
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="message files or patch emails ('-' or none: stdin)")
    parser.add_argument("--cover", action="store_true",
                        help="treat the input as a series' cover letter")
    parser.add_argument("--repo", metavar="PATH",
                        help="repository for Fixes: verification (default: the current "
                             "directory's, when there is one)")
    add_lint_options(parser)
    add_grammar_options(parser)


def run(args: argparse.Namespace) -> int:
    from kvmwriter.lint.config import ConfigError
    from kvmwriter.lint.engine import Linter, UnknownRuleError, check_text
    from kvmwriter.lint.findings import Severity
    from kvmwriter.lint.profile import ProfileError
    from kvmwriter.lint.report import render, summarize
    from kvmwriter.text.files import InputError, read_input

    try:
        config = load_run_config(args, Path.cwd())
        linter = Linter.from_config(
            config, select=split_names(args.select), ignore=split_names(args.ignore),
            opt_in=grammar_opt_in(args),
        )
        extras = grammar_context(args, config, linter)
    except (ConfigError, ProfileError, UnknownRuleError) as error:
        return fail(str(error))

    from kvmwriter.lint.git_context import GitContext

    git = GitContext(getattr(args, "repo", None))
    if git.repo_path is not None:
        from kvmwriter.git.repo import RepoError

        try:
            git.open_explicit()
        except RepoError as error:
            return fail(str(error))
    reports = []
    texts: dict[str, list[str]] = {}
    for path in args.files or ["-"]:
        try:
            name, text = read_input(path)
        except InputError as error:
            return fail(str(error))
        ctx = git.context_for(linter, text, path) or linter.context()
        ctx.extras.update(extras)
        report, _ = check_text(linter, text, name, cover=args.cover, ctx=ctx)
        reports.append(report)
        texts[name] = text.splitlines()

    def line_of(report, number: int) -> str:
        lines = texts.get(report.source, [])
        return lines[number - 1] if 0 < number <= len(lines) else ""

    summary = summarize(reports) if len(reports) > 1 else None
    sys.stdout.write(render(reports, args.format, line_of, summary))
    threshold = Severity.parse(args.fail_on)
    failed = any(f.severity >= threshold for r in reports for f in r.findings)
    return EXIT_FINDINGS if failed else EXIT_OK
