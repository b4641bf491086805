"""Measure which LanguageTool rules fire on the corpus, to tune [grammar] disabled_rules.

Usage: python benchmarks/grammar_rules.py --server URL [--corpus DIR] [--limit N]
       [--accepted] [--all-rules]

Sends the masked prose of each corpus message (as the ``grammar`` rule
does) to the LanguageTool server at URL (or ``$KVMWRITER_LT_SERVER``) and
prints, for each rule id, the share of messages it fires on and an example.
By default the profile's disabled rules stay disabled, which shows what is
left to review; ``--all-rules`` measures every rule.  A rule firing on many
accepted (maintainer-reviewed) messages misfires on kernel prose.

Only a server the user names is contacted: never the public API unless its
URL is given.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kvmwriter.lint.grammar import GrammarChecker, resolve_settings
from kvmwriter.lint.profile import load_profile
from kvmwriter.text.message import parse_message


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(os.environ.get("KVMWRITER_CORPUS", ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--server", default=os.environ.get("KVMWRITER_LT_SERVER"))
    parser.add_argument("--corpus", type=Path, default=default)
    parser.add_argument("--limit", type=int, default=0, help="first N messages only")
    parser.add_argument("--accepted", action="store_true", help="accepted messages only")
    parser.add_argument("--all-rules", action="store_true", help="disable no rule")
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()
    if not args.server:
        print(
            "grammar_rules: name a LanguageTool with --server or $KVMWRITER_LT_SERVER",
            file=sys.stderr,
        )
        return 2
    path = args.corpus / "kvm-x86-messages.jsonl"
    if not path.is_file():
        print(f"grammar_rules: no corpus at {args.corpus}", file=sys.stderr)
        return 2
    with path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    if args.accepted:
        records = [r for r in records if r.get("kind") == "applied_commit" or r.get("applied")]
    if args.limit:
        records = records[: args.limit]

    settings = resolve_settings({"timeout": args.timeout}, load_profile(), server=args.server)
    if args.all_rules:
        settings = replace(settings, disabled_rules=(), disabled_categories=())
    checker = GrammarChecker(settings)
    messages: Counter[str] = Counter()
    examples: dict[str, str] = {}
    failures = 0
    for record in records:
        message = parse_message(record["subject"] + "\n\n" + (record.get("body") or ""))
        result = checker.check_message(message)
        if result.status:
            failures += 1
            print(f"grammar_rules: {result.status}", file=sys.stderr)
            if failures >= 3:
                return 1
            continue
        fired: dict[str, str] = defaultdict(str)
        for issue in result.issues:
            fired[issue.rule_id] = message.line(issue.line).strip()[:90]
        messages.update(fired)
        for rule_id, line in fired.items():
            examples.setdefault(rule_id, line)
    print(f"{len(records)} messages checked")
    for rule_id, count in messages.most_common():
        print(f"{100 * count / len(records):6.2f}%  {count:5d}  {rule_id:32s} {examples[rule_id]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
