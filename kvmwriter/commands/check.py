"""kvmwriter check: lint commit messages or patch emails."""

from __future__ import annotations

import argparse
import io
import os
import sys

from kvmwriter.commands.common import add_lint_options, fail, load_run_config, say, split_names
from kvmwriter.commands.grammar_options import add_grammar_options, grammar_context, grammar_opt_in
from kvmwriter.errors import EXIT_FINDINGS, EXIT_OK

HELP = "lint commit messages (files, patch emails or stdin)"

#: Where the report goes when --diff owns stdout.
_NULL = io.StringIO()


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "check",
        help=HELP,
        description=HELP + ".",
        epilog="Exit status: 0 clean, 1 a finding at or above --fail-on (with --fix or "
        "--diff: one that remains after the fixes), 2 usage or input error.",
    )
    parser.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="message files or patch emails ('-' or none: stdin)",
    )
    parser.add_argument(
        "--cover", action="store_true", help="treat the input as a series' cover letter"
    )
    parser.add_argument(
        "--repo",
        metavar="PATH",
        help="repository for Fixes: verification (default: the current "
        "directory's, when there is one)",
    )
    fixing = parser.add_argument_group(
        "fixing",
        "Apply the fixes findings carry (a patch file keeps its headers and diff "
        "byte-identical; git's '#' lines stay as they are).  The report and the "
        "exit status are then about what remains.",
    )
    fixing.add_argument(
        "--fix",
        action="store_true",
        help="rewrite each FILE in place with its safe fixes (stdin: print "
        "the fixed message, the report goes to stderr)",
    )
    fixing.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix or --diff, apply the fixes that need a look too (mood, suggested topic)",
    )
    fixing.add_argument(
        "--diff",
        action="store_true",
        help="print a unified diff of what --fix would change, write nothing",
    )
    add_lint_options(parser)
    add_grammar_options(parser)


def run(args: argparse.Namespace) -> int:
    from kvmwriter.lint.config import ConfigError
    from kvmwriter.lint.engine import Linter, UnknownRuleError, check_text
    from kvmwriter.lint.findings import Severity
    from kvmwriter.lint.gitfile import check_editor_file
    from kvmwriter.lint.profile import ProfileError
    from kvmwriter.lint.report import render, summarize
    from kvmwriter.text.files import InputError, read_input, write_atomically
    from kvmwriter.text.patchmail import looks_like_patch_email

    try:
        config = load_run_config(args, os.getcwd())
        linter = Linter.from_config(
            config,
            select=split_names(args.select),
            ignore=split_names(args.ignore),
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
    fixing = args.fix or args.diff
    if args.unsafe_fixes and not fixing:
        return fail("--unsafe-fixes works with --fix or --diff")
    reports = []
    texts: dict[str, list[str]] = {}
    out = sys.stdout
    for path in args.files or ["-"]:
        try:
            name, text = read_input(path)
        except InputError as error:
            return fail(str(error))
        base = git.context_for(linter, text, path) or linter.context()
        base.extras.update(extras)

        def lint_with(text: str, name: str = name, base=base, path: str = path):
            # Each pass gets its own context: check_text fills it from the text.
            ctx = base.copy()
            if looks_like_patch_email(text):
                return check_text(linter, text, name, cover=args.cover, ctx=ctx)
            # A file git opened (the commit-msg hook's): lint what git keeps.
            return check_editor_file(
                linter, text, name, cover=args.cover, ctx=ctx, path=None if path == "-" else path
            )

        if fixing:
            from kvmwriter.lint.autofix import fix_all, unified_diff

            run = fix_all(text, lambda t: lint_with(t)[0].findings, unsafe=args.unsafe_fixes)
            if args.diff:
                sys.stdout.write(unified_diff(text, run.text, name))
                out = _NULL
            elif path == "-":
                sys.stdout.write(run.text)
                out = sys.stderr
            elif run.changed:
                try:
                    write_atomically(path, run.text)
                except InputError as error:
                    return fail(str(error))
            if run.changed and not args.diff:
                say(f"{name}: {fixed_note(run)}")
            text = run.text
        report, _ = lint_with(text)
        reports.append(report)
        texts[name] = text.splitlines()

    def line_of(report, number: int) -> str:
        lines = texts.get(report.source, [])
        return lines[number - 1] if 0 < number <= len(lines) else ""

    summary = summarize(reports) if len(reports) > 1 else None
    out.write(render(reports, args.format, line_of, summary))
    threshold = Severity.parse(args.fail_on)
    failed = any(f.severity >= threshold for r in reports for f in r.findings)
    return EXIT_FINDINGS if failed else EXIT_OK


def fixed_note(run) -> str:
    """``applied 3 fixes (subject-topic-case, ...)`` for a fix run that changed text."""
    count = len(run.applied)
    note = f"applied {count} fix{'es' if count != 1 else ''} ({', '.join(run.rules)})"
    return note if run.settled else note + "; stopped before the fixes settled"
