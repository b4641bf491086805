"""Suggest the ``--base`` of ``git format-patch`` (maintainer-kvm-x86.rst).

The handbook (Base Tree/Branch) says: fixes for the current release go on
kvm.git master; everything else on ``kvm-x86/next``, "i.e. there is no need
to select a specific topic branch as the base"; only multi-arch series
(non-trivial changes to common KVM code or to other architectures' code) go
on a common, stable point such as the release candidate ``next`` is based
on.  This module turns that into a suggestion; the KVM x86 remote is the one
whose URL mentions kvm-x86 (profile ``[cover] base_remote_url``).

Core module: no printing.  Reading remotes and tags runs git.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kvmwriter.lint.profile import Profile

HANDBOOK = "maintainer-kvm-x86.rst, Base Tree/Branch"

if TYPE_CHECKING:
    from kvmwriter.git.repo import Repository


@dataclass(frozen=True)
class BaseSuggestion:
    #: The ref to pass as ``--base``, e.g. ``"kvm-x86/next"``; None when the
    #: right base (a stable rc) cannot be named from this repository.
    ref: str | None
    remote: str
    #: Why this base, one line.
    reason: str
    #: A one-line warning about the base, or None.
    warning: str | None = None


def parse_remotes(text: str) -> dict[str, str]:
    """``git remote -v`` output -> {name: fetch URL}."""
    remotes: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and (len(parts) < 3 or parts[2] != "(push)"):
            remotes.setdefault(parts[0], parts[1])
    return remotes


def read_remotes(where: Repository | Path | str) -> dict[str, str]:
    """The remotes of the repository at ``where`` ({} when there is none)."""
    from kvmwriter.git.repo import RepoError, Repository

    try:
        repo = where if isinstance(where, Repository) else Repository.discover(where)
    except RepoError:
        return {}
    return parse_remotes(repo.remotes())


def kvm_x86_remote(remotes: Mapping[str, str], profile: Profile) -> str:
    """The local name of the KVM x86 remote: by URL, else the profile's default."""
    needle = profile.cover.base_remote_url.lower()
    default = profile.cover.base_remote_default
    matches = sorted(name for name, url in remotes.items() if needle in url.lower())
    if default in matches:
        return default
    return matches[0] if matches else default


def is_multi_arch(files: Iterable[str], profile: Profile) -> bool:
    """True when ``files`` reach common KVM code or other architectures' KVM code.

    The handbook: "If you're unsure whether a patch/series is truly
    multi-arch, err on the side of caution and treat it as multi-arch".
    """
    paths = profile.series.common_kvm_paths + profile.series.other_arch_paths
    return any(f.startswith(paths) for f in files)


def stable_point(repo: Repository | None, next_ref: str) -> str | None:
    """The release tag ``next_ref`` is based on (``v6.18-rc3``), or None."""
    if repo is None:
        return None
    tag = repo.try_git("describe", "--tags", "--abbrev=0", "--match", "v*", next_ref)
    return (tag or "").strip() or None


def base_warning(ref: str, profile: Profile, *, multi_arch: bool = False) -> str | None:
    """A warning for a base the handbook rules out, else None.

    Only one base is ruled out for a chosen ``--base``: a multi-arch series
    on ``next``.  A topic branch is not wrong, just not needed.
    """
    branch = ref.rsplit("/", 1)[-1]
    if multi_arch and branch == profile.cover.base_branch:
        return (
            f"base '{ref}': the series changes common KVM code or other architectures' "
            "code, and multi-arch series go on a common, stable point, e.g. the rc "
            f"that {branch} is based on ({HANDBOOK})"
        )
    return None


def suggest_base(
    remotes: Mapping[str, str],
    profile: Profile,
    *,
    multi_arch: bool = False,
    repo: Repository | None = None,
) -> BaseSuggestion:
    """The base the handbook asks for: ``<remote>/next``, or a stable rc if multi-arch."""
    remote = kvm_x86_remote(remotes, profile)
    next_ref = f"{remote}/{profile.cover.base_branch}"
    if multi_arch:
        tag = stable_point(repo, next_ref)
        where = (
            f"'{tag}', the tag {next_ref} is based on" if tag else f"the rc {next_ref} is based on"
        )
        return BaseSuggestion(
            ref=tag,
            remote=remote,
            reason=(
                f"the series changes common KVM code or other architectures' code: "
                f"multi-arch series go on a common, stable point, {where} ({HANDBOOK})"
            ),
        )
    source = (
        f"a remote whose URL contains {profile.cover.base_remote_url}"
        if remote in remotes
        else "the default remote name"
    )
    return BaseSuggestion(
        ref=next_ref,
        remote=remote,
        reason=(
            f"everything but fixes for the current release goes on "
            f"{profile.cover.base_remote_default}/{profile.cover.base_branch}, no topic "
            f"branch needed; '{remote}' is {source}; fixes for the current release go on "
            f"kvm.git master ({HANDBOOK})"
        ),
    )
