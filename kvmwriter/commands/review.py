"""kvmwriter review: lint a whole series (a git range, patch files or an mbox)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator

from kvmwriter.commands.common import add_lint_options, fail, load_run_config, split_names
from kvmwriter.errors import EXIT_FINDINGS, EXIT_OK

HELP = "review a series: every message plus series-wide rules"


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "review",
        help=HELP,
        description=HELP + ".",
        epilog="RANGE defaults to the branch's upstream..HEAD.  Exit status: 0 clean, 1 a "
        "finding at or above --fail-on, 2 usage or input error.",
    )
    parser.add_argument(
        "inputs",
        nargs="*",
        metavar="RANGE|FILE",
        help="a revision range (A..B), or patch files / mboxes (git format-patch, b4 am)",
    )
    parser.add_argument(
        "--repo", metavar="PATH", help="the repository to read (default: the current directory's)"
    )
    parser.add_argument(
        "--tui", action="store_true", help="review interactively in the terminal UI"
    )
    parser.add_argument(
        "--fix",
        action="store_true",
        help="reword every commit of RANGE with its safe fixes (one rebase, "
        "clean work tree only, rolled back whole on a conflict or a "
        "hook's refusal), print what changed, then review the result",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help="lint a long range with N processes (default: one per "
        "available CPU; output is the same)",
    )
    add_lint_options(parser)


def _is_patch_input(value: str) -> bool:
    return (
        value == "-"
        or os.path.isfile(value)
        or value.endswith((".patch", ".mbox", ".mbx", ".eml", ".cover", ".diff"))
    )


def run(args: argparse.Namespace) -> int:
    from kvmwriter.git.repo import RepoError, Repository

    inputs = list(args.inputs)
    patch_mode = bool(inputs) and any(_is_patch_input(value) for value in inputs)
    if patch_mode and not all(_is_patch_input(value) for value in inputs):
        return fail("give either one revision range or patch files, not both")
    if not patch_mode and len(inputs) > 1:
        return fail(f"give one revision range, not {len(inputs)} (e.g. origin/main..HEAD)")

    repo = None
    try:
        repo = Repository.discover(args.repo)
    except RepoError as error:
        if args.repo or not patch_mode:
            return fail(str(error))
    if args.jobs is not None and args.jobs < 1:
        return fail("--jobs must be 1 or more")
    listing = None
    if repo is not None and inputs and not (patch_mode or args.fix or args.tui):
        try:
            # git walks the range on another core while the linter is built.
            listing = repo.list_range(inputs[0])
        except RepoError:
            pass  # Reported below, where the range is read.
    try:
        return _run(args, repo, inputs, patch_mode, listing)
    finally:
        if listing is not None:
            listing.close()
        if repo is not None:
            repo.close()


def _run(args: argparse.Namespace, repo, inputs: list[str], patch_mode: bool, listing) -> int:
    from kvmwriter.git.repo import RepoError
    from kvmwriter.lint.engine import Linter
    from kvmwriter.lint.findings import Severity
    from kvmwriter.review.output import ReviewOutput
    from kvmwriter.review.series import SeriesError, SeriesReview, iter_commits, load_patch_files

    # A bad config, profile or rule name reaches the command line's one-line report.
    start = args.repo or os.getcwd()
    config = load_run_config(args, start)
    linter = Linter.from_config(
        config, select=split_names(args.select), ignore=split_names(args.ignore)
    )

    if args.fix and (patch_mode or args.tui):
        return fail(
            "--fix rewords the commits of a range (not with --tui); fix patch "
            "files with 'kvmwriter check --fix'"
        )

    if args.tui:
        from kvmwriter.tui.review import run_review_tui

        return int(
            run_review_tui(
                repo, inputs if patch_mode else (inputs[0] if inputs else None), linter=linter
            )
            or 0
        )

    review = SeriesReview(linter, repo, from_files=patch_mode)
    output = ReviewOutput(args.format, Severity.parse(args.fail_on))
    try:
        if patch_mode:
            if "-" in inputs:
                return fail("review reads patch files, not stdin; save the mbox first")
            items = iter(load_patch_files(inputs))
            unit = ("patch", "patches")
        else:
            if repo is None:  # not patch mode: discovery above found a repository
                return fail("not a git repository")
            range_ = (
                inputs[0] if inputs else repo.upstream_range("kvmwriter review origin/master..HEAD")
            )
            if args.fix:
                if repo.count_range(range_, at_most=1) == 0:
                    return fail(f"no commits in {range_}")
                range_ = _fix_range(linter, repo, range_)
                review = SeriesReview(linter, repo, from_files=False)
            if listing is None:
                listing = repo.list_range(range_)
            warm_up = None
            if _may_start_workers(args):
                from kvmwriter.review.parallel import WarmUp

                # While git walks a long range, load what workers would need.
                warm_up = WarmUp(review)
                while listing.waiting() and warm_up.step():
                    pass
            # Enough to choose the number of workers: one walk of the range
            # both counts and lists it.
            total = listing.peek(_enough_to_choose_jobs(args))
            if total == 0:
                return fail(f"no commits in {range_}")
            unit = ("commit", "commits")
            jobs = _jobs(args, total)
            if jobs > 1:
                from kvmwriter.review.parallel import parallel_review

                texts = parallel_review(
                    review,
                    output,
                    jobs=jobs,
                    ids=listing,
                    close_fds=listing.fds(),
                    warm_up=warm_up,
                )
                return _stream(review, texts, output, unit)
            items = iter_commits(repo, listing, diffs=review.needs_diffs)
        texts = (
            output.render(report, item.text)
            for report, item in ((review.check_item(item), item) for item in items)
            if report is not None
        )
        return _stream(review, texts, output, unit)
    except (RepoError, SeriesError) as error:
        return fail(str(error))
    finally:
        if listing is not None:
            listing.close()


def _enough_to_choose_jobs(args: argparse.Namespace) -> int:
    """Commits to count before :func:`_jobs` gives the same answer for any more."""
    from kvmwriter.review.parallel import MIN_PARALLEL

    return max(MIN_PARALLEL, args.jobs or 0)


def _may_start_workers(args: argparse.Namespace) -> bool:
    """Whether :func:`_jobs` may answer more than 1, for a range long enough."""
    return _jobs(args, _enough_to_choose_jobs(args)) > 1


def _jobs(args: argparse.Namespace, total: int) -> int:
    """Worker processes for a range of ``total`` commits (1: lint here)."""
    from kvmwriter.review.parallel import MIN_PARALLEL, available_cpus

    if args.jobs is not None:
        return min(args.jobs, total)
    return available_cpus() if total >= MIN_PARALLEL else 1


def _fix_range(linter, repo, range_: str) -> str:
    """Reword the commits of ``range_`` with their safe fixes, print what
    changed, and return the range naming the reworded commits.

    Raise ``RewordError`` (as ``RepoError``'s sibling, one line) when git
    refuses; the branch is then as it was.
    """
    from kvmwriter.git.reword import RewordError
    from kvmwriter.review.fixing import (
        apply_plan,
        changed_lines,
        needs_diffs,
        plan_fixes,
        printable,
    )
    from kvmwriter.review.model import follow_rewrite
    from kvmwriter.review.series import SeriesError, SeriesReview, iter_range

    fixer = SeriesReview(linter, repo)
    # The caller has counted (and so checked) the range.
    plan = plan_fixes(fixer, iter_range(repo, range_, diffs=needs_diffs(fixer), checked=True))
    total = repo.count_range(range_)
    if not plan:
        print(f"no safe fixes in {_plural(total, 'commit')}")
        return range_
    try:
        result = apply_plan(repo, plan)
    except RewordError as error:
        raise SeriesError(str(error)) from None
    for fix in plan:
        new = result.rewritten.get(fix.sha, fix.sha)
        applied = f"{fix.count} fix{'es' if fix.count != 1 else ''}"
        print(f"{fix.sha[:12]} -> {new[:12]} {printable(fix.subject)}")
        print(f"    applied {applied} ({', '.join(fix.rules)})")
        for line in changed_lines(fix):
            print(f"    {printable(line)}")
    print(
        f"reworded {len(plan)} of {_plural(total, 'commit')}; HEAD is now "
        f"{result.new_head[:12]} (was {result.old_head[:12]})\n"
    )
    sys.stdout.flush()
    return follow_rewrite(repo, range_, result.rewritten)


def _stream(review, texts: Iterator[str], output, unit: tuple[str, str]) -> int:
    """Print each commit's or patch's rendered report as it comes, then
    the series report and the summary; keep only counts."""
    from kvmwriter.lint.findings import Severity
    from kvmwriter.review.output import JSON_HEAD, JSON_TAIL

    out = sys.stdout
    if output.form == "json":
        out.write(JSON_HEAD)
    for text in texts:
        out.write(text)
    out.write(output.render(review.finish(), None, item=False))
    if output.form == "json":
        out.write(JSON_TAIL)
    else:
        count, counts = output.items, output.counts
        noun = unit[0] if count == 1 else unit[1]
        parts = [
            f"{count} {noun}",
            _plural(counts[Severity.ERROR], "error"),
            _plural(counts[Severity.WARNING], "warning"),
        ]
        if counts[Severity.INFO]:
            parts.append(_plural(counts[Severity.INFO], "note"))
        if review.merges:
            parts.append(f"{review.merges} merge{'s' if review.merges != 1 else ''} skipped")
        if output.form == "text":
            out.write(", ".join(parts) + "\n")
    return EXIT_FINDINGS if output.failed else EXIT_OK


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")
