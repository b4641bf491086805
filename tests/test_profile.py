"""Typed profiles: every key known, typed and listed once, defaults only in TOML."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest

from kvmwriter.lint.profile import ProfileError, assets_dir, load_profile
from tests.conftest import ROOT, message_with, run_cli

KVM_TOML = assets_dir() / "profiles" / "kvm-x86.toml"


def _profile_with(tmp_path: Path, old: str, new: str) -> Path:
    text = KVM_TOML.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "team.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_profile_loads_typed_sections():
    profile = load_profile()
    assert profile.subject.max_length == 75
    assert profile.subject.hard_max_length == 80
    assert "VMX" in profile.known_topics
    assert profile.paths.map["arch/x86/kvm/vmx/"] == "VMX"
    assert profile.topics.aliases["lapic"] == "x86"
    assert all(item.key and item.label for item in profile.testing.items)


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        (
            "max_length = 75",
            "max_lenght = 75",
            r"team\.toml: unknown key 'max_lenght' in \[subject\]",
        ),
        ("hard_max_length = 80\n", "", r"\[subject\] is missing 'hard_max_length'"),
        ("max_length = 75", 'max_length = "75"', r"\[subject\] max_length must be an integer"),
        (
            '"Suggested-by", "Cc",',
            '"Suggested-by", "Cc", "Cc",',
            r"\[trailers\] known lists 'Cc' twice",
        ),
        ('"Suggested-by", "Cc",', '"Suggested-by", 7,', r"\[trailers\] known must be a string"),
        ("max_length = 75", "max_length = 75.0", r"\[subject\] max_length must be an integer"),
    ],
    ids=[
        "unknown-key",
        "missing-key",
        "wrong-type",
        "duplicate-entry",
        "wrong-type-in-a-list",
        "float-for-an-integer",
    ],
)
def test_profile_errors_name_the_key_and_file(tmp_path, old, new, error):
    # Defaults live only in the TOML: a missing key is an error, not a default.
    path = _profile_with(tmp_path, old, new)
    with pytest.raises(ProfileError, match=error):
        load_profile(str(path))


def test_shipped_profiles_load_cleanly():
    for path in sorted((assets_dir() / "profiles").glob("*.toml")):
        load_profile(str(path))


def test_rules_repeat_no_profile_default_in_code():
    # Every value comes from the profile: a literal like 75 or a path
    # table in a rule would silently disagree with a team's profile.
    rules = ROOT / "kvmwriter" / "lint" / "rules"
    offenders = []
    for path in rules.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for pattern in (
            r"profile\.get\(",
            r"profile\.section\(",
            r'"arch/x86/kvm/"',
            r'"virt/kvm/"',
            r'"x86/mmu"',
        ):
            if re.search(pattern, text):
                offenders.append(f"{path.name}: {pattern}")
    assert offenders == []


def test_check_config_override_with_unknown_key_is_one_line_error(tmp_path):
    (tmp_path / ".git").mkdir()
    config = tmp_path / ".kvmwriter.toml"
    config.write_text("[profile-data.subject]\nmax_lenght = 20\n")
    result = run_cli("check", cwd=tmp_path, input=message_with())
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"kvmwriter: {config}: unknown key 'max_lenght' in [profile-data.subject] "
        "(known: dash_part, hard_max_length, max_length, prefix)"
    )


def test_check_config_override_with_wrong_type_is_one_line_error(tmp_path):
    (tmp_path / ".git").mkdir()
    config = tmp_path / ".kvmwriter.toml"
    config.write_text('[profile-data.subject]\nmax_length = "twenty"\n')
    result = run_cli("check", cwd=tmp_path, input=message_with())
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"kvmwriter: {config}: [profile-data.subject] max_length must be an integer"
    )


def test_check_config_override_changes_the_limit(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".kvmwriter.toml").write_text("[profile-data.subject]\nmax_length = 20\n")
    result = run_cli("check", "--format", "json", cwd=tmp_path, input=message_with())
    assert '"subject-length"' in result.stdout


def test_check_profile_file_with_unknown_key_is_one_line_error(tmp_path):
    path = _profile_with(tmp_path, "[body]\n", "[body]\nmax_line_lenght = 72\n")
    result = run_cli("check", "--profile", str(path), input=message_with())
    assert result.returncode == 2
    assert result.stderr.strip().startswith(f"kvmwriter: {path}: unknown key 'max_line_lenght'")


def test_profile_field_types_are_those_typing_reads():
    import typing

    from kvmwriter.lint import profile

    for kind in (profile.TestingItem, *profile._sections().values()):
        assert profile._hints(kind) == typing.get_type_hints(kind), kind
    # Profile's own fields name Any, which the module imports for type
    # checkers only: its tables are what the loader reads.
    hints = typing.get_type_hints(profile.Profile, localns={"Any": typing.Any})
    tables = profile._section_hints()
    assert tables == {name: hints[name] for name in tables}
    assert set(hints) - set(tables) == {"name", "description", "handbook", "path", "data"}


def test_profiles_of_two_installs_keep_a_parsed_copy_each(tmp_path, monkeypatch):
    # A release and a checkout (or a benchmark's before and after) whose
    # profiles differ must not replace each other's cached parse.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    shipped = (assets_dir() / "profiles" / "kvm-x86.toml").read_text(encoding="utf-8")
    for install in ("release", "checkout"):
        folder = tmp_path / install
        folder.mkdir()
        (folder / "kvm-x86.toml").write_text(f"# {install}\n{shipped}", encoding="utf-8")
        assert load_profile(str(folder / "kvm-x86.toml")).name == "kvm-x86"
    cached = sorted((tmp_path / "cache" / "kvmwriter").glob("profile-kvm-x86-*.marshal"))
    assert len(cached) == 2, cached


def test_profile_cache_keeps_a_bounded_number_of_copies(tmp_path, monkeypatch):
    # Each repository's profile is cached under its path; checkouts that
    # come and go must not grow the user's cache without end.
    from kvmwriter.lint.cache import FAMILY_LIMIT

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    shipped = (assets_dir() / "profiles" / "kvm-x86.toml").read_text(encoding="utf-8")
    for number in range(FAMILY_LIMIT + 5):
        folder = tmp_path / f"checkout-{number}"
        folder.mkdir()
        (folder / "team.toml").write_text(f"# {number}\n{shipped}", encoding="utf-8")
        assert load_profile(str(folder / "team.toml")).name == "kvm-x86"
    folder = tmp_path / "cache" / "kvmwriter"
    cached = list(folder.glob("profile-*.marshal"))
    assert len(cached) == FAMILY_LIMIT, sorted(p.name for p in cached)
    # The newest copy is among those kept.
    last = str((tmp_path / f"checkout-{FAMILY_LIMIT + 4}" / "team.toml").resolve())
    assert any(folder.glob(f"profile-team-{zlib.crc32(last.encode()):08x}-*.marshal"))
