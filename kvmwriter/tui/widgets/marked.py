"""Checkboxes that show their state by a mark, not by colour alone.

Textual draws an ``X`` in every toggle button and tells on from off by its
colour, which a monochrome terminal, a colour-blind reader or a screen
dump loses.  These draw ``X`` when on and a blank when off.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets.option_list import OptionDoesNotExist
from textual.widgets.selection_list import SelectionType

ON_MARK = "X"
OFF_MARK = " "


class MarkedCheckbox(Checkbox):
    """A :class:`Checkbox` whose button reads ``X`` only when ticked."""

    # Textual reads BUTTON_INNER per render; a property makes it follow the value.
    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return ON_MARK if self.value else OFF_MARK


class MarkedSelectionList(SelectionList[SelectionType]):
    """A :class:`SelectionList` whose buttons read ``X`` only when selected."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        # The button is drawn as LEFT, INNER, RIGHT, " ", prompt (see
        # SelectionList.render_line); leave any other line alone.
        if len(segments) < 3 or segments[1].text != Checkbox.BUTTON_INNER:
            return strip
        _, scroll_y = self.scroll_offset
        try:
            selection = self.get_option_at_index(scroll_y + y)
        except OptionDoesNotExist:
            return strip
        mark = ON_MARK if selection.value in self.selected else OFF_MARK
        segments[1] = Segment(mark, segments[1].style, segments[1].control)
        return Strip(segments, strip.cell_length)

    def on_focus(self) -> None:
        # Space toggles the highlighted item; with none highlighted the
        # first Space only highlights, so the author's tick is lost.
        if self.highlighted is None and self.option_count:
            self.highlighted = 0
