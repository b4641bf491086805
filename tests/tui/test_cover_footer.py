"""The cover app's footer: the same keys in the same order on every step."""

from __future__ import annotations

import pytest

pytest.importorskip("textual")

from textual.widgets._footer import FooterKey

from kvmwriter.tui.cover.app import CoverApp

from .test_cover_flow import open_cover, series_repo


async def footer_keys(pilot) -> list[str]:
    """The footer's key descriptions once it has settled after a recompose."""
    last: list[str] = []
    for _ in range(50):
        await pilot.pause(0.05)
        keys = [key.description for key in pilot.app.query(FooterKey)]
        if keys and keys == last:
            return keys
        last = keys
    return last


async def test_cover_footer_key_order_is_the_same_on_every_step(make_repo, tmp_path):
    app = CoverApp(open_cover(series_repo(make_repo), tmp_path / "cover.txt"))
    async with app.run_test(size=(120, 30)) as pilot:
        seen = {}
        for step in app.STEPS:
            app.show_step(step.STEP_ID)
            seen[step.STEP_ID] = await footer_keys(pilot)
        first = seen[app.STEPS[0].STEP_ID]
        assert first[:3] == ["Help", "Next", "Prev"] and first[-1] == "Quit"
        for step_id, keys in seen.items():
            # Step-specific keys may follow; the shared ones lead, in one order.
            assert keys[: len(first)] == first, (step_id, keys)
