"""Benchmark the worst case of each rule on one pathological 100k-character line.

Usage: python benchmarks/bench_pathological.py [--length N] [--runs N] [--top N]

A line of one repeated unit ("x", "a->", "::", spaces, "[", "<a@", ...) is
placed in the subject, the changelog, the trailer values and the diff's
added code and comments; every message rule of the catalog (grammar
excluded: it needs a server) runs alone over it.  Prints, per rule, the
median time of its worst unit, then the message parser's and the patch
parser's worst case, and the total for the whole catalog.  Linear code
keeps every figure in milliseconds; a backtracking regular expression takes
seconds to minutes.  Run it with the interpreter of the environment
kvmwriter is installed in (e.g. .venv/bin/python).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kvmwriter.lint.engine import Linter, read_message
from kvmwriter.lint.rules import catalog
from kvmwriter.text.patchmail import parse_patch_email

UNITS = (
    "x",
    "a->",
    "::",
    " ",
    "[",
    "<a@",
    "a_",
    "'a",
    '("',
    '")',
    "a/",
    "v1 ",
    "x\u201c",
    "1 us ",
    "a:",
    "a: ",
    "a(",
    "\u00e9",
    "\t",
    "`",
    '"',
    "a.",
    "@",
    "(",
    "<",
    "a_b(",
    "#",
    "a-b",
    "0x",
    "1.1",
    "section 1",
    "SDM ",
    "http://",
    "a@b.",
    "I ",
    "This ",
    "teh `x` ",
)


def pathological_line(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def message_text(line: str) -> str:
    return (
        f"KVM: x86: {line}\n\nDrop a stale comment.\n\n{line}\n\n"
        f'Fixes: 0123456789ab ("{line}")\nLink: https://lore.kernel.org/r/{line}\n'
        f"Cc: {line}\nSigned-off-by: {line} <ada@example.org>\n"
    )


def diff_text(line: str) -> str:
    return (
        "diff --git a/arch/x86/kvm/x86.c b/arch/x86/kvm/x86.c\n"
        "--- a/arch/x86/kvm/x86.c\n+++ b/arch/x86/kvm/x86.c\n@@ -1,0 +1,4 @@\n"
        f"+/* {line} */\n+/**\n+ * {line}\n+ */\n+static void {line}(void)\n"
    )


def median_time(action, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--length", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--top", type=int, default=0, help="print only the N slowest rules")
    args = parser.parse_args()

    rules = {
        name: rule
        for name, rule in catalog().items()
        if rule.scope == "message" and not rule.opt_in
    }
    linters = {name: Linter.from_config(select=(name,)) for name in rules}
    whole = Linter.from_config()
    worst: dict[str, tuple[float, str]] = {}
    catalog_worst = (0.0, "")
    for unit in UNITS:
        line = pathological_line(unit, args.length)
        text = message_text(line)
        email_text = (
            f"From: A <a@b.org>\nSubject: [PATCH] KVM: x86: {line}\n\n"
            + text.split("\n", 2)[2]
            + "---\n"
            + diff_text(line)
        )
        timings = {
            "<parse message>": median_time(lambda text=text: read_message(text), args.runs),
            "<parse patch email>": median_time(
                lambda email_text=email_text: parse_patch_email(email_text), args.runs
            ),
        }
        message, _ = read_message(text)
        for name, linter in linters.items():

            def run(linter=linter, line=line, message=message) -> None:
                ctx = linter.context(files=("arch/x86/kvm/x86.c",), diff=diff_text(line))
                linter.check(message, ctx)

            timings[name] = median_time(run, args.runs)
        total = median_time(
            lambda message=message, line=line: whole.check(
                message, whole.context(files=("arch/x86/kvm/x86.c",), diff=diff_text(line))
            ),
            args.runs,
        )
        if total > catalog_worst[0]:
            catalog_worst = (total, unit)
        for name, seconds in timings.items():
            if seconds >= worst.get(name, (-1.0, ""))[0]:
                worst[name] = (seconds, unit)
        print(f"  {unit!r:12} whole catalog {total * 1000:8.1f} ms", file=sys.stderr, flush=True)

    ranked = sorted(worst.items(), key=lambda item: item[1][0], reverse=True)
    if args.top:
        ranked = ranked[: args.top]
    print(
        f"Worst case per rule, one {args.length:,}-character line in every field "
        f"(median of {args.runs}):"
    )
    for name, (seconds, unit) in ranked:
        print(f"  {name:32} {seconds * 1000:9.1f} ms   unit {unit!r}")
    print(f"  {'<whole catalog>':32} {catalog_worst[0] * 1000:9.1f} ms   unit {catalog_worst[1]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
