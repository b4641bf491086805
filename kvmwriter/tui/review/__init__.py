"""``kvmwriter review --tui``: review a series' messages and reword them.

Only :func:`run_review_tui` lives here; Textual is imported when it runs.
"""

from __future__ import annotations

import sys
from typing import Any, Sequence


def run_review_tui(repo: Any, range_or_revs: str | Sequence[str] | None,
                   linter: Any = None) -> int:
    """Run the review app over a range of ``repo``; return the exit status.

    ``repo`` is a :class:`kvmwriter.repo.Repository` or a path inside one;
    ``range_or_revs`` a range string (``A..B``) or its words.  ``linter``
    defaults to the repository's config.  Bad input prints one
    ``kvmwriter: ...`` line on stderr and returns 2.
    """
    from ...config import ConfigError
    from ...engine import UnknownRuleError
    from ...profile import ProfileError
    from ...repo import RepoError
    from .model import default_linter, prepare

    try:
        repo, range_ = prepare(repo, range_or_revs)
        linter = linter or default_linter(repo)
    except (RepoError, ConfigError, ProfileError, UnknownRuleError) as error:
        print(f"kvmwriter: {error}", file=sys.stderr)
        return 2
    if repo.count_range(range_) == 0:
        print(f"kvmwriter: no commits in {range_}", file=sys.stderr)
        return 0
    from .app import ReviewApp

    result = ReviewApp(repo, range_, linter).run()
    return result if isinstance(result, int) else 0
