"""kvmwriter cover: compose, write and fill a series' cover letter."""

from __future__ import annotations

import argparse
import os
import stat
import sys
from pathlib import Path

from kvmwriter.commands.common import fail, load_run_config, say

HELP = "compose a series' cover letter (TUI, skeleton file, or fill git's cover)"

EPILOG = """\
examples:
  kvmwriter cover HEAD~3 --no-tui -o cover.txt     skeleton to edit in any editor
  kvmwriter cover --fill out/v2-0000-cover-letter.patch --message cover.txt
  kvmwriter cover HEAD~3 --no-tui --message cover.txt --description
      (then: git format-patch --cover-letter --cover-from-description=subject)

Exit status: 0 written, 2 usage, input or git error."""


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "cover",
        help=HELP,
        description=HELP + ".",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "range",
        nargs="?",
        metavar="RANGE",
        help="the series: A..B, or REV for REV..HEAD (default: the branch's upstream..HEAD)",
    )
    parser.add_argument(
        "--no-tui",
        action="store_true",
        help="write the cover without a screen (stdout unless -o, --description or --clipboard)",
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write the cover letter to FILE ('-': stdout)"
    )
    parser.add_argument(
        "--description",
        action="store_true",
        help="store subject and blurb as the branch description, for "
        "git format-patch --cover-from-description=subject",
    )
    parser.add_argument(
        "--clipboard", action="store_true", help="copy the cover letter to the clipboard"
    )
    parser.add_argument(
        "--fill",
        metavar="PATCH",
        help="fill the *** SUBJECT HERE *** and *** BLURB HERE *** of a "
        "'git format-patch --cover-letter' cover in place, or the "
        "EDITME cover b4 prep --edit-cover opens (as its editor)",
    )
    parser.add_argument(
        "--message",
        metavar="FILE",
        help="take the subject and blurb from a written cover letter "
        "(e.g. one written with -o and edited)",
    )
    parser.add_argument(
        "-v",
        "--reroll-count",
        type=int,
        metavar="N",
        help="the series version (default: 1, or the --fill cover's)",
    )
    parser.add_argument("--rfc", action="store_true", help="tag the series RFC")
    parser.add_argument(
        "--base",
        metavar="REF",
        help="the base for base-commit (default: <kvm-x86 remote>/next, or "
        "the release tag next is based on for a multi-arch series)",
    )
    parser.add_argument(
        "--previous",
        action="append",
        default=[],
        metavar="URL",
        help="link to the previous version (repeatable, oldest first)",
    )
    parser.add_argument(
        "--prefix",
        metavar="'KVM: <topic>:'",
        help="subject prefix (default: suggested from the series' files)",
    )
    parser.add_argument(
        "--force", action="store_true", help="overwrite an existing -o file or branch description"
    )
    parser.add_argument(
        "--profile", metavar="NAME|FILE", help="rule profile (default: from config, else kvm-x86)"
    )


def run(args: argparse.Namespace) -> int:
    if args.reroll_count is not None and args.reroll_count < 1:
        return fail("--reroll-count must be 1 or more")
    wants_output = args.output or args.description or args.clipboard or args.fill
    if not args.no_tui and not wants_output:
        return _run_tui(args)
    # Errors (a bad range, file or profile) reach the command line's one-line report.
    if args.fill:
        return _fill(args)
    return _write(args)


def _profile(args: argparse.Namespace):
    from kvmwriter.lint.config import find_config, load_config, profile_for

    config = load_config(find_config(Path.cwd()))
    return profile_for(config, args.profile)


def _previous(args: argparse.Namespace, version: int) -> list[tuple[int, str]]:
    """--previous URLs, the last one being v(N-1)."""
    urls = list(args.previous)
    first = version - len(urls)
    return [(first + index, url) for index, url in enumerate(urls) if first + index >= 1]


def _written(args: argparse.Namespace) -> tuple[str, str] | None:
    from kvmwriter.compose.cover import split_written
    from kvmwriter.text.files import read_input

    if not args.message:
        return None
    _, text = read_input(args.message)
    title, blurb = split_written(text)
    if not title:
        from kvmwriter.compose.cover import CoverError

        raise CoverError(f"{args.message}: empty cover letter")
    return title, blurb


