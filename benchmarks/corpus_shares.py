"""The issue-11 headline figures: how often whole messages get findings.

Usage: python benchmarks/corpus_shares.py [--corpus DIR]

For each group of the shared corpus, the share of messages with at least
one warning or error, and with at least one error:

- committed: the text as it landed (``kind`` applied_commit);
- posted, applied: posted patches a maintainer applied (they include
  mistakes fixed on apply);
- posted, not applied, 2023+: drafts written after the handbook landed;
- accepted: committed or applied, the maintainers' reference.

A linter that tells good messages from drafts flags few committed texts
and many more drafts: the last line prints that gap as a ratio.
Trailer rules skip records whose tooling stripped trailers, as in
corpus_rates.py.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_rates import corpus_path, is_accepted, lint_record

from kvmwriter.lint.engine import Linter
from kvmwriter.lint.findings import Severity


def groups_of(record: dict) -> list[str]:
    groups = []
    if record.get("kind") == "applied_commit":
        groups.append("committed")
    elif record.get("applied"):
        groups.append("posted, applied")
    elif (record.get("author_date") or "") >= "2023":
        groups.append("posted, not applied, 2023+")
    if is_accepted(record):
        groups.append("accepted")
    return groups


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", help="folder holding kvm-x86-messages.jsonl")
    args = parser.parse_args()
    path = corpus_path(args.corpus)
    if not path.is_file():
        print(f"corpus_shares: no corpus at {path} (set KVMWRITER_CORPUS)", file=sys.stderr)
        return 2
    linter = Linter.from_config(None)
    order = ["committed", "posted, applied", "posted, not applied, 2023+", "accepted"]
    totals = dict.fromkeys(order, 0)
    flagged = dict.fromkeys(order, 0)
    errors = dict.fromkeys(order, 0)
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            groups = groups_of(record)
            if not groups:
                continue
            severities = {f.severity for f in lint_record(linter, record)}
            for group in groups:
                totals[group] += 1
                flagged[group] += bool(severities & {Severity.WARNING, Severity.ERROR})
                errors[group] += Severity.ERROR in severities
    print(f"{'group':30} {'messages':>8} {'warning or error':>17} {'error':>12}")
    for group in order:
        total = totals[group] or 1
        print(
            f"{group:30} {totals[group]:8} "
            f"{flagged[group]:6} {100 * flagged[group] / total:8.1f}% "
            f"{errors[group]:4} {100 * errors[group] / total:5.1f}%"
        )
    committed = flagged["committed"] / (totals["committed"] or 1)
    drafts = flagged["posted, not applied, 2023+"] / (totals["posted, not applied, 2023+"] or 1)
    if committed:
        print(f"gap: drafts are flagged {drafts / committed:.2f}x as often as committed text")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
