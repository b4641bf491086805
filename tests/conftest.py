"""Shared fixtures: the real CLI in a subprocess, real git repositories, the corpus."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_dir() -> Path | None:
    """The shared corpus: $KVMWRITER_CORPUS, else ../shared/corpus/ beside the clone."""
    path = Path(os.environ.get("KVMWRITER_CORPUS", DEFAULT_CORPUS))
    return path if (path / "kvm-x86-messages.jsonl").is_file() else None


@pytest.fixture(scope="session")
def corpus_records() -> list[dict]:
    path = corpus_dir()
    if path is None:
        pytest.skip("corpus not found: set KVMWRITER_CORPUS or place it at ../shared/corpus/")
    with open(path / "kvm-x86-messages.jsonl", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def is_accepted(record: dict) -> bool:
    return record.get("kind") == "applied_commit" or bool(record.get("applied"))


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def run_cli(
    *args: str,
    input: str | bytes | None = None,
    cwd: Path | str | None = None,
    env: dict | None = None,
    timeout: float = 60,
) -> CliResult:
    """Run ``python -m kvmwriter`` from this checkout, as a user would run it."""
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env.setdefault("GIT_CONFIG_NOSYSTEM", "1")
    if env:
        full_env.update(env)
    data = input.encode() if isinstance(input, str) else input
    proc = subprocess.run(
        [sys.executable, "-m", "kvmwriter", *args],
        input=data,
        capture_output=True,
        cwd=cwd,
        env=full_env,
        timeout=timeout,
    )
    return CliResult(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )


@pytest.fixture
def cli():
    return run_cli


def git(cwd: Path | str, *args: str, input: str | None = None) -> str:
    """Run real git in ``cwd`` with a fixed identity; return stdout."""
    env = dict(os.environ)
    env.update(
        {
            "GIT_AUTHOR_NAME": "Ada Tester",
            "GIT_AUTHOR_EMAIL": "ada@example.org",
            "GIT_COMMITTER_NAME": "Ada Tester",
            "GIT_COMMITTER_EMAIL": "ada@example.org",
            "GIT_CONFIG_NOSYSTEM": "1",
        }
    )
    proc = subprocess.run(
        ["git", *args], cwd=cwd, input=input, capture_output=True, text=True, env=env
    )
    if proc.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout


def commit_file(
    repo: Path | str, path: str, text: str, message: str, *, verbatim: bool = False
) -> str:
    """Write ``text`` to ``path`` in ``repo`` and commit it with ``message``;
    return the new commit's sha.  ``verbatim`` keeps the message exactly
    as given (git's default cleanup trims its blank lines and spaces)."""
    target = Path(repo) / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    git(repo, "add", path)
    cleanup = ["--cleanup=verbatim"] if verbatim else []
    git(repo, "commit", "-q", *cleanup, "-F", "-", input=message)
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture(autouse=True, scope="session")
def _private_cache_home(tmp_path_factory):
    # Keep the suite's caches (a parsed profile per temporary repository,
    # the tables) out of the user's ~/.cache, as a user's runs never see them.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield


@pytest.fixture(autouse=True)
def _private_state_home(tmp_path, monkeypatch):
    # Drafts fall back to $XDG_STATE_HOME: keep each test's out of the real one.
    if "XDG_STATE_HOME" not in os.environ or not os.environ["XDG_STATE_HOME"].startswith(
        str(tmp_path)
    ):
        monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))


@pytest.fixture
def make_repo(tmp_path):
    """Create a real git repository in a temp dir; returns its path."""

    def create(name: str = "repo") -> Path:
        path = tmp_path / name
        path.mkdir()
        git(path, "init", "-q", "-b", "main")
        git(path, "config", "user.name", "Ada Tester")
        git(path, "config", "user.email", "ada@example.org")
        git(path, "config", "commit.gpgsign", "false")
        return path

    return create


SIGNOFF = "Signed-off-by: Ada Tester <ada@example.org>"


def lint(text: str, *, files=None, diff=None, cover=False, select=(), ignore=()):
    """Run the real catalog over ``text``; return the findings."""
    from kvmwriter.lint.engine import Linter, read_message

    linter = Linter.from_config(select=select, ignore=ignore)
    message, _ = read_message(text, cover=cover)
    ctx = linter.context(files=tuple(files) if files is not None else None, diff=diff)
    return linter.check(message, ctx)


def fired(text: str, rule: str, **kwargs) -> list:
    """Findings of ``rule`` alone on ``text``."""
    return [f for f in lint(text, select=(rule,), **kwargs) if f.rule == rule]


def fixed(text: str, finding) -> str:
    """``text`` with ``finding``'s fix applied alone (unchanged when it has none)."""
    from kvmwriter.lint.autofix import fix_one

    return fix_one(text, finding).text


def message_with(
    subject: str = "KVM: x86: Drop a stale comment in kvm_set_cr0()",
    body: str = "Drop a stale comment; the cache it describes is long gone.",
    trailers: str = SIGNOFF,
) -> str:
    parts = [subject]
    if body:
        parts.append(body)
    if trailers:
        parts.append(trailers)
    return "\n\n".join(parts) + "\n"


def pytest_configure(config) -> None:
    # Find the tools installed beside this interpreter (b4, kvmwriter) as an
    # activated venv would: README's test command runs .venv/bin/python from
    # a plain shell, with the venv's bin/ not on PATH.
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


#: Folders whose tests drive a terminal app, a real tmux or b4: slow to run.
SLOW_FOLDERS = ("tui", "tui_review")
SLOW_MODULES = ("test_b4.py",)


def pytest_collection_modifyitems(config, items) -> None:
    # Mark by location so that a new TUI test is slow without remembering to say so.
    tests_dir = Path(__file__).resolve().parent
    for item in items:
        relative = Path(str(item.fspath)).resolve().relative_to(tests_dir)
        if relative.parts[0] in SLOW_FOLDERS or relative.name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
