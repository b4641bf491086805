"""Copy text to the system clipboard through pyperclip.

Over SSH or on a headless box there is no clipboard tool; ``copy_text``
reports that as a one-line reason instead of raising, so the TUI can fall
back to the terminal's OSC 52 sequence (Textual's ``App.copy_to_clipboard``).
"""

from __future__ import annotations


def copy_text(text: str) -> str | None:
    """Copy ``text``; return ``None`` on success, else why it failed."""
    try:
        import pyperclip
    except ImportError:
        return "pyperclip is not installed"
    try:
        pyperclip.copy(text)
    except (pyperclip.PyperclipException, OSError) as error:
        reason = str(error).strip().splitlines()
        return reason[0] if reason else type(error).__name__
    return None
