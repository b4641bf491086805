"""The cover-letter model: compose a series' cover, fill git's, split a written one.

A cover letter has a subject (``[PATCH vN 0/M] KVM: <topic>: <summary>``),
a blurb written by the author (what the series does first, background, the
testing done, changes since the previous version with links to it), and
parts git generates (shortlog, diffstat, ``base-commit:``).  This module
keeps those apart so the same text can go into a file, into
``git format-patch --cover-letter`` output, into the branch description
for ``--cover-from-description`` or into b4's cover commit.

Core module: no Textual, no printing.  Git is run through the ``git``
program (shortlog and diffstat formatting are git's own).  ``check`` imports
this module for the cover rules, so heavier modules are imported where used.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kvmwriter.errors import UserError
from kvmwriter.lint.profile import Profile
from kvmwriter.text.cover_letter import TextLines, blurb_lines, body_lines, is_generated_start  # noqa: F401

if TYPE_CHECKING:
    from kvmwriter.compose.draft_store import DraftStore
    from kvmwriter.compose.loader import SessionLoader
    from kvmwriter.git.repo import Repository
    from kvmwriter.lint.engine import Linter

SUBJECT_PLACEHOLDER = "*** SUBJECT HERE ***"
BLURB_PLACEHOLDER = "*** BLURB HERE ***"
WHAT_PLACEHOLDER = "<What the series does, what changes first, in a paragraph or two.>"
BACKGROUND_PLACEHOLDER = "<Background: the problem, and why this approach.>"
CHANGE_PLACEHOLDER = "- <What changed since v{previous}.>"
LINK_PLACEHOLDER = "<lore link to v{version}>"

_PATCH_TAG = re.compile(r"^\s*(\[[^\]]*\]\s*)+")


class CoverError(UserError):
    """A one-line, user-facing problem (bad range, not a repository, ...)."""


@dataclass
class Series:
    """What git knows about the patches a cover letter introduces."""

    subjects: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    shortlog: str = ""
    diffstat: str = ""
    base_commit: str | None = None
    branch: str | None = None

    @property
    def total(self) -> int:
        return len(self.subjects)


@dataclass
class CoverDraft:
    """A cover letter being written.  Empty fields render as placeholders."""

    version: int = 1
    rfc: bool = False
    total: int = 0
    #: The ``KVM: <topic>:`` prefix of the subject.
    prefix: str = "KVM: x86:"
    summary: str = ""
    what: str = ""
    background: str = ""
    #: The testing checklist (:class:`kvmwriter.compose.checklist.CheckItem`), the
    #: same one the commit flow shows.
    testing: list = field(default_factory=list)
    #: Keys of the checklist items done.
    testing_done: set[str] = field(default_factory=set)
    #: Free text about testing ("Only compile tested, no AMD hardware").
    testing_notes: str = ""
    changes: str = ""
    #: Links to earlier versions, oldest first: (version, url).
    previous: list[tuple[int, str]] = field(default_factory=list)
    shortlog: str = ""
    diffstat: str = ""
    base_commit: str | None = None

    @property
    def tag(self) -> str:
        words = (["RFC"] if self.rfc else []) + ["PATCH"]
        if self.version > 1:
            words.append(f"v{self.version}")
        words.append(f"0/{self.total}")
        return "[" + " ".join(words) + "]"

    @property
    def title(self) -> str:
        """The subject without the tag: ``KVM: x86/pmu: Summary``."""
        return f"{self.prefix} {self.summary}".rstrip() if self.summary else f"{self.prefix} "

    @property
    def subject(self) -> str:
        return f"{self.tag} {self.title}"

    def blurb(self, checkboxes: bool = True) -> str:
        """The author's part: what, background, testing, earlier versions.

        With ``checkboxes`` the testing checklist is written out as
        ``- [ ] item`` lines to tick in an editor; without, only what was
        done is stated, as the commit flow's testing summary words it.
        """
        parts = [
            _wrapped(self.what) or WHAT_PLACEHOLDER,
            _wrapped(self.background) or BACKGROUND_PLACEHOLDER,
        ]
        testing = self.testing_text(checkboxes)
        if testing:
            parts.append(testing)
        if self.version > 1:
            links = dict(self.previous)
            lines = [
                f"v{v}: {links.get(v, LINK_PLACEHOLDER.format(version=v))}"
                for v in range(1, self.version)
            ]
            parts.append("\n".join(lines))
            previous = self.version - 1
            changes = self.changes.strip() or CHANGE_PLACEHOLDER.format(previous=previous)
            parts.append(f"Changes in v{self.version}:\n{changes}")
        return "\n\n".join(parts) + "\n"

    def testing_text(self, checkboxes: bool = True) -> str:
        if not checkboxes:
            import textwrap

            from kvmwriter.compose.checklist import testing_summary

            summary = testing_summary(self.testing, self.testing_done, self.testing_notes)
            # The summary's "Not done: a; b; c" line runs long: wrap it like prose.
            return "\n".join(
                textwrap.fill(
                    line, 72, subsequent_indent="  ", break_on_hyphens=False, break_long_words=False
                )
                if len(line) > 72
                else line
                for line in summary.splitlines()
            )
        lines = ["Testing:"]
        for item in self.testing:
            if item.key in self.testing_done:
                lines.append(f"- [x] {item.done}")
            else:
                lines.append(f"- [ ] {item.label}" + (" (required)" if item.required else ""))
        if self.testing_notes.strip():
            lines.append(self.testing_notes.strip())
        return "\n".join(lines) if len(lines) > 1 else ""

    def to_json(self) -> dict:
        """The typed fields as JSON-friendly values (for the draft store)."""
        return {
            "kind": "cover",
            "version": self.version,
            "rfc": self.rfc,
            "prefix": self.prefix,
            "summary": self.summary,
            "what": self.what,
            "background": self.background,
            "testing_done": sorted(self.testing_done),
            "testing_notes": self.testing_notes,
            "changes": self.changes,
            "previous": [[v, url] for v, url in self.previous],
        }

    def apply_json(self, data: dict) -> None:
        """Take the typed fields from stored JSON; skip mistyped values."""
        for name in ("prefix", "summary", "what", "background", "testing_notes", "changes"):
            if isinstance(data.get(name), str):
                setattr(self, name, data[name])
        version = data.get("version")
        if isinstance(version, int) and not isinstance(version, bool) and version >= 1:
            self.version = version
        if isinstance(data.get("rfc"), bool):
            self.rfc = data["rfc"]
        done = data.get("testing_done")
        if isinstance(done, list):
            self.testing_done = {str(key) for key in done}
        previous = data.get("previous")
        if isinstance(previous, list):
            self.previous = [
                (pair[0], pair[1])
                for pair in previous
                if isinstance(pair, (list, tuple))
                and len(pair) == 2
                and isinstance(pair[0], int)
                and isinstance(pair[1], str)
            ]

    @property
    def is_empty(self) -> bool:
        """True when nothing the author typed is in the draft."""
        typed = (self.summary, self.what, self.background, self.testing_notes, self.changes)
        return (
            not any(part.strip() for part in typed) and not self.testing_done and not self.previous
        )

    def generated(self) -> str:
        """The parts git writes: shortlog, diffstat and base-commit."""
        parts = [p.rstrip("\n") for p in (self.shortlog, self.diffstat) if p.strip()]
        if self.base_commit:
            parts.append(f"base-commit: {self.base_commit}")
        return "\n\n".join(parts) + ("\n" if parts else "")

    def render(self, checkboxes: bool = True) -> str:
        """The whole cover letter as text: subject line, blank, blurb, git's parts."""
        return self.render_with_origins(checkboxes)[0]

    def render_with_origins(self, checkboxes: bool = True) -> tuple[str, list[CoverOrigin]]:
        """The text and, per line, the field it came from (for jumping to findings)."""
        pieces: list[tuple[str, str]] = [("subject", self.subject)]
        pieces.append(("what", _wrapped(self.what) or WHAT_PLACEHOLDER))
        pieces.append(("background", _wrapped(self.background) or BACKGROUND_PLACEHOLDER))
        testing = self.testing_text(checkboxes)
        if testing:
            pieces.append(("testing", testing))
        if self.version > 1:
            links = dict(self.previous)
            pieces.append(
                (
                    "previous",
                    "\n".join(
                        f"v{v}: {links.get(v, LINK_PLACEHOLDER.format(version=v))}"
                        for v in range(1, self.version)
                    ),
                )
            )
            changes = self.changes.strip() or CHANGE_PLACEHOLDER.format(previous=self.version - 1)
            pieces.append(("changes", f"Changes in v{self.version}:\n{changes}"))
        generated = self.generated().rstrip("\n")
        if generated:
            pieces.append(("generated", generated))
        lines: list[str] = []
        origins: list[CoverOrigin] = []
        for index, (name, text) in enumerate(pieces):
            if index:
                lines.append("")
                origins.append(CoverOrigin(name, -1))
            typed = getattr(self, name, None) if name in ("what", "background") else None
            source = typed.strip().split("\n") if isinstance(typed, str) else None
            cursor = (0, 0)
            for row, line in enumerate(text.split("\n")):
                lines.append(line)
                if source is not None:
                    # Wrapped prose: point at the typed row the line came from.
                    from kvmwriter.compose.commit import locate_typed_line

                    cursor = locate_typed_line(source, line, cursor, row)
                    row = cursor[0]
                origins.append(CoverOrigin(name, row))
        return "\n".join(lines) + "\n", origins


