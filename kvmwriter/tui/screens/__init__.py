"""One module per drafting step, plus the modal screens (help, restore, save)."""
