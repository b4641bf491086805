"""Review a long range on several cores: same reports, same order, bounded memory.

Commits are independent, so worker processes read and lint batches of
them while this process lists the range and prints.  This process sends
each batch as commit ids only; the worker reads the messages, files and
diffs with its own ``git log`` (parsing diffs is most of a commit's cost
after the rules, so it belongs on the workers' cores) and sends the
reports and series facts back.  Workers are forked before the range is
listed (they inherit the linter, not the pipe), at most ``2 * jobs``
batches are in flight, so memory stays bounded however long the range,
and reports come back in the range's order.
"""

from __future__ import annotations

import gc
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kvmwriter.review.series import SeriesFacts, SeriesReview

#: Commits a worker reads and lints per round trip: each batch costs the
#: worker one ``git log``, so a few dozen batches cover a long range.
BATCH = 128
#: Below this many commits, starting workers costs more than it saves.
MIN_PARALLEL = 400

_review: SeriesReview | None = None


def available_cpus() -> int:
    """CPUs this process may run on (``taskset`` and cgroups narrow it)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# A message that makes the rules load what they load on first use (the
# spelling table, the verb lexicon, lazily compiled patterns).
_WARM_UP = (
    "KVM: x86: Fix the reload of teh PDPTRs\n\n"
    "Currently, we reload the PDPTRs in kvm_set_cr0 when the guest toggles CR0.PG,\n"
    "see commit 0123456 and SDM 4.4.1.\n\n"
    "Cc: stable@vger.kernel.org\n"
    "Signed-off-by: Ada Tester <ada@example.org>\n"
)


def _warm_up(review: SeriesReview) -> None:
    """Load before forking what every worker would otherwise load again."""
    from kvmwriter.text.message import parse_message

    review.linter.check(parse_message(_WARM_UP), review.linter.context())


def _start_worker(review: SeriesReview) -> None:
    global _review
    from kvmwriter.git.repo import Repository

    if review.repo is not None:
        # A fresh handle: never share the parent's long-lived git child.
        old = review.repo
        review.repo = Repository(old.root, old.git_dir, old.common_dir, bare=old.bare)
    _review = review


def _lint_batch(shas: list[str]) -> tuple[list, SeriesFacts, int]:
    from kvmwriter.review.series import SeriesFacts, item_from_log

    review = _review
    assert review is not None and review.repo is not None
    review.facts = SeriesFacts(from_files=review.facts.from_files)
    merges = review.merges
    entries = review.repo.log_entries(shas, diffs=review.needs_diffs)
    reports = [(review.check_item(item_from_log(entry)), entry.message) for entry in entries]
    return reports, review.facts, review.merges - merges


def _batches(ids: Iterable[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for sha in ids:
        batch.append(sha)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def parallel_reports(
    review: SeriesReview, *, jobs: int, open_ids: Callable[[], Iterable[str]]
) -> Iterator[tuple[object, str]]:
    """``(report or None, message text)`` per commit, in order, read and
    linted by ``jobs`` workers.

    ``open_ids()`` is called after the workers start and returns the
    range's full commit ids, oldest first (so no worker inherits its
    pipe).  ``review`` needs a repository; its facts and merge count end
    up as a serial run leaves them.
    """
    import multiprocessing

    if review.repo is None:
        raise ValueError("parallel_reports() reads commits: the review needs a repository")
    _warm_up(review)
    # Keep the collector off the inherited heap: scanning it would touch,
    # and so copy, every page the workers share with this process.
    gc.freeze()
    context = multiprocessing.get_context("fork")
    pool = context.Pool(jobs, initializer=_start_worker, initargs=(review,))
    try:
        pending: deque = deque()

        def drain_one() -> Iterator[tuple[object, str]]:
            reports, facts, merges = pending.popleft().get()
            review.facts.merge(facts)
            review.merges += merges
            yield from reports

        for batch in _batches(open_ids(), BATCH):
            pending.append(pool.apply_async(_lint_batch, (batch,)))
            if len(pending) >= 2 * jobs:
                yield from drain_one()
        while pending:
            yield from drain_one()
    finally:
        pool.terminate()
        pool.join()
        gc.unfreeze()
