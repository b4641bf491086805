"""Build the demo repository from ``assets/demo/demo.toml``.

A fresh machine has no kernel tree; the demo gives the drafting app a real
git repository with KVM-looking paths, a short history with real KVM x86
prefixes and a staged fix, so every step has something to show.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from kvmwriter.errors import UserError
from kvmwriter.git.process import GitError, run_git
from kvmwriter.lint import tomlcompat
from kvmwriter.lint.profile import assets_dir

#: Identity the demo commits with when git has none configured.
DEMO_IDENTITY = ("KVM Demo", "demo@example.org")


class DemoError(UserError):
    """A one-line reason the demo repository could not be built."""


def load_demo_data() -> dict:
    path = assets_dir() / "demo" / "demo.toml"
    try:
        return tomlcompat.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DemoError(f"cannot read the demo data {path}: {error}") from None


def _git(cwd: Path, *args: str, env: dict | None = None, input: str | None = None) -> str:
    try:
        result = run_git(args, cwd, env=env, input=input)
    except GitError as error:
        raise DemoError(f"{error}; the demo needs it") from None
    if not result.ok:
        message = (result.stderr.strip().splitlines() or ["git failed"])[-1]
        raise DemoError(f"git {args[0]} failed: {message}")
    return result.stdout


def _person(text: str) -> tuple[str, str]:
    name, _, rest = text.partition("<")
    return name.strip(), rest.rstrip(">").strip()


def _apply(root: Path, change: dict) -> None:
    path = root / change["path"]
    if "content" in change:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(change["content"], encoding="utf-8")
        return
    text = path.read_text(encoding="utf-8")
    old, new = change["old"], change["new"]
    if text.count(old) != 1:
        raise DemoError(f"demo data: edit of {change['path']} does not match exactly once")
    path.write_text(text.replace(old, new), encoding="utf-8")


def build_demo(target: Path | None = None) -> Path:
    """Create the demo repository (in a new temp dir by default); its path."""
    data = load_demo_data()
    if target is None:
        target = Path(tempfile.mkdtemp(prefix="kvmwriter-demo-")) / "linux"
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise DemoError(f"{target} exists and is not empty")
    target.mkdir(parents=True, exist_ok=True)
    _git(target, "init", "-q", "-b", "kvm-demo")
    _git(target, "config", "commit.gpgsign", "false")
    have_identity = run_git(["config", "user.email"], target).ok
    if not have_identity:
        _git(target, "config", "user.name", DEMO_IDENTITY[0])
        _git(target, "config", "user.email", DEMO_IDENTITY[1])
    for commit in data.get("commits", []):
        for change in [*commit.get("files", []), *commit.get("edits", [])]:
            _apply(target, change)
        _git(target, "add", "-A")
        name, email = _person(commit.get("author", "KVM Demo <demo@example.org>"))
        date = commit.get("date", "2025-01-01T00:00:00+00:00")
        env = {
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email,
            "GIT_COMMITTER_DATE": date,
        }
        _git(target, "commit", "-q", "--no-verify", "-F", "-", env=env, input=commit["message"])
    for change in data.get("staged", []):
        _apply(target, change)
        _git(target, "add", change["path"])
    return target
