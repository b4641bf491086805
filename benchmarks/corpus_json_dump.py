"""Dump ``check --format json`` and ``review --format json`` over the corpus.

Shows that a refactoring leaves output byte-identical: run it on two
checkouts and compare the digests it prints (or the files it writes).

    python benchmarks/corpus_json_dump.py OUT_DIR [--code CHECKOUT]

The corpus is replayed into a real git repository (one commit per record,
benchmarks/corpus_repo.py), so Fixes: verification in ``check`` and the
commit stream in ``review`` both run through the git layer.  ``--code``
names the checkout whose ``kvmwriter`` runs (default: this one); the
corpus repository is built by this checkout's script either way.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus_repo


def run_kvmwriter(code: Path, args: list[str], cwd: Path) -> bytes:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(code)
    env.setdefault("GIT_CONFIG_NOSYSTEM", "1")
    proc = subprocess.run(
        [sys.executable, "-m", "kvmwriter", *args], cwd=cwd, env=env, capture_output=True
    )
    if proc.returncode not in (0, 1):
        raise SystemExit(f"kvmwriter {args[0]} failed: {proc.stderr.decode(errors='replace')}")
    return proc.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="directory for check.json and review.json")
    parser.add_argument(
        "--code", type=Path, default=corpus_repo.ROOT, help="the checkout whose kvmwriter runs"
    )
    args = parser.parse_args()
    records = corpus_repo.in_date_order(corpus_repo.load_records())
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kvmwriter-dump-") as tmp:
        repo = Path(tmp) / "repo"
        shas = corpus_repo.build_repo(repo, records)
        messages = Path(tmp) / "messages"
        messages.mkdir()
        names = []
        for index, record in enumerate(records):
            name = f"{index:05d}.txt"
            text = record["subject"] + "\n\n" + (record.get("body") or "")
            (messages / name).write_text(text, encoding="utf-8")
            names.append(name)
        outputs = {
            "check.json": run_kvmwriter(
                args.code, ["check", "--format", "json", "--repo", str(repo), *names], messages
            ),
            "review.json": run_kvmwriter(
                args.code, ["review", "--format", "json", f"{shas[0]}..HEAD"], repo
            ),
        }
    for name, data in outputs.items():
        (args.out / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes sha256 {hashlib.sha256(data).hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
