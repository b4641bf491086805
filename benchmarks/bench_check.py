"""Benchmark kvmwriter check: process start-up, commit-msg hook and lint throughput.

Usage: python benchmarks/bench_check.py [--venv DIR] [--before VENV] [--runs N]

Times an installed kvmwriter (see installed.py: a non-editable install with
bytecode, built from this checkout unless --venv names one), with every
peer measured in the same run, in interleaved rounds, as medians:

- ``kvmwriter check`` on one clean corpus message, next to ``gitlint
  --msg-filename`` on the same file, ``python -c pass`` (the interpreter's
  floor) and ``git log -1``; target: at most half of gitlint's time;
- the same with findings (the verb lexicon and spelling table loaded);
- the time the commit-msg hook adds to ``git commit`` (with the hook
  installed by ``kvmwriter hook install`` minus without);
- lint per message over the corpus in one process (lint_corpus.py).

``--before VENV`` adds a second install (e.g. /work/venv-baseline) to every
round, so "before" and "after" share the machine's load.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from installed import (
    ROOT,
    add_venv_options,
    bench_env,
    bench_venv,
    interleave,
    machine_load,
    time_once,
    venv_python,
    venv_tool,
)

BAD = "kvm: x86: Fixes the reload.\n\nThis patch fixes it, we think.\n"


def corpus_path(directory: Path) -> Path:
    return directory / "kvm-x86-messages.jsonl"


def clean_message(path: Path, kvmwriter: list[str], env: dict, cwd: Path) -> str:
    """The first accepted corpus message that ``check`` passes (exit 0)."""
    with path.open(encoding="utf-8") as handle:
        for record in map(json.loads, handle):
            if record.get("kind") != "applied_commit":
                continue
            text = record["subject"] + "\n\n" + (record.get("body") or "") + "\n"
            proc = subprocess.run(
                [*kvmwriter, "check", "-"],
                input=text.encode(),
                capture_output=True,
                env=env,
                cwd=cwd,
            )
            if proc.returncode == 0:
                return text
    raise SystemExit("bench_check: no corpus message passes check")


def git(repo: Path, *args: str, env: dict) -> None:
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def make_repo(path: Path, env: dict) -> Path:
    path.mkdir()
    git(path, "init", "-q", env=env)
    (path / "x86.c").write_text("int x;\n")
    git(path, "add", "x86.c", env=env)
    git(path, "commit", "-q", "-m", "base", env=env)
    return path


def commit_timer(repo: Path, message: Path, env: dict):
    """Time one ``git commit`` of a fresh staged change (staging untimed)."""
    counter = [0]

    def run() -> float:
        counter[0] += 1
        (repo / "x86.c").write_text(f"int x = {counter[0]};\n")
        git(repo, "add", "x86.c", env=env)
        return time_once(["git", "commit", "-q", "-F", str(message)], env, cwd=repo)

    return run


def lint_throughput(venv: Path, corpus: Path, env: dict) -> dict:
    script = Path(__file__).resolve().parent / "lint_corpus.py"
    proc = subprocess.run(
        [venv_python(venv), str(script), str(corpus), "time"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(proc.stdout.splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus",
        type=Path,
        default=os.environ.get("KVMWRITER_CORPUS", str(ROOT.parent / "shared" / "corpus")),
    )
    parser.add_argument("--runs", type=int, default=21)
    add_venv_options(parser)
    args = parser.parse_args()
    corpus = corpus_path(Path(args.corpus))
    if not corpus.is_file():
        print(f"bench_check: corpus not found at {corpus}; set KVMWRITER_CORPUS", file=sys.stderr)
        return 2
    venvs = {"after": bench_venv(args.venv)}
    if args.before:
        venvs["before"] = bench_venv(args.before)
    gitlint = venv_tool(venvs["after"], "gitlint") or (
        venv_tool(venvs["before"], "gitlint") if "before" in venvs else None
    )
    # Keep user and system git config (and its hooks) out of the timed commits.
    env = bench_env(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_AUTHOR_NAME="Bench",
        GIT_AUTHOR_EMAIL="bench@example.org",
        GIT_COMMITTER_NAME="Bench",
        GIT_COMMITTER_EMAIL="bench@example.org",
    )
    print(f"machine: {machine_load()} at start")
    with tempfile.TemporaryDirectory(prefix="kvmwriter-bench-") as tmp:
        tmp_path = Path(tmp)
        # Each install gets a per-user cache of its own: sharing one, installs
        # with other table layouts or profiles (another checkout's) replace
        # each other's tables, and a run times the rebuild.
        envs = {
            label: {**env, "XDG_CACHE_HOME": str(tmp_path / f"cache-{label}")} for label in venvs
        }
        after = [venv_python(venvs["after"]), "-m", "kvmwriter"]
        plain = tmp_path / "msg"
        plain.write_text(clean_message(corpus, after, envs["after"], tmp_path), encoding="utf-8")
        bad = tmp_path / "bad"
        bad.write_text(BAD, encoding="utf-8")

        cases = {}
        for label, venv in venvs.items():
            cmd = [venv_python(venv), "-m", "kvmwriter", "check"]
            own = envs[label]
            cases[f"check {label}"] = lambda cmd=cmd, own=own: time_once(
                [*cmd, str(plain)], own, cwd=tmp
            )
            cases[f"findings {label}"] = lambda cmd=cmd, own=own: time_once(
                [*cmd, str(bad)], own, cwd=tmp
            )
        floor = [venv_python(venvs["after"]), "-c", "pass"]
        cases["python -c pass"] = lambda: time_once(floor, env, cwd=tmp)
        cases["git log -1"] = lambda: time_once(["git", "-C", str(ROOT), "log", "-1"], env)
        if gitlint:
            cases["gitlint"] = lambda: time_once(
                [gitlint, "--msg-filename", str(plain)], env, cwd=tmp
            )

        # Hook: git commit in a repository without the hook and in ones with
        # each install's hook.
        message = tmp_path / "commit-msg.txt"
        message.write_text(plain.read_text(encoding="utf-8"), encoding="utf-8")
        bare = make_repo(tmp_path / "no-hook", env)
        cases["git commit"] = commit_timer(bare, message, env)
        for label, venv in venvs.items():
            repo = make_repo(tmp_path / f"hook-{label}", env)
            subprocess.run(
                [venv_python(venv), "-m", "kvmwriter", "hook", "install"],
                cwd=repo,
                env=envs[label],
                check=True,
                capture_output=True,
            )
            cases[f"git commit + hook {label}"] = commit_timer(repo, message, envs[label])

        paired = interleave(cases, args.runs)
        print(f"machine: {machine_load()} at end of {args.runs} interleaved rounds")
        throughput = {
            label: lint_throughput(venv, corpus, envs[label]) for label, venv in venvs.items()
        }

    print(f"\nstart-up, median of {args.runs} interleaved runs (installed packages, bytecode):")
    for label in venvs:
        line = f"  kvmwriter check, one clean message ({label}): {paired.ms(f'check {label}')}"
        if gitlint:
            line += f" = {paired.ratio(f'check {label}', 'gitlint'):.2f}x gitlint"
        line += f", {paired.ratio(f'check {label}', 'python -c pass'):.1f}x python -c pass"
        print(line)
    if gitlint:
        print(
            f"  gitlint --msg-filename, same message: {paired.ms('gitlint')} "
            "(target: check at most 0.5x)"
        )
    else:
        print("  gitlint: not installed in the venv (pip install '.[bench]')")
    print(f"  python -c pass: {paired.ms('python -c pass')}; git log -1: {paired.ms('git log -1')}")
    for label in venvs:
        print(
            f"  kvmwriter check with findings, verb lexicon loaded ({label}): "
            f"{paired.ms(f'findings {label}')}"
        )
    print(f"\ncommit-msg hook: git commit alone {paired.ms('git commit')}")
    for label in venvs:
        added = paired.median(f"git commit + hook {label}") - paired.median("git commit")
        print(
            f"  with kvmwriter's hook ({label}): {paired.ms(f'git commit + hook {label}')}, "
            f"adds {added * 1000:.0f} ms"
        )

    print("\nlint in one process, over the corpus (each message's best of 3 rounds):")
    for label, figures in throughput.items():
        print(
            f"  {label}: median {figures['median_ms']:.3f} ms/message, mean "
            f"{figures['mean_ms']:.3f} ms, {figures['per_second']:,.0f} messages/s "
            f"over {figures['messages']} messages"
        )
    print(f"machine: {machine_load()} at end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