def _wrapped(text: str) -> str:
    """Typed prose wrapped at 72 as the commit flow wraps it; code stays as typed."""
    from kvmwriter.compose.commit import wrap_prose

    return wrap_prose(text.strip())


@dataclass(frozen=True)
class CoverOrigin:
    """Where a line of a rendered cover came from: a draft field and its row."""

    field: str
    row: int


def checklist(profile: Profile, files: Sequence[str] = ()) -> list:
    """The commit flow's testing checklist (profile ``[testing]``) for ``files``."""
    from kvmwriter.compose.checklist import checklist as testing_checklist

    return testing_checklist(profile, files)


def draft_for_series(
    series: Series,
    profile: Profile,
    *,
    version: int = 1,
    rfc: bool = False,
    prefix: str | None = None,
    previous: Sequence[tuple[int, str]] = (),
    repo=None,
) -> CoverDraft:
    """A pre-filled draft: tag, topic prefix, checklist and git's parts.

    The prefix is the one the series' own subjects agree on, else the topic
    suggested for all its files (``repo``, a :class:`kvmwriter.git.repo.Repository`,
    adds the prefixes history used for them).
    """
    if prefix is None:
        prefix = prefix_from_subjects(series.subjects, profile) or suggest_prefix(
            series.files, profile, repo
        )
    return CoverDraft(
        version=version,
        rfc=rfc,
        total=series.total,
        prefix=prefix,
        testing=checklist(profile, series.files),
        previous=list(previous),
        shortlog=series.shortlog,
        diffstat=series.diffstat,
        base_commit=series.base_commit,
    )


