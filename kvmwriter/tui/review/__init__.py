"""``kvmwriter review --tui``: review a series' messages and reword them.

Only :func:`run_review_tui` lives here; Textual is imported when it runs.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any


def run_review_tui(repo: Any, range_or_revs: str | Sequence[str] | None, linter: Any = None) -> int:
    """Run the review app; return the exit status.

    ``repo`` is a :class:`kvmwriter.git.repo.Repository`, a path inside one, or
    None (the current directory's; patch files need none).
    ``range_or_revs`` is a range string (``A..B``), its words, patch files
    or mboxes (reviewed read-only), or None for ``@{upstream}..HEAD``.
    ``linter`` defaults to the repository's config.  Bad input, or no
    terminal to draw on, prints one ``kvmwriter: ...`` line on stderr and
    returns 2.
    """
    from kvmwriter.errors import UserError
    from kvmwriter.review.model import default_linter, resolve_source

    try:
        source = resolve_source(repo, range_or_revs)
        linter = linter or default_linter(source.repo)
    except UserError as error:
        print(f"kvmwriter: {error}", file=sys.stderr)
        return 2
    # Without a terminal the app would wait forever for keys nobody can press.
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(
            "kvmwriter: --tui needs a terminal (stdin and stdout must be a tty); "
            "drop --tui for the text report",
            file=sys.stderr,
        )
        return 2
    from kvmwriter.tui.review.app import ReviewApp

    result = ReviewApp(source, linter).run()
    return result if isinstance(result, int) else 0
