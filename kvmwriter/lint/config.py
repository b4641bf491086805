"""``.kvmwriter.toml``: profile, rule selection and severities.

Looked up at the repository root first, then in the user's config
directory (``$XDG_CONFIG_HOME/kvmwriter/config.toml``).  The first file found
wins; ``--config`` names one explicitly.
"""

from __future__ import annotations

import os

from kvmwriter.errors import UserError
from kvmwriter.lint import tomlcompat
from kvmwriter.lint.findings import Severity
from kvmwriter.lint.profile import (
    DEFAULT_PROFILE,
    Profile,
    ProfileError,
    check_overrides,
    load_profile,
)
from kvmwriter.records import TYPE_CHECKING, Record

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

CONFIG_NAME = ".kvmwriter.toml"


class ConfigError(UserError):
    """A configuration file that cannot be read or has bad values."""


class Config(Record):
    """What a config file says (defaults without one).

    A plain record, not a dataclass: ``kvmwriter check`` must not pay for
    importing dataclasses.
    """

    __slots__ = (
        "profile",
        "profile_forced",
        "select",
        "ignore",
        "severity",
        "profile_overrides",
        "sections",
        "path",
        "notices",
    )

    profile: str
    #: The config or --profile named the profile: no choosing per patch.
    profile_forced: bool
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    severity: dict[str, Severity]
    #: ``[section] key = value`` overrides of the profile's data.
    profile_overrides: dict[str, dict[str, Any]]
    #: Sections later features read (grammar, tui); kept as parsed.
    sections: dict[str, Any]
    #: The file read (a str or a Path, as given), None for the defaults.
    path: str | os.PathLike[str] | None
    #: One-line notices about settings ignored (network grammar asked for
    #: by a repository's config), for the front end to show.
    notices: tuple[str, ...]

    def __init__(
        self,
        profile: str = DEFAULT_PROFILE,
        profile_forced: bool = False,
        select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        severity: dict[str, Severity] | None = None,
        profile_overrides: dict[str, dict[str, Any]] | None = None,
        sections: dict[str, Any] | None = None,
        path: str | os.PathLike[str] | None = None,
        notices: tuple[str, ...] = (),
    ) -> None:
        self.profile = profile
        self.profile_forced = profile_forced
        self.select = select
        self.ignore = ignore
        self.severity = {} if severity is None else severity
        self.profile_overrides = {} if profile_overrides is None else profile_overrides
        self.sections = {} if sections is None else sections
        self.path = path
        self.notices = notices


# Paths here are strings (os.path): importing pathlib costs a commit-msg
# hook 3 ms.  find_config() hands out a Path, for callers outside check.


def user_config_path() -> str:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(base, "kvmwriter", "config.toml")


def find_config_file(start: str | os.PathLike[str] | None) -> str | None:
    """Return the config file that applies to a run started in ``start``."""
    if start is not None:
        candidate = os.path.realpath(start)
        while True:
            path = os.path.join(candidate, CONFIG_NAME)
            if os.path.isfile(path):
                return path
            if os.path.exists(os.path.join(candidate, ".git")):
                break
            parent = os.path.dirname(candidate)
            if parent == candidate:
                break
            candidate = parent
    user = user_config_path()
    return user if os.path.isfile(user) else None


def find_config(start: str | os.PathLike[str] | None) -> Path | None:
    """:func:`find_config_file` as a Path."""
    found = find_config_file(start)
    if found is None:
        return None
    from pathlib import Path

    return Path(found)


#: Largest config file read.
CONFIG_LIMIT = 1024 * 1024


#: ``[grammar]`` settings that send text off the machine.
NETWORK_GRAMMAR_MODES = ("server", "public")


def load_config(path: str | os.PathLike[str] | None, *, trusted: bool | None = None) -> Config:
    """The config at ``path`` (defaults when ``None``).

    ``trusted`` is True for a file the user chose (``--config``); by default
    only the user's own config file is.  An untrusted file (a repository's
    ``.kvmwriter.toml``) cannot turn on network grammar: its ``[grammar]``
    ``server`` and ``mode = "server"``/``"public"`` are dropped with a notice,
    and the user's own ``[grammar]`` settings apply on top.
    """
    if path is None:
        return Config()
    config = _load(path)
    if trusted is None:
        trusted = _is_user_config(path)
    if not trusted:
        _drop_network_grammar(config)
    return config


def _is_user_config(path: str | os.PathLike[str]) -> bool:
    try:
        return os.path.realpath(path) == os.path.realpath(user_config_path())
    except OSError:
        return False


def _drop_network_grammar(config: Config) -> None:
    """Keep a repository's config from sending the user's text to a server."""
    section = config.sections.get("grammar")
    if section is not None and not isinstance(section, dict):
        return  # A bad [grammar] is reported where it is read.
    section = dict(section or {})
    dropped = []
    for key in ("server", "mode"):
        value = section.get(key)
        if value is None or (key == "mode" and value not in NETWORK_GRAMMAR_MODES):
            continue
        del section[key]
        dropped.append(f"{key} = {value!r}")
    notices = (
        [
            f"{config.path}: ignoring [grammar] {', '.join(dropped)}: only your own config "
            f"({user_config_path()}) or --grammar-server can send text to a grammar server"
        ]
        if dropped
        else []
    )
    user = user_config_path()
    if os.path.isfile(user):
        try:
            mine = _load(user).sections.get("grammar")
        except ConfigError:
            mine = None
        if isinstance(mine, dict):
            section.update(mine)
    if section:
        config.sections["grammar"] = section
    else:
        config.sections.pop("grammar", None)
    config.notices = tuple(config.notices) + tuple(notices)


def _load(path: str | os.PathLike[str]) -> Config:
    from kvmwriter.text.files import InputError, read_text_file

    try:
        data = tomlcompat.loads(read_text_file(path, CONFIG_LIMIT))
    except InputError as error:
        raise ConfigError(f"cannot read config: {error}") from None
    except tomlcompat.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    return config_from_dict(data, path)


def config_from_dict(data: dict[str, Any], path: str | os.PathLike[str] | None = None) -> Config:
    where = str(path) if path else "config"
    config = Config(path=path)
    profile = data.get("profile", DEFAULT_PROFILE)
    if not isinstance(profile, str):
        raise ConfigError(f"{where}: profile must be a string")
    config.profile = profile
    config.profile_forced = "profile" in data
    for key in ("select", "ignore"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: {key} must be a list of rule names")
        setattr(config, key, tuple(value))
    severity = data.get("severity", {})
    if not isinstance(severity, dict):
        raise ConfigError(f'{where}: [severity] must be a table of rule = "level"')
    for rule_name, level in severity.items():
        try:
            config.severity[rule_name] = Severity.parse(str(level))
        except ValueError as error:
            raise ConfigError(f"{where}: [severity] {rule_name}: {error}") from None
    overrides = data.get("profile-data", {})
    if not isinstance(overrides, dict):
        raise ConfigError(f"{where}: [profile-data] must be a table of tables")
    try:
        check_overrides(overrides, where)
    except ProfileError as error:
        raise ConfigError(str(error)) from None
    config.profile_overrides = overrides
    config.sections = {
        k: v
        for k, v in data.items()
        if k not in ("profile", "select", "ignore", "severity", "profile-data")
    }
    return config


def profile_for(config: Config, name: str | None = None) -> Profile:
    """The profile ``name`` (else the config's) with the config's overrides applied."""
    profile = load_profile(name or config.profile)
    if config.profile_overrides:
        profile = profile.with_overrides(config.profile_overrides, str(config.path or "config"))
    return profile