def prefix_from_subjects(subjects: Sequence[str], profile: Profile) -> str | None:
    """The prefix most of the series' own subjects share, if one dominates.

    Selftests patches ride along with the KVM changes they test, so their
    prefix counts only when the whole series is selftests.
    """
    from collections import Counter

    from kvmwriter.text.message import parse_subject

    kvm = profile.subject.prefix.lower()
    prefixes = []
    for text in subjects:
        subject = parse_subject(text)
        if (
            subject.components
            and subject.components[0].name.lower() == kvm
            and len(subject.components) > 1
        ):
            prefixes.append(subject.prefix)
    if not prefixes:
        return None
    riders = [t.lower() for t in profile.cover.ride_along_topics]
    kernel = [
        p
        for p in prefixes
        if not any(t.name.lower() in riders for t in parse_subject(p + " x").topics)
    ]
    counts = Counter(kernel or prefixes)
    prefix, count = counts.most_common(1)[0]
    return prefix if count * 2 > len(kernel or prefixes) else None


def suggest_prefix(files: Sequence[str], profile: Profile, repo=None) -> str:
    """``KVM: <topic>:`` for the whole series' files, the profile's default topic else."""
    kvm = profile.subject.prefix
    fallback = f"{kvm}: {profile.paths.default}:"
    from kvmwriter.git.repo import RepoError
    from kvmwriter.lint.topics import suggest_topics

    try:
        suggestions = suggest_topics(list(files), profile, repo)
    except RepoError:  # Topic suggestion is a hint; never fail the cover for it.
        suggestions = []
    if suggestions:
        return suggestions[0].prefix.rstrip().rstrip(":") + ":"
    return fallback


