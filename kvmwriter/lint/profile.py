"""Load a subsystem profile: the data the rules read (topics, verbs, limits).

Profiles live in ``assets/profiles/<name>.toml``; a path to a ``.toml`` file
works too, so a team can keep its own profile next to its tree.

A profile loads into immutable records, one per TOML table.  Every key is
required and typed: the TOML is the only place a default lives, and a
misspelt or unknown key, a value of the wrong type or a list naming the same
entry twice is a :class:`ProfileError` naming the file and the key.

The records are named tuples rather than frozen dataclasses: the
commit-msg hook defines every one of them at each start, and a named tuple
costs a quarter of a frozen dataclass to define.
"""

from __future__ import annotations

import os
import types
from collections.abc import Iterable, Mapping, Sequence
from functools import cache, lru_cache

from kvmwriter.errors import UserError
from kvmwriter.lint import tomlcompat
from kvmwriter.records import TYPE_CHECKING, NamedTuple, Record

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

DEFAULT_PROFILE = "kvm-x86"
#: Profiles chosen per patch, in the order they are tried; the last one is
#: the fallback for a patch whose files or prefix match no other.
AUTO_PROFILES = ("kvm-x86", "tip", "generic")


class ProfileError(UserError):
    """A profile that cannot be found or read, or has bad keys or values."""


# Paths here are strings (os.path): importing pathlib costs a commit-msg
# hook 3 ms; assets_dir() alone hands out a Path, for callers outside check.


def assets_folder() -> str:
    """Return the assets folder, installed (package data) or in a checkout."""
    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    for candidate in (
        os.path.join(package, "assets"),
        os.path.join(os.path.dirname(package), "assets"),
    ):
        if os.path.isdir(os.path.join(candidate, "profiles")):
            return candidate
    raise ProfileError(f"kvmwriter's assets folder is missing (looked beside {package})")


def assets_dir() -> Path:
    """:func:`assets_folder` as a Path."""
    from pathlib import Path

    return Path(assets_folder())


class SelectionProfile(NamedTuple):
    """When the profile applies to a patch it was not forced on."""

    #: Path prefixes: a patch touching any of them gets this profile.
    paths: tuple[str, ...]
    #: Subject prefixes (first component, lowercase; ``x86`` also matches
    #: ``x86/mm``) that choose it for a plain message with no files.
    prefixes: tuple[str, ...]


class RulesProfile(NamedTuple):
    #: Rules that do not apply under this profile (e.g. what-first for tip).
    skip: tuple[str, ...]


class SubjectProfile(NamedTuple):
    #: The leading component every subject carries; empty: any subsystem.
    prefix: str
    max_length: int
    hard_max_length: int
    #: ``subsys: part - Summary`` (crypto: ccp - Add ...) is a prefix form.
    dash_part: bool


class TopicsProfile(NamedTuple):
    handbook: tuple[str, ...]
    extra: tuple[str, ...]
    guest_only: str
    guest_only_paths: tuple[str, ...]
    x86_paths: tuple[str, ...]
    kvm_paths: tuple[str, ...]
    extensible: tuple[str, ...]
    aliases: Mapping[str, str]

    @property
    def known(self) -> tuple[str, ...]:
        return self.handbook + self.extra


class FilenamesProfile(NamedTuple):
    extensions: tuple[str, ...]
    roots: tuple[str, ...]
    #: A prefix component with this many slashes reads as a path.
    path_depth: int


class MoodProfile(NamedTuple):
    verbs: tuple[str, ...]
    adverbs: tuple[str, ...]
    non_verbs: tuple[str, ...]


class BodyProfile(NamedTuple):
    max_line_length: int
    #: Lines up to this long are info, not a warning: the handbook lets the
    #: shortlog "run a few characters over" 75, and maintainers apply prose
    #: that does the same.
    hard_line_length: int
    background_openers: tuple[str, ...]
    conditional_openers: tuple[str, ...]
    background_words: int
    pronouns: tuple[str, ...]


class ManualsProfile(NamedTuple):
    names: tuple[str, ...]
    locators: tuple[str, ...]


class FixesProfile(NamedTuple):
    bug_words: tuple[str, ...]
    min_sha_length: int