def _fill(args: argparse.Namespace) -> int:
    import email

    from kvmwriter.compose.cover import (
        SUBJECT_PLACEHOLDER,
        CoverError,
        draft_for_series,
        fill_format_patch,
        series_from_patch_dir,
    )
    from kvmwriter.text.files import MAX_INPUT_BYTES, read_text_file
    from kvmwriter.text.patchmail import looks_like_patch_email, parse_patch_email

    # An editor for b4 prep --edit-cover or git gets the file to edit last.
    path = Path(args.fill)
    name = args.fill
    text = read_text_file(args.fill, MAX_INPUT_BYTES)
    written = _written(args)
    if not looks_like_patch_email(text):
        return _fill_plain(args, path, text, written)
    tag = parse_patch_email(text).tag
    if written is not None:
        title, blurb = written
    else:
        profile = _profile(args)
        series = series_from_patch_dir(path)
        version = args.reroll_count or tag.version
        draft = draft_for_series(
            series,
            profile,
            version=version,
            rfc=args.rfc or tag.rfc,
            prefix=args.prefix,
            previous=_previous(args, version),
        )
        # Keep git's marker where the summary goes: it shows what is left to write.
        title = draft.title if draft.summary else f"{draft.prefix} {SUBJECT_PLACEHOLDER}"
        blurb = draft.blurb()
    filled = fill_format_patch(text, title, blurb, strict=written is not None)
    parsed = email.message_from_string(filled)
    if not parsed.get("Subject") or parsed.defects:
        raise CoverError(f"{name}: the filled cover does not parse as a mail; left unchanged")
    target = Path(args.output) if args.output and args.output != "-" else path
    if args.output == "-":
        sys.stdout.write(filled)
    else:
        _write_file(target, filled, force=True)
        say(f"filled {target}")
    return 0


def _fill_plain(
    args: argparse.Namespace, path: Path, text: str, written: tuple[str, str] | None
) -> int:
    """Fill a plain cover file, e.g. the one b4 prep --edit-cover opens."""
    from kvmwriter.compose.cover import (
        SUBJECT_PLACEHOLDER,
        CoverDraft,
        checklist,
        fill_plain_cover,
        suggest_prefix,
    )

    if written is not None:
        title, blurb = written
    else:
        profile = _profile(args)
        version = args.reroll_count or 1
        draft = CoverDraft(
            version=version,
            rfc=args.rfc,
            testing=checklist(profile),
            prefix=args.prefix or suggest_prefix([], profile),
            previous=_previous(args, version),
        )
        # b4 keeps its own "Changes in vN" and version links below "---".
        draft.version = 1
        title, blurb = f"{draft.prefix} {SUBJECT_PLACEHOLDER}", draft.blurb()
    filled = fill_plain_cover(text, title, blurb, strict=written is not None)
    if args.output == "-":
        sys.stdout.write(filled)
    elif filled != text or args.output:
        _write_file(Path(args.output) if args.output else path, filled, force=True)
    return 0


def _prepare(args: argparse.Namespace, profile=None, range_: str | None = None):
    """The series of RANGE and a pre-filled draft; notes about the base.

    ``profile`` and ``range_`` skip reading them again when the caller has.
    """
    from kvmwriter.compose.cover import draft_for_series, series_from_repo
    from kvmwriter.compose.format_base import (
        base_warning,
        is_multi_arch,
        parse_remotes,
        suggest_base,
    )
    from kvmwriter.git.repo import Repository

    profile = profile or _profile(args)
    repo = Repository.discover()
    range_ = range_ or args.range or repo.upstream_range("kvmwriter cover HEAD~3")
    branch = repo.branch()

    base = args.base
    notes: list[str] = []
    series = series_from_repo(repo, range_, base)
    multi_arch = is_multi_arch(series.files, profile)
    if base is None:
        suggestion = suggest_base(
            parse_remotes(repo.remotes()), profile, multi_arch=multi_arch, repo=repo
        )
        shown = f"--base={suggestion.ref}" if suggestion.ref else "a stable rc as --base"
        notes.append(f"suggested base: {shown} ({suggestion.reason})")
        if suggestion.ref and repo.verify_commit(suggestion.ref) is not None:
            series = series_from_repo(repo, range_, suggestion.ref)
    elif base_warning(base, profile, multi_arch=multi_arch):
        notes.append(f"warning: {base_warning(base, profile, multi_arch=multi_arch)}")
    version = args.reroll_count or 1
    draft = draft_for_series(
        series,
        profile,
        version=version,
        rfc=args.rfc,
        prefix=args.prefix,
        previous=_previous(args, version),
        repo=repo,
    )
    _collect_testing_notes(repo, range_, draft)
    return profile, repo, branch, series, draft, notes


