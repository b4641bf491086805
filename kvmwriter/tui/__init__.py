"""The drafting TUI (Textual): present a :class:`kvmwriter.drafting.DraftSession`."""