class TrailersProfile(NamedTuple):
    stable_address: str
    known: tuple[str, ...]
    any_case: tuple[str, ...]
    person: tuple[str, ...]
    non_lore_hosts: tuple[str, ...]


class GrammarProfile(NamedTuple):
    disabled_rules: tuple[str, ...]
    disabled_categories: tuple[str, ...]
    next_word_rules: tuple[str, ...]
    language: str


class SpellingProfile(NamedTuple):
    ignore: tuple[str, ...]


class PathsProfile(NamedTuple):
    default: str
    history_limit: int
    exclusive: tuple[str, ...]
    map: Mapping[str, str]
    parents: Mapping[str, str]


class SeriesProfile(NamedTuple):
    kvm_code_paths: tuple[str, ...]
    selftests_paths: tuple[str, ...]
    feature_verbs: tuple[str, ...]
    fix_verbs: tuple[str, ...]
    unit_tests_tags: tuple[str, ...]
    unit_tests_paths: tuple[str, ...]
    next_base_refs: tuple[str, ...]
    foreign_base_refs: tuple[str, ...]
    stable_base_refs: tuple[str, ...]
    common_kvm_paths: tuple[str, ...]
    other_arch_paths: tuple[str, ...]


class DiffProfile(NamedTuple):
    kernel_doc_paths: tuple[str, ...]


class TestingItem(NamedTuple):
    """One entry of the testing checklist (``[[testing.items]]``).

    The optional keys are per-entry switches, not profile defaults: an item
    is optional unless it says ``required`` or names ``required_paths``, and
    its summary wording is its label unless it gives ``done``.
    """

    key: str
    label: str
    done: str = ""
    required: bool = False
    required_paths: tuple[str, ...] = ()


class TestingProfile(NamedTuple):
    heading: str
    items: tuple[TestingItem, ...]


class DraftingProfile(NamedTuple):
    skip_rules: tuple[str, ...]
    autosave_delay: float


class CoverProfile(NamedTuple):
    testing_patterns: tuple[str, ...]
    feedback_patterns: tuple[str, ...]
    version_link_patterns: tuple[str, ...]
    placeholder_patterns: tuple[str, ...]
    ride_along_topics: tuple[str, ...]
    base_branch: str
    base_remote_url: str
    base_remote_default: str


class Profile(Record):
    """A loaded profile: one typed section per TOML table.

    A plain record (equal only to itself), not a frozen dataclass: the
    commit-msg hook must not pay for importing dataclasses.  Treat it as
    read-only; :meth:`with_overrides` makes changed copies.
    """

    __slots__ = (
        "name",
        "description",
        "handbook",
        "selection",
        "rules",
        "subject",
        "topics",
        "filenames",
        "mood",
        "body",
        "manuals",
        "fixes",
        "trailers",
        "grammar",
        "spelling",
        "paths",
        "series",
        "diff",
        "testing",
        "drafting",
        "cover",
        "path",
        "data",
    )

    name: str
    description: str
    handbook: str
    selection: SelectionProfile
    rules: RulesProfile
    subject: SubjectProfile
    topics: TopicsProfile
    filenames: FilenamesProfile
    mood: MoodProfile
    body: BodyProfile
    manuals: ManualsProfile
    fixes: FixesProfile
    trailers: TrailersProfile
    grammar: GrammarProfile
    spelling: SpellingProfile
    paths: PathsProfile
    series: SeriesProfile
    diff: DiffProfile
    testing: TestingProfile
    drafting: DraftingProfile
    cover: CoverProfile
    #: The profile's file (its name for a profile built from data alone).
    path: str
    #: The parsed TOML, kept so config overrides re-validate the whole.
    data: Mapping[str, Any]

    def __init__(
        self,
        name: str,
        description: str,
        handbook: str,
        selection: SelectionProfile,
        rules: RulesProfile,
        subject: SubjectProfile,
        topics: TopicsProfile,
        filenames: FilenamesProfile,
        mood: MoodProfile,
        body: BodyProfile,
        manuals: ManualsProfile,
        fixes: FixesProfile,
        trailers: TrailersProfile,
        grammar: GrammarProfile,
        spelling: SpellingProfile,
        paths: PathsProfile,
        series: SeriesProfile,
        diff: DiffProfile,
        testing: TestingProfile,
        drafting: DraftingProfile,
        cover: CoverProfile,
        path: str = "",
        data: Mapping[str, Any] | None = None,
    ) -> None:
        self.name = name
        self.description = description
        self.handbook = handbook
        self.selection = selection
        self.rules = rules
        self.subject = subject
        self.topics = topics
        self.filenames = filenames
        self.mood = mood
        self.body = body
        self.manuals = manuals
        self.fixes = fixes
        self.trailers = trailers
        self.grammar = grammar
        self.spelling = spelling
        self.paths = paths
        self.series = series
        self.diff = diff
        self.testing = testing
        self.drafting = drafting
        self.cover = cover
        self.path = path
        self.data = {} if data is None else data

    def __repr__(self) -> str:
        return f"Profile(name={self.name!r}, path={self.path!r})"

    @property
    def known_topics(self) -> tuple[str, ...]:
        return self.topics.known

    def with_overrides(
        self, overrides: Mapping[str, Mapping[str, Any]], source: str = "config"
    ) -> Profile:
        """Return a copy with ``[section] key = value`` overrides merged in.

        List values named ``extra_<key>`` extend the profile's ``<key>``
        (entries it already has are kept once).  ``source`` names the file
        the overrides come from in errors.
        """
        import copy

        check_overrides(overrides, source)
        data = copy.deepcopy(dict(self.data))
        for section, values in overrides.items():
            target = data.setdefault(section, {})
            for key, value in values.items():
                if key.startswith("extra_") and isinstance(value, list):
                    base = key[len("extra_") :]
                    merged = list(target.get(base, []))
                    merged += [v for v in value if v not in merged]
                    target[base] = merged
                else:
                    target[key] = value
        return build_profile(data, self.path, where=source, tables="profile-data.")


