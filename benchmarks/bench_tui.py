"""Benchmark the apps: first paint next to a minimal Textual app, keystroke to lint.

Usage: python benchmarks/bench_tui.py [--venv DIR] [--before VENV] [--runs N] [--keys N]

1. First paint: each app of an installed kvmwriter (see installed.py) as a
   real process in a pseudo-terminal (80x24), timed from spawn to the
   first frame that shows its markers (the step bar; the editor's file
   name), in interleaved rounds with a minimal Textual app (a header, a
   line of text, a footer) started by the same interpreter.  Prints medians and the ratio to the minimal app
   (target: at most 1.3x).  Apps are listed in ``APPS`` (the drafting,
   cover and editor apps): add one there.
2. Keystroke to updated lint on a 60-line message, through the real app
   (``App.run_test``, from this checkout): a key typed into the "why"
   field, then the rules run in the worker and the lint panel shows the
   new findings.  Reported as the time from the end of the debounce pause
   to the panel update (target: under 30 ms), next to the debounce and,
   in the pseudo-terminal, keystroke to repainted summary.
3. ``kvmwriter edit`` on a ``git commit -s -v`` file: spawn to the first
   frame (target: at most 300 ms), each run next to the minimal Textual
   app (the peer) so a loaded machine shows in both figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pty
import select
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from installed import (
    add_venv_options,
    bench_env,
    bench_venv,
    interleave,
    machine_load,
    venv_python,
)

from kvmwriter.compose.demo import build_demo


@dataclass(frozen=True)
class AppCase:
    """One app to start: its arguments after ``python -m kvmwriter`` and what
    on the screen says the first frame is painted."""

    name: str
    args: tuple[str, ...]
    markers: tuple[bytes, ...]


#: The apps whose first paint is timed, in the demo repository.
APPS = (
    AppCase("drafting (kvmwriter)", (), (b"Changelog", b"Review")),
    AppCase(
        "cover (kvmwriter cover HEAD~2..HEAD)", ("cover", "HEAD~2..HEAD"), (b"Summary", b"Versions")
    ),
    # On the 'git commit -s -v' file below (EDIT_FILE), written before the rounds.
    AppCase(
        "edit (kvmwriter edit COMMIT_EDITMSG)",
        ("edit", ".git/COMMIT_EDITMSG"),
        (b"editing COMMIT_EDITMSG",),
    ),
)

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Static


class Minimal(App):
    def compose(self):
        yield Header()
        yield Static("minimal app ready")
        yield Footer()


Minimal().run()
"""
MINIMAL_MARKERS = (b"minimal app ready",)


