"""The Textual front ends; they only present the core's models.

- ``drafting/``: the five-step commit app over a
  :class:`kvmwriter.compose.session.DraftSession` (``steps/`` holds one module a step);
- ``cover/``: the cover-letter app over a :class:`kvmwriter.compose.cover.CoverSession`;
- ``review/``: the series review over :mod:`kvmwriter.review.model`;
- shared by them: ``screens/`` (help, restore, save dialogs), ``widgets/``
  (step bar, lint panel), ``stepnav.py``, ``autosave.py``, ``outcome.py``.
"""
