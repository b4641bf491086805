"""Generated key walks through the drafting app: what is shown is what is kept.

A reported walk (ctrl+n into Testing, Space, typing) once lost the typed
notes and switched "summary in the cover letter" on.  Drive the real app
with generated key sequences and check, after every walk, that each
field on screen and the draft agree and that the draft stays readable.
"""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import Checkbox, Input, SelectionList, TextArea

from .conftest import settle

KEYS = [
    "ctrl+n",
    "ctrl+p",
    "f2",
    "f3",
    "f4",
    "f5",
    "tab",
    "shift+tab",
    "space",
    "down",
    "up",
    "a",
    "b",
    "enter",
    "backspace",
]


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(walk=st.lists(st.sampled_from(KEYS), min_size=3, max_size=25))
def test_generated_key_walks_keep_screen_and_draft_in_step(demo_repo, make_app, walk):
    asyncio.run(_walk(make_app(demo_repo, store=False), walk))


async def _walk(app, walk: list[str]) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        for key in walk:
            await pilot.press(key)
        await settle(pilot)
        draft = app.session.draft
        assert app.query_one("#summary", Input).value == draft.summary
        assert app.query_one("#what", TextArea).text == draft.what
        assert app.query_one("#why", TextArea).text == draft.why
        assert app.query_one("#testing_notes", TextArea).text == draft.testing_notes
        assert app.query_one("#checklist", SelectionList).selected == draft.tested
        cover = app.query_one("#testing-cover", Checkbox).value
        assert (draft.testing_place == "cover") == cover
        assert app.session.message().startswith(draft.subject)
