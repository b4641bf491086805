"""The one base class of user-facing errors.

Every error a user can cause (a bad file, config, profile, revision or
repository) derives from :class:`UserError` and carries one line.  The
command line maps it to ``kvmwriter: <line>`` and exit status 2 in one
place (:func:`kvmwriter.cli.main`); the apps show the same line.  Bugs stay
ordinary exceptions, so they are never mistaken for bad input.
"""

from __future__ import annotations

#: Exit statuses every command shares: clean, a finding at or above
#: ``--fail-on``, and a usage, input, config or git problem.
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UserError(Exception):
    """A one-line, user-facing problem; the command line exits 2 with it."""
