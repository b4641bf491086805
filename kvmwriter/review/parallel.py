"""Review a long range on several cores: same reports, same order, bounded memory.

Commits are independent, so worker processes lint batches of them while
this process reads ``git log`` and prints.  Workers are forked before the
log is opened (they inherit the linter, not the pipe), each batch carries
the raw log entries out and the reports and series facts back, and at most
``2 * jobs`` batches are in flight, so memory stays bounded however long
the range.  Reports come back in the range's order.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kvmwriter.git.repo import LogEntry
    from kvmwriter.review.series import SeriesFacts, SeriesReview

#: Commits a worker lints per round trip.
BATCH = 64
#: Below this many commits, starting workers costs more than it saves.
MIN_PARALLEL = 400

_review: SeriesReview | None = None


def available_cpus() -> int:
    """CPUs this process may run on (``taskset`` and cgroups narrow it)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _start_worker(review: SeriesReview) -> None:
    global _review
    from kvmwriter.git.repo import Repository

    if review.repo is not None:
        # A fresh handle: never share the parent's long-lived git child.
        old = review.repo
        review.repo = Repository(old.root, old.git_dir, old.common_dir, bare=old.bare)
    _review = review


def _lint_batch(entries: list[LogEntry]) -> tuple[list, SeriesFacts, int]:
    from kvmwriter.review.series import SeriesFacts, item_from_log

    review = _review
    assert review is not None
    review.facts = SeriesFacts(from_files=review.facts.from_files)
    merges = review.merges
    reports = [(review.check_item(item_from_log(entry)), entry.message) for entry in entries]
    return reports, review.facts, review.merges - merges


def _batches(entries: Iterable[LogEntry]) -> Iterator[list[LogEntry]]:
    batch: list = []
    for entry in entries:
        batch.append(entry)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def parallel_reports(
    review: SeriesReview, log: Iterable[LogEntry] | None = None, *, jobs: int, open_log=None
) -> Iterator[tuple[object, str]]:
    """``(report or None, message text)`` per entry, in order, linted by ``jobs`` workers.

    ``open_log()`` is called after the workers start and returns the
    entries (so no worker inherits the log's pipe).  ``review``'s facts and
    merge count end up as a serial run leaves them.
    """
    import multiprocessing

    context = multiprocessing.get_context("fork")
    pool = context.Pool(jobs, initializer=_start_worker, initargs=(review,))
    try:
        entries = open_log() if open_log is not None else log
        if entries is None:
            raise ValueError("parallel_reports() needs a log or open_log")
        pending: deque = deque()

        def drain_one() -> Iterator[tuple[object, str]]:
            reports, facts, merges = pending.popleft().get()
            review.facts.merge(facts)
            review.merges += merges
            yield from reports

        for batch in _batches(entries):
            pending.append(pool.apply_async(_lint_batch, (batch,)))
            if len(pending) >= 2 * jobs:
                yield from drain_one()
        while pending:
            yield from drain_one()
    finally:
        pool.terminate()
        pool.join()