def _collect_testing_notes(repo, range_: str, draft) -> None:
    """Fill the cover's testing section from the patches' git notes."""
    from kvmwriter.compose.cover import normalize_range
    from kvmwriter.compose.testing_notes import (
        NotesError,
        attach_pending,
        cover_testing_notes,
        series_testing,
    )

    start, end = normalize_range(range_)
    try:
        attach_pending(repo.root, repo.git_dir)
        patches = series_testing(repo.root, f"{start}..{end}")
    except (NotesError, OSError):
        return
    done, text = cover_testing_notes(patches, draft.testing)
    draft.testing_done |= done
    if text and not draft.testing_notes.strip():
        draft.testing_notes = text


def _write(args: argparse.Namespace) -> int:
    from kvmwriter.compose.cover import CoverError

    _, repo, branch, _, draft, notes = _prepare(args)
    written = _written(args)
    if written is not None:
        title, blurb = written
        text = f"{draft.tag} {title}\n\n{blurb}"
        generated = draft.generated()
        text += ("\n" + generated) if generated else ""
    else:
        title, blurb, text = draft.title, draft.blurb(), draft.render()

    if args.description:
        if not branch:
            raise CoverError("HEAD is detached: no branch to store a description in")
        _store_description(repo, branch, title, blurb, force=args.force)
        say(
            f"stored the cover in branch.{branch}.description; run "
            "git format-patch --cover-letter --cover-from-description=subject"
        )
    if args.clipboard:
        say(_copy(text))
    if args.output and args.output != "-":
        _write_file(Path(args.output), text, force=args.force)
    elif args.output == "-" or not (args.description or args.clipboard):
        sys.stdout.write(text)
        sys.stdout.flush()
    for note in notes:
        say(note)
    return 0


def _store_description(repo, branch: str, title: str, blurb: str, *, force: bool) -> None:
    from kvmwriter.compose.cover import CoverError, set_branch_description

    current = (repo.config_get(f"branch.{branch}.description") or "").strip()
    new = f"{title.strip()}\n\n{blurb.strip()}"
    if current and current != new and not force:
        raise CoverError(f"branch '{branch}' already has a description; --force replaces it")
    set_branch_description(repo, branch, title, blurb)


def _copy(text: str) -> str:
    """Copy ``text``; how it was copied (for the note), or CoverError."""
    from kvmwriter.compose.clipboard import copy_text, copy_through_terminal
    from kvmwriter.compose.cover import CoverError

    reason = copy_text(text)
    if reason is None:
        return "copied the cover letter to the clipboard"
    # Over SSH the terminal on the user's machine can still copy (OSC 52).
    if copy_through_terminal(text):
        return f"copied the cover letter through the terminal (OSC 52; {reason})"
    raise CoverError(f"cannot copy: {reason}, and no terminal for OSC 52; use -o FILE")


