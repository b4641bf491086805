"""One module per drafting step."""