def time_first_paint(
    argv: list[str],
    repo: Path,
    markers: tuple[bytes, ...],
    env: dict,
    timeout: float = 60.0,
    echo_keys: int = 0,
) -> tuple[float, list[float]]:
    """Seconds from spawning ``argv`` to ``markers`` on the screen.

    With ``echo_keys``, also type that many letters into the summary and
    time each one from the write to the terminal until the app repaints it.
    """
    leader, follower = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = dict(env, TERM="xterm-256color", COLUMNS="80", LINES="24")
    env.pop("DISPLAY", None)
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        cwd=repo,
        env=env,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        start_new_session=True,
    )
    os.close(follower)
    seen = b""
    painted = None
    try:
        while time.perf_counter() - started < timeout:
            ready, _, _ = select.select([leader], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            seen += chunk
            if all(marker in seen for marker in markers):
                painted = time.perf_counter() - started
                break
        echoes: list[float] = []
        if painted is not None and echo_keys:
            time.sleep(0.5)  # let the first lint run settle
            for index in range(echo_keys):
                letter = "QZJXVKWY"[index % 8].encode()
                while select.select([leader], [], [], 0.05)[0]:
                    os.read(leader, 65536)
                sent = time.perf_counter()
                os.write(leader, letter)
                buffer = b""
                while time.perf_counter() - sent < 5:
                    if select.select([leader], [], [], 0.05)[0]:
                        buffer += os.read(leader, 65536)
                        if letter in buffer:
                            echoes.append(time.perf_counter() - sent)
                            break
                time.sleep(0.2)
        # ctrl+q quits (a typed draft is kept in the throwaway repository).
        os.write(leader, b"\x11")
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    finally:
        os.close(leader)
    if painted is None:
        raise SystemExit(f"bench_tui: {argv} did not paint within {timeout:.0f} s")
    return painted, echoes


#: What 'git commit -s -v' hands the editor, with a short diff below.
EDIT_FILE = (
    "\n\nSigned-off-by: Ada Tester <ada@example.org>\n\n"
    "# Please enter the commit message for your changes. Lines starting\n"
    "# with '#' will be ignored, and an empty message aborts the commit.\n"
    "# ------------------------ >8 ------------------------\n"
    "# Do not modify or remove the line above.\n"
    "# Everything below it will be ignored.\n"
    "diff --git a/arch/x86/kvm/vmx/nested.c b/arch/x86/kvm/vmx/nested.c\n"
)


def time_edit_paints(
    repo: Path, runs: int, python: str, env: dict
) -> tuple[list[float], list[float]]:
    """First paint of ``kvmwriter edit`` and of the minimal Textual app, interleaved."""
    message = repo / ".git" / "COMMIT_EDITMSG"
    message.write_text(EDIT_FILE)
    edit = [python, "-m", "kvmwriter", "edit", str(message)]
    minimal = [python, "-c", MINIMAL_APP]
    edited = (b"editing COMMIT_EDITMSG",)
    time_first_paint(edit, repo, edited, env)
    time_first_paint(minimal, repo, MINIMAL_MARKERS, env)
    edits, peers = [], []
    for _ in range(runs):
        edits.append(time_first_paint(edit, repo, edited, env)[0])
        peers.append(time_first_paint(minimal, repo, MINIMAL_MARKERS, env)[0])
    return edits, peers


SIXTY_LINES = "\n".join(
    f"Line {n} of the background explains how vmcs12 controls reach the checks," if n % 6 else ""
    for n in range(1, 59)
)


async def time_lint_latency(repo: Path, keys: int) -> tuple[list[float], float]:
    from kvmwriter.compose.session import open_session
    from kvmwriter.tui.drafting.app import DraftApp
    from kvmwriter.tui.widgets.lint import DEBOUNCE, LintPanel

    session = open_session(repo)
    session.draft.summary = "Fix swapped pin-based control checks"
    session.draft.what = "Pass the allowed-0 and allowed-1 settings in the right order."
    session.draft.why = SIXTY_LINES
    app = DraftApp(session, store=None)
    lint_times: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        text, _ = session.message_with_origins()
        assert len(text.splitlines()) >= 60, len(text.splitlines())
        panel = app.query_one(LintPanel)
        await pilot.press("f3", "tab")
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        for index in range(keys):
            runs = panel.runs
            await pilot.press("x" if index % 2 == 0 else "backspace")
            deadline = time.perf_counter() + 5
            while panel.runs == runs and time.perf_counter() < deadline:
                await asyncio.sleep(0.001)
            lint_times.append(panel.last_latency)
    return lint_times, DEBOUNCE


def lint_latency_in(python: str, repo: Path, keys: int) -> tuple[list[float], float] | None:
    """:func:`time_lint_latency` run by ``python`` (a venv with Textual: the
    interpreter running this script may have none), or None if it failed."""
    proc = subprocess.run(
        [python, __file__, "--lint-latency", str(repo), "--keys", str(keys)],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"keystroke to updated lint: failed ({last})", file=sys.stderr)
        return None
    result = json.loads(proc.stdout)
    return result["lint_times"], result["debounce"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="first-paint rounds (default 9)")
    parser.add_argument(
        "--keys",
        type=int,
        default=20,
        help="keystrokes timed (default 20; 0 skips the latency figures)",
    )
    parser.add_argument("--lint-latency", metavar="REPO", help=argparse.SUPPRESS)
    add_venv_options(parser)
    args = parser.parse_args()
    if args.lint_latency:
        # The latency part alone, as lint_latency_in() runs it.
        times, debounce = asyncio.run(time_lint_latency(Path(args.lint_latency), args.keys))
        print(json.dumps({"lint_times": times, "debounce": debounce}))
        return 0
    venvs = {"after": bench_venv(args.venv)}
    if args.before:
        venvs["before"] = bench_venv(args.before)
    env = bench_env()
    print(f"machine: {machine_load()} at start")
    with tempfile.TemporaryDirectory() as tmp:
        repo = build_demo(Path(tmp) / "linux")
        (repo / ".git" / "COMMIT_EDITMSG").write_text(EDIT_FILE)
        minimal = Path(tmp) / "minimal_app.py"
        minimal.write_text(MINIMAL_APP)
        floor = [venv_python(venvs["after"]), str(minimal)]
        cases = {
            "minimal Textual app": lambda: time_first_paint(floor, repo, MINIMAL_MARKERS, env)[0]
        }
        for app in APPS:
            for label, venv in venvs.items():
                argv = [venv_python(venv), "-m", "kvmwriter", *app.args]
                cases[f"{app.name} {label}"] = lambda argv=argv, app=app: time_first_paint(
                    argv, repo, app.markers, env
                )[0]
        paired = interleave(cases, args.runs)
        print(f"machine: {machine_load()} after {args.runs} interleaved rounds")
        print(f"\nfirst paint, median of {args.runs} interleaved runs (80x24 pty):")
        print(f"  minimal Textual app: {paired.ms('minimal Textual app')}")
        for app in APPS:
            for label in venvs:
                name = f"{app.name} {label}"
                print(
                    f"  {name}: {paired.ms(name)} = "
                    f"{paired.ratio(name, 'minimal Textual app'):.2f}x the minimal app "
                    "(target <= 1.3x)"
                )
        if args.keys:
            drafting = [venv_python(venvs["after"]), "-m", "kvmwriter"]
            _, echoes = time_first_paint(drafting, repo, APPS[0].markers, env, echo_keys=10)
            latency = lint_latency_in(venv_python(venvs["after"]), repo, args.keys)
            if latency is not None:
                lint_times, debounce = latency
                lint = statistics.median(lint_times)
                print(
                    f"\nkeystroke to updated lint, 60-line message: {lint * 1000:.1f} ms "
                    f"median, {max(lint_times) * 1000:.1f} ms max over {len(lint_times)} "
                    f"keys, after the {debounce * 1000:.0f} ms typing pause (target < 30 ms)"
                )
            if echoes:
                print(
                    f"keystroke to repainted summary in a terminal: "
                    f"{statistics.median(echoes) * 1000:.1f} ms median over {len(echoes)} keys"
                )
        edits, peers = time_edit_paints(repo, args.runs, venv_python(venvs["after"]), env)
        print(
            f"kvmwriter edit start-up to first screen painted: "
            f"{statistics.median(edits) * 1000:.0f} ms median of {len(edits)} "
            f"(min {min(edits) * 1000:.0f}, max {max(edits) * 1000:.0f}; target <= 300 ms); "
            f"a minimal Textual app in the same run: {statistics.median(peers) * 1000:.0f} ms"
        )
    print(f"machine: {machine_load()} at end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
