"""Benchmark the spelling rule and measure its findings on the corpus.

Usage: python benchmarks/bench_spelling.py [--corpus DIR] [--rounds N] [--top N]

Prints the median time the spelling check adds to one corpus message
(target: under 0.2 ms; the message is parsed outside the timing, as the
engine parses once for every rule), the one-time dictionary load, the
share of messages with a finding and the most frequent findings.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kvmwriter.lint.profile import load_profile
from kvmwriter.lint.spelling import find_misspellings, load_dictionary
from kvmwriter.text.message import parse_message


def corpus_records(directory: Path) -> list[dict]:
    with (directory / "kvm-x86-messages.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(os.environ.get("KVMWRITER_CORPUS", ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--corpus", type=Path, default=default)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    if not (args.corpus / "kvm-x86-messages.jsonl").is_file():
        print(f"bench_spelling: no corpus at {args.corpus}", file=sys.stderr)
        return 2

    started = time.perf_counter()
    table = load_dictionary()
    load_ms = (time.perf_counter() - started) * 1000
    ignore = load_profile().get("spelling", "ignore", [])
    records = corpus_records(args.corpus)
    messages = [parse_message(r["subject"] + "\n\n" + (r.get("body") or "")) for r in records]

    samples: list[list[float]] = [[] for _ in messages]
    for _ in range(args.rounds):
        for index, message in enumerate(messages):
            t0 = time.perf_counter()
            list(find_misspellings(message, ignore, table))
            samples[index].append(time.perf_counter() - t0)
    per_message = [min(times) for times in samples]
    median_ms = statistics.median(per_message) * 1000
    p95_ms = sorted(per_message)[int(len(per_message) * 0.95)] * 1000

    flagged = 0
    accepted = accepted_flagged = 0
    words: Counter[str] = Counter()
    for record, message in zip(records, messages):
        hits = list(find_misspellings(message, ignore, table))
        flagged += bool(hits)
        if record.get("kind") == "applied_commit" or record.get("applied"):
            accepted += 1
            accepted_flagged += bool(hits)
        words.update(hit.word.lower() for hit in hits)

    print(f"dictionary: {len(table)} misspellings, loaded once in {load_ms:.1f} ms")
    print(
        f"spelling per message: median {median_ms:.3f} ms, p95 {p95_ms:.3f} ms "
        f"(target: median < 0.2 ms) over {len(messages)} messages"
    )
    print(
        f"messages with a finding: {flagged}/{len(records)} "
        f"({100 * flagged / len(records):.2f}%); accepted: {accepted_flagged}/{accepted} "
        f"({100 * accepted_flagged / max(accepted, 1):.2f}%)"
    )
    print(
        "most frequent findings: "
        + ", ".join(f"{word} ({count})" for word, count in words.most_common(args.top))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