@cache
def _hints(kind: type) -> dict[str, Any]:
    """``kind``'s field types, evaluated once per class."""
    # What typing.get_type_hints() does for these classes, but evaluating
    # each distinct annotation ("tuple[str, ...]" types most fields) once.
    # NamedTuple keeps an annotation as a ForwardRef, a plain class as a string.
    return {
        name: _annotation(getattr(text, "__forward_arg__", text))
        for name, text in kind.__annotations__.items()
    }


@cache
def _annotation(text: str) -> Any:
    """The type an annotation of this module names (``from __future__ import annotations``)."""
    return eval(text, globals())


def _is_section(kind: Any) -> bool:
    """True for a profile table's record type (a named tuple)."""
    return isinstance(kind, type) and issubclass(kind, tuple) and hasattr(kind, "_fields")


def _section_keys(kind: Any) -> tuple[str, ...]:
    return kind._fields


def _section_defaults(kind: Any) -> dict[str, Any]:
    return kind._field_defaults


def _sections() -> dict[str, type]:
    hints = _section_hints()
    return {name: kind for name, kind in hints.items() if _is_section(kind)}


@cache
def _section_hints() -> dict[str, Any]:
    """The types of :class:`Profile`'s tables (its other fields name types,
    such as ``Any``, that only a type checker imports)."""
    return {
        name: _annotation(text)
        for name, text in Profile.__annotations__.items()
        if name not in _TOP_KEYS and name not in _NOT_TABLES
    }


_TOP_KEYS = ("name", "description", "handbook")
#: Profile fields besides the top keys that are not TOML tables.
_NOT_TABLES = ("path", "data")
_EXTENDS = "extends"


def check_overrides(overrides: Mapping[str, Any], source: str) -> None:
    """Reject ``[profile-data]`` overrides naming no section or key of a profile."""
    sections = _sections()
    for section, values in overrides.items():
        if section not in sections:
            raise ProfileError(
                f"{source}: unknown profile section [profile-data.{section}] "
                f"(known: {', '.join(sections)})"
            )
        if not isinstance(values, Mapping):
            raise ProfileError(f"{source}: [profile-data.{section}] must be a table")
        names = set(_section_keys(sections[section]))
        for key in values:
            base = key.removeprefix("extra_")
            if base not in names:
                raise ProfileError(
                    f"{source}: unknown key {key!r} in "
                    f"[profile-data.{section}] (known: {', '.join(sorted(names))})"
                )


