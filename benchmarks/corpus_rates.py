"""Per-rule finding rates on the shared corpus of real KVM x86 messages.

Usage: python benchmarks/corpus_rates.py [--samples RULE] [--corpus DIR]

Prints, for every rule, the share of accepted messages (maintainer-approved)
and of posted 2023+ messages it fires on.  Trailer rules are skipped on
records whose tooling stripped trailers (body_trailers_stripped).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kvmwriter.lint.engine import Linter
from kvmwriter.text.message import parse_message


def corpus_path(arg: str | None) -> Path:
    base = Path(arg or os.environ.get("KVMWRITER_CORPUS", ROOT.parent / "shared" / "corpus"))
    return base / "kvm-x86-messages.jsonl"


def record_text(record: dict) -> str:
    return record["subject"] + "\n\n" + (record.get("body") or "") + "\n"


def lint_record(linter: Linter, record: dict):
    message = parse_message(record_text(record))
    ctx = linter.context(files=tuple(record.get("files") or ()) or None)
    if record.get("body_trailers_stripped"):
        ctx.extras["trailers_stripped"] = True
    return linter.check(message, ctx)


def is_accepted(record: dict) -> bool:
    return record.get("kind") == "applied_commit" or bool(record.get("applied"))


def rates(records: list[dict], linter: Linter) -> dict[str, collections.Counter]:
    counts: dict[str, collections.Counter] = {
        "accepted": collections.Counter(),
        "posted-2023": collections.Counter(),
    }
    totals = collections.Counter()
    for record in records:
        groups = []
        if is_accepted(record):
            groups.append("accepted")
        if record.get("kind") == "posted_patch" and (record.get("author_date") or "") >= "2023":
            groups.append("posted-2023")
        if not groups:
            continue
        fired = {f.rule for f in lint_record(linter, record)}
        for group in groups:
            totals[group] += 1
            counts[group].update(fired)
    return counts, totals


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus")
    parser.add_argument("--samples", metavar="RULE", help="print accepted messages RULE fires on")
    parser.add_argument("--group", default="accepted")
    parser.add_argument("-n", type=int, default=10)
    args = parser.parse_args()
    path = corpus_path(args.corpus)
    if not path.is_file():
        print(f"corpus not found at {path}", file=sys.stderr)
        return 2
    records = [json.loads(line) for line in path.open(encoding="utf-8")]
    linter = Linter.from_config()
    if args.samples:
        shown = 0
        for record in records:
            if args.group == "accepted" and not is_accepted(record):
                continue
            if args.group == "posted-2023" and not (
                record.get("kind") == "posted_patch" and (record.get("author_date") or "") >= "2023"
            ):
                continue
            for f in lint_record(linter, record):
                if f.rule == args.samples:
                    text = record_text(record).splitlines()
                    line = text[f.line - 1] if 0 < f.line <= len(text) else ""
                    print(f"--- {record['subject'][:70]}\n  {f.message}\n  | {line}")
                    shown += 1
                    break
            if shown >= args.n:
                break
        return 0
    counts, totals = rates(records, linter)
    print(f"{'rule':32} {'severity':8} {'accepted':>14} {'posted 2023+':>14}")
    for rule in linter.rules:
        cells = []
        for group in ("accepted", "posted-2023"):
            n = counts[group][rule.name]
            cells.append(f"{n:4d} {100 * n / max(totals[group], 1):5.1f}%")
        print(f"{rule.name:32} {rule.severity.label:8} {cells[0]:>14} {cells[1]:>14}")
    print(f"messages: accepted {totals['accepted']}, posted 2023+ {totals['posted-2023']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