# --- Written covers -------------------------------------------------------


def split_written(text: str) -> tuple[str, str]:
    """Split a written cover letter into (title, blurb).

    The title is the first line without any ``[PATCH ...]`` tag; the blurb is
    what follows, up to git's generated tail, without ``#`` comment lines.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return "", ""
    title = _PATCH_TAG.sub("", lines[0]).strip()
    body = [line for line in lines[1:] if not line.startswith("#")]
    cut = len(body)
    for index in range(len(body)):
        if is_generated_start(TextLines(body), index):
            cut = index
            break
    blurb = "\n".join(body[:cut]).strip("\n")
    return title, (blurb + "\n" if blurb else "")


# --- b4's cover commit and other plain cover files --------------------------

# b4 prep's default cover title ("EDITME: cover title for <series>").
_B4_TITLE = re.compile(r"^EDITME\b")
_TRAILER = re.compile(r"^[A-Za-z][A-Za-z0-9-]*:\s")


def fill_plain_cover(text: str, title: str, blurb: str, *, strict: bool = False) -> str:
    """Fill a cover kept as plain text, such as the one ``b4 prep --edit-cover`` opens.

    Replaces b4's ``EDITME: cover title ...`` line (or kvmwriter's own
    ``*** SUBJECT HERE ***``) with ``title`` and puts ``blurb`` right after
    it.  Every other line stays as it was: b4's ``#`` help comments, the
    trailers (``Signed-off-by:``, ``Cc:``), the ``---`` line and the
    "Changes in vN" section below it.  A blurb written already is kept; with
    ``strict`` that is an error rather than a silent no-op.
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    title_index = next(
        (i for i, line in enumerate(lines) if line.strip() and not line.startswith("#")), None
    )
    if title_index is None:
        return title.strip() + newline + newline + blurb.strip("\n") + newline
    current = lines[title_index]
    title_open = bool(_B4_TITLE.match(current)) or SUBJECT_PLACEHOLDER in current
    # The blurb region: after the title, up to the trailers, "---" or the end.
    end = len(lines)
    for index in range(title_index + 1, len(lines)):
        text_line = lines[index]
        if (
            text_line.rstrip() == "---"
            or _TRAILER.match(text_line)
            or is_generated_start(TextLines(lines), index)
        ):
            end = index
            break
    region = [
        line for line in lines[title_index + 1 : end] if line.strip() and not line.startswith("#")
    ]
    blurb_open = not region or any(WHAT_PLACEHOLDER in line for line in region)
    if not title_open and not blurb_open:
        if strict:
            raise CoverError(
                "the cover is written already (no EDITME title or empty "
                "blurb to fill); edit it instead"
            )
        return text
    out = lines[:title_index]
    out.append(title.strip() if title_open and title.strip() else current)
    out.append("")
    body = blurb.strip("\n").split("\n") if blurb_open and blurb.strip() else []
    if body:
        out += body
        out.append("")
        # Keep b4's comments and everything after the region; drop only the
        # skeleton's earlier placeholder prose.
        kept = [
            line
            for line in lines[title_index + 1 : end]
            if line.startswith("#") or not line.strip()
        ]
        rest = _squeeze_blank(kept)
    else:
        rest = lines[title_index + 1 : end]
        while rest and not rest[0].strip():
            rest.pop(0)
    out += rest + lines[end:]
    return newline.join(out)


