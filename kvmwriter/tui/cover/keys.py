"""A screen whose footer lists the app's keys first, in one order on every step.

Textual orders the footer by where a key first appears on the way from the
focused widget up to the app: a text area that also binds ctrl+d or ctrl+y
moves "Description" or "Copy" to the front, so the keys jumped around as
the steps changed focus.  The app's own keys (shared by every step) come
first here, in the order the app declares them; keys of the focused
widget or a step follow.
"""

from __future__ import annotations

from textual.binding import ActiveBinding
from textual.screen import Screen


def _declared_keys(app) -> dict[str, int]:
    """Each key of the app's ``BINDINGS``, numbered in the order declared."""
    order: dict[str, int] = {}
    for binding in type(app).BINDINGS:
        keys = binding.key if hasattr(binding, "key") else binding[0]
        for key in keys.split(","):
            order.setdefault(key.strip(), len(order))
    return order


class StableKeysScreen(Screen):
    """The default screen of an app whose footer must not reorder between steps."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        found = super().active_bindings
        declared = _declared_keys(self.app)
        shared = sorted(
            (key for key, active in found.items() if active.node is self.app and key in declared),
            key=declared.__getitem__,
        )
        rest = [key for key in found if key not in shared]
        return {key: found[key] for key in [*shared, *rest]}
