"""Copy text to the clipboard: pyperclip, else the terminal's OSC 52.

Over SSH or on a headless box there is no clipboard tool; ``copy_text``
reports that as a short one-line reason instead of raising, so a front end
can fall back to the terminal's OSC 52 sequence, which most terminals
(and tmux with ``set-clipboard on``) turn into a copy on the user's own
machine.  The TUI sends it through Textual's ``App.copy_to_clipboard``;
the CLI through :func:`copy_through_terminal`.
"""

from __future__ import annotations

import base64
import os

#: What to say when pyperclip finds no clipboard tool (its own message is
#: a paragraph ending in a URL).
NO_TOOL = "no clipboard tool found (xclip, xsel, wl-copy or pbcopy)"


def copy_text(text: str) -> str | None:
    """Copy ``text``; return ``None`` on success, else a short reason why not."""
    try:
        import pyperclip
    except ImportError:
        return "pyperclip is not installed"
    try:
        pyperclip.copy(text)
    except pyperclip.PyperclipException:
        return NO_TOOL
    except OSError as error:
        return f"clipboard tool failed: {error.strerror or error}"
    return None


def osc52_sequence(text: str) -> str:
    """The OSC 52 escape sequence that asks a terminal to copy ``text``."""
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return f"\x1b]52;c;{payload}\x07"


def copy_through_terminal(text: str) -> bool:
    """Send ``text`` to the controlling terminal as OSC 52; False without one."""
    try:
        fd = os.open("/dev/tty", os.O_WRONLY | os.O_NOCTTY)
    except OSError:
        return False
    try:
        os.write(fd, osc52_sequence(text).encode("ascii"))
    except OSError:
        return False
    finally:
        os.close(fd)
    return True
