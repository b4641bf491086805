"""A 15 kB paste into the changelog keeps the drafting app responsive.

Linting runs in a thread worker, but a regular expression holds the GIL
while it backtracks: a super-linear pattern froze typing for over a minute
on such a paste.  With linear rules the lint run over the paste finishes
while the test waits for it, and the keys typed after it land.
"""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea

from .conftest import choose_topic, settle

SIZE = (80, 24)

#: One 15 kB line without a space (a hex dump, a base64 blob): one token
#: that a backtracking pattern retries from every character.
PASTE = "0123456789abcdef" * 940


async def test_pasting_15_kb_into_the_changelog_completes(demo_repo, make_app):
    assert len(PASTE) >= 15_000
    app = make_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await choose_topic(pilot, "KVM: nVMX:")
        await pilot.press(*"Fix it")
        await pilot.press("ctrl+n")
        area = app.query_one("#what", TextArea)
        assert app.focused is area
        panel = app.query_one("LintPanel")
        runs = panel.runs
        area.post_message(events.Paste(PASTE))
        await pilot.pause()
        await pilot.press("end", "!")
        await settle(pilot, limit=60)
        assert area.text.endswith(PASTE + "!")
        assert panel.runs > runs, "the lint run over the paste never finished"
        assert all(worker.is_finished for worker in app.workers)
