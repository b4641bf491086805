"""Every command reads a pathological line in linear time.

A line of 100,000 characters of one repeated unit ("x", "a->", "::",
spaces, "[", ...) goes everywhere a message can hold it: the subject, the
changelog, trailer values, the diff's code and comments.  A child process
runs the real ``check`` (in a git repository, as the commit-msg hook sees
the message, with a Fixes: tag so the repository is opened) and ``review``
of an mbox holding the same patch, and reports how long each took.  A
regular expression that backtracks super-linearly takes minutes on such a
line; linear code takes well under a second, so the bound below is
generous for a loaded machine and still catches any quadratic path.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT, git

#: Seconds one command may take on one pathological input (measured inside
#: the child, so interpreter start-up does not count).  Linear code takes
#: about a second on an idle 2-core machine and up to 9 s with the load at
#: 26; a quadratic path takes minutes (20k characters took 76 s).
BOUND = 30.0
#: Seconds before the child is stopped: long enough for a loaded machine
#: to start Python, short enough that a hang fails quickly.
CHILD_TIMEOUT = 180

LENGTH = 100_000

#: The issue's five, then one unit per backtracking shape fixed in the rules
#: and parsers (benchmarks/bench_pathological.py times more).
UNITS = {
    "x": "x",
    "arrow": "a->",
    "scope": "::",
    "spaces": " ",
    "bracket": "[",
    "unclosed-address": "<a@",
    "snake": "a_",
    "quote": "'a",
    "paren-quote": '("',
    "slash": "a/",
    "version": "v1 ",
    "curly-quote": "x\u201c",
    "microseconds": "1 us ",
    "colon": "a:",
    "call": "a(",
    "accented": "\u00e9",
}

# Run inside the child: build the inputs, time each command in-process.
CHILD = r"""
import io, json, os, sys, time, contextlib
from kvmwriter.cli import main

repo, message_file, mbox = sys.argv[1:4]
os.chdir(repo)
timings = {}
for name, argv in (("check", ["check", "--repo", repo, message_file]),
                   ("review", ["review", mbox])):
    out = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(argv)
    timings[name] = [time.perf_counter() - start, code]
print(json.dumps(timings))
"""


def _line(unit: str) -> str:
    """100k characters of ``unit``; 100k bytes for a non-ASCII unit, so the
    message stays within ``check``'s size limit."""
    size = len(unit.encode("utf-8"))
    count = LENGTH // size + 1
    return (unit * count)[: LENGTH * len(unit) // size]


def _message(line: str) -> str:
    return (
        f"KVM: x86: {line}\n\n"
        f"Drop a stale comment.\n\n{line}\n\n"
        f'Fixes: 0123456789ab ("{line}")\n'
        f"Link: https://lore.kernel.org/r/{line}\n"
        f"Cc: {line}\n"
        f"Signed-off-by: {line} <ada@example.org>\n"
    )


def _diff(line: str) -> str:
    return (
        "diff --git a/arch/x86/kvm/x86.c b/arch/x86/kvm/x86.c\n"
        "--- a/arch/x86/kvm/x86.c\n+++ b/arch/x86/kvm/x86.c\n"
        "@@ -1,0 +1,4 @@\n"
        f"+/* {line} */\n+/**\n+ * {line}\n+ */\n+static void {line}(void)\n"
    )


@pytest.mark.slow
@pytest.mark.parametrize("unit", list(UNITS.values()), ids=list(UNITS))
def test_pathological_line_is_linted_in_linear_time(unit, make_repo, tmp_path):
    line = _line(unit)
    repo = make_repo()
    source = repo / "arch" / "x86" / "kvm"
    source.mkdir(parents=True)
    (source / "x86.c").write_text(f"/* {line} */\nstatic void {line}(void)\n{{\n}}\n")
    git(repo, "add", "-A")
    message_file = repo / ".git" / "COMMIT_EDITMSG"
    message_file.write_text(_message(line), encoding="utf-8")
    mbox = tmp_path / "series.mbox"
    mbox.write_text(
        "From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n"
        f"From: {line} <ada@example.org>\n"
        f"Subject: [PATCH] KVM: x86: {line}\n\n"
        + _message(line).split("\n", 2)[2]
        + "---\n"
        + _diff(line),
        encoding="utf-8",
    )
    try:
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, str(repo), str(message_file), str(mbox)],
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT,
            cwd=ROOT,
            env={
                "PYTHONPATH": str(ROOT),
                "PATH": "/usr/bin:/bin",
                "HOME": str(tmp_path),
                "GIT_CONFIG_NOSYSTEM": "1",
            },
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"check and review of 100k x {unit!r} did not finish in {CHILD_TIMEOUT} s")
    assert proc.returncode == 0, proc.stderr[-2000:]
    timings = json.loads(proc.stdout.strip().splitlines()[-1])
    for command, (seconds, code) in timings.items():
        assert code in (0, 1), f"{command} exited {code}"
        assert seconds < BOUND, f"{command} took {seconds:.1f} s on 100k x {unit!r}"
