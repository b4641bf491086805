"""Widgets several steps share: the step bar and the lint panel."""
