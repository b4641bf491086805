"""Read what a running Textual app shows, as the terminal would get it."""

from __future__ import annotations

import io

from rich.console import Console

#: Characters a terminal acts on; none may reach it from a widget's text.
CONTROL = {*map(chr, range(0x20)), "\x7f", *map(chr, range(0x80, 0xA0))} - {"\n"}


def screen_text(app) -> str:
    """The current screen (with the screens below a modal) as plain text."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        record=True,
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
        safe_box=False,
    )
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(update)
    return console.export_text(styles=False)


def raw_controls(text: str) -> list[str]:
    """The control characters in ``text``, as hex, for an assertion message."""
    return [f"{ord(ch):#04x}" for ch in text if ch in CONTROL]


def notifications(app) -> list[str]:
    """The plain text of each notification the current screen shows.

    Read from the toasts on screen (a title, if any, on its own first
    line), as the user sees them: markup that slipped through would be
    rendered away here, not kept as text.
    """
    return [toast.render().plain for toast in app.screen.query("Toast")]