def build_profile(
    data: Mapping[str, Any], path: str, *, where: str | None = None, tables: str = ""
) -> Profile:
    """Validate parsed TOML into a :class:`Profile`.

    ``where`` (the file) prefixes errors, and ``tables`` the table names in
    them (``profile-data.`` for a config's overrides).
    """
    where = where or str(path)
    sections = _sections()
    for key in data:
        if key not in sections and key not in _TOP_KEYS and key != _EXTENDS:
            raise ProfileError(f"{where}: unknown key {key!r} at the top level")
    values: dict[str, Any] = {}
    for key in _TOP_KEYS:
        value = data.get(key, _stem(path) if key == "name" else None)
        if not isinstance(value, str):
            raise ProfileError(f"{where}: {key!r} must be a string")
        values[key] = value
    for name, kind in sections.items():
        if name not in data:
            raise ProfileError(f"{where}: missing table [{name}]")
        values[name] = _convert(kind, data[name], where, tables + name)
    return Profile(**values, path=path, data=data)


def _convert(kind: Any, value: Any, where: str, key: str) -> Any:
    """Check ``value`` against the annotation ``kind``; return its typed form."""
    if _is_section(kind):
        return _build_section(kind, value, where, key)
    # typing.get_origin() and get_args() for the annotations profiles use
    # (builtin and collections.abc generics), without importing typing.
    origin = getattr(kind, "__origin__", None)
    if kind is str:
        if not isinstance(value, str):
            raise ProfileError(f"{where}: [{_table(key)}] {_leaf(key)} must be a string")
        return value
    if kind is bool:
        if not isinstance(value, bool):
            raise ProfileError(f"{where}: [{_table(key)}] {_leaf(key)} must be true or false")
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ProfileError(f"{where}: [{_table(key)}] {_leaf(key)} must be an integer")
        return value
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ProfileError(f"{where}: [{_table(key)}] {_leaf(key)} must be a number")
        return float(value)
    if origin is tuple:
        item = kind.__args__[0]
        if not isinstance(value, list):
            raise ProfileError(f"{where}: [{_table(key)}] {_leaf(key)} must be a list")
        if item is str and all(isinstance(entry, str) for entry in value):
            items = tuple(value)  # The common case, checked without a call per entry.
        else:
            items = tuple(_convert(item, entry, where, key) for entry in value)
        if item is str:
            _reject_duplicates(items, where, key)
        return items
    if origin is Mapping:
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise ProfileError(f"{where}: [{key}] must be a table of strings")
        return types.MappingProxyType(dict(value))
    raise ProfileError(f"{where}: [{_table(key)}] {_leaf(key)} has an unsupported type")


def _build_section(kind: type, value: Any, where: str, key: str) -> Any:
    if not isinstance(value, Mapping):
        raise ProfileError(f"{where}: [{key}] must be a table")
    hints = _hints(kind)
    names = _section_keys(kind)
    for name in value:
        if name not in names:
            raise ProfileError(
                f"{where}: unknown key {name!r} in [{key}] (known: {', '.join(names)})"
            )
    defaults = _section_defaults(kind)
    values = {}
    for name in names:
        if name not in value:
            if name in defaults:
                continue
            raise ProfileError(f"{where}: [{key}] is missing {name!r}")
        values[name] = _convert(hints[name], value[name], where, f"{key}.{name}")
    return kind(**values)


def _reject_duplicates(items: tuple[str, ...], where: str, key: str) -> None:
    seen: set[str] = set()
    for entry in items:
        if entry in seen:
            raise ProfileError(f"{where}: [{_table(key)}] {_leaf(key)} lists {entry!r} twice")
        seen.add(entry)


def _table(key: str) -> str:
    return key.rpartition(".")[0] or key


def _leaf(key: str) -> str:
    return key.rpartition(".")[2]


#: Largest profile read: the shipped one is a few tens of KiB.
PROFILE_LIMIT = 4 * 1024 * 1024


def _stem(path: str) -> str:
    """The file name without its extension (``Path.stem``)."""
    return os.path.splitext(os.path.basename(path))[0]


