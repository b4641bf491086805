"""Time `kvmwriter review` over a large range on 1 and 2 cores, next to gitlint.

Builds a repository of N commits (default 5,000) from ../shared/corpus/
(each record's subject, body and touched files, in date order; the corpus
repeated past its size), then times an installed kvmwriter (see
installed.py) in interleaved rounds:

    taskset -c 0 kvmwriter review --format terse ROOT..HEAD   (one core)
    kvmwriter review --format terse ROOT..HEAD                (every core)
    gitlint --commits ROOT..HEAD                              (the peer)

and prints medians, commits per second, the speed-up from the second core
(target: >= 1.8x) and the ratio to gitlint.  The outputs of the 1- and
2-core runs must be identical.  --memory N instead prints the peak memory
of kvmwriter and of its git child over an N-commit range.

    python benchmarks/bench_review.py [--venv DIR] [--before VENV] [--commits N] [--runs R]
                                      [--no-gitlint]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_repo
from installed import (
    add_venv_options,
    bench_env,
    bench_venv,
    interleave,
    machine_load,
    venv_python,
    venv_tool,
)


def records_for(count: int) -> list[dict]:
    records = corpus_repo.in_date_order(corpus_repo.load_records())
    return (records * (count // len(records) + 1))[:count]


def run(cmd: list[str], cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)


def timer(cmd: list[str], cwd: Path, env: dict):
    def timed() -> float:
        start = time.perf_counter()
        run(cmd, cwd, env)
        return time.perf_counter() - start

    return timed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--commits", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3, help="interleaved rounds (median)")
    parser.add_argument(
        "--memory",
        type=int,
        metavar="N",
        default=0,
        help="instead, review an N-commit range (the corpus repeated) and "
        "print the peak memory of kvmwriter and of git",
    )
    parser.add_argument(
        "--no-gitlint",
        dest="gitlint",
        action="store_false",
        help="time kvmwriter only (gitlint takes minutes a round): no ratio to the peer",
    )
    add_venv_options(parser)
    args = parser.parse_args()
    venvs = {"after": bench_venv(args.venv)}
    if args.before:
        venvs["before"] = bench_venv(args.before)
    if args.memory:
        return measure_memory(args.memory, venvs)

    env = bench_env(GIT_CONFIG_NOSYSTEM="1")
    gitlint = venv_tool(venvs["after"], "gitlint") if args.gitlint else None
    one_core = ["taskset", "-c", "0"] if shutil.which("taskset") else None
    print(f"machine: {machine_load()} at start")
    with tempfile.TemporaryDirectory(prefix="kvmwriter-bench-") as tmp:
        repo = Path(tmp) / "repo"
        shas = corpus_repo.build_repo(repo, records_for(args.commits + 1))
        # The first commit is the base, so the range holds exactly N commits.
        range_ = f"{shas[0]}..HEAD"
        count = len(shas) - 1
        cases = {}
        outputs = {}
        for label, venv in venvs.items():
            ours = [venv_python(venv), "-m", "kvmwriter", "review", "--format", "terse", range_]
            proc = run(ours, repo, env)
            if proc.returncode not in (0, 1):
                print(f"kvmwriter review ({label}) failed: {proc.stderr.strip()}", file=sys.stderr)
                return 2
            outputs[label] = proc.stdout
            cases[f"{label}, every core"] = timer(ours, repo, env)
            if one_core:
                single = run([*one_core, *ours], repo, env).stdout
                if single != proc.stdout:
                    print(
                        f"kvmwriter review ({label}): output differs on one core", file=sys.stderr
                    )
                    return 1
                cases[f"{label}, one core"] = timer([*one_core, *ours], repo, env)
        if gitlint:
            cases["gitlint --commits"] = timer([gitlint, "--commits", range_], repo, env)
        paired = interleave(cases, args.runs, warm=0)
        print(f"machine: {machine_load()} after {args.runs} interleaved rounds")
    print(f"\nreview of {count} commits, median of {args.runs} interleaved runs:")
    for name in cases:
        seconds = paired.median(name)
        line = f"  {name}: {seconds:.2f} s = {count / seconds:,.0f} commits/s"
        if gitlint and name != "gitlint --commits":
            line += f", {paired.ratio('gitlint --commits', name):.1f}x faster than gitlint"
        print(line)
    if one_core:
        for label in venvs:
            one, every = f"{label}, one core", f"{label}, every core"
            per_round = paired.round_ratios(one, every)
            print(
                f"  {label}: the second core gives {paired.ratio(one, every):.2f}x "
                "(target >= 1.8x on 2 cores; identical output checked); per round: "
                f"median {statistics.median(per_round):.2f}x, "
                f"{min(per_round):.2f}x to {max(per_round):.2f}x"
            )
    for label, text in outputs.items():
        print(f"  {label}: {len(text.splitlines())} findings")
    return 0


PEAK = """
import os, resource, sys, threading, time
from kvmwriter.cli import main

def tree_rss_kib(pid):
    # Proportional set size: pages a forked worker shares count once.
    total = 0
    try:
        for line in open(f"/proc/{pid}/smaps_rollup"):
            if line.startswith("Pss:"):
                total += int(line.split()[1])
        for task in os.listdir(f"/proc/{pid}/task"):
            for child in open(f"/proc/{pid}/task/{task}/children").read().split():
                total += tree_rss_kib(int(child))
    except OSError:
        pass
    return total

peak = [0]
def sample():
    while True:
        peak[0] = max(peak[0], tree_rss_kib(os.getpid()))
        time.sleep(0.02)

threading.Thread(target=sample, daemon=True).start()
sys.stdout = open("/dev/null", "w")
start = time.perf_counter()
code = main(["review", "--format", "terse", *sys.argv[1:]])
# VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec from the
# process that spawned this one.
status = open("/proc/self/status").read()
self_mb = int(status.split("VmHWM:")[1].split()[0]) // 1024
child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print(f"{time.perf_counter() - start:.1f} {self_mb} {child_mb} {peak[0] // 1024} {code}",
      file=sys.stderr)
"""


def measure_memory(count: int, venvs: dict[str, Path]) -> int:
    env = bench_env(GIT_CONFIG_NOSYSTEM="1")
    with tempfile.TemporaryDirectory(prefix="kvmwriter-bench-") as tmp:
        repo = Path(tmp) / "repo"
        corpus_repo.build_repo(repo, records_for(count))
        for label, venv in venvs.items():
            for jobs in ([], ["--jobs", "1"]):
                proc = subprocess.run(
                    [venv_python(venv), "-c", PEAK, *jobs, "HEAD"],
                    cwd=repo,
                    env=env,
                    capture_output=True,
                    text=True,
                )
                if jobs and "--jobs" in proc.stderr:
                    continue  # An install without --jobs reviews on one core anyway.
                seconds, self_mb, child_mb, tree_mb, code = proc.stderr.split()[-5:]
                how = "one process" if jobs else "default processes"
                print(
                    f"kvmwriter review ({label}, {how}) over {count} commits: {seconds} s "
                    f"({count / float(seconds):.0f} commits/s), exit {code}; peak memory: "
                    f"kvmwriter {self_mb} MiB, largest child (git or worker) {child_mb} "
                    f"MiB, whole process tree (sum of PSS, sampled) {tree_mb} MiB"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
