"""Benchmark kvmwriter cover: skeleton, fill and cover-rule check times.

Usage: python benchmarks/bench_cover.py [--patches N] [--runs N]

Builds a temp repository with a series of N patches, then prints the median
wall time of ``kvmwriter cover RANGE --no-tui`` (a process: git shortlog,
diffstat, merge-base and topic suggestion included), of ``kvmwriter cover
--fill`` on ``git format-patch --cover-letter`` output, and the in-process
median time to lint one cover letter with the whole catalog.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kvmwriter.lint.engine import Linter, check_text

ENV = dict(
    os.environ,
    PYTHONPATH=str(ROOT),
    GIT_CONFIG_NOSYSTEM="1",
    GIT_AUTHOR_NAME="Ada Tester",
    GIT_AUTHOR_EMAIL="ada@example.org",
    GIT_COMMITTER_NAME="Ada Tester",
    GIT_COMMITTER_EMAIL="ada@example.org",
)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, env=ENV, check=True, capture_output=True, text=True
    ).stdout


def build_series(root: Path, patches: int) -> Path:
    repo = root / "linux"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    kvm = repo / "arch" / "x86" / "kvm"
    kvm.mkdir(parents=True)
    for name in ("pmu.c", "x86.c", "mmu.c"):
        (kvm / name).write_text("int base;\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Initial import")
    git(repo, "checkout", "-q", "-b", "x86/pmu/bench")
    for index in range(patches):
        path = kvm / ("pmu.c" if index % 3 else "x86.c")
        path.write_text(path.read_text() + f"int v{index};\n")
        git(repo, "commit", "-q", "-am", f"KVM: x86/pmu: Add counter {index}\n\nAdd it.")
    return repo


def median_run(args: list[str], cwd: Path, runs: int, before=None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "kvmwriter", *args],
            cwd=cwd,
            env=ENV,
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patches", type=int, default=20)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = build_series(Path(tmp), args.patches)
        skeleton = median_run(["cover", "main..HEAD", "--no-tui"], repo, args.runs)
        out = Path(tmp) / "out"

        def fresh_cover() -> None:
            for path in out.glob("*"):
                path.unlink()
            git(repo, "format-patch", "-q", "--cover-letter", "-v2", "-o", str(out), "main")

        cover = out / "v2-0000-cover-letter.patch"
        fill = median_run(["cover", "--fill", str(cover)], repo, args.runs, fresh_cover)
        text = subprocess.run(
            [sys.executable, "-m", "kvmwriter", "cover", "main..HEAD", "--no-tui"],
            cwd=repo,
            env=ENV,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    linter = Linter.from_config()
    for _ in range(20):
        check_text(linter, text, "cover")
    times = []
    for _ in range(200):
        start = time.perf_counter()
        check_text(linter, text, "cover")
        times.append(time.perf_counter() - start)
    print(f"series: {args.patches} patches, median of {args.runs} runs")
    print(f"kvmwriter cover RANGE --no-tui: {skeleton * 1000:.0f} ms")
    print(f"kvmwriter cover --fill (format-patch cover): {fill * 1000:.0f} ms")
    print(
        f"lint one cover letter, whole catalog, in process: "
        f"{statistics.median(times) * 1000:.2f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