def _squeeze_blank(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if not line.strip() and (not out or not out[-1].strip()):
            continue
        out.append(line)
    return out


# --- git format-patch --cover-letter ---------------------------------------


def fill_format_patch(text: str, title: str, blurb: str, *, strict: bool = False) -> str:
    """Replace git's ``*** SUBJECT HERE ***`` and ``*** BLURB HERE ***``.

    Keeps every other line (headers, shortlog, diffstat, base-commit,
    signature) as git wrote it.  A non-ASCII title is RFC 2047-encoded and a
    non-ASCII blurb gets UTF-8 MIME headers when git did not write them, so
    the result still parses as a mail.  Raises :class:`CoverError` when the
    placeholders are gone (the cover was filled already).

    A blurb kvmwriter's skeleton filled in before (its ``<What the series
    does ...>`` placeholder still there) is replaced as a whole; any other
    written blurb is kept, and with ``strict`` that is an error instead, so
    a blurb asked for is never dropped without a word.
    """
    if not any(
        marker in text for marker in (SUBJECT_PLACEHOLDER, BLURB_PLACEHOLDER, WHAT_PLACEHOLDER)
    ):
        raise CoverError(
            "no '*** SUBJECT HERE ***' or '*** BLURB HERE ***' to fill "
            "(not a fresh 'git format-patch --cover-letter' cover?)"
        )
    newline = "\r\n" if "\r\n" in text else "\n"
    head, sep, body = text.partition(newline + newline)
    header_lines = head.split(newline)
    out_headers: list[str] = []
    index = 0
    while index < len(header_lines):
        line = header_lines[index]
        if line.lower().startswith("subject:") and SUBJECT_PLACEHOLDER in _unfold(
            header_lines, index
        ):
            value = _unfold(header_lines, index)[len("subject:") :].strip()
            while index + 1 < len(header_lines) and header_lines[index + 1][:1] in (" ", "\t"):
                index += 1
            tag = _PATCH_TAG.match(value)
            value = (tag.group(0).strip() + " " if tag else "") + (
                title.strip() or SUBJECT_PLACEHOLDER
            )
            out_headers.append(_subject_header(value, newline))
        else:
            out_headers.append(line)
        index += 1
    blurb_text = blurb.strip("\n").replace("\n", newline)
    if BLURB_PLACEHOLDER in body:
        body = body.replace(BLURB_PLACEHOLDER, blurb_text or BLURB_PLACEHOLDER, 1)
    else:
        body = _replace_skeleton_blurb(body, blurb_text, newline, strict)
    if not _is_ascii(body) and not any(h.lower().startswith("content-type:") for h in out_headers):
        out_headers += [
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: 8bit",
        ]
    return newline.join(out_headers) + sep + body


def _replace_skeleton_blurb(body: str, blurb: str, newline: str, strict: bool) -> str:
    lines = body.split(newline)
    end = len(lines)
    for index in range(len(lines)):
        if is_generated_start(TextLines(lines), index):
            end = index
            break
    region = newline.join(lines[:end])
    if WHAT_PLACEHOLDER in region and blurb:
        rest = newline.join(lines[end:])
        return blurb + newline + newline + rest if rest else blurb + newline
    if strict:
        raise CoverError(
            "the cover's blurb is written already (no '*** BLURB HERE ***'); "
            "edit it, or regenerate the cover with git format-patch"
        )
    return body


def _unfold(lines: list[str], index: int) -> str:
    value = lines[index]
    for line in lines[index + 1 :]:
        if line[:1] not in (" ", "\t"):
            break
        value += " " + line.strip()
    return value


def _is_ascii(text: str) -> bool:
    return all(ord(ch) < 128 for ch in text)


def _subject_header(value: str, newline: str) -> str:
    if not _is_ascii(value):
        from email.header import Header

        encoded = Header(value, "utf-8", header_name="Subject").encode(linesep=newline)
        return f"Subject: {encoded}"
    # Fold at spaces like git does, so no line grows past 78 characters.
    words = value.split(" ")
    lines = ["Subject:"]
    for word in words:
        if len(lines[-1]) + 1 + len(word) > 78 and lines[-1].strip() not in ("", "Subject:"):
            lines.append(" " + word)
        else:
            lines[-1] += " " + word
    return newline.join(lines)


def series_from_patch_dir(cover: Path) -> Series:
    """The series beside a format-patch cover: the other ``*.patch`` files."""
    from kvmwriter.text.files import MAX_FILE_BYTES, InputError, read_regular_file
    from kvmwriter.text.patchmail import parse_patch_email

    series = Series()
    files: set[str] = set()
    for path in sorted(cover.parent.glob("*.patch")):
        if path.resolve() == cover.resolve():
            continue
        try:
            data = read_regular_file(path, MAX_FILE_BYTES)
        except InputError as error:
            raise CoverError(str(error)) from None
        email = parse_patch_email(data.decode("utf-8", errors="replace"))
        if email.tag.is_cover or not email.message.subject:
            continue
        series.subjects.append(email.message.subject.text)
        files.update(email.files)
        series.base_commit = series.base_commit or email.base_commit
    series.files = sorted(files)
    return series


# --- The series from git ---------------------------------------------------


def normalize_range(range_: str) -> tuple[str, str]:
    """``A..B`` -> (A, B); a single revision means ``REV..HEAD`` as in format-patch."""
    if "..." in range_:
        raise CoverError(f"symmetric range {range_!r} is not a series; use A..B")
    if ".." in range_:
        start, _, end = range_.partition("..")
        return start or "HEAD", end or "HEAD"
    return range_, "HEAD"


def open_repository(where: Repository | Path | str) -> Repository:
    """``where`` itself when it is a repository, else the one holding the path."""
    from kvmwriter.git.repo import Repository

    return where if isinstance(where, Repository) else Repository.discover(where)


def series_from_repo(
    where: Repository | Path | str, range_: str, base: str | None = None
) -> Series:
    """Shortlog, diffstat, files and base commit of ``range_`` (oldest first)."""
    repo = open_repository(where)
    start, end = normalize_range(range_)
    for rev in (start, end):
        if repo.verify_commit(rev) is None:
            raise CoverError(f"bad revision {rev!r} in range {range_!r}")
    spec = f"{start}..{end}"
    series = Series(subjects=[s for s in repo.subjects(spec) if s.strip()])
    if not series.subjects:
        raise CoverError(f"range {range_!r} has no commits")
    series.shortlog = repo.shortlog(spec)
    series.diffstat = repo.diffstat(start, end)
    series.files = sorted({n for n in repo.changed_files(start, end) if n.strip()})
    series.base_commit = repo.merge_base(base or start, end)
    series.branch = repo.branch()
    return series


@dataclass(frozen=True)
class SeriesPlace:
    """A series' repository and range as plain git found them, before GitPython."""

    root: Path
    git_dir: Path
    #: The checked-out branch; ``None`` when HEAD is detached.
    branch: str | None
    #: ``A..B`` (the upstream's range when none was given).
    range: str


def probe_series(range_: str | None, path: Path | str = ".") -> SeriesPlace | None:
    """Check with plain git that ``range_`` at ``path`` is a series to write a cover for.

    A handful of git commands and no GitPython import: enough for the
    cover screen to paint while :func:`series_from_repo` reads the rest.
    ``None`` whenever the answer is not a plain yes (no repository, a bare
    one, ``GIT_DIR`` set, no upstream, a bad revision, an empty range):
    the caller then reads the series at once, which says what is wrong
    in the usual words.
    """
    return start_probe_series(range_, path)()


def start_probe_series(
    range_: str | None, path: Path | str = "."
) -> Callable[[], SeriesPlace | None]:
    """Start :func:`probe_series`'s git commands; the returned call waits for them.

    Two commands run together: one ``rev-parse`` names the work tree, the
    git directory, both ends of the range and the branch; ``log`` lists
    the range's subjects.  Without a range, the upstream is asked first.
    """
    from kvmwriter.git.process import GitError, PendingGit, start_plain

    started: list[PendingGit] = []

    def run(*args: str) -> PendingGit:
        started.append(start_plain(path, *args))
        return started[-1]

    def output(pending: PendingGit) -> str | None:
        result = pending.result()
        return result.stdout if result.ok else None

    def series_commands(range_: str) -> tuple[PendingGit, PendingGit] | None:
        try:
            start, end = normalize_range(range_)
        except CoverError:
            return None
        if start.startswith("-") or end.startswith("-"):
            return None  # (so no --end-of-options, which older git prints back)
        commits = (f"{start}^{{commit}}", f"{end}^{{commit}}")
        where = ("--show-toplevel", "--absolute-git-dir")
        return (
            run("rev-parse", *where, *commits, "--symbolic-full-name", "HEAD"),
            run("log", "-z", "--no-merges", "--format=%s", f"{start}..{end}", "--"),
        )

    def read(
        upstream: PendingGit | None, series: tuple[PendingGit, PendingGit] | None
    ) -> SeriesPlace | None:
        range_found = range_
        if upstream is not None:
            name = (output(upstream) or "").strip()
            if not name:
                return None
            range_found = f"{name}..HEAD"
            series = series_commands(range_found)
        if range_found is None or series is None:
            return None
        found, subjects = (output(pending) for pending in series)
        lines = found.splitlines() if found is not None else []
        if len(lines) != 5 or not all(_OBJECT_ID.match(line) for line in lines[2:4]):
            return None
        if subjects is None or not subjects.replace("\0", "").strip():
            return None
        root, git_dir, _, _, head = lines
        return SeriesPlace(
            Path(root).resolve(),
            Path(git_dir).resolve(),
            head.removeprefix("refs/heads/") if head.startswith("refs/heads/") else None,
            range_found,
        )

    def finish(
        upstream: PendingGit | None, series: tuple[PendingGit, PendingGit] | None
    ) -> SeriesPlace | None:
        try:
            return read(upstream, series)
        except GitError:
            return None
        finally:
            for pending in started:  # reap what an early answer left running
                pending.result()

    if os.environ.get("GIT_DIR"):
        return lambda: None
    try:
        if range_ is None:
            upstream = run("rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
            return lambda: finish(upstream, None)
        series = series_commands(range_)
    except GitError:
        series = None
    if series is None:
        return lambda: finish(None, None)
    return lambda: finish(None, series)


_OBJECT_ID = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")


def cover_draft_store(where: Repository | Path | str, branch: str | None) -> DraftStore:
    """The :class:`kvmwriter.compose.draft_store.DraftStore` of the cover of ``branch``.

    Keyed ``<branch>.cover`` beside the commit flow's ``<branch>`` so the
    commit draft and the cover draft of one branch never replace each other.
    """
    from kvmwriter.compose.draft_store import DraftStore

    return DraftStore(open_repository(where).git_dir, branch, "cover")


def set_branch_description(
    where: Repository | Path | str, branch: str, title: str, blurb: str
) -> None:
    """Store the cover in ``branch.<name>.description``.

    The first paragraph is the title, so ``git format-patch
    --cover-from-description=subject`` (or ``auto``) fills both the subject
    and the blurb from it.
    """
    text = f"{title.strip()}\n\n{blurb.strip()}\n"
    open_repository(where).config_set(f"branch.{branch}.description", text)


# --- A composing session (what the cover screen presents) ------------------


@dataclass
class CoverReading:
    """What a cover session reads after its first screen is up (see :class:`CoverSession`)."""

    linter: Linter | None = None
    series: Series | None = None
    #: The draft pre-filled from the series: prefix, checklist, git's parts.
    draft: CoverDraft | None = None
    notes: list[str] = field(default_factory=list)
    #: Why the series could not be read; the session cannot go on without it.
    error: UserError | None = None


#: The fields the author types: what was typed before the series was read
#: stays over what the reading pre-filled.
_TYPED_FIELDS = ("summary", "what", "background", "testing_notes", "changes")


@dataclass
class CoverSession:
    """The draft, its series and the linter together, free of Textual.

    The cover screen shows and edits ``draft``; every decision (the text,
    the findings, where it is written) is made here so tests and scripts
    drive it directly too.

    ``kvmwriter cover`` starts the session with only what plain git
    probed (:func:`probe_series`): ``loader`` reads the series, the
    pre-filled draft and the rules, and :meth:`ready` applies them.
    """

    linter: Linter | None
    draft: CoverDraft
    series: Series = field(default_factory=Series)
    root: Path | None = None
    #: Where "save" writes the cover letter.
    output: Path | None = None
    #: One-line notes for the user (suggested base, its warning).
    notes: list[str] = field(default_factory=list)
    #: The profile, known before the linter is built.
    early_profile: Profile | None = None
    #: Reads the rest of the session until :meth:`ready` applies it.
    loader: SessionLoader[CoverReading] | None = field(default=None, repr=False, compare=False)
    #: Why the series could not be read.
    load_error: UserError | None = None

    @property
    def profile(self) -> Profile:
        if self.linter is not None:
            return self.linter.profile
        assert self.early_profile is not None, "a session without a linter names its profile"
        return self.early_profile

    @property
    def loading(self) -> bool:
        """The series and the rules are still being read."""
        return self.loader is not None

    @property
    def unusable(self) -> bool:
        """Nothing to write a cover for: the series or the rules could not be read."""
        return self.load_error is not None

    def ready(self) -> None:
        """Apply what the loader read, reading it here if no worker has yet.

        Call from the thread that owns the draft (the app's).  What the
        author typed meanwhile stays; the reading fills the rest (the
        prefix only when none was typed).
        """
        loader, self.loader = self.loader, None
        if loader is None:
            return
        reading = loader.run()
        self.load_error = reading.error
        if reading.linter is not None:
            self.linter = reading.linter
        if reading.series is not None:
            self.series = reading.series
        self.notes = list(reading.notes)
        if reading.draft is None:
            return
        typed, draft = self.draft, reading.draft
        draft.version, draft.rfc = typed.version, typed.rfc
        for name in _TYPED_FIELDS:
            if getattr(typed, name).strip():
                setattr(draft, name, getattr(typed, name))
        if typed.prefix.strip():
            draft.prefix = typed.prefix
        if typed.previous:
            draft.previous = list(typed.previous)
        draft.testing_done |= typed.testing_done
        self.draft = draft

    def message_with_origins(self) -> tuple[str, list[CoverOrigin]]:
        return self.draft.render_with_origins(checkboxes=False)

    def message(self) -> str:
        return self.message_with_origins()[0]

    def lint(self, text: str) -> list:
        from kvmwriter.lint.engine import check_text

        # The lint worker may get here before the app applied the reading:
        # wait for it, and leave applying it to the app's thread.
        loader = self.loader
        reading = loader.run() if loader is not None else None
        linter = reading.linter if reading is not None else self.linter
        series = reading.series if reading is not None else self.series
        if linter is None or series is None:  # load_error says why
            return []
        ctx = linter.context(files=tuple(series.files) or None, cover=True)
        report, _ = check_text(linter, text, "cover", cover=True, ctx=ctx)
        return report.findings

    def title_and_blurb(self) -> tuple[str, str]:
        return self.draft.title, self.draft.blurb(checkboxes=False)

    def save(self, path: Path | None = None) -> Path:
        """Write the cover letter to ``path`` (default: ``output``)."""
        target = path or self.output
        if target is None:
            raise CoverError("no file to write the cover letter to")
        text = self.message()
        try:
            tmp = target.with_name(f".{target.name}.kvmwriter-tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(target)
        except OSError as error:
            raise CoverError(f"cannot write {target}: {error.strerror or error}") from None
        return target

    def store_description(self) -> str:
        """Store title and blurb as the branch description; return the branch."""
        if self.root is None or not self.series.branch:
            raise CoverError("no branch to store a description in (detached HEAD?)")
        title, blurb = self.title_and_blurb()
        set_branch_description(self.root, self.series.branch, title, blurb)
        return self.series.branch


def is_b4_cover_path(path: Path | str) -> bool:
    """True for the file ``b4 prep --edit-cover`` hands to the editor.

    b4 writes the cover (without its tracking section) to
    ``<repo>/.b4-editor*/COMMIT_EDITMSG``, so the tracking marker is never
    in the file; the temp dir's name is what tells it from git's own
    COMMIT_EDITMSG.
    """
    path = Path(path)
    return path.name == "COMMIT_EDITMSG" and path.parent.name.startswith(".b4-editor")
