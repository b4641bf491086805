"""Replay ../shared/corpus/ into a real git repository (shared by benchmarks).

Each record becomes one commit, in author-date order, with the record's
subject and body as its message and small synthetic contents in the files
the record touches.  git fast-import writes the whole history in one pass.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from datetime import datetime, timedelta, timezone
from email.utils import parseaddr
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"

# Records from CVE feeds carry no date, only the release that merged them:
# place them a merge window before that release (v5.0 came out 2019-03-03,
# a release every ~66 days since).
_V5_0 = datetime(2019, 3, 3, tzinfo=timezone.utc)


def corpus_path() -> Path:
    path = Path(os.environ.get("KVMWRITER_CORPUS", DEFAULT_CORPUS))
    if not (path / "kvm-x86-messages.jsonl").is_file():
        raise SystemExit(f"corpus not found at {path} (set KVMWRITER_CORPUS)")
    return path


def load_records() -> list[dict]:
    with open(corpus_path() / "kvm-x86-messages.jsonl", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def is_accepted(record: dict) -> bool:
    return record.get("kind") == "applied_commit" or bool(record.get("applied"))


def record_date(record: dict) -> datetime:
    text = record.get("author_date")
    if text:
        try:
            date = datetime.fromisoformat(text.replace("Z", "+00:00"))
            return date if date.tzinfo else date.replace(tzinfo=timezone.utc)
        except ValueError:
            pass
    match = re.fullmatch(r"(\d+)\.(\d+)", str(record.get("mainline_version") or ""))
    if match:
        index = (int(match.group(1)) - 5) * 20 + int(match.group(2))
        return _V5_0 + timedelta(days=66 * index - 60)
    return _V5_0


def in_date_order(records: list[dict]) -> list[dict]:
    return sorted(records, key=record_date)


def build_repo(path: Path, records: list[dict]) -> list[str]:
    """Create ``path`` holding one commit per record, in the given order.

    Returns the commit ids, aligned with ``records``.
    """
    path.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True, env=env)
    out: list[bytes] = []
    for index, record in enumerate(records, 1):
        name, email = parseaddr(record.get("author") or "")
        name = (name or "Corpus Author").replace("<", "").replace(">", "")
        email = email or "author@example.org"
        stamp = int(record_date(record).timestamp())
        message = record["subject"].strip() + "\n"
        if (record.get("body") or "").strip():
            message += "\n" + record["body"].rstrip() + "\n"
        data = message.encode("utf-8")
        blob = f"{record['subject']}\n{index}\n".encode()
        out.append(f"blob\nmark :{2 * index}\ndata {len(blob)}\n".encode() + blob + b"\n")
        out.append(
            f"commit refs/heads/main\nmark :{2 * index + 1}\n"
            f"author {name} <{email}> {stamp} +0000\n"
            f"committer {name} <{email}> {stamp} +0000\n"
            f"data {len(data)}\n".encode()
            + data
            + b"\n"
        )
        for file in record.get("files") or []:
            if file and "\n" not in file and not file.startswith('"'):
                out.append(f"M 100644 :{2 * index} {file}\n".encode())
        out.append(b"\n")
    marks = path / ".git" / "corpus-marks"
    subprocess.run(
        ["git", "fast-import", "--quiet", f"--export-marks={marks}"],
        cwd=path,
        input=b"".join(out),
        check=True,
        env=env,
    )
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=path, check=True, env=env)
    by_mark = {}
    for line in marks.read_text().splitlines():
        mark, sha = line.split()
        by_mark[int(mark[1:])] = sha
    return [by_mark[2 * index + 1] for index in range(1, len(records) + 1)]
