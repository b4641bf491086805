"""Load a subsystem profile: the data the rules read (topics, verbs, limits).

Profiles live in ``assets/profiles/<name>.toml``; a path to a ``.toml`` file
works too, so a team can keep its own profile next to its tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kvmwriter.errors import UserError
from kvmwriter.lint import tomlcompat

DEFAULT_PROFILE = "kvm-x86"


class ProfileError(UserError):
    """A profile that cannot be found or read."""


def assets_dir() -> Path:
    """Return the assets folder, installed (package data) or in a checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "assets", package.parent / "assets"):
        if (candidate / "profiles").is_dir():
            return candidate
    raise ProfileError(f"kvmwriter's assets folder is missing (looked beside {package})")


@dataclass(frozen=True)
class Profile:
    name: str
    data: dict[str, Any]
    path: Path

    def section(self, name: str) -> dict[str, Any]:
        return self.data.get(name, {})

    def get(self, section: str, key: str, default: Any = None) -> Any:
        return self.data.get(section, {}).get(key, default)

    @property
    def known_topics(self) -> tuple[str, ...]:
        topics = self.section("topics")
        return tuple(topics.get("handbook", ())) + tuple(topics.get("extra", ()))

    def with_overrides(self, overrides: dict[str, dict[str, Any]]) -> "Profile":
        """Return a copy with ``[section] key = value`` overrides merged in.

        List values named ``extra_<key>`` extend the profile's ``<key>``.
        """
        data = {section: dict(values) for section, values in self.data.items()
                if isinstance(values, dict)}
        data.update({k: v for k, v in self.data.items() if not isinstance(v, dict)})
        for section, values in overrides.items():
            target = data.setdefault(section, {})
            for key, value in values.items():
                if key.startswith("extra_") and isinstance(value, list):
                    base = key[len("extra_"):]
                    target[base] = list(target.get(base, [])) + list(value)
                else:
                    target[key] = value
        return Profile(self.name, data, self.path)


#: Largest profile read: the shipped one is a few tens of KiB.
PROFILE_LIMIT = 4 * 1024 * 1024


def _cache_name(path: Path) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in path.stem)


@lru_cache(maxsize=16)
def load_profile(name_or_path: str = DEFAULT_PROFILE) -> Profile:
    """Load a profile by name (``kvm-x86``) or by path to a ``.toml`` file."""
    if name_or_path.endswith(".toml") or "/" in name_or_path:
        path = Path(name_or_path).expanduser()
    else:
        path = assets_dir() / "profiles" / f"{name_or_path}.toml"
    from kvmwriter.text.files import InputError, read_text_file

    if not path.exists():
        raise ProfileError(f"profile {name_or_path!r} not found ({path})")
    try:
        text = read_text_file(path, PROFILE_LIMIT)
    except InputError as error:
        raise ProfileError(f"cannot read profile: {error}") from None
    try:
        data = tomlcompat.loads_cached(text, f"profile-{_cache_name(path)}")
    except tomlcompat.TOMLDecodeError as error:
        raise ProfileError(f"{path}: invalid TOML: {error}") from None
    return Profile(str(data.get("name", path.stem)), data, path)
