"""Composition: commit drafts, cover letters, the testing checklist, drafts on disk."""
