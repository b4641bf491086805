"""Put text from outside on the screen as the text it is.

Textual reads a ``str`` given to ``Static``, ``Label``, an ``Option``, a
``Checkbox`` or ``notify()`` as content markup: ``CPUID[EAX=7,ECX=0]``
raises ``MarkupError``, ``msrs[i]`` loses ``[i]`` and a file named
``[@click=app.quit]q.c`` quits the app when clicked.  A Rich ``Text`` is
never parsed, yet passes ESC and C1 characters to the terminal.

So every string from the user, git, a file, a patch, a server or a config
reaches a widget through this module:

- :func:`plain` and :func:`plain_line` make a ``Text`` with the control
  characters escaped as ``\\xNN`` (:mod:`kvmwriter.text.terminal`);
- :class:`PlainInput` and :class:`~kvmwriter.tui.plain_area.PlainTextArea`
  (apart, so that Textual's text area is imported only where one is
  shown) are the editors, which show each control character as one
  visible character so that the cursor stays on the character it edits;
- :class:`PlainNotifications` makes every notification plain text.
"""

from __future__ import annotations

from rich.text import Text
from textual.notifications import SeverityLevel
from textual.widgets import Input

from kvmwriter.text.terminal import pictured, visible, visible_line
from kvmwriter.tui.hosts import AppMixin


def plain(text: str, style: str = "") -> Text:
    """``text`` as it is, over any number of lines: no markup, control
    characters escaped."""
    return Text(visible(text), style=style)


def plain_line(text: str, style: str = "") -> Text:
    """``text`` as it is on one line: newlines escaped too."""
    return Text(visible_line(text), style=style)


class PlainInput(Input):
    """An ``Input`` that shows control characters in its value visibly."""

    @property
    def _value(self) -> Text:
        # Rich drops CR, BEL and friends and passes ESC through; a picture
        # of the same length keeps the cursor arithmetic of Input intact.
        if self.password:
            return super()._value
        text = Text(pictured(self.value), no_wrap=True, overflow="ignore", end="")
        if self.highlighter is not None:
            text = self.highlighter(text)
        return text


class PlainNotifications(AppMixin):
    """Mix into an App before ``App``: every ``notify()`` shows plain text.

    Messages quote paths, branch names, git's and servers' error text; none
    of them is markup, and none may drive the terminal.
    """

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        super().notify(
            visible(str(message)),
            title=visible_line(str(title)),
            severity=severity,
            timeout=timeout,
            markup=False,
        )


__all__ = ["PlainInput", "PlainNotifications", "plain", "plain_line"]
