"""Suggest the ``--base`` of ``git format-patch`` from the branch name.

The handbook (Git Base) suggests naming development branches after their
KVM x86 topic, ``x86/pmu/my_branch_name``, and deriving ``--base=x/pmu``
from the name, ``x`` being the local name of the KVM x86 remote.  This
module does that derivation; the remote is the one whose URL mentions
kvm-x86 (profile ``[cover] base_remote_url``).

Core module: no printing.  Reading remotes runs ``git remote -v``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kvmwriter.lint.profile import Profile

if TYPE_CHECKING:
    from kvmwriter.git.repo import Repository


@dataclass(frozen=True)
class BaseSuggestion:
    #: The ref to pass as ``--base``, e.g. ``"kvm-x86/pmu"``.
    ref: str
    remote: str
    #: The topic branch of the remote, e.g. ``"pmu"``.
    topic: str
    #: Why this base, one line.
    reason: str
    #: A one-line warning about the base (``next`` is force-pushed), or None.
    warning: str | None = None


def parse_remotes(text: str) -> dict[str, str]:
    """``git remote -v`` output -> {name: fetch URL}."""
    remotes: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and (len(parts) < 3 or parts[2] != "(push)"):
            remotes.setdefault(parts[0], parts[1])
    return remotes


def read_remotes(where: "Repository | Path | str") -> dict[str, str]:
    """The remotes of the repository at ``where`` ({} when there is none)."""
    from kvmwriter.git.repo import RepoError, Repository

    try:
        repo = where if isinstance(where, Repository) else Repository.discover(where)
    except RepoError:
        return {}
    return parse_remotes(repo.remotes())


def kvm_x86_remote(remotes: Mapping[str, str], profile: Profile) -> str:
    """The local name of the KVM x86 remote: by URL, else the profile's default."""
    needle = str(profile.get("cover", "base_remote_url", "kvm-x86")).lower()
    default = str(profile.get("cover", "base_remote_default", "kvm-x86"))
    matches = sorted(name for name, url in remotes.items() if needle in url.lower())
    if default in matches:
        return default
    return matches[0] if matches else default


def topic_of_branch(branch: str | None, profile: Profile) -> str | None:
    """``x86/pmu/foo`` -> ``pmu``; None for names without a topic."""
    if not branch:
        return None
    prefix = str(profile.get("cover", "branch_prefix", "x86/"))
    if not branch.startswith(prefix):
        return None
    parts = branch[len(prefix):].split("/")
    if len(parts) < 2 or not parts[0] or not parts[1]:
        return None
    return parts[0]


def base_warning(ref: str, profile: Profile) -> str | None:
    """A warning for a base such as ``kvm-x86/next``."""
    branch = ref.rsplit("/", 1)[-1]
    if branch in [str(b) for b in profile.get("cover", "base_warn_branches", ["next"])]:
        return (f"base '{ref}' is rebuilt by force pushes (maintainer-kvm-x86.rst, "
                "Branches): its base-commit may vanish; base on a topic branch "
                "(name the branch x86/<topic>/<name>) or check that the base-commit "
                "is still in next when posting")
    return None


def suggest_base(branch: str | None, remotes: Mapping[str, str],
                 profile: Profile) -> BaseSuggestion | None:
    """The base for ``branch``, or None when its name carries no topic."""
    topic = topic_of_branch(branch, profile)
    if topic is None:
        return None
    remote = kvm_x86_remote(remotes, profile)
    ref = f"{remote}/{topic}"
    source = "a remote whose URL contains " + str(
        profile.get("cover", "base_remote_url", "kvm-x86")) if remote in remotes else \
        "the default remote name"
    reason = (f"branch '{branch}' names the '{topic}' topic; '{remote}' is {source} "
              "(maintainer-kvm-x86.rst, Git Base)")
    return BaseSuggestion(ref=ref, remote=remote, topic=topic, reason=reason,
                          warning=base_warning(ref, profile))
