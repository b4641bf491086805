"""Run benchmarks against an installed kvmwriter, as a user runs it.

A source checkout is not what users run: this environment sets
``PYTHONDONTWRITEBYTECODE=1``, so a run from the tree recompiles every
module each time and reports start-up that no user sees.  Benchmarks
therefore time a virtual environment holding a non-editable install
with bytecode compiled:

- ``--venv DIR`` (or ``$KVMWRITER_BENCH_VENV``) names one, e.g. a baseline
  install to measure "before";
- otherwise :func:`bench_venv` builds one under
  ``~/.cache/kvmwriter-bench/venv`` from this checkout (``pip install
  '.[bench]'``, then ``compileall``), and reinstalls only kvmwriter when the
  sources changed since the last build.

Timed processes get :func:`bench_env`: the caller's environment without
``PYTHONDONTWRITEBYTECODE`` or ``PYTHONPATH``, so nothing reaches into the
source tree.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def add_venv_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--venv",
        type=Path,
        default=os.environ.get("KVMWRITER_BENCH_VENV"),
        help="virtual environment with kvmwriter installed (default: build one from "
        "this checkout under ~/.cache/kvmwriter-bench/venv)",
    )
    parser.add_argument(
        "--before",
        type=Path,
        metavar="VENV",
        help="a second installed kvmwriter (e.g. /work/venv-baseline) timed in the same "
        "run, interleaved, and printed as 'before'",
    )


def bench_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPATH", None)
    env.update(extra)
    return env


def _source_digest() -> str:
    digest = hashlib.sha256()
    files = [ROOT / "pyproject.toml"]
    for folder in ("kvmwriter", "assets"):
        files.extend(
            sorted(
                p
                for p in (ROOT / folder).rglob("*")
                if p.is_file() and "__pycache__" not in p.parts
            )
        )
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def bench_venv(venv: Path | None) -> Path:
    """The venv to time: ``venv`` as given, else one built from this checkout."""
    if venv is not None:
        venv = Path(venv)
        if not (venv / "bin" / "python").exists():
            raise SystemExit(f"benchmarks: {venv} is not a virtual environment")
        return venv
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    venv = base / "kvmwriter-bench" / "venv"
    stamp = venv / "kvmwriter-source.sha256"
    digest = _source_digest()
    if stamp.is_file() and stamp.read_text().strip() == digest:
        return venv
    env = bench_env()
    python = venv / "bin" / "python"
    quiet = {"stdout": subprocess.DEVNULL, "check": True, "env": env}
    print(f"benchmarks: installing this checkout into {venv} ...", file=sys.stderr)
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], **quiet)
        subprocess.run([str(python), "-m", "pip", "install", "-q", f"{ROOT}[bench]"], **quiet)
    else:
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "-q",
                "--no-deps",
                "--force-reinstall",
                str(ROOT),
            ],
            **quiet,
        )
    subprocess.run([str(python), "-m", "compileall", "-q", str(venv / "lib")], **quiet)
    stamp.write_text(digest + "\n")
    return venv


def venv_python(venv: Path) -> str:
    return str(venv / "bin" / "python")


def venv_tool(venv: Path, name: str) -> str | None:
    path = venv / "bin" / name
    return str(path) if path.exists() else None


def machine_load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"


def time_once(
    argv: Sequence[str], env: dict, cwd: str | Path | None = None, stdin: bytes | None = None
) -> float:
    start = time.perf_counter()
    subprocess.run(list(argv), input=stdin, capture_output=True, env=env, cwd=cwd)
    return time.perf_counter() - start


@dataclass
class Paired:
    """Medians of several commands timed in interleaved rounds."""

    samples: dict[str, list[float]]

    def median(self, name: str) -> float:
        return statistics.median(self.samples[name])

    def ms(self, name: str) -> str:
        return f"{self.median(name) * 1000:.0f} ms"

    def ratio(self, name: str, peer: str) -> float:
        return self.median(name) / self.median(peer)

    def round_ratios(self, name: str, peer: str) -> list[float]:
        """``name`` / ``peer`` in each round: the two ran seconds apart, so a
        slow spell of a shared host weighs on both sides of each ratio."""
        return [a / b for a, b in zip(self.samples[name], self.samples[peer])]


def interleave(cases: dict[str, Callable[[], float]], runs: int, warm: int = 1) -> Paired:
    """Time every case once per round, rotating the order each round.

    Rotating keeps a burst of load on the machine from landing on one case
    only; the medians then compare like with like.
    """
    names = list(cases)
    for _ in range(warm):
        for name in names:
            cases[name]()
    samples: dict[str, list[float]] = {name: [] for name in names}
    for index in range(runs):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            samples[name].append(cases[name]())
    return Paired(samples)
