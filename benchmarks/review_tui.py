"""Time the series review: loading and linting a range, first paint of the
review app, and rewording HEAD and an older commit.

Run from the checkout root: ``python benchmarks/review_tui.py [COMMITS]``.
Builds a throw-away repository in a temp dir; prints one figure a line.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

try:
    import git  # noqa: F401
    import textual  # noqa: F401
except ImportError:
    # A plain python3 without the app's dependencies: run this checkout
    # with the benchmark venv's (see installed.py), which has them.
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from installed import bench_venv, venv_python

    python = venv_python(bench_venv(None))
    os.execv(python, [python, __file__, *sys.argv[1:]])

from kvmwriter.git.repo import Repository
from kvmwriter.git.reword import reword_commit
from kvmwriter.lint.engine import Linter
from kvmwriter.review.model import ReviewSource, load_review

ENV = dict(
    os.environ,
    GIT_AUTHOR_NAME="Bench",
    GIT_AUTHOR_EMAIL="bench@example.org",
    GIT_COMMITTER_NAME="Bench",
    GIT_COMMITTER_EMAIL="bench@example.org",
    GIT_CONFIG_NOSYSTEM="1",
)


def git(cwd: Path, *args: str, input: str | None = None) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=ENV, input=input, text=True, capture_output=True, check=True
    ).stdout


def build(path: Path, count: int) -> None:
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "commit.gpgsign", "false")
    for index in range(count):
        name = f"arch/x86/kvm/file{index}.c"
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(f"int x{index};\n" * 50)
        git(path, "add", name)
        git(
            path,
            "commit",
            "-q",
            "-F",
            "-",
            input=(
                f"KVM: x86: Add x{index} to the emulator\n\n"
                f"Add x{index} so that the emulator can track state number {index}.\n\n"
                "Signed-off-by: Bench <bench@example.org>\n"
            ),
        )


def timed(label: str, func) -> object:
    start = time.perf_counter()
    result = func()
    print(f"{label}: {(time.perf_counter() - start) * 1000:.0f} ms")
    return result


async def first_paint(repo: Repository, range_: str, linter: Linter) -> None:
    from kvmwriter.tui.review.app import ReviewApp

    app = ReviewApp(ReviewSource(repo, range_), linter)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()


def main() -> None:
    args = sys.argv[1:]
    if len(args) > 1 or (args and not args[0].isdigit()):
        raise SystemExit(f"usage: python {sys.argv[0]} [COMMITS]  (default 50)")
    count = int(args[0]) if args else 50
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp)
        timed(f"build a {count}-commit repository", lambda: build(path, count))
        repo = Repository.discover(path)
        linter = Linter.from_config()
        range_ = "HEAD"
        review = timed(
            f"load_review of {count} commits (full catalog)",
            lambda: load_review(ReviewSource(repo, range_), linter),
        )
        timed(
            "review app start to loaded list",
            lambda: asyncio.run(first_paint(repo, range_, linter)),
        )
        timed(
            "reword HEAD (amend)",
            lambda: reword_commit(repo, "HEAD", "KVM: x86: Reword the head\n"),
        )
        middle = count // 2
        timed(
            f"reword HEAD~{middle} (rebase of {middle + 1} commits)",
            lambda: reword_commit(repo, f"HEAD~{middle}", "KVM: x86: Reword the middle\n"),
        )
        print(
            f"commits reviewed: {review.count}, findings: "
            f"{sum(len(entry.findings) for entry in review.entries)}"
        )


if __name__ == "__main__":
    main()
