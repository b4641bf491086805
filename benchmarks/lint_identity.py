"""Compare two installs' findings over the corpus: byte-identical JSON or a diff.

Usage: python benchmarks/lint_identity.py BEFORE_VENV [--venv AFTER_VENV] [--corpus DIR]

Runs lint_corpus.py's ``json`` mode in each install (AFTER defaults to the
one built from this checkout, see installed.py) and compares the outputs
line by line: exit 0 when identical, else 1 with the first differing
messages.  Speed-ups to the rules must leave this at 0.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from installed import ROOT, bench_env, bench_venv, venv_python


def findings(venv: Path, corpus: Path) -> list[str]:
    script = Path(__file__).resolve().parent / "lint_corpus.py"
    proc = subprocess.run(
        [venv_python(venv), str(script), str(corpus), "json"],
        capture_output=True,
        text=True,
        env=bench_env(),
        check=True,
    )
    return proc.stdout.splitlines()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("--venv", type=Path, default=os.environ.get("KVMWRITER_BENCH_VENV"))
    parser.add_argument(
        "--corpus",
        type=Path,
        default=os.environ.get("KVMWRITER_CORPUS", str(ROOT.parent / "shared" / "corpus")),
    )
    args = parser.parse_args()
    corpus = args.corpus / "kvm-x86-messages.jsonl"
    if not corpus.is_file():
        print(f"lint_identity: corpus not found at {corpus}", file=sys.stderr)
        return 2
    before = findings(bench_venv(args.before), corpus)
    after = findings(bench_venv(args.venv), corpus)
    differing = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    if len(before) != len(after):
        differing.append(min(len(before), len(after)))
    if not differing:
        print(f"identical JSON findings over {len(after)} messages")
        return 0
    print(f"{len(differing)} of {len(after)} messages differ; first ones:")
    for index in differing[:5]:
        print(
            f"  message {index}:\n    before {before[index][:300]}\n    after  {after[index][:300]}"
        )
    return 1


if __name__ == "__main__":
    sys.exit(main())