def _write_file(path: Path, text: str, *, force: bool) -> None:
    """Write ``text`` without losing an existing file's text by accident."""
    from kvmwriter.compose.cover import CoverError

    if not force and path.exists() and path.stat().st_size > 0:
        raise CoverError(f"{path} exists; --force overwrites it")
    # Replace a regular file (a symlink's target, not the link) atomically;
    # write anything else in place: renaming over /dev/stdout or a FIFO
    # would put a regular file where the device or pipe was.
    try:
        regular = stat.S_ISREG(path.stat().st_mode)
    except OSError:
        regular = True  # A new file (or a dangling link's new target).
    try:
        if not regular:
            with open(path, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            return
        target = path.resolve() if path.is_symlink() else path
        tmp = target.with_name(f".{target.name}.kvmwriter-{os.getpid()}")
        try:
            with open(tmp, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as error:
        raise CoverError(f"cannot write {path}: {error.strerror or error}") from None


def _run_tui(args: argparse.Namespace) -> int:
    from kvmwriter.errors import UserError

    try:
        session, store = start_cover_session(args)
    except UserError as error:
        return fail(str(error))
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return fail("the cover-letter screen needs a terminal; use --no-tui")
    from kvmwriter.tui.cover import run_cover_app

    outcome = run_cover_app(session, store)
    for note in session.notes:
        say(note)
    if outcome:
        say(outcome)
        return 0
    return 1


def start_cover_session(args: argparse.Namespace):
    """The cover screen's session and draft store, opened in the current directory.

    Only what must fail before any screen is read here when plain git
    finds a series (:func:`kvmwriter.compose.cover.probe_series`): the
    profile, the config, and the rules only when the config names some.
    ``session.loader`` reads the series, its pre-filled draft and the
    rules after the first frame.  Otherwise the series is read now, and
    its :class:`kvmwriter.errors.UserError` says what is wrong.
    """
    from kvmwriter.compose.cover import CoverDraft, CoverSession, Series, start_probe_series
    from kvmwriter.compose.draft_store import DraftStore
    from kvmwriter.compose.loader import SessionLoader
    from kvmwriter.errors import UserError

    # git answers the probe while the profile is read.
    probe = start_probe_series(args.range)
    try:
        profile = _profile(args)
    except UserError:
        probe()  # reap git; the profile's error is the one to report
        raise
    place = probe()
    if place is None:
        return _read_cover_session(args)
    config = load_run_config(args, place.root)
    linter = None
    if config.select or config.ignore or config.severity:
        # A rule name the config misspells must fail before the screen.
        from kvmwriter.lint.engine import Linter

        linter = Linter.from_config(config)

    def read():
        return _read_cover(args, profile, place.range, config, linter)

    # The typed fields, empty, over the command line's version, RFC and
    # prefix: what the screen shows until the series is read.
    version = args.reroll_count or 1
    draft = CoverDraft(
        version=version, rfc=args.rfc, prefix=args.prefix or "", previous=_previous(args, version)
    )
    session = CoverSession(
        linter=linter,
        draft=draft,
        series=Series(branch=place.branch),
        root=place.root,
        output=_output_path(place.root, place.branch),
        early_profile=profile,
        loader=SessionLoader(read),
    )
    return session, DraftStore(place.git_dir, place.branch, "cover")


def _read_cover(args: argparse.Namespace, profile, range_: str, config, linter):
    """The slow part of the cover: the series, its pre-filled draft, the rules."""
    from kvmwriter.compose.cover import CoverReading
    from kvmwriter.errors import UserError
    from kvmwriter.lint.engine import Linter

    reading = CoverReading(linter=linter)
    try:
        _, _, _, reading.series, reading.draft, reading.notes = _prepare(args, profile, range_)
        reading.linter = linter or Linter.from_config(config)
    except UserError as error:
        reading.error = error
    return reading


def _read_cover_session(args: argparse.Namespace):
    """The cover screen's session on a series read at once, and its draft store."""
    from kvmwriter.compose.cover import CoverSession, cover_draft_store
    from kvmwriter.lint.engine import Linter

    _, repo, _, series, draft, notes = _prepare(args)
    root = Path(repo.root)
    linter = Linter.from_config(load_run_config(args, root))
    session = CoverSession(
        linter=linter,
        draft=draft,
        series=series,
        root=root,
        output=_output_path(root, series.branch),
        notes=notes,
    )
    return session, cover_draft_store(repo, series.branch)


def _output_path(root: Path, branch: str | None) -> Path:
    """Where "save" writes the cover: inside .git, where 'git add -A' cannot pick it up."""
    git_dir = root / ".git"
    name = (branch or "HEAD").replace("/", "-")
    return (git_dir if git_dir.is_dir() else root) / f"kvmwriter-cover-{name}.txt"
