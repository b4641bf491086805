"""Measure topic suggestion against the topics real KVM x86 messages used.

Replays ../shared/corpus/ in author-date order into a temporary repository
(one commit per record: its subject, touching its files), then predicts
each evaluated message's topic from its files and only the history before
it.  Evaluated: accepted messages and messages from 2023 on (older ones
follow older habits).  Prints top-1 accuracy next to the baseline "most
frequent topic in git log of the touched files", and the confusions left.

    python benchmarks/topic_accuracy.py [--show N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import corpus_repo

from kvmwriter.git.repo import Repository
from kvmwriter.lint.profile import load_profile
from kvmwriter.lint.topics import TopicMap, baseline_topic, subject_topic, suggest_topics


def evaluated(record: dict) -> bool:
    return corpus_repo.is_accepted(record) or (record.get("author_date") or "") >= "2023"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", type=int, default=25, help="confusions to print")
    parser.add_argument("--profile", default="kvm-x86")
    args = parser.parse_args()

    records = corpus_repo.in_date_order(corpus_repo.load_records())
    profile = load_profile(args.profile)
    limit = TopicMap(profile).history_limit
    with tempfile.TemporaryDirectory(prefix="kvmwriter-topics-") as tmp:
        start = time.perf_counter()
        shas = corpus_repo.build_repo(Path(tmp) / "repo", records)
        built = time.perf_counter() - start
        repo = Repository.discover(Path(tmp) / "repo")
        total = hits = base_hits = known_total = known_hits = 0
        topic_map = TopicMap(profile)
        known = {name.lower() for name in topic_map.spelling}
        confusions: Counter = Counter()
        start = time.perf_counter()
        for sha, record in zip(shas, records):
            if not evaluated(record):
                continue
            actual = (subject_topic(record["subject"]) or "(none)").lower()
            files = record.get("files") or []
            ranked = suggest_topics(
                files, profile, repo, before=sha, author=record.get("author") or ""
            )
            predicted = (ranked[0].topic.lower() or "(none)") if ranked else "(none)"
            baseline = baseline_topic(files, repo, before=sha, limit=limit) or "(none)"
            total += 1
            hits += predicted == actual
            base_hits += baseline == actual
            if actual in known:
                known_total += 1
                known_hits += predicted == actual
            if predicted != actual:
                confusions[(actual, predicted)] += 1
        elapsed = time.perf_counter() - start
    print(
        f"replayed {len(records)} records in {built:.1f} s; evaluated {total} messages "
        f"(accepted or 2023+) in {elapsed:.1f} s"
    )
    print(
        f"top-1 accuracy: kvmwriter {hits / total:.1%} ({hits}/{total}), "
        f"baseline (most frequent topic in git log of the files) "
        f"{base_hits / total:.1%} ({base_hits}/{total})"
    )
    print(
        f"  on the {known_total} messages whose topic is a profile topic (not 'xen', "
        f"'selftest', a bare 'KVM:', ...): kvmwriter {known_hits / known_total:.1%}"
    )
    print("remaining confusions (real topic -> suggested):")
    for (actual, predicted), count in confusions.most_common(args.show):
        print(f"  {count:4d}  {actual} -> {predicted}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
