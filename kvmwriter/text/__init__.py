"""The message model and its parsers: commit messages, patch emails, prose, files."""
