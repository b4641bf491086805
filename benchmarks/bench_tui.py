"""Benchmark the drafting TUI: start-up to first paint, keystroke to updated lint.

Usage: python benchmarks/bench_tui.py [--runs N] [--keys N]

1. Start-up: the real ``kvmwriter`` process on the demo repository in a
   pseudo-terminal (80x24), timed from spawn to the first frame that shows
   the step bar (target: under 1 s).  Median of --runs.
2. Keystroke to updated lint on a 60-line message, through the real app
   (``App.run_test``): a key typed into the "why" field, then the rules run
   in the worker and the lint panel shows the new findings.  Reported as
   the time from the end of the debounce pause to the panel update (target:
   under 30 ms), next to the debounce (the pause the panel waits for typing
   to stop) and, in the pseudo-terminal, keystroke to repainted summary.
3. ``kvmwriter edit`` on a ``git commit -s -v`` file: spawn to the first
   frame (target: at most 300 ms), each run next to a minimal Textual app
   (the peer) so a loaded machine shows in both figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pty
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kvmwriter.git.demo import build_demo


def time_first_paint(repo: Path, timeout: float = 20.0,
                     echo_keys: int = 0, argv: tuple[str, ...] = ("-m", "kvmwriter"),
                     painted_when: tuple[bytes, ...] = (b"Changelog", b"Review"),
                     ) -> tuple[float, list[float]]:
    """Seconds from spawning ``kvmwriter`` to the step bar on the screen.

    ``argv`` (after the interpreter) and ``painted_when`` (bytes that are
    all on the first frame) time another app the same way.  With
    ``echo_keys``, also type that many letters into the summary and time
    each one from the write to the terminal until the app repaints it.
    """
    leader, follower = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = dict(os.environ, PYTHONPATH=str(ROOT), TERM="xterm-256color", COLUMNS="80",
               LINES="24")
    env.pop("DISPLAY", None)
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *argv], cwd=repo, env=env,
                            stdin=follower, stdout=follower, stderr=follower,
                            start_new_session=True)
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
            if all(marker in seen for marker in painted_when):
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
        raise SystemExit(f"bench_tui: the app did not paint within {timeout:.0f} s")
    return painted, echoes


#: The peer: the least a Textual app paints, in the same terminal and run.
MINIMAL_APP = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class Minimal(App):\n"
    "    BINDINGS = [('ctrl+q', 'quit')]\n"
    "    def compose(self):\n"
    "        yield Static('minimal-app-painted')\n"
    "Minimal().run()\n"
)

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


def time_edit_paints(repo: Path, runs: int) -> tuple[list[float], list[float]]:
    """First paint of ``kvmwriter edit`` and of a minimal Textual app, interleaved."""
    message = repo / ".git" / "COMMIT_EDITMSG"
    message.write_text(EDIT_FILE)
    edit = ("-m", "kvmwriter", "edit", str(message))
    minimal = ("-c", MINIMAL_APP)
    time_first_paint(repo, argv=edit, painted_when=(b"editing COMMIT_EDITMSG",))
    time_first_paint(repo, argv=minimal, painted_when=(b"minimal-app-painted",))
    edits, peers = [], []
    for _ in range(runs):
        edits.append(time_first_paint(repo, argv=edit,
                                      painted_when=(b"editing COMMIT_EDITMSG",))[0])
        peers.append(time_first_paint(repo, argv=minimal,
                                      painted_when=(b"minimal-app-painted",))[0])
    return edits, peers


SIXTY_LINES = "\n".join(
    f"Line {n} of the background explains how vmcs12 controls reach the checks,"
    if n % 6 else "" for n in range(1, 59)
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="start-up runs (default 5)")
    parser.add_argument("--keys", type=int, default=20, help="keystrokes timed (default 20)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = build_demo(Path(tmp) / "linux")
        time_first_paint(repo)  # Warm the OS file cache and bytecode.
        paints = [time_first_paint(repo)[0] for _ in range(args.runs)]
        _, echoes = time_first_paint(repo, echo_keys=10)
        lint_times, debounce = asyncio.run(time_lint_latency(repo, args.keys))
        edits, peers = time_edit_paints(repo, args.runs)
    paint = statistics.median(paints)
    lint = statistics.median(lint_times)
    worst = max(lint_times)
    print(f"start-up to first screen painted: {paint * 1000:.0f} ms median of {len(paints)} "
          f"(min {min(paints) * 1000:.0f}, max {max(paints) * 1000:.0f}; target < 1000 ms)")
    print(f"keystroke to updated lint, 60-line message: {lint * 1000:.1f} ms median, "
          f"{worst * 1000:.1f} ms max over {len(lint_times)} keys, after the "
          f"{debounce * 1000:.0f} ms typing pause (target < 30 ms)")
    print(f"kvmwriter edit start-up to first screen painted: "
          f"{statistics.median(edits) * 1000:.0f} ms median of {len(edits)} "
          f"(min {min(edits) * 1000:.0f}, max {max(edits) * 1000:.0f}; target <= 300 ms); "
          f"a minimal Textual app in the same run: {statistics.median(peers) * 1000:.0f} ms")
    if echoes:
        print(f"keystroke to repainted summary in a terminal: "
              f"{statistics.median(echoes) * 1000:.1f} ms median over {len(echoes)} keys")
    return 0


if __name__ == "__main__":
    sys.exit(main())