def _cache_name(path: str) -> str:
    """The cache's name for the profile at ``path``: its stem and where it is.

    The cache keeps one parsed copy per name; two installs whose profiles
    differ (a release and a checkout, or a before and an after) would
    otherwise replace each other's copy on every alternate run.
    """
    import zlib

    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in _stem(path))
    return f"{stem}-{zlib.crc32(os.path.realpath(path).encode('utf-8')):08x}"


def _profile_path(name_or_path: str) -> str:
    if name_or_path.endswith(".toml") or "/" in name_or_path:
        # Spelt as Path spells it, for the error messages and the test for
        # an 'extends' loop.
        return _normalized(os.path.expanduser(name_or_path))
    return os.path.join(assets_folder(), "profiles", f"{name_or_path}.toml")


def _normalized(path: str) -> str:
    """``str(Path(path))``: "." parts and doubled or trailing "/" dropped, ".." kept."""
    if not path:
        return "."
    absolute = path.startswith("/")
    parts = [part for part in path.split("/") if part and part != "."]
    text = "/".join(parts)
    if absolute:
        return "/" + text
    return text or "."


def _read_data(name_or_path: str, seen: tuple[str, ...] = ()) -> tuple[dict[str, Any], str]:
    """Parsed TOML of a profile, with the profile it ``extends`` merged below it."""
    path = _profile_path(name_or_path)
    if path in seen:
        raise ProfileError(f"{path}: 'extends' loops back to itself")
    from kvmwriter.text.files import InputError, read_text_file

    if not os.path.exists(path):
        raise ProfileError(f"profile {name_or_path!r} not found ({path})")
    try:
        text = read_text_file(path, PROFILE_LIMIT)
    except InputError as error:
        raise ProfileError(f"cannot read profile: {error}") from None
    try:
        # Each call parses or unmarshals afresh: 'extends' merging may edit it.
        data = tomlcompat.loads_cached(text, f"profile-{_cache_name(path)}", family="profile")
    except tomlcompat.TOMLDecodeError as error:
        raise ProfileError(f"{path}: invalid TOML: {error}") from None
    base = data.pop(_EXTENDS, None)
    if base is None:
        return data, path
    if not isinstance(base, str):
        raise ProfileError(f"{path}: 'extends' must be a profile name or path")
    if "/" in base and not os.path.isabs(base):
        base = os.path.join(os.path.dirname(path), base)
    merged, _ = _read_data(base, (*seen, path))
    _merge(merged, data)
    return merged, path


def _merge(base: dict[str, Any], top: Mapping[str, Any]) -> None:
    """Merge ``top`` into ``base``: tables key by key, anything else replaced."""
    for key, value in top.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value


@lru_cache(maxsize=16)
def load_profile(name_or_path: str = DEFAULT_PROFILE) -> Profile:
    """Load a profile by name (``kvm-x86``) or by path to a ``.toml`` file.

    A profile may say ``extends = "<name>"``: its tables then change the
    named profile's key by key (lists and values replaced whole).
    """
    data, path = _read_data(name_or_path)
    return build_profile(data, path)


def choose_profile(
    files: Iterable[str] | None, components: str | Sequence[str] | None
) -> tuple[str, str]:
    """``(profile name, why)`` for a patch: by its files or its subject prefix.

    Profiles are tried in :data:`AUTO_PROFILES` order; the first whose paths
    match a file or whose prefixes match the subject's applies, so KVM files
    win over other files, and a subject its author marked ``KVM:`` keeps
    the KVM rules even on files no profile lists.  Without files or a
    subject prefix, the default profile applies.  ``components`` are the
    subject's prefix components; the first two count ("selftests: KVM:"),
    and so do a path-like one's ends ("selftests/kvm").
    """
    files = tuple(files or ())
    if isinstance(components, str):
        components = [components]
    names = [c.lower() for c in (components or ())[:2]]
    if not files and not names:
        return DEFAULT_PROFILE, "the default"
    for name in AUTO_PROFILES[:-1]:
        selection = load_profile(name).selection
        if any(f.startswith(selection.paths) for f in files):
            return name, "from the files"
        if any(
            c == p or c.startswith(p + "/") or c.endswith("/" + p)
            for c in names
            for p in selection.prefixes
        ):
            return name, "from the subject prefix"
    return AUTO_PROFILES[-1], "from the files" if files else "from the subject prefix"
