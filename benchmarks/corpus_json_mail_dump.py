"""Dump `kvmwriter check --format json` over the whole shared corpus.

Usage: python benchmarks/corpus_json_dump.py OUT [--root CHECKOUT] [--corpus DIR]

Writes every corpus record twice into a scratch folder outside any git
repository: as a plain message (``NNNN.txt``) and as a patch email
(``NNNN.patch``) whose diff touches the record's files, so rules that read
the touched paths run too.  Then runs one ``check --format json`` over all of
them with the kvmwriter of ``--root`` (default: this checkout) and writes its
output to OUT.  Two dumps from two checkouts compare byte for byte: a refactor
that must not change behaviour shows ``cmp`` clean.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def corpus_file(arg: str | None) -> Path:
    base = Path(arg or os.environ.get("KVMWRITER_CORPUS", ROOT.parent / "shared" / "corpus"))
    return base / "kvm-x86-messages.jsonl"


def message_text(record: dict) -> str:
    return record["subject"] + "\n\n" + (record.get("body") or "") + "\n"


def patch_text(record: dict) -> str:
    # A one-line hunk per file: enough for the touched paths, and the same
    # bytes for every run, so only kvmwriter's behaviour can change the dump.
    diff = "".join(
        f"diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n@@ -1 +1 @@\n-old\n+new\n"
        for path in record.get("files") or ()
    )
    body = (record.get("body") or "").rstrip("\n")
    return (
        "From: A U Thor <author@example.com>\n"
        f"Subject: [PATCH] {record['subject']}\n\n"
        f"{body}\n---\n{diff}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="file to write the JSON output to")
    parser.add_argument("--root", default=str(ROOT), help="kvmwriter checkout to run")
    parser.add_argument("--corpus", help="corpus folder (default: ../shared/corpus)")
    args = parser.parse_args()
    source = corpus_file(args.corpus)
    if not source.is_file():
        print(f"corpus not found: {source} (set KVMWRITER_CORPUS)", file=sys.stderr)
        return 2
    records = [
        json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    with tempfile.TemporaryDirectory(prefix="kvmwriter-dump-") as scratch:
        names = []
        for number, record in enumerate(records):
            for suffix, text in ((".txt", message_text(record)), (".patch", patch_text(record))):
                name = f"{number:04d}{suffix}"
                Path(scratch, name).write_text(text, encoding="utf-8")
                names.append(name)
        env = dict(
            os.environ,
            PYTHONPATH=str(Path(args.root).resolve()),
            XDG_CONFIG_HOME=scratch,
            GIT_CEILING_DIRECTORIES=scratch,
        )
        result = subprocess.run(
            [sys.executable, "-m", "kvmwriter", "check", "--format", "json", *names],
            cwd=scratch,
            env=env,
            capture_output=True,
            text=True,
        )
    if result.returncode not in (0, 1):
        print(result.stderr, file=sys.stderr)
        return result.returncode
    Path(args.out).write_text(result.stdout, encoding="utf-8")
    print(f"{len(names)} inputs, {len(result.stdout)} bytes -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
