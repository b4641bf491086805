"""The Textual front ends: the drafting app (``app.py``, ``screens/``,
``widgets/``) presenting a :class:`kvmwriter.drafting.DraftSession`, and the
series review (``review/``)."""
