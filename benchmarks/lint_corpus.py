"""Lint every corpus message in one process; print timings or the findings.

Run by bench_check.py and lint_identity.py with an installed kvmwriter's
interpreter (never the source tree's), so it imports nothing from this
folder but the standard library and kvmwriter itself:

    VENV/bin/python benchmarks/lint_corpus.py CORPUS.jsonl time [ROUNDS]
    VENV/bin/python benchmarks/lint_corpus.py CORPUS.jsonl json

``time`` prints one JSON line: the median per-message time over the
corpus (each message's best of ROUNDS, default 3) and the messages per second of the
fastest round.  ``json`` prints each message's findings as ``kvmwriter check
--format json`` would, one line a message.
"""

from __future__ import annotations

import json
import statistics
import sys
import time


def _imports():
    try:
        from kvmwriter.lint.engine import Linter, check_text
    except ImportError:  # Before the layer folders (baseline installs).
        from kvmwriter.engine import Linter, check_text  # type: ignore[no-redef]
    return Linter, check_text


def main(argv: list[str]) -> int:
    path, mode = argv[0], argv[1]
    rounds = int(argv[2]) if len(argv) > 2 else 3
    with open(path, encoding="utf-8") as handle:
        texts = [
            r["subject"] + "\n\n" + (r.get("body") or "") + "\n" for r in map(json.loads, handle)
        ]
    Linter, check_text = _imports()
    linter = Linter.from_config()
    if mode == "json":
        out = sys.stdout
        for index, text in enumerate(texts):
            report, _ = check_text(linter, text, f"message-{index}")
            out.write(json.dumps(report.to_json(), sort_keys=True) + "\n")
        return 0
    for text in texts[:50]:  # Load the lexicons and tables before timing.
        check_text(linter, text, "warm")
    best = [float("inf")] * len(texts)
    fastest = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for index, text in enumerate(texts):
            t0 = time.perf_counter()
            check_text(linter, text, "m")
            best[index] = min(best[index], time.perf_counter() - t0)
        fastest = min(fastest, time.perf_counter() - start)
    print(
        json.dumps(
            {
                "messages": len(texts),
                "median_ms": statistics.median(best) * 1000,
                "mean_ms": fastest * 1000 / len(texts),
                "per_second": len(texts) / fastest,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
