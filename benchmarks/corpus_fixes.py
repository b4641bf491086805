"""What the safe fixes do on the shared corpus of real KVM x86 messages.

Usage: python benchmarks/corpus_fixes.py [--corpus DIR] [--examples N]

For every record it applies the safe fixes until nothing changes (the way
``check --fix`` does) and prints:

- per rule: how many messages its fixes changed and how many fixes applied;
- whether the fixes removed the findings they target (after the run, no
  finding with a safe fix that still applies) and added no new error
  (an error-severity rule firing more often after than before);
- for posted/applied subject pairs where the maintainer's change was
  mechanical (the same summary words once case, spacing and punctuation
  are ignored), how often the fixed posted subject equals the applied one.
  Pairs come from applied-subject-pairs.jsonl and from matching posted
  patches to applied commits in kvm-x86-messages.jsonl by those words.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kvmwriter.lint.autofix import apply_fixes, fix_all, protected_lines
from kvmwriter.lint.engine import Linter
from kvmwriter.lint.findings import Severity
from kvmwriter.text.message import parse_message, parse_subject


def corpus_dir(arg: str | None) -> Path:
    return Path(arg or os.environ.get("KVMWRITER_CORPUS", ROOT.parent / "shared" / "corpus"))


def record_text(record: dict) -> str:
    return record["subject"] + "\n\n" + (record.get("body") or "") + "\n"


def make_lint(linter: Linter, record: dict):
    files = tuple(record.get("files") or ()) or None

    def lint(text: str):
        ctx = linter.context(files=files)
        if record.get("body_trailers_stripped"):
            ctx.extras["trailers_stripped"] = True
        return linter.check(parse_message(text), ctx)

    return lint


def summary_words(subject: str) -> str:
    """The summary after the prefix, lowercased, letters and digits only."""
    parsed = parse_subject(subject.strip())
    return re.sub(r"[^a-z0-9]+", " ", parsed.summary.lower()).strip()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus")
    parser.add_argument("--examples", type=int, default=3)
    args = parser.parse_args()
    folder = corpus_dir(args.corpus)
    path = folder / "kvm-x86-messages.jsonl"
    if not path.is_file():
        print(f"corpus not found at {path}; set KVMWRITER_CORPUS", file=sys.stderr)
        return 2
    records = [json.loads(line) for line in path.open(encoding="utf-8")]
    linter = Linter.from_config()

    messages = collections.Counter()  # rule -> messages its fixes changed
    fixes = collections.Counter()  # rule -> fixes applied
    changed = 0
    unsettled: list[str] = []
    leftovers: list[tuple[str, list[str]]] = []
    new_errors: list[tuple[str, list[str]]] = []
    started = time.perf_counter()
    for record in records:
        text = record_text(record)
        lint = make_lint(linter, record)
        before = lint(text)
        run = fix_all(text, lint)
        if not run.changed:
            continue
        changed += 1
        if not run.settled:
            unsettled.append(record["subject"])
        for finding in run.applied:
            fixes[finding.rule] += 1
        messages.update(set(run.rules))
        after = lint(run.text)
        fixable = [f for f in after if f.fix and f.fix.safe]
        if (
            fixable
            and apply_fixes(
                run.text, [f.fix for f in fixable], protected=protected_lines(run.text)
            ).changed
        ):
            leftovers.append((record["subject"], [f.rule for f in fixable]))
        errors_before = collections.Counter(f.rule for f in before if f.severity == Severity.ERROR)
        errors_after = collections.Counter(f.rule for f in after if f.severity == Severity.ERROR)
        added = errors_after - errors_before
        if added:
            new_errors.append((record["subject"], sorted(added)))
    elapsed = time.perf_counter() - started

    print(
        f"{len(records)} messages, {changed} changed by safe fixes "
        f"({100 * changed / len(records):.1f}%), {elapsed:.1f} s"
    )
    print(f"\n{'rule':34} {'messages':>9} {'fixes':>7}")
    for rule, count in messages.most_common():
        print(f"{rule:34} {count:9} {fixes[rule]:7}")
    print(f"\nsettled within the pass limit: {changed - len(unsettled)} of {changed}")
    print(f"fixable findings left after the fixes: {len(leftovers)} messages")
    for subject, rules in leftovers[: args.examples]:
        print(f"    {subject!r}: {', '.join(rules)}")
    print(f"new errors after the fixes: {len(new_errors)} messages")
    for subject, rules in new_errors[: args.examples]:
        print(f"    {subject!r}: {', '.join(rules)}")

    pairs = mechanical_pairs(folder, records)
    equal = 0
    misses: list[tuple[str, str, str]] = []
    for posted, applied, files in pairs:
        record = {"subject": posted, "body": "", "files": files}
        lint = make_lint(linter, record)
        text = posted + "\n"
        fixed = fix_all(text, lambda t, lint=lint: [f for f in lint(t) if f.line == 1]).text
        fixed_subject = fixed.splitlines()[0] if fixed.strip() else ""
        if fixed_subject == applied:
            equal += 1
        else:
            misses.append((posted, fixed_subject, applied))
    if pairs:
        print(
            f"\nposted -> applied subject rewrites with the same summary words "
            f"(case, spacing, punctuation or prefix changed): {len(pairs)}; the fixed "
            f"posted subject equals the applied one: {equal} "
            f"({100 * equal / len(pairs):.0f}%)"
        )
    else:
        print("\nno posted -> applied subject rewrite with the same summary words found")
        for posted, fixed_subject, applied in misses[: args.examples]:
            print(f"    posted {posted!r}\n     fixed {fixed_subject!r}\n   applied {applied!r}")
    return 0


def mechanical_pairs(folder: Path, records: list[dict]) -> list[tuple[str, str, list]]:
    """``(posted, applied, files)`` whose summaries differ only mechanically."""
    found: dict[tuple[str, str], list] = {}
    pairs_file = folder / "applied-subject-pairs.jsonl"
    if pairs_file.is_file():
        for line in pairs_file.open(encoding="utf-8"):
            pair = json.loads(line)
            posted, applied = pair.get("posted_subject"), pair.get("applied_subject")
            if posted and applied:
                found[(posted, applied)] = pair.get("files") or []
    applied_by_words: dict[str, list[dict]] = collections.defaultdict(list)
    for record in records:
        if record.get("kind") == "applied_commit":
            applied_by_words[summary_words(record["subject"])].append(record)
    for record in records:
        if record.get("kind") != "posted_patch":
            continue
        for applied in applied_by_words.get(summary_words(record["subject"]), ()):
            found[(record["subject"], applied["subject"])] = record.get("files") or []
    return [
        (posted, applied, files)
        for (posted, applied), files in found.items()
        if posted != applied
        and summary_words(posted) == summary_words(applied)
        and summary_words(posted)
    ]


if __name__ == "__main__":
    sys.exit(main())
