"""``kvmwriter edit``: one free-text editor for the file git or b4 opened."""
